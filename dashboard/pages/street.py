"""街道画像 Street scorecard: scores against the district median, grade, ranks, trend, items and flags."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, html

from dashboard import components as c
from dashboard import data as appdata
from dashboard import (
    downloads,
    enforcement_sections,
    major_sections,
    office_sections,
    rank_evidence,
    tables,
    unsubmitted,
    views,
)
from dashboard.constants import FUNCTIONS, STREET_SEP, Id, Page
from dashboard.figures import scores as figs
from dashboard.figures import uncertainty as ufigs
from dashboard.grade_colours import badge_style
from dashboard.i18n import colon, norm_lang, paren, shown, t
from dashboard.state import pick
from metrics.peers import peer_scores
from metrics.uncertainty import band_text, not_clearly_different

PAGE = "street"
SEP = STREET_SEP  # dropdown value: district|street (street names repeat across districts)
dash.register_page(__name__, path=Page.STREET, name="街道画像", title="街道画像 · 街道履职评价看板", order=2)


def street_choices(ev: Any, lang: str = "zh") -> list[tuple[str, str]]:
    """(district|street, 'street（district）') for every known street."""
    df = views.street_options(ev)
    return [(f"{d}{SEP}{s}", s + paren(d, lang)) for d, s in zip(df["district"], df["street"], strict=True)]


def layout(street=None, district=None, period=None, peers=None, lang=None, **rest: str) -> html.Div:
    """The scorecard of the street in the URL (the first street when none is given); peers=1 shows its peers."""
    ev = appdata.current().evaluation
    lang = norm_lang(lang)
    ps = views.periods(ev)
    query = {**{k: v for k, v in rest.items() if k in ("districts", "street_type", "function")}, "lang": lang}
    if not ps:
        return c.create_no_data_page(PAGE, lang, query, "street")
    found = views.find_street(ev, street, district) or views.find_street(ev, *_first_street(ev))
    query |= {"period": pick(period, ps, ps[-1]), "district": found[0], "street": found[1]}
    query["peers"] = pick(peers, ("1",), "")
    return c.create_page(
        PAGE,
        lang,
        query,
        html.Div(
            [
                c.create_title(t("street", lang)),
                unsubmitted.placeholder(PAGE),
                c.create_download(Id.SCORECARD_DOWNLOAD_BTN, Id.SCORECARD_DOWNLOAD, lang, "download_scorecard"),
            ],
            className="d-flex justify-content-between align-items-start",
        ),
        c.create_filter_bar(
            c.create_select(
                Id.STREET, t("street_pick", lang), street_choices(ev, lang), f"{found[0]}{SEP}{found[1]}", width=4
            ),
            c.create_select(Id.PERIOD, t("period", lang), [(p, p) for p in reversed(ps)], query["period"]),
        ),
        html.Div(id=Id.STREET_HEADER),
        html.Div(id=Id.STREET_EVIDENCE),
        html.Div(id=Id.STREET_WHY),
        dbc.Row(
            [
                dbc.Col(c.create_chart(Id.STREET_FUNCTIONS_FIG, lang), lg=6),
                dbc.Col(c.create_chart(Id.STREET_TREND_FIG, lang), lg=6),
            ]
        ),
        dbc.Row(
            [
                dbc.Col(html.Div(id=Id.STREET_OVERLAP), lg=6),
                dbc.Col(c.create_chart(Id.STREET_SENSITIVITY_FIG, lang, height=300), lg=6),
            ]
        ),
        html.Div(id=Id.STREET_FLAGS),  # the street's own flags, before (not under) the peers heading
        major_sections.section(Id.STREET_MAJOR_TITLE, Id.STREET_MAJOR_BODY, Id.STREET_MAJOR_TABLE, lang),
        enforcement_sections.section(Id.STREET_ENF_TITLE, Id.STREET_ENF_BODY, Id.STREET_ENF_TABLE),
        office_sections.street_section(lang),
        c.create_section(
            t("peers_title", lang),
            html.Div(id=Id.PEERS_VIEW),
            html.Div(c.create_grid(Id.PEERS_TABLE, height=340, street_rows=True), id=Id.PEERS_WRAP, hidden=True),
            actions=dbc.Switch(
                id=Id.PEERS_SWITCH, label=t("peers_switch", lang), value=query["peers"] == "1", className="mb-0"
            ),
        ),
        c.create_section(
            t("item_detail", lang),
            c.create_grid(Id.ITEM_TABLE, height=520),
            actions=c.create_download(Id.ITEMS_DOWNLOAD_BTN, Id.ITEMS_DOWNLOAD, lang, "download_items"),
        ),
    )


def _first_street(ev: Any) -> tuple[str, str]:
    df = views.street_options(ev)
    return str(df["street"].iloc[0]), str(df["district"].iloc[0])


def band_row(bands: pd.DataFrame | None, district: str, street: str) -> pd.Series | None:
    """The street's row of metrics' rank bands, with band_city (text) added; None when it has none."""
    if bands is None or bands.empty:
        return None
    me = bands["district"].eq(district) & bands["street"].eq(street)
    hit = bands.loc[me.to_numpy(dtype=bool, na_value=False)]
    if hit.empty:
        return None
    return hit.assign(band_city=band_text(hit, "city")).iloc[0]


def city_rank_text(row: pd.Series, band: pd.Series | None, lang: str) -> str:
    """ "第 N 名（区间 a–b）", or the rank alone when the street has no band."""
    if pd.isna(row["rank_city"]):
        return "—"
    if band is None or not band["band_city"]:
        return _int(row["rank_city"])
    return t("rank_with_band", lang, rank=_int(row["rank_city"]), band=band["band_city"])


def header(row: pd.Series | None, lang: str, grades: Sequence[str], band: pd.Series | None = None) -> Any:
    """Score, completeness, grade (coloured by its place in grades), ranks (city rank with band), change, list year."""
    if row is None:
        return c.create_empty(t("empty_items", lang))
    grade = row["grade"] if isinstance(row["grade"], str) else "—"
    change = row["change_year_ago"]  # the headline: the same quarter last year (q/q mostly measures the season)
    seasonal = row["change_prev_quarter"]
    common = row.get("change_year_ago_common")
    change_note = f"{t('change_prev_quarter_seasonal', lang)} {'—' if pd.isna(seasonal) else f'{seasonal:+.1f}'}"
    if pd.notna(common):
        change_note += f" · {t('change_common', lang)} {common:+.1f}"
    fallback = bool(row["list_fallback"]) if pd.notna(row["list_fallback"]) else False
    cards = [
        c.create_stat(
            str(row["street"]) + paren(row["district"], lang),
            _num(row["overall"]),
            f"{row['period']} · {t('points', lang)}",
        ),
        c.create_stat(
            t("completeness", lang),
            "—" if pd.isna(row["completeness"]) else f"{row['completeness']:.0%}",
            f"{t('items_missing', lang)} {_int(row['items_missing'])} / {_int(row['items_listed'])}",
        ),
        dbc.Card(
            dbc.CardBody(
                [
                    html.Div(t("grade", lang), className="small text-muted"),
                    html.Span(
                        t(grade, lang),
                        className="badge fs-5 mt-1",
                        style=badge_style(grade, grades),  # text colour by contrast (≥ 4.5:1)
                    ),
                ]
            ),
            className="h-100 shadow-sm",
        ),
        c.create_stat(t("rank_district", lang), f"{_int(row['rank_district'])} / {_int(row['n_district'])}"),
        c.create_stat(
            t("rank_city", lang), city_rank_text(row, band, lang), t("of_streets", lang, n=_int(row["n_city"]))
        ),
        c.create_stat(
            t("change_year_ago", lang),
            "—" if pd.isna(change) else f"{change:+.1f}",
            change_note,
            colour="success" if pd.notna(change) and change >= 0 else "danger",
        ),
    ]
    notes = []
    if fallback:
        notes.append(
            dbc.Alert(t("list_fallback", lang, year=_int(row["list_year"])), color="warning", className="py-2")
        )
    return html.Div([dbc.Row([dbc.Col(card, md=True) for card in cards], className="g-3 mb-3"), *notes])


def _num(v: Any) -> str:
    return "—" if pd.isna(v) else f"{v:.1f}"


def _int(v: Any) -> str:
    return "—" if pd.isna(v) else str(int(v))


def flags(items: pd.DataFrame, unlisted: pd.DataFrame, lang: str) -> Any:
    """Flagged sections: listed items not reported, removed indicators still reported, unlisted tasks."""

    def block(key: str, names: list[str], colour: str) -> dbc.Col:
        body = (
            html.Ul([html.Li(n) for n in names[:50]], className="mb-0 small")
            if names
            else html.Span(t("flag_none", lang))
        )
        return dbc.Col(
            dbc.Card(
                [
                    dbc.CardHeader(f"{t(key, lang)}{colon(lang)}{len(names)}", className=f"text-{colour} fw-bold"),
                    dbc.CardBody(body),
                ],
                className="h-100 shadow-sm flag-card",
                id=f"flag-{key}",
            ),
            md=4,
        )

    def named(cat: str) -> list[str]:
        sel = (
            items[items["category"].astype("string").eq(cat).fillna(False).to_numpy(dtype=bool)]
            if not items.empty
            else items
        )
        return [f"{code} {name}" for code, name in zip(sel.get("item_code", []), sel.get("item_name", []), strict=True)]

    tasks = (
        [f"{r.task_name}{paren(r.assigning_department or '—', lang)}" for r in unlisted.itertuples()]
        if not unlisted.empty
        else []
    )
    return dbc.Row(
        [
            block("flag_missing", named("missing"), "danger"),
            block("flag_removed", named("removed"), "warning"),
            block("flag_unlisted", tasks, "secondary"),
        ],
        className="g-3 mb-3",
    )


def overlap_list(bands: pd.DataFrame | None, district: str, street: str, lang: str) -> Any:
    """The streets whose city rank band overlaps this street's (metrics.uncertainty), best median rank first."""
    me = band_row(bands, district, street)
    if me is None:
        return c.create_empty(t("empty_items", lang))
    others = not_clearly_different(bands, district, street)
    words = tables.scenario_words(lang) | {"n": _int(me["n_scenarios"])}
    names = [
        s + paren(d, lang) + " · " + t("rank_with_band", lang, rank=_int(r), band=b)
        for s, d, r, b in zip(others["street"], others["district"], others["rank_city"], band_text(others), strict=True)
    ]
    body = (
        html.Ul([html.Li(n) for n in names], className="mb-0 small overlap-list")
        if names
        else html.Span(t("not_clearly_different_none", lang))
    )
    return dbc.Card(
        [
            dbc.CardHeader(f"{t('not_clearly_different', lang)}{colon(lang)}{len(names)}", className="fw-bold"),
            dbc.CardBody(
                [
                    body,
                    html.Div(
                        t("band_note", lang, **words),
                        className="small text-muted mt-2",
                    ),
                ]
            ),
        ],
        className="h-100 shadow-sm mb-3",
        id="street-overlap-card",
        style={"maxHeight": "360px", "overflowY": "auto"},
    )


def robustness(
    bands: pd.DataFrame | None,
    sens: pd.DataFrame,
    street_value: str | None,
    period: str,
    lang: str,
    order: Any = None,
    ev: Any = None,
):
    """The not-clearly-different list and the period's sensitivity chart (metrics' figures only).

    order (AppData.order) and ev given: the list is by order probability (metrics.pairwise); else by band overlap.
    """
    district, _, street = (street_value or "").partition(SEP)
    if order is not None and ev is not None:
        me = band_row(bands, district, street)
        n = int(me["n_scenarios"]) if me is not None else 0
        listed = rank_evidence.unclear_list(ev, order, bands, district, street, lang, n)
    else:
        listed = overlap_list(bands, district, street, lang)
    return listed, ufigs.sensitivity_bars(sens, period, lang)


def evidence_and_why(data: Any, street_value: str | None, period: str, lang: str) -> tuple:
    """What backs the score (points lost, evidence mix, tier, grade odds) and the score change split into parts."""
    district, _, street = (street_value or "").partition(SEP)
    ev = data.evaluation
    history = views.street_history(ev, district, street) if street else pd.DataFrame()
    now = history[history["period"].eq(period).to_numpy(dtype=bool, na_value=False)] if not history.empty else history
    row = now.iloc[0] if not now.empty else None
    band = band_row(data.bands(period), district, street)
    cards = rank_evidence.evidence_cards(row, band, data.grade_odds(period), lang)
    why = rank_evidence.why_panel(ev, district, street, period, lang) if row is not None else None
    return cards, why


NOTE = "small text-muted mt-2"
NUM2 = {"function": "params.value == null ? '' : d3.format('.2f')(params.value)"}
PEER_FIELDS = ("peer_rank", "district", "street", "street_type", "overall", "completeness", "rank_city", "band_city")


def peer_rows(
    ev: Any, peers: pd.DataFrame, bands: pd.DataFrame | None, street_value: str | None, period: str, lang: str
) -> tuple[list[dict], list[dict]]:
    """The street and its peers (metrics.peers.peer_scores) as table rows, the street first."""
    district, _, street = (street_value or "").partition(SEP)
    df = peer_scores(ev, peers, district, street, period, bands if bands is not None and not bands.empty else None)
    cols = [
        tables.col("peer_rank", lang, pinned="left", minWidth=80, type="numericColumn"),
        tables.col("district", lang, pinned="left"),
        tables.col("street", lang, pinned="left", minWidth=130),
        tables.col("street_type", lang),
        tables.col("overall", lang, type="numericColumn", valueFormatter=tables.NUM1),
        tables.col("completeness", lang, valueFormatter=tables.PCT0),
        *[tables.col(f, lang, type="numericColumn", valueFormatter=tables.NUM1) for f in FUNCTIONS],
        tables.col("rank_city", lang, type="numericColumn"),
        tables.col("band_city", lang),
        tables.col(
            "distance", lang, type="numericColumn", valueFormatter={"function": "d3.format('.2f')(params.value)"}
        ),
    ]
    if df.empty or len(df) < 2:
        return [], cols
    has_band = "rank_city_p05" in df
    view = shown(df, lang).assign(
        band_city=band_text(df) if has_band else "",
        peer_rank=df["peer_rank"].astype("object").where(~df["is_self"], t("this_street", lang)),
    )
    return tables.records(view, [*PEER_FIELDS, *FUNCTIONS, "distance"]), cols


def update(
    ev: Any, dataset: Any, street_value: str | None, period: str, lang: str, bands: pd.DataFrame | None = None
) -> tuple:
    """All outputs of the scorecard (a plain function: tests and bench call it); bands: AppData.bands(period)."""
    district, _, street = (street_value or "").partition(SEP)
    history = views.street_history(ev, district, street) if street else pd.DataFrame()
    now = history[history["period"].eq(period).to_numpy(dtype=bool, na_value=False)] if not history.empty else history
    row = now.iloc[0] if not now.empty else None
    items = views.items(ev, district, street, period) if street else pd.DataFrame()
    unlisted = views.unlisted_tasks(dataset, district, street, period)
    medians = views.district_medians(ev, district, period)
    fn_fig = (
        figs.street_functions(row, medians, period, lang)
        if row is not None
        else figs.empty_figure(t("empty_items", lang), t("fig_street_functions", lang), period)
    )
    rows, cols = tables.item_rows(items, lang)
    query = {"street": street, "district": district, "period": period, "lang": lang}
    return (
        header(row, lang, ev.grades, band_row(bands, district, street)),
        fn_fig,
        figs.trend(history, views.district_medians_over_time(ev, district) if street else history, lang),
        flags(items, unlisted, lang),
        rows,
        cols,
        query,
    )


def peers_view(data: Any, street_value: str | None, period: str, lang: str) -> tuple:
    """Peer table rows, columns, hidden flag and note for the user's data (peers within a scope only)."""
    rows, cols = peer_rows(data.evaluation, data.peers(period), data.bands(period), street_value, period, lang)
    notes = [] if rows else [c.create_empty(t("peers_none", lang))]
    if isinstance(data, appdata.ScopedData):
        notes.append(html.Div(t("peers_scope_note", lang), className="small text-muted mb-1"))
    return rows, cols, not rows, notes


def with_peers(query: dict | None, on: bool) -> dict:
    """The page query with the peers switch kept in it (peers=1 while on), so a bookmark restores the table."""
    return {**(query or {}), "peers": "1" if on else ""}


def register_callbacks(app: dash.Dash) -> None:
    """Bind this page's callbacks to app."""
    query_id = {"type": Id.QUERY, "page": PAGE}
    major_sections.register_callbacks(app)  # the 大项 sections of this page and the list page
    enforcement_sections.register_callbacks(app)  # the 执法情况 sections of this page and the comparison page
    office_sections.register_callbacks(app)  # the 机构设置 sections of this page and the comparison page

    @app.callback(
        Output(Id.STREET_HEADER, "children"),
        Output(Id.STREET_FUNCTIONS_FIG, "figure"),
        Output(Id.STREET_TREND_FIG, "figure"),
        Output(Id.STREET_FLAGS, "children"),
        Output(Id.ITEM_TABLE, "rowData"),
        Output(Id.ITEM_TABLE, "columnDefs"),
        Output(query_id, "data"),
        Input(Id.STREET, "value"),
        Input(Id.PERIOD, "value"),
        State(query_id, "data"),
    )
    def _update(street_value, period, query):
        data = appdata.current()
        lang = (query or {}).get("lang", "zh")
        out = update(data.evaluation, data.dataset, street_value, period, lang, data.bands(period))
        return (*out[:-1], {**(query or {}), **out[-1]})  # keep the shared filters the page came with

    @app.callback(
        Output(Id.STREET_OVERLAP, "children"),
        Output(Id.STREET_SENSITIVITY_FIG, "figure"),
        Input(Id.STREET, "value"),
        Input(Id.PERIOD, "value"),
        State(query_id, "data"),
    )
    def _robustness(street_value, period, query):
        data = appdata.current()
        lang = (query or {}).get("lang", "zh")
        bands, sens = data.bands(period), data.sensitivity(period)
        return robustness(bands, sens, street_value, period, lang, data.order(period), data.evaluation)

    @app.callback(
        Output(Id.STREET_EVIDENCE, "children"),
        Output(Id.STREET_WHY, "children"),
        Input(Id.STREET, "value"),
        Input(Id.PERIOD, "value"),
        State(query_id, "data"),
    )
    def _evidence(street_value, period, query):
        return evidence_and_why(appdata.current(), street_value, period, (query or {}).get("lang", "zh"))

    @app.callback(
        Output(Id.PEERS_TABLE, "rowData"),
        Output(Id.PEERS_TABLE, "columnDefs"),
        Output(Id.PEERS_WRAP, "hidden"),
        Output(Id.PEERS_VIEW, "children"),
        Input(Id.PEERS_SWITCH, "value"),
        Input(Id.STREET, "value"),
        Input(Id.PERIOD, "value"),
        State(query_id, "data"),
    )
    def _peers(on, street_value, period, query):
        lang = (query or {}).get("lang", "zh")
        if not on:
            return [], [], True, None
        data = appdata.current()
        return peers_view(data, street_value, period, lang)

    @app.callback(
        Output(query_id, "data", allow_duplicate=True),
        Input(Id.PEERS_SWITCH, "value"),
        State(query_id, "data"),
        prevent_initial_call=True,
    )
    def _peers_query(on, query):
        return with_peers(query, bool(on))

    @app.callback(
        Output(Id.ITEMS_DOWNLOAD, "data"),
        Input(Id.ITEMS_DOWNLOAD_BTN, "n_clicks"),
        State(Id.STREET, "value"),
        State(Id.PERIOD, "value"),
        State(query_id, "data"),
        prevent_initial_call=True,
    )
    def _download(_n, street_value, period, query):
        district, _, street = (street_value or "").partition(SEP)
        items = views.items(appdata.current().evaluation, district, street, period)
        return downloads.items_xlsx(items, street, period, (query or {}).get("lang", "zh"))

    @app.callback(
        Output(Id.SCORECARD_DOWNLOAD, "data"),
        Input(Id.SCORECARD_DOWNLOAD_BTN, "n_clicks"),
        State(Id.STREET, "value"),
        State(Id.PERIOD, "value"),
        State(query_id, "data"),
        prevent_initial_call=True,
    )
    def _scorecard(_n, street_value, period, query):
        district, _, street = (street_value or "").partition(SEP)
        data = appdata.current()
        ev = data.evaluation
        if views.find_street(ev, street, district) is None or period not in ev.periods:
            return dash.no_update
        lang = (query or {}).get("lang", "zh")
        return downloads.scorecard_workbook(ev, district, street, period, lang, data.bands(period))
