"""权重模拟 What-if: an officer sets the weights of the five functions and sees the ranking change beside the
official one. The official scores and ranks never change here; metrics.whatif computes the what-if ranking."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Input, Output, State, dcc, html

from dashboard import components as c
from dashboard import data as appdata
from dashboard import filters, status_view, tables, unsubmitted, views
from dashboard.constants import FUNCTIONS, Id, Page
from dashboard.i18n import t
from metrics.whatif import list_function_weights

PAGE = "whatif"
MAX_WEIGHT, STEP = 5.0, 0.5
dash.register_page(__name__, path=Page.WHATIF, name="权重模拟", title="权重模拟 · 街道履职评价看板", order=6)

OFFICIAL_FIELDS = ("rank_city", "band_city", "district", "street", "overall", "completeness")
WHATIF_FIELDS = ("whatif_rank", "rank_change", "district", "street", "whatif_score", "rank_official", "completeness")


def default_weights(ev: Any, period: str | None) -> dict[str, float]:
    """Slider start: each function's share of the list weights × 5, to the slider step (1 each without items)."""
    try:
        shares = list_function_weights(ev, period)
    except (KeyError, ValueError):
        return dict.fromkeys(FUNCTIONS, 1.0)
    return {f: min(MAX_WEIGHT, max(STEP, round(shares[f] * MAX_WEIGHT / STEP) * STEP)) for f in FUNCTIONS}


def read_weights(value: str | None, defaults: dict[str, float]) -> dict[str, float]:
    """Weights kept in the URL as `1,1.5,1,1,2` (FUNCTIONS order); anything unreadable keeps the default."""
    parts = (value or "").split(",")
    if len(parts) != len(FUNCTIONS):
        return defaults
    try:
        values = [float(p) for p in parts]
    except ValueError:
        return defaults
    if any(not 0 <= v <= MAX_WEIGHT for v in values) or not sum(values) > 0:
        return defaults
    return dict(zip(FUNCTIONS, values, strict=True))


def slider(fn: str, value: float, lang: str) -> dbc.Col:
    """One function's weight slider, 0–5 in steps of 0.5."""
    return dbc.Col(
        [
            dbc.Label(t(fn, lang), className="small mb-1"),
            dcc.Slider(
                id={"type": Id.WHATIF_WEIGHT, "fn": fn},
                min=0,
                max=MAX_WEIGHT,
                step=STEP,
                value=value,
                marks={i: str(i) for i in range(int(MAX_WEIGHT) + 1)},
                tooltip={"placement": "bottom", "always_visible": False},
            ),
        ],
        md=True,
        className="whatif-slider",
    )


def layout(period=None, districts=None, street_type=None, weights=None, lang=None, **_: str) -> html.Div:
    """The what-if page for the filters (and weights) in the URL."""
    ev = appdata.current().evaluation
    query = filters.read_query(ev, period, districts, street_type, None, lang)
    lang = query["lang"]
    if not views.periods(ev):
        return c.create_no_data_page(PAGE, lang, query, "whatif")
    start = read_weights(weights, default_weights(ev, query["period"]))
    controls = filters.controls(ev, lang, query)[:3]  # the function filter does not apply: weights do
    return c.create_page(
        PAGE,
        lang,
        query,
        c.create_title(t("whatif", lang), t("whatif_subtitle", lang)),
        unsubmitted.placeholder(PAGE),
        c.create_filter_bar(*controls),
        dbc.Card(
            dbc.CardBody(
                [
                    html.Div(t("whatif_weights", lang), className="fw-bold mb-2"),
                    dbc.Row([slider(f, start[f], lang) for f in FUNCTIONS], className="g-3"),
                    html.Div(t("whatif_note", lang), className="small text-muted mt-2"),
                ]
            ),
            className="mb-3 shadow-sm",
        ),
        html.Div(id=Id.WHATIF_SUMMARY, className="mb-2"),
        dbc.Row(
            [
                dbc.Col(
                    c.create_section(t("whatif_official", lang), c.create_grid(Id.WHATIF_OFFICIAL, height=560)),
                    lg=5,
                ),
                dbc.Col(
                    c.create_section(t("whatif_ranking", lang), c.create_grid(Id.WHATIF_TABLE, height=560)),
                    lg=7,
                ),
            ]
        ),
        html.Div(status_view.section(ev, query["period"], lang), id=Id.WHATIF_STATUS),
    )


def official(ev: Any, bands: pd.DataFrame | None, period: str, districts, street_type: str, lang: str) -> tuple:
    """The official ranking of the filtered streets (metrics' scores and city rank bands), never weighted."""
    df = views.with_bands(views.scores(ev, period, districts, street_type or None), bands)
    cols = [
        tables.col("rank_city", lang, minWidth=80, type="numericColumn", sort="asc"),
        tables.col("band_city", lang, minWidth=80),
        tables.col("district", lang),
        tables.col("street", lang, minWidth=120),
        tables.col("overall", lang, type="numericColumn", valueFormatter=tables.NUM1),
        tables.col("completeness", lang, valueFormatter=tables.PCT0),
    ]
    df = df.dropna(subset=["overall"]) if not df.empty else df
    return (tables.records(df, OFFICIAL_FIELDS) if not df.empty else []), cols


def whatif(
    data: Any, period: str, districts, street_type: str, weights: dict[str, float], lang: str
) -> tuple[list[dict], list[dict], Any]:
    """The what-if ranking (city ranks from metrics.whatif, cut to the filters), its columns and a summary."""
    cols = [
        tables.col("whatif_rank", lang, minWidth=80, type="numericColumn", sort="asc"),
        tables.col("rank_change", lang, minWidth=80, type="numericColumn", valueFormatter=SIGNED0),
        tables.col("district", lang),
        tables.col("street", lang, minWidth=120),
        tables.col("whatif_score", lang, type="numericColumn", valueFormatter=tables.NUM1),
        tables.col("rank_official", lang, minWidth=80, type="numericColumn"),
        tables.col("completeness", lang, valueFormatter=tables.PCT0),
    ]
    if not sum(weights.values()) > 0:
        return [], cols, dbc.Alert(t("whatif_all_zero", lang), color="warning", className="py-2")
    shown = views.scores(data.evaluation, period, districts, street_type or None)[["district", "street"]]
    df = data.whatif(period, weights).merge(shown, on=["district", "street"], how="inner")
    if df.empty:
        return [], cols, c.create_empty(t("empty_filters", lang))
    moved = df["rank_change"].fillna(0).ne(0)
    summary = html.Div(
        t("whatif_summary", lang, moved=int(moved.sum()), n=len(df), most=int(df["rank_change"].abs().max() or 0)),
        className="small",
        id="whatif-summary-text",
    )
    return tables.records(df, WHATIF_FIELDS), cols, summary


SIGNED0 = {"function": "params.value == null ? '' : d3.format('+d')(params.value)"}


def weights_of(values: Any) -> dict[str, float]:
    """The sliders' values (FUNCTIONS order) as weights; an empty slider counts 0, a malformed request 1 each."""
    if not isinstance(values, list) or len(values) != len(FUNCTIONS):
        return dict.fromkeys(FUNCTIONS, 1.0)
    try:
        return {f: min(MAX_WEIGHT, max(0.0, float(v or 0.0))) for f, v in zip(FUNCTIONS, values, strict=True)}
    except (TypeError, ValueError):
        return dict.fromkeys(FUNCTIONS, 1.0)


def register_callbacks(app: dash.Dash) -> None:
    """Bind this page's callbacks to app."""
    query_id = {"type": Id.QUERY, "page": PAGE}
    filters_in = [Input(Id.PERIOD, "value"), Input(Id.DISTRICTS, "value"), Input(Id.STREET_TYPE, "value")]

    @app.callback(Output(Id.WHATIF_STATUS, "children"), Input(Id.PERIOD, "value"), State(query_id, "data"))
    def _status(period, query):
        return status_view.section(appdata.current().evaluation, period, (query or {}).get("lang", "zh"))

    @app.callback(
        Output(Id.WHATIF_OFFICIAL, "rowData"),
        Output(Id.WHATIF_OFFICIAL, "columnDefs"),
        *filters_in,
        State(query_id, "data"),
    )
    def _official(period, districts, street_type, query):
        data = appdata.current()
        lang = (query or {}).get("lang", "zh")
        return official(data.evaluation, data.bands(period), period, districts, street_type, lang)

    @app.callback(
        Output(Id.WHATIF_TABLE, "rowData"),
        Output(Id.WHATIF_TABLE, "columnDefs"),
        Output(Id.WHATIF_SUMMARY, "children"),
        Output(query_id, "data"),
        *filters_in,
        Input({"type": Id.WHATIF_WEIGHT, "fn": ALL}, "value"),
        State(query_id, "data"),
    )
    def _whatif(period, districts, street_type, values, query):
        lang = (query or {}).get("lang", "zh")
        weights = weights_of(values)
        rows, cols, summary = whatif(appdata.current(), period, districts, street_type, weights, lang)
        state = {
            **(query or {}),
            "period": period,
            "districts": districts or [],
            "street_type": street_type,
            "weights": ",".join(f"{w:g}" for w in weights.values()),
        }
        return rows, cols, summary, state
