"""部门评价 Department scorecard (issue 15, 考核权): the streets' ratings of the district departments with intervals
and rank bands, one department's dimensions, trend, tasks and funds, and the 建议权 record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, html

from dashboard import components as c
from dashboard import data as appdata
from dashboard import downloads, filters, tables, views
from dashboard.constants import Id, Page
from dashboard.figures import departments as dfigs
from dashboard.i18n import t
from metrics.department_labels import KINDS, SHOWN_ADVICE, SHOWN_ADVICE_SUMMARY, SHOWN_RANKING, caption
from metrics.department_view import advice_shown, department_history, ranking_table
from metrics.departments import LEVEL, MIN_RATINGS

PAGE = "departments"
dash.register_page(__name__, path=Page.DEPARTMENTS, name="部门评价", title="部门评价 · 街道履职评价看板", order=3)
SEP = "|"  # option value: district|department (no district name holds a |)
FORMATS = {"num": tables.NUM1, "pct": tables.PCT0}
FACTS = ("unlisted_tasks", "share_not_approved", "share_without_funds", "returned", "delegated")


def layout(period=None, districts=None, department=None, lang=None, **_: str) -> html.Div:
    """The department scorecard for the filters in the URL."""
    ev = appdata.current().evaluation
    query = filters.read_query(ev, period, districts, None, None, lang)
    lang = query["lang"]
    if not views.periods(ev):
        return c.create_no_data_page(PAGE, lang, query, PAGE)
    query["department"] = department or ""
    controls = filters.controls(ev, lang, query)[:2]
    choose = c.create_select(Id.DEPT_SELECT, t("dept_choose", lang), [], query["department"] or None, width=4)
    return c.create_page(
        PAGE,
        lang,
        query,
        c.create_title(t("departments", lang), t("departments_subtitle", lang)),
        c.create_filter_bar(*controls, choose),
        c.create_section(
            t("dept_ranking", lang),
            html.P(t("dept_ranking_note", lang, level=f"{LEVEL:.0%}", n=MIN_RATINGS), className="small text-muted"),
            c.create_chart(Id.DEPT_RANK_FIG, lang, height=460, source="source_dept_ratings"),
            c.create_grid(Id.DEPT_TABLE, height=420),
            actions=c.create_download(Id.DEPT_DOWNLOAD_BTN, Id.DEPT_DOWNLOAD, lang),
        ),
        html.H5(id=Id.DEPT_TITLE, className="mt-3"),
        html.Div(id=Id.DEPT_FACTS),
        dbc.Row(
            [
                dbc.Col(c.create_chart(Id.DEPT_DIMS_FIG, lang, height=340, source="source_dept_ratings"), lg=6),
                dbc.Col(c.create_chart(Id.DEPT_TREND_FIG, lang, height=340, source="source_dept_ratings"), lg=6),
            ]
        ),
        c.create_section(
            t("advice", lang),
            c.create_grid(Id.ADVICE_SUMMARY_TABLE, height=130),
            c.create_grid(Id.ADVICE_TABLE, height=360),
        ),
    )


def _rows(df: pd.DataFrame, fields: Sequence[str], lang: str) -> tuple[list[dict], list[dict]]:
    """Grid rows and columns, captions from metrics.department_labels (the export prints the same)."""
    cols = []
    for f in fields:
        kind = KINDS.get(f, "int")
        fmt = tables.SIGNED1 if f == "change_prev" else FORMATS.get(kind)
        extra = {"valueFormatter": fmt} if fmt else {}
        if kind != "text":
            extra["type"] = "numericColumn"
        cols.append(tables.col(f, lang, header=caption(f, lang), **extra))
    return (tables.records(df, fields) if not df.empty else []), cols


def _options(table: pd.DataFrame) -> list[dict]:
    several = len(set(table["district"])) > 1
    return [
        {"label": f"{dept} · {d}" if several else str(dept), "value": f"{d}{SEP}{dept}"}
        for d, dept in zip(table["district"], table["department"], strict=True)
    ]


def _fact(key: str, value: object, lang: str) -> dbc.Col:
    kind = KINDS.get(key, "int")
    if value is None or pd.isna(value):
        text = "—"
    elif kind == "pct":
        text = f"{float(value):.0%}"
    else:
        text = f"{int(value)}"
    return dbc.Col(c.create_stat(caption(key, lang), text), xs=6, md=4, lg=2, className="mb-2")


def _facts(row: pd.Series | None, lang: str) -> Any:
    if row is None:
        return c.create_empty(t("dept_none", lang))
    keys = (*FACTS, "share_delegated_with_funds")
    note = t("dept_facts_note", lang)
    if 0 < row["n_streets"] < MIN_RATINGS:
        note = t("dept_too_few", lang, n=MIN_RATINGS) + " " + note
    return html.Div(
        [
            html.H6(t("dept_facts", lang)),
            dbc.Row([_fact(k, row[k], lang) for k in keys]),
            html.P(note, className="small text-muted"),
        ]
    )


def update(ev: Any, period: str | None, districts: list[str] | None, department: str | None, lang: str) -> tuple:
    """All outputs of the page (a plain function: tests call it)."""
    table = ranking_table(ev.departments, period, districts, lang)
    options = _options(table)
    values = [o["value"] for o in options]
    chosen = department if department in values else (values[0] if values else None)
    row, name, history = None, "", ev.departments.iloc[0:0]
    if chosen:
        district, dept = chosen.split(SEP, 1)
        name = dept
        hit = table[(table["district"] == district) & (table["department"] == dept)]
        row = hit.iloc[0] if not hit.empty else None
        history = department_history(ev.departments, district, dept)
    rank_rows, rank_cols = _rows(
        table, ("district", *SHOWN_RANKING) if not districts or len(districts) > 1 else SHOWN_RANKING, lang
    )
    advice_districts = districts or list(ev.districts)
    summary = ev.advice_summary[ev.advice_summary["district"].isin(advice_districts).to_numpy(dtype=bool)]
    records = advice_shown(ev.advice, advice_districts, lang)
    sum_rows, sum_cols = _rows(summary, SHOWN_ADVICE_SUMMARY, lang)
    adv_rows, adv_cols = _rows(records, ("district", *SHOWN_ADVICE), lang)
    known = [d for d in districts or [] if d in ev.districts]  # a crafted request's other districts are not echoed
    query = {"period": period, "districts": known, "department": chosen or "", "lang": lang}
    return (
        dfigs.ranking(table, period, lang),
        rank_rows,
        rank_cols,
        options,
        chosen,
        t("dept_detail", lang, name=name) if name else "",
        _facts(row, lang) if chosen else c.create_empty(t("dept_none", lang)),
        dfigs.dimensions(row, name, period, lang),
        dfigs.trend(history, name, lang),
        sum_rows,
        sum_cols,
        adv_rows,
        adv_cols,
        query,
    )


def download(ev: Any, period: str, districts: list[str] | None, lang: str) -> dict:
    """The 部门评价排名 workbook (metrics.export) of the one district chosen, or of every district the user sees."""
    known = [d for d in districts or [] if d in ev.districts]
    return downloads.department_workbook(ev, period, known, lang)


def register_callbacks(app: dash.Dash) -> None:
    """Bind this page's callbacks to app."""
    query_id = {"type": Id.QUERY, "page": PAGE}

    @app.callback(
        Output(Id.DEPT_RANK_FIG, "figure"),
        Output(Id.DEPT_TABLE, "rowData"),
        Output(Id.DEPT_TABLE, "columnDefs"),
        Output(Id.DEPT_SELECT, "options"),
        Output(Id.DEPT_SELECT, "value"),
        Output(Id.DEPT_TITLE, "children"),
        Output(Id.DEPT_FACTS, "children"),
        Output(Id.DEPT_DIMS_FIG, "figure"),
        Output(Id.DEPT_TREND_FIG, "figure"),
        Output(Id.ADVICE_SUMMARY_TABLE, "rowData"),
        Output(Id.ADVICE_SUMMARY_TABLE, "columnDefs"),
        Output(Id.ADVICE_TABLE, "rowData"),
        Output(Id.ADVICE_TABLE, "columnDefs"),
        Output(query_id, "data"),
        Input(Id.PERIOD, "value"),
        Input(Id.DISTRICTS, "value"),
        Input(Id.DEPT_SELECT, "value"),
        State(query_id, "data"),
    )
    def _update(period, districts, department, query):
        out = update(appdata.current().evaluation, period, districts, department, (query or {}).get("lang", "zh"))
        return (*out[:-1], {**(query or {}), **out[-1]})

    @app.callback(
        Output(Id.DEPT_DOWNLOAD, "data"),
        Input(Id.DEPT_DOWNLOAD_BTN, "n_clicks"),
        State(Id.PERIOD, "value"),
        State(Id.DISTRICTS, "value"),
        State(query_id, "data"),
        prevent_initial_call=True,
    )
    def _download(_n, period, districts, query):
        return download(appdata.current().evaluation, period, districts, (query or {}).get("lang", "zh"))
