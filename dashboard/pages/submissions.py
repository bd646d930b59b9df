"""报送情况 Submissions: for a period, every street of the register — received, missing or late; the 催报 list."""

from __future__ import annotations

import dash
from dash import Input, Output, State, html
from dash.exceptions import PreventUpdate

from dashboard import collect
from dashboard import components as c
from dashboard import data as appdata
from dashboard.constants import Id, Page
from dashboard.i18n import norm_lang, t
from dashboard.state import pick
from metrics import submissions as subs

PAGE = "submissions"
dash.register_page(__name__, path=Page.SUBMISSIONS, name="报送情况", title="报送情况 · 街道履职评价看板", order=7)


def layout(period=None, lang=None, **_: str) -> html.Div:
    """The tracker for the period in the URL (default: the newest period with data)."""
    lang = norm_lang(lang)
    data = appdata.current()
    options = collect.period_options(data.evaluation)
    newest = options[1] if len(options) > 1 else (options[0] if options else None)
    query = {"period": pick(period, options, newest), "lang": lang}
    return c.create_page(
        PAGE,
        lang,
        query,
        c.create_title(t("submissions", lang), t("submissions_subtitle", lang)),
        c.create_filter_bar(
            c.create_select(Id.SUB_PERIOD, t("period", lang), [(p, p) for p in options], query["period"]),
        ),
        html.Div(id=Id.SUB_SUMMARY),
        c.create_section(
            t("sub_streets", lang),
            c.create_grid(Id.SUB_TABLE, height=520),
            actions=c.create_download(Id.SUB_DOWNLOAD_BTN, Id.SUB_DOWNLOAD, lang, label="sub_download_missing"),
        ),
    )


def update(data, period: str | None, lang: str) -> tuple:
    """Summary, table rows and columns, and the query, for one period (a plain function: tests call it)."""
    if not subs.is_period(period):
        return [c.create_empty(t("empty_no_data", lang))], [], [], {"period": period, "lang": lang}
    table = collect.tracker(data, period)
    rows, cols = collect.grid(table, lang)
    return collect.summary(table, lang), rows, cols, {"period": period, "lang": lang}


def register_callbacks(app: dash.Dash) -> None:
    """Bind this page's callbacks (and the overview's progress line) to app."""
    query_state = State({"type": Id.QUERY, "page": PAGE}, "data")

    @app.callback(
        Output(Id.SUB_SUMMARY, "children"),
        Output(Id.SUB_TABLE, "rowData"),
        Output(Id.SUB_TABLE, "columnDefs"),
        Output({"type": Id.QUERY, "page": PAGE}, "data"),
        Input(Id.SUB_PERIOD, "value"),
        query_state,
    )
    def _update(period, query):
        return update(appdata.current(), period, (query or {}).get("lang", "zh"))

    @app.callback(
        Output(Id.SUB_DOWNLOAD, "data"),
        Input(Id.SUB_DOWNLOAD_BTN, "n_clicks"),
        State(Id.SUB_PERIOD, "value"),
        prevent_initial_call=True,
    )
    def _download(_n, period):
        if not subs.is_period(period):
            raise PreventUpdate
        return collect.missing_workbook(collect.tracker(appdata.current(), period), period)

    @app.callback(
        Output(Id.SUB_PROGRESS, "children"),
        Input(Id.PERIOD, "value"),
        State({"type": Id.QUERY, "page": "overview"}, "data"),
    )
    def _progress(period, query):
        return collect.progress(appdata.current(), period, (query or {}).get("lang", "zh"))
