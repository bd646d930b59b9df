"""减负监测 Burden: unlisted tasks by assigning department and street, approval and funding shares, trend."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, html

from dashboard import components as c
from dashboard import data as appdata
from dashboard import filters, funding_sections, tables, unsubmitted, views
from dashboard.constants import Id, Page
from dashboard.figures import burden as bfigs
from dashboard.i18n import paren, t
from metrics import groups

PAGE = "burden"
dash.register_page(__name__, path=Page.BURDEN, name="减负监测", title="减负监测 · 街道履职评价看板", order=3)

DEPT_FIELDS = [
    "assigning_department",
    "unlisted_tasks",
    "unlisted_workdays",
    "share_not_approved",
    "share_without_funds",
]


def layout(period=None, districts=None, street_type=None, function=None, lang=None, **_: str) -> html.Div:
    """The burden page for the filters in the URL."""
    ev = appdata.current().evaluation
    query = filters.read_query(ev, period, districts, street_type, function, lang)
    lang = query["lang"]
    if not views.periods(ev):
        return c.create_no_data_page(PAGE, lang, query, "burden")
    controls = filters.controls(ev, lang, query)[:2]  # street type and function do not apply to tasks
    return c.create_page(
        PAGE,
        lang,
        query,
        c.create_title(t("burden", lang)),
        unsubmitted.placeholder(PAGE),
        c.create_filter_bar(*controls),
        dbc.Row(
            [
                dbc.Col(c.create_chart(Id.BURDEN_DEPT_FIG, lang, height=440), lg=6),
                dbc.Col(c.create_chart(Id.BURDEN_STREET_FIG, lang, height=440), lg=6),
                dbc.Col(c.create_chart(Id.BURDEN_SHARES_FIG, lang), lg=6),
                dbc.Col(c.create_chart(Id.BURDEN_TREND_FIG, lang), lg=6),
            ]
        ),
        c.create_section(t("fig_burden_dept", lang), c.create_grid(Id.BURDEN_TABLE, height=380)),
        *funding_sections.layout(lang),
    )


def update(ev: Any, period: str, districts: list[str] | None, lang: str) -> tuple:
    """All outputs of the burden page (a plain function: tests and bench call it)."""
    by_street = views.burden_streets(ev, period, districts)
    by_dept = groups.pooled_burden(views.burden_departments(ev, period, districts), ["assigning_department"])
    by_district = groups.pooled_burden(by_street, ["district"])
    by_period = groups.pooled_burden(views.burden_streets(ev, None, districts), ["period", "district"])
    street_rows = by_street.assign(
        label=by_street["street"].astype(str) + by_street["district"].astype(str).map(lambda d: paren(d, lang))
    )
    pct = tables.PCT0
    rows, cols = tables.frame_rows(by_dept, DEPT_FIELDS, lang, {"share_not_approved": pct, "share_without_funds": pct})
    query = {"period": period, "districts": districts or [], "lang": lang}
    return (
        bfigs.top_bars(by_dept, "assigning_department", "fig_burden_dept", period, lang),
        bfigs.top_bars(street_rows, "label", "fig_burden_street", period, lang),
        bfigs.shares(by_district, period, lang),
        bfigs.trend(by_period[by_period["unlisted_tasks"] > 0] if not by_period.empty else by_period, lang),
        rows,
        cols,
        query,
    )


def register_callbacks(app: dash.Dash) -> None:
    """Bind this page's callbacks to app."""
    query_id = {"type": Id.QUERY, "page": PAGE}
    funding_sections.register_callbacks(app)

    @app.callback(
        Output(Id.BURDEN_DEPT_FIG, "figure"),
        Output(Id.BURDEN_STREET_FIG, "figure"),
        Output(Id.BURDEN_SHARES_FIG, "figure"),
        Output(Id.BURDEN_TREND_FIG, "figure"),
        Output(Id.BURDEN_TABLE, "rowData"),
        Output(Id.BURDEN_TABLE, "columnDefs"),
        Output(query_id, "data"),
        Input(Id.PERIOD, "value"),
        Input(Id.DISTRICTS, "value"),
        State(query_id, "data"),
    )
    def _update(period, districts, query):
        out = update(appdata.current().evaluation, period, districts, (query or {}).get("lang", "zh"))
        return (*out[:-1], {**(query or {}), **out[-1]})
