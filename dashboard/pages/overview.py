"""总览 Overview: headline figures of a period, the city ranking, and the biggest movers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

from dashboard import components as c
from dashboard import data as appdata
from dashboard import downloads, filters, rank_evidence, tables, unsubmitted, views
from dashboard.constants import FUNCTIONS, Id
from dashboard.figures import scores as figs
from dashboard.grade_colours import badge_style
from dashboard.i18n import t
from dashboard.state import clicked_street, scorecard_href

PAGE = "overview"
dash.register_page(__name__, path="/", name="总览", title="总览 · 街道履职评价看板", order=0)


def layout(period=None, districts=None, street_type=None, function=None, lang=None, **_: str) -> html.Div:
    """The overview page for the filters in the URL."""
    ev = appdata.current().evaluation
    query = filters.read_query(ev, period, districts, street_type, function, lang)
    lang = query["lang"]
    if not views.periods(ev):
        return c.create_no_data_page(PAGE, lang, query, "overview")
    return c.create_page(
        PAGE,
        lang,
        query,
        dcc.Location(id=Id.RANKING_NAVIGATE, refresh="callback-nav"),
        c.create_title(t("overview", lang), t("app_subtitle", lang)),
        c.create_filter_bar(*filters.controls(ev, lang, query)),
        html.Div(id=Id.HEADLINE, className="mb-3"),
        html.Div(id=Id.SUB_PROGRESS, className="mb-3"),  # the period's submission progress (pages/submissions)
        dbc.Row(
            [
                dbc.Col(c.create_chart(Id.RANKING_FIG, lang, height=560), lg=7),
                dbc.Col(c.create_chart(Id.MOVERS_FIG, lang, height=560), lg=5),
            ]
        ),
        c.create_section(
            t("fig_ranking", lang),
            c.create_grid(Id.RANKING_TABLE, height=460, street_rows=True),
            actions=c.create_download(Id.RANKING_DOWNLOAD_BTN, Id.RANKING_DOWNLOAD, lang),
        ),
    )


def headline(df: pd.DataFrame, lang: str, grades: Sequence[str]) -> list:
    """The period's headline cards: streets, median, grade shares (ev.grades), removed items, unlisted tasks."""
    if df.empty:
        return [c.create_empty(t("empty_filters", lang))]
    late = unsubmitted.notes(df, lang, str(df["period"].iloc[0]))
    df = df.loc[df["submitted"].to_numpy(dtype=bool)] if "submitted" in df.columns else df  # 未报送: apart
    n = len(df)
    counts = df["grade"].value_counts()
    shares = html.Div(
        [
            html.Span(
                f"{t(g, lang)} {counts.get(g, 0) / n:.0%}",
                className="badge me-1",
                style=badge_style(g, grades),
            )
            for g in grades
        ],
        className="fs-6 mt-2",
    )
    removed_streets = int((df["removed_indicators"] > 0).sum())
    cards = [
        c.create_stat(t("streets_evaluated", lang), f"{n}", t("streets_unit", lang)),
        c.create_stat(t("median_score", lang), f"{df['overall'].median():.1f}", t("points", lang)),
        dbc.Card(
            dbc.CardBody([html.Div(t("grade_shares", lang), className="small text-muted"), shares]),
            className="h-100 shadow-sm",
        ),
        c.create_stat(
            t("removed_still_reported", lang),
            f"{int(df['removed_indicators'].sum())}",
            f"{t('items', lang)} · " + t("streets_count", lang, n=removed_streets),
            colour="danger" if removed_streets else "success",
        ),
        c.create_stat(t("unlisted_tasks", lang), f"{int(df['unlisted_tasks'].sum())}", t("items", lang), "warning"),
    ]
    return [*late, dbc.Row([dbc.Col(card, md=True) for card in cards], className="g-3")]


def update(
    ev: Any,
    period: str,
    districts: list[str] | None,
    street_type: str,
    function: str,
    lang: str,
    bands: pd.DataFrame | None = None,
) -> tuple:
    """All outputs of the overview for the chosen filters (a plain function: tests and bench call it).

    bands: metrics' city rank bands of the period (AppData.bands), shown beside the city rank.
    """
    function = function or "overall"
    df = views.scores(ev, period, districts, street_type or None)
    column = function if function in FUNCTIONS else "overall"
    rows, cols = tables.ranking(views.with_bands(df, bands), column, lang)
    query = {
        "period": period,
        "districts": districts or [],
        "street_type": street_type,
        "function": function,
        "lang": lang,
    }
    return (
        headline(df, lang, ev.grades) + rank_evidence.tier_summary(ev, bands, lang),
        figs.ranking_bar(df, column, period, lang, ("、" if lang == "zh" else ", ").join(districts or []), ev.grades),
        figs.movers_bar(df, period, lang),
        rows,
        cols,
        query,
    )


def download(ev: Any, period: str, districts: list[str] | None, lang: str, bands: Any = None, data: Any = None) -> dict:
    """The 排名表 workbook (metrics.export) of the city, or of the one district chosen, with rank bands.

    data: the user's AppData, whose kept city workbook is sent when the city is asked for (written per data
    version by the results process; a scoped user has none).
    """
    chosen = [d for d in districts or [] if d in ev.districts]
    kept = data.kept_ranking(period, lang) if data is not None and downloads.ranking_district(chosen) is None else None
    return downloads.ranking_workbook(ev, period, chosen, lang, bands, kept)


def register_callbacks(app: dash.Dash) -> None:
    """Bind this page's callbacks to app."""
    query_state = State({"type": Id.QUERY, "page": PAGE}, "data")

    @app.callback(
        Output(Id.HEADLINE, "children"),
        Output(Id.RANKING_FIG, "figure"),
        Output(Id.MOVERS_FIG, "figure"),
        Output(Id.RANKING_TABLE, "rowData"),
        Output(Id.RANKING_TABLE, "columnDefs"),
        Output({"type": Id.QUERY, "page": PAGE}, "data"),
        Input(Id.PERIOD, "value"),
        Input(Id.DISTRICTS, "value"),
        Input(Id.STREET_TYPE, "value"),
        Input(Id.FUNCTION, "value"),
        query_state,
    )
    def _update(period, districts, street_type, function, query):
        data = appdata.current()
        lang = (query or {}).get("lang", "zh")
        return update(data.evaluation, period, districts, street_type, function, lang, data.bands(period))

    @app.callback(
        Output(Id.RANKING_DOWNLOAD, "data"),
        Input(Id.RANKING_DOWNLOAD_BTN, "n_clicks"),
        State(Id.PERIOD, "value"),
        State(Id.DISTRICTS, "value"),
        query_state,
        prevent_initial_call=True,
    )
    def _download(_n, period, districts, query):
        data = appdata.current()
        lang = (query or {}).get("lang", "zh")
        return download(data.evaluation, period, districts, lang, data.bands(period), data)

    @app.callback(
        Output(Id.RANKING_NAVIGATE, "href"),
        Input(Id.RANKING_TABLE, "cellClicked"),
        State(Id.PERIOD, "value"),
        query_state,
        prevent_initial_call=True,
    )
    def _open_street(cell, period, query):
        hit = clicked_street(cell)
        return scorecard_href(*hit, period, (query or {}).get("lang", "zh")) if hit else no_update
