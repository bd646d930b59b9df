"""A page section in one place: a titled grid block, and the callback that fills a section's outputs with
`update(evaluation, *input values, lang)` (the language from the page's query store). The 大项, 执法情况, coverage
and funding sections use it; each module keeps only its own `update` functions, which the tests call."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import dash
from dash import Input, Output, State, html

from dashboard import components as c
from dashboard import data as appdata
from dashboard.constants import Id

Prop = tuple[str, str]  # (component id, property)


def grid_outputs(title_id: str, body_id: str, table_id: str) -> tuple[Prop, ...]:
    """The outputs of a titled grid: title, body (note or empty state), the grid's rows and columns."""
    return (title_id, "children"), (body_id, "children"), (table_id, "rowData"), (table_id, "columnDefs")


def titled_grid(title_id: str, body_id: str, table_id: str, height: int, class_name: str) -> html.Div:
    """A titled block: a note (or the empty state) and one grid."""
    return html.Div(
        [html.H5(id=title_id, className="mt-2"), html.Div(id=body_id), c.create_grid(table_id, height=height)],
        className=class_name,
    )


def bind(
    app: dash.Dash, page: str, outputs: Sequence[Prop], inputs: Sequence[Prop], update: Callable[..., Any]
) -> None:
    """Fill outputs with update(evaluation, *input values, lang) whenever an input of the page changes."""

    @app.callback(
        *(Output(i, p) for i, p in outputs),
        *(Input(i, p) for i, p in inputs),
        State({"type": Id.QUERY, "page": page}, "data"),
    )
    def _fill(*values: Any) -> Any:
        *given, query = values
        return update(appdata.current().evaluation, *given, (query or {}).get("lang", "zh"))
