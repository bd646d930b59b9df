"""清单变化 List changes: what a district's duty list gained, lost, reweighted and moved between years."""

from __future__ import annotations

import itertools
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, html

from dashboard import components as c
from dashboard import coverage_section, major_sections, tables, views
from dashboard import data as appdata
from dashboard.constants import FUNCTIONS, Id, Page
from dashboard.figures.base import Figure, axis, empty_figure, make, trace
from dashboard.i18n import norm_lang, paren, t
from dashboard.state import pick, split_list
from metrics.list_changes import ITEM_CHANGE_COLUMNS

PAGE = "lists"
KINDS = (("added", "#009E73"), ("dropped", "#D55E00"), ("reweighted", "#0072B2"), ("moved", "#CC79A7"))
FIELDS = ITEM_CHANGE_COLUMNS
dash.register_page(__name__, path=Page.LISTS, name="清单变化", title="清单变化 · 街道履职评价看板", order=4)


def year_pairs(ev: Any, district: str) -> list[str]:
    """'2019-2020' for each pair of consecutive list years the district has."""
    years = views.list_years(ev, district)
    return [f"{a}-{b}" for a, b in itertools.pairwise(years)]


def layout(district=None, years=None, districts=None, lang=None, **rest: str) -> html.Div:
    """The list-changes page for the district and years in the URL."""
    ev = appdata.current().evaluation
    lang = norm_lang(lang)
    query: dict[str, Any] = {k: v for k, v in rest.items() if k in ("period", "street_type", "function")}
    query |= {"districts": districts, "lang": lang}
    known = views.districts(ev)
    if not known:
        return c.create_no_data_page(PAGE, lang, query, "lists")
    chosen = pick(district, known, None) or next((d for d in split_list(districts) if d in known), known[0])
    pairs = year_pairs(ev, chosen)
    query |= {"district": chosen, "years": pick(years, pairs, pairs[-1] if pairs else None)}
    return c.create_page(
        PAGE,
        lang,
        query,
        c.create_title(t("lists", lang)),
        c.create_filter_bar(
            c.create_select(Id.DISTRICT, t("district", lang), [(d, d) for d in known], chosen),
            c.create_select(
                Id.YEAR_FROM, t("year_to", lang), [(p, p.replace("-", " → ")) for p in pairs], query["years"]
            ),
        ),
        html.Div(id=Id.LISTS_SUMMARY, className="mb-3"),
        c.create_chart(Id.LISTS_FIG, lang, height=380, source="source_lists"),
        c.create_section(t("lists", lang), c.create_grid(Id.LISTS_TABLE, height=420)),
        major_sections.section(Id.LISTS_MAJOR_TITLE, Id.LISTS_MAJOR_BODY, Id.LISTS_MAJOR_TABLE, lang),
        coverage_section.section(lang),
    )


def figure(changes: pd.DataFrame, label: str, lang: str) -> Figure:
    """Changed items per function (by the new function, or the old one for dropped items), stacked by kind."""
    title = t("fig_lists", lang)
    if changes.empty:
        return empty_figure(t("empty_lists", lang), title, label)
    fn = changes["function_to"].astype("string").fillna(changes["function_from"].astype("string"))
    names = [t(f, lang) for f in FUNCTIONS]
    traces = [
        trace(
            "bar",
            name=t(kind, lang),
            x=names,
            y=[
                int((changes[kind].to_numpy(dtype=bool) & fn.eq(f).to_numpy(dtype=bool, na_value=False)).sum())
                for f in FUNCTIONS
            ],
            marker_color=colour,
        )
        for kind, colour in KINDS
    ]
    layout = {"barmode": "group", "yaxis": axis(t("items_changed", lang), rangemode="tozero")}
    return make(traces, layout, title, label, t("unit_items", lang), height=380)


def summary(changes: pd.DataFrame, lang: str) -> Any:
    """One card per kind of change with its count."""
    counts = {k: int(changes[k].sum()) if not changes.empty else 0 for k, _ in KINDS}
    return dbc.Row(
        [dbc.Col(c.create_stat(t(k, lang), str(counts[k]), t("items", lang))) for k, _ in KINDS], className="g-3"
    )


def update(ev: Any, district: str, years: str | None, lang: str) -> tuple:
    """All outputs of the list-changes page (a plain function: tests and bench call it)."""
    pairs = year_pairs(ev, district) if district else []
    years = years if years in pairs else (pairs[-1] if pairs else None)
    y_from, y_to = (int(y) for y in years.split("-")) if years else (None, None)
    changes = views.list_changes(ev, district, y_from, y_to) if years else pd.DataFrame()
    label = f"{district} {years.replace('-', '→')}" if years else district
    view = (
        changes.assign(
            change=changes["change"]
            .astype("string")
            .map(lambda k: ("、" if lang == "zh" else ", ").join(t(p, lang) for p in k.split("+"))),
            function_from=changes["function_from"]
            .astype("string")
            .map(lambda f: t(f, lang) if isinstance(f, str) else f),
            function_to=changes["function_to"].astype("string").map(lambda f: t(f, lang) if isinstance(f, str) else f),
        )
        if not changes.empty
        else changes
    )
    rows, cols = tables.frame_rows(view, FIELDS, lang)
    for col in cols:
        col["headerName"] = _header(col["field"], lang)
    return summary(changes, lang), figure(changes, label, lang), rows, cols, {"district": district, "years": years}


def _header(field: str, lang: str) -> str:
    base, _, side = field.rpartition("_")
    if side in ("from", "to"):
        return t(base, lang) + paren(t("old_value" if side == "from" else "new_value", lang), lang)
    return t("change_kind", lang) if field == "change" else t(field, lang)


def register_callbacks(app: dash.Dash) -> None:
    """Bind this page's callbacks to app."""
    query_id = {"type": Id.QUERY, "page": PAGE}
    coverage_section.register_callbacks(app)  # 事务清单 against the duty list (issue 15)

    @app.callback(
        Output(Id.YEAR_FROM, "options"),
        Output(Id.YEAR_FROM, "value"),
        Input(Id.DISTRICT, "value"),
        State(Id.YEAR_FROM, "value"),
        prevent_initial_call=True,
    )
    def _years(district, current):
        pairs = year_pairs(appdata.current().evaluation, district)
        options = [{"value": p, "label": p.replace("-", " → ")} for p in pairs]
        return options, current if current in pairs else (pairs[-1] if pairs else None)

    @app.callback(
        Output(Id.LISTS_SUMMARY, "children"),
        Output(Id.LISTS_FIG, "figure"),
        Output(Id.LISTS_TABLE, "rowData"),
        Output(Id.LISTS_TABLE, "columnDefs"),
        Output(query_id, "data"),
        Input(Id.DISTRICT, "value"),
        Input(Id.YEAR_FROM, "value"),
        State(query_id, "data"),
    )
    def _update(district, years, query):
        out = update(appdata.current().evaluation, district, years, (query or {}).get("lang", "zh"))
        return (*out[:-1], {**(query or {}), **out[-1]})
