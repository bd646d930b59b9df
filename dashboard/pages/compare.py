"""区县对比 District comparison: 2–4 districts side by side on shared axes, every street a clickable point."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, dcc, html, no_update

from dashboard import components as c
from dashboard import data as appdata
from dashboard import (
    downloads,
    enforcement_sections,
    filters,
    office_sections,
    score_views,
    state,
    tables,
    unsubmitted,
    views,
)
from dashboard.constants import FUNCTIONS, STREET_TYPES, Id, Page
from dashboard.figures import groups as gfigs
from dashboard.figures import scores as figs
from dashboard.figures.base import unescape_markup
from dashboard.i18n import t
from dashboard.state import pick
from metrics import groups
from metrics.peers import peer_gaps
from metrics.views import VIEWS

PAGE = "compare"
MODES = ("own", "type")
MAX_DISTRICTS = 4
dash.register_page(__name__, path=Page.COMPARE, name="区县对比", title="区县对比 · 街道履职评价看板", order=1)


def layout(
    period=None,
    districts=None,
    street_type=None,
    function=None,
    mode=None,
    peers=None,
    view=None,
    lang=None,
    **_: str,
) -> html.Div:
    """The comparison page for the filters in the URL (default: the four pilot districts)."""
    data = appdata.current()
    ev = data.evaluation
    query = filters.read_query(ev, period, districts, street_type, function, lang)
    query["districts"] = query["districts"][:MAX_DISTRICTS] or views.default_districts(ev)
    query["mode"] = pick(mode, MODES, "own")
    query["peers"] = pick(peers, ("1",), "")
    query["view"] = pick(view, VIEWS, "official")
    lang = query["lang"]
    if not views.periods(ev):
        return c.create_no_data_page(PAGE, lang, query, "compare")
    mode_radio = c.create_radio(
        Id.MODE,
        t("mode", lang),
        [("own", t("mode_own", lang)), ("type", t("mode_type", lang))],
        query["mode"],
        width=9,
    )
    view_radio = c.create_radio(Id.COMPARE_VIEW, t("view", lang), score_views.options(lang), query["view"], width=9)
    peers_switch = dbc.Col(
        dbc.Switch(id=Id.COMPARE_PEERS_SWITCH, label=t("peers_switch", lang), value=query["peers"] == "1"),
        md=3,
        className="d-flex align-items-end",
    )
    return c.create_page(
        PAGE,
        lang,
        query,
        dcc.Location(id=Id.NAVIGATE, refresh="callback-nav"),
        c.create_title(t("compare", lang), t("pick_districts_hint", lang)),
        unsubmitted.placeholder(PAGE),
        c.create_filter_bar(*filters.controls(ev, lang, query), mode_radio, peers_switch, view_radio),
        html.Div(
            peers_note(query["peers"] == "1", isinstance(data, appdata.ScopedData), lang), id=Id.COMPARE_PEERS_NOTE
        ),
        html.Div(score_views.note(query["view"], lang), id=Id.COMPARE_VIEW_NOTE),
        c.create_chart(Id.STRIP_FIG, lang, height=420, note=t("click_hint", lang)),
        dbc.Row(
            [
                dbc.Col(c.create_chart(Id.FUNCTIONS_FIG, lang, height=380), lg=6),
                dbc.Col(c.create_chart(Id.GRADES_FIG, lang, height=380), lg=6),
                dbc.Col(c.create_chart(Id.SERVICE_FIG, lang, height=380), lg=6),
                dbc.Col(c.create_chart(Id.BURDEN_FIG, lang, height=380), lg=6),
            ]
        ),
        c.create_section(
            t("compare", lang),
            c.create_grid(Id.COMPARE_TABLE, height=440, street_rows=True),
            actions=c.create_download(Id.COMPARE_DOWNLOAD_BTN, Id.COMPARE_DOWNLOAD, lang),
        ),
        html.Div(id=Id.COMPARE_VIEWS),
        enforcement_sections.section(Id.COMPARE_ENF_TITLE, Id.COMPARE_ENF_BODY, Id.COMPARE_ENF_TABLE, height=380),
        office_sections.compare_section(),
    )


def selection(ev: Any, period: str, districts: list[str] | None, street_type: str, mode: str) -> tuple[Any, str]:
    """The streets compared, grouped in a fixed order, and the grouping column (district or street type)."""
    if mode == "type":
        df = views.scores(ev, period, None, street_type or None).dropna(subset=["street_type"])
        group, order = "street_type", list(STREET_TYPES)
    else:
        order = (districts or [])[:MAX_DISTRICTS]
        df, group = views.scores(ev, period, order, street_type or None), "district"
    rank = {g: i for i, g in enumerate(order)}
    key = df[group].map(rank).astype("float64")
    return df.assign(_g=key).sort_values(["_g", "overall"], ascending=[True, False]).drop(columns="_g"), group


def function_medians(ev: Any, df: Any, period: str, districts: list[str], group: str) -> Any:
    """Median function scores per group: metrics' district summary when whole districts are shown."""
    whole_districts = group == "district" and len(df) == len(views.scores(ev, period, districts))
    return views.district_summary(ev, period, districts) if whole_districts else groups.group_medians(df, group)


def update(
    ev: Any,
    period: str,
    districts: list[str] | None,
    street_type: str,
    function: str,
    mode: str,
    lang: str,
    bands: Any = None,
    peers: Any = None,
    view: str = "official",
    gaps: Any = None,
) -> tuple:
    """All outputs of the comparison for the chosen filters (a plain function: tests and bench call it).

    bands: metrics' city rank bands of the period (AppData.bands), shown beside the city rank.
    peers: the user's metrics.peers PEER_COLUMNS of the period (AppData.peers) to compare with peers; None: off.
    gaps: the gaps to those peers (AppData.peer_gaps: kept by the results process); None: computed from peers.
    view: official, core or standardised (score_views): the overall score and city rank shown; the other views
    carry the overall only, so the function shown is then the overall.
    """
    mode = mode if mode in MODES else "own"
    view = view if view in VIEWS else "official"
    function = function if function in FUNCTIONS and view == "official" else "overall"
    districts = (districts or [])[:MAX_DISTRICTS]
    df, group = selection(ev, period, districts, street_type, mode)
    if view != "official":
        df = score_views.apply(df, ev, view)
        bands = None  # the rank bands are those of the official score
    medians = function_medians(ev, df, period, districts, group) if not df.empty else df
    if peers is not None:
        df = with_peer_gaps(df, gaps if gaps is not None else peer_gaps(ev, peers, period), function)
        strip = figs.peer_gap_strip(df, function, group, period, lang)
    else:
        strip = figs.strip(df, function, group, period, lang)
    rows, cols = tables.compare(views.with_bands(df, bands), lang, function if peers is not None else None)
    query = {
        "period": period,
        "districts": districts,
        "street_type": street_type,
        "function": function,
        "mode": mode,
        "peers": "1" if peers is not None else "",
        "view": view,
        "lang": lang,
    }
    return (
        strip,
        figs.function_bars(medians, group, period, lang),
        figs.grade_shares(df, group, period, lang, ev.grades),
        gfigs.service_bars(groups.group_service(df, group) if not df.empty else df, group, period, lang),
        gfigs.burden_bars(groups.group_burden(df, group) if not df.empty else df, group, period, lang),
        rows,
        cols,
        query,
    )


def with_peer_gaps(df: Any, gaps: Any, function: str) -> Any:
    """df plus metrics' peer gap columns, and peer_median / gap_peers of the function shown."""
    if df.empty:
        return df.assign(n_peers=0, peer_median=float("nan"), gap_peers=float("nan"))
    out = df.merge(gaps, on=["district", "street", "period"], how="left").set_axis(df.index)
    return out.assign(peer_median=out[f"peer_median_{function}"], gap_peers=out[f"gap_{function}"])


def peers_note(on: bool, scoped: bool, lang: str) -> Any:
    """What peers are (shown while the switch is on); a scoped user is told peers stay within the scope."""
    if not on:
        return None
    lines = [t("peers_compare_note", lang)] + ([t("peers_scope_note", lang)] if scoped else [])
    return html.Div([html.Div(line) for line in lines], className="small text-muted mb-2 peers-note")


def scorecard_href(click: dict | None, lang: str) -> str | None:
    """The scorecard URL of the street behind a clicked point, or None."""
    points = (click or {}).get("points") or []
    data = points[0].get("customdata") if points else None
    if not data or len(data) < 3:
        return None
    district, street, period = unescape_markup(list(data[:3]))  # the figure holds them escaped
    return state.scorecard_href(district, street, period, lang)


def register_callbacks(app: dash.Dash) -> None:
    """Bind this page's callbacks to app."""
    query_id = {"type": Id.QUERY, "page": PAGE}
    inputs = [
        Input(Id.PERIOD, "value"),
        Input(Id.DISTRICTS, "value"),
        Input(Id.STREET_TYPE, "value"),
        Input(Id.FUNCTION, "value"),
        Input(Id.MODE, "value"),
    ]

    @app.callback(
        Output(Id.STRIP_FIG, "figure"),
        Output(Id.FUNCTIONS_FIG, "figure"),
        Output(Id.GRADES_FIG, "figure"),
        Output(Id.SERVICE_FIG, "figure"),
        Output(Id.BURDEN_FIG, "figure"),
        Output(Id.COMPARE_TABLE, "rowData"),
        Output(Id.COMPARE_TABLE, "columnDefs"),
        Output(query_id, "data"),
        *inputs,
        Input(Id.COMPARE_PEERS_SWITCH, "value"),
        Input(Id.COMPARE_VIEW, "value"),
        State(query_id, "data"),
    )
    def _update(period, districts, street_type, function, mode, peers_on, view, query):
        lang = (query or {}).get("lang", "zh")
        data = appdata.current()
        peers, gaps = (data.peers(period), data.peer_gaps(period)) if peers_on else (None, None)
        ev, bands = data.evaluation, data.bands(period)
        return update(ev, period, districts, street_type, function, mode, lang, bands, peers, view or "official", gaps)

    @app.callback(
        Output(Id.COMPARE_VIEWS, "children"),
        Output(Id.COMPARE_VIEW_NOTE, "children"),
        Input(Id.PERIOD, "value"),
        Input(Id.DISTRICTS, "value"),
        Input(Id.COMPARE_VIEW, "value"),
        State(query_id, "data"),
    )
    def _views(period, districts, view, query):
        lang = (query or {}).get("lang", "zh")
        ev = appdata.current().evaluation
        chosen = [d for d in (districts or []) if ev is not None and d in ev.districts][:MAX_DISTRICTS]
        return score_views.section(ev, period, chosen, lang), score_views.note(view, lang)

    @app.callback(
        Output(Id.COMPARE_PEERS_NOTE, "children"),
        Input(Id.COMPARE_PEERS_SWITCH, "value"),
        State(query_id, "data"),
        prevent_initial_call=True,
    )
    def _note(peers_on, query):
        scoped = isinstance(appdata.current(), appdata.ScopedData)
        return peers_note(bool(peers_on), scoped, (query or {}).get("lang", "zh"))

    @app.callback(
        Output(Id.NAVIGATE, "href"),
        Input(Id.STRIP_FIG, "clickData"),
        Input(Id.COMPARE_TABLE, "cellClicked"),
        State(Id.PERIOD, "value"),
        State(query_id, "data"),
        prevent_initial_call=True,
    )
    def _click(click, cell, period, query):
        lang = (query or {}).get("lang", "zh")
        if ctx.triggered_id == Id.COMPARE_TABLE:
            hit = state.clicked_street(cell)
            return state.scorecard_href(*hit, period, lang) if hit else no_update
        return scorecard_href(click, lang) or no_update

    @app.callback(
        Output(Id.COMPARE_DOWNLOAD, "data"),
        Input(Id.COMPARE_DOWNLOAD_BTN, "n_clicks"),
        *[State(i.component_id, i.component_property) for i in inputs],
        State(Id.COMPARE_PEERS_SWITCH, "value"),
        State(query_id, "data"),
        prevent_initial_call=True,
    )
    def _download(_n, period, districts, street_type, function, mode, peers_on, query):
        data = appdata.current()
        lang = (query or {}).get("lang", "zh")
        peers, gaps = (data.peers(period), data.peer_gaps(period)) if peers_on else (None, None)
        return download(
            data.evaluation, period, districts, street_type, mode, lang, function, data.bands(period), peers, gaps
        )


def download(
    ev: Any,
    period: str,
    districts: list[str] | None,
    street_type: str,
    mode: str,
    lang: str,
    function: str = "overall",
    bands: Any = None,
    peers: Any = None,
    gaps: Any = None,
) -> dict:
    """区县对比 workbook of metrics.export for 2–4 whole districts; else the table on screen as plain .xlsx.

    With peers (the switch on) it is always the table on screen, with the peer median and gap to peers of the
    function shown (gaps, else metrics.peers.peer_gaps, as update() gets them).
    """
    chosen = [d for d in districts or [] if d in ev.districts][:MAX_DISTRICTS]
    if peers is None and mode != "type" and not street_type and len(chosen) >= 2:
        return downloads.comparison_workbook(ev, chosen, period, lang, bands)
    df, _group = selection(ev, period, districts, street_type, mode)
    function = function if function in FUNCTIONS else "overall"
    if peers is not None:
        df = with_peer_gaps(df, gaps if gaps is not None else peer_gaps(ev, peers, period), function)
    return downloads.compare_xlsx(views.with_bands(df, bands), period, lang, function if peers is not None else None)
