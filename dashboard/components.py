"""Layout pieces as plain create_* functions: no data access, only what they are given."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.constants import NAV, Id
from dashboard.grid_locale import locale_text
from dashboard.i18n import t
from dashboard.state import QueryValue, href, shared

GRAPH_CONFIG = {"displaylogo": False, "responsive": True, "locale": "zh-CN"}


def query_store(page: str, query: Mapping[str, QueryValue]) -> dcc.Store:
    """The page's view state; a clientside callback mirrors it into the URL."""
    return dcc.Store(id={"type": Id.QUERY, "page": page}, data=dict(query))


def create_navbar(page: str, lang: str, query: Mapping[str, QueryValue]) -> dbc.Navbar:
    """Top bar: title, one link per page (keeping the shared filters), language switch."""
    keep = shared(query)
    links = [
        dbc.NavItem(
            dbc.NavLink(
                t(key, lang),
                href=href(path, keep),
                id=f"{Id.NAV_PREFIX}{key}",
                active=key == page,
            )
        )
        for key, path in NAV
    ]
    other = "en" if lang == "zh" else "zh"
    lang_link = dcc.Link(
        t("lang_switch", lang),
        href=href(_path_of(page), {**query, "lang": other}),
        id=Id.LANG_LINK,
        className="btn btn-sm btn-outline-light ms-3",
    )
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(t("app_title", lang), href=href("/", keep), className="fw-bold"),
                dbc.Nav(links, navbar=True, className="me-auto"),
                lang_link,
            ],
            fluid=True,
        ),
        color="primary",
        dark=True,
        className="mb-3",
    )


def _path_of(page: str) -> str:
    return dict(NAV).get(page, "/")


def create_page(page: str, lang: str, query: Mapping[str, QueryValue], *children: Any) -> html.Div:
    """A whole page: navbar, query store, then the page body (a main landmark); grids speak the page's language."""
    body = dbc.Container(list(children), fluid=True, className="pb-4")
    for comp in body._traverse():
        if isinstance(comp, dag.AgGrid) and lang == "zh":
            comp.dashGridOptions = {**(getattr(comp, "dashGridOptions", None) or {}), "localeText": locale_text(lang)}
    return html.Div(
        [create_navbar(page, lang, query), query_store(page, query), html.Main(body)],
        lang="zh-CN" if lang == "zh" else "en",
    )


def create_no_data_page(page: str, lang: str, query: Mapping[str, QueryValue], title_key: str) -> html.Div:
    """A page whose store holds no scores yet: its title and what is missing, instead of empty charts."""
    return create_page(page, lang, query, create_title(t(title_key, lang)), create_empty(t("empty_no_data", lang)))


def create_title(text: str, subtitle: str = "") -> html.Div:
    """Page heading with an optional muted line beneath."""
    return html.Div(
        [html.H1(text, className="h3 mb-0"), html.Small(subtitle, className="text-muted")]
        if subtitle
        else [html.H1(text, className="h3")],
        className="mb-3",
    )


def create_select(
    id_: str,
    label: str,
    options: Sequence[tuple[str, str]],
    value: Any,
    multi: bool = False,
    clearable: bool = False,
    width: int = 2,
) -> dbc.Col:
    """A labelled dropdown; options are (value, label) pairs."""
    return dbc.Col(
        [
            dbc.Label(label, html_for=id_, className="small mb-1"),
            dcc.Dropdown(
                id=id_,
                options=[{"value": v, "label": lbl} for v, lbl in options],
                value=value,
                multi=multi,
                clearable=clearable,
                searchable=True,
            ),
        ],
        md=width,
    )


def create_radio(id_: str, label: str, options: Sequence[tuple[str, str]], value: str, width: int = 4) -> dbc.Col:
    """A labelled inline radio group; options are (value, label) pairs."""
    return dbc.Col(
        [
            dbc.Label(label, className="small mb-1 d-block"),
            dbc.RadioItems(
                id=id_,
                options=[{"value": v, "label": lbl} for v, lbl in options],
                value=value,
                inline=True,
            ),
        ],
        md=width,
    )


def create_filter_bar(*cols: dbc.Col) -> dbc.Card:
    """A row of filter controls in a light card."""
    return dbc.Card(dbc.CardBody(dbc.Row(list(cols), className="g-3")), className="mb-3 bg-light border-0")


def create_chart(id_: str, lang: str, height: int = 360, note: str = "", source: str = "source") -> dbc.Card:
    """A chart card: the graph, its data table one click away (assets/a11y.js), then the source line."""
    footer = [
        html.Button(
            t("chart_table", lang),
            type="button",
            className="btn btn-link chart-table-toggle me-2",
            **{"aria-expanded": "false"},
        ),
        t(source, lang) + (f"　{note}" if note else ""),
        html.Div(className="chart-table mt-1", hidden=True),
    ]
    return dbc.Card(
        [
            dbc.CardBody(
                dcc.Loading(
                    # the figure sets its own height (a ranking grows with its streets); min-height avoids a jump
                    dcc.Graph(id=id_, config=GRAPH_CONFIG, style={"minHeight": f"{height}px"}),
                    type="dot",
                    delay_show=300,
                ),
                className="p-2",
            ),
            dbc.CardFooter(footer, className="small text-muted py-1"),
        ],
        className="mb-3 shadow-sm",
    )


def create_stat(label: str, value: str, note: str = "", colour: str = "primary") -> dbc.Card:
    """One headline figure."""
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(label, className="small text-muted"),
                html.Div(value, className=f"fs-3 fw-bold text-{colour}"),
                html.Div(note, className="small text-muted"),
            ]
        ),
        className="h-100 shadow-sm stat-card",
    )


def create_empty(message: str) -> dbc.Alert:
    """What is missing, said in words instead of a blank area."""
    return dbc.Alert(message, color="secondary", className="empty-state")


STREET_ROW_ID = "params.data.district + '|' + params.data.street"


def create_grid(id_: str, height: int = 420, street_rows: bool = False, **kwargs: Any) -> dag.AgGrid:
    """A sortable, filterable table (rows and columns set by a callback); street_rows: one street per row."""
    if street_rows:
        kwargs["getRowId"] = STREET_ROW_ID
    return dag.AgGrid(
        id=id_,
        rowData=[],
        columnDefs=[],
        defaultColDef={
            "sortable": True,
            "filter": True,
            "resizable": True,
            "floatingFilter": True,
            "minWidth": 80,
            "cellDataType": False,
            # Headers wrap instead of being cut (Comp… / Com…), and names wrap instead of being truncated.
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
            "wrapText": True,
            "autoHeight": True,
        },
        dashGridOptions={"animateRows": False, "pagination": False, "enableCellTextSelection": True},
        columnSize="responsiveSizeToFit",
        style={"height": f"{height}px"},
        className="ag-theme-alpine mb-3",
        **kwargs,
    )


def create_download(button_id: str, download_id: str, lang: str, label: str = "download_xlsx") -> html.Span:
    """An Excel download button with its dcc.Download."""
    return html.Span(
        [
            dbc.Button(t(label, lang), id=button_id, color="success", size="sm", outline=True),
            dcc.Download(id=download_id),
        ],
        className="ms-2",
    )


def create_section(title: str, *children: Any, actions: Any = None) -> html.Div:
    """A titled block of the page, with optional buttons at the heading's right."""
    head = html.Div(
        [html.H5(title, className="mb-0"), html.Div(actions)] if actions is not None else [html.H5(title)],
        className="d-flex justify-content-between align-items-center mb-2 mt-2",
    )
    return html.Div([head, *children])
