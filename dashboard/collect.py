"""The collection loop in the dashboard: the submission tracker's views and the report-template download.

Computation is metrics.submissions' and loaders.template's; this module only shapes it for the pages.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

from dashboard import components as c
from dashboard import tables
from dashboard.constants import Id, Page
from dashboard.downloads import xlsx_bytes
from dashboard.i18n import t
from dashboard.state import href
from metrics import submissions as subs

SUB_COLUMNS = (
    "district",
    "street",
    "state",
    "deadline",
    "received_at",
    "user_name",
    "file_name",
    "times_superseded",
    "first_received_at",
)
HEADERS = {
    "state": "sub_state",
    "deadline": "sub_deadline",
    "received_at": "sub_received_at",
    "first_received_at": "sub_first_at",
    "user_name": "sub_user",
    "file_name": "sub_file",
    "times_superseded": "sub_superseded",
}


def period_options(ev: Any) -> list[str]:
    """The periods with data, newest first, led by the quarter after the newest (the one being collected)."""
    periods = list(ev.periods) if ev is not None else []
    return ([subs.next_quarter(periods[-1])] if periods else []) + list(reversed(periods))


def tracker(data: Any, period: str) -> pd.DataFrame:
    """The tracker's table for the period, cut to the user's districts."""
    table = subs.submissions(data.store, period)
    districts = getattr(data, "districts", None)
    if districts is not None:
        table = table[table["district"].isin(list(districts)).to_numpy()].reset_index(drop=True)
    return table


def _when(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s, utc=True).dt.tz_convert(subs.BEIJING).dt.strftime("%Y-%m-%d %H:%M")


def grid(table: pd.DataFrame, lang: str) -> tuple[list[dict], list[dict]]:
    """Rows and columns of the every-street table (missing first)."""
    state = pd.Series(t("sub_state_on_time", lang), index=table.index)
    state = state.where(~table["late"].to_numpy(), t("sub_state_late", lang))
    state = state.where(table["submitted"].to_numpy(), t("sub_state_missing", lang))
    shown = table.assign(
        state=state,
        deadline=table["deadline"].astype(str),
        received_at=_when(table["received_at"]),
        first_received_at=_when(table["first_received_at"]),
    )
    wide = {"file_name": 240, "received_at": 150, "first_received_at": 150, "street": 120}
    cols = [
        tables.col(f, lang, header=t(HEADERS[f], lang) if f in HEADERS else None, minWidth=wide.get(f, 90))
        for f in SUB_COLUMNS
    ]
    return tables.records(shown, SUB_COLUMNS), cols


def summary(table: pd.DataFrame, lang: str) -> list:
    """Four headline figures and the per-district table (a plain table: readable, printable, accessible)."""
    n, got, late = len(table), int(table["submitted"].sum()), int(table["late"].sum())
    cards = [
        c.create_stat(t("sub_expected", lang), str(n)),
        c.create_stat(t("sub_received", lang), str(got), colour="success"),
        c.create_stat(t("sub_missing", lang), str(n - got), colour="danger" if n - got else "success"),
        c.create_stat(t("sub_late", lang), str(late), colour="warning" if late else "success"),
    ]
    counts = subs.district_counts(table)
    keys = ("district", "sub_expected", "sub_received", "sub_missing", "sub_late", "sub_deadline")
    head = html.Thead(html.Tr([html.Th(t(k, lang), scope="col") for k in keys]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Th(r.district, scope="row"),
                    html.Td(r.streets),
                    html.Td(r.received),
                    html.Td(r.missing, className="text-danger fw-bold" if r.missing else ""),
                    html.Td(r.late),
                    html.Td(str(r.deadline)),
                ]
            )
            for r in counts.itertuples(index=False)
        ]
    )
    return [
        dbc.Row([dbc.Col(card, md=True) for card in cards], className="g-3 mb-3"),
        html.H5(t("sub_by_district", lang)),
        dbc.Table([head, body], size="sm", striped=True, className="mb-3 submissions-districts"),
    ]


def missing_workbook(table: pd.DataFrame, period: str) -> dict:
    """The 催报 list as a dcc.Download payload."""
    frame = subs.missing(table).rename(columns=subs.MISSING_HEADERS)
    return dcc.send_bytes(xlsx_bytes(frame, "催报名单"), f"催报名单_{period}.xlsx")


def progress(data: Any, period: str | None, lang: str) -> Any:
    """The overview's one line of the period's submission progress, linking to the tracker."""
    if not period:
        return None
    table = tracker(data, period)
    if table.empty:
        return None
    got = int(table["submitted"].sum())
    text = t(
        "sub_progress",
        lang,
        period=period,
        received=got,
        expected=len(table),
        missing=len(table) - got,
        late=int(table["late"].sum()),
    )
    link = dcc.Link(t("sub_progress_link", lang), href=href(Page.SUBMISSIONS, {"period": period, "lang": lang}))
    return dbc.Alert(
        [html.Span(text, className="me-2"), link],
        color="light" if got == len(table) else "warning",
        className="py-2 mb-0 submission-progress",
    )


# ---- the template download (data page)


def template_section(data: Any, lang: str) -> html.Div:
    """District, street and period pickers and a button that downloads a pre-filled report template."""
    ds = data.dataset
    districts = list(dict.fromkeys(ds.register["district"].dropna().astype(str))) if ds is not None else []
    periods = period_options(data.evaluation)
    return c.create_section(
        t("tpl_title", lang),
        html.P(t("tpl_note", lang), className="small text-muted mb-2"),
        c.create_filter_bar(
            c.create_select(Id.TPL_DISTRICT, t("district", lang), [(d, d) for d in districts], None, width=3),
            c.create_select(Id.TPL_STREET, t("street_pick", lang), [], None, clearable=True, width=3),
            c.create_select(
                Id.TPL_PERIOD, t("period", lang), [(p, p) for p in periods], periods[0] if periods else None
            ),
            dbc.Col(
                [
                    dbc.Button(t("tpl_button", lang), id=Id.TPL_BUTTON, color="success", outline=True),
                    dcc.Download(id=Id.TPL_DOWNLOAD),
                    html.Div(id=Id.TPL_MESSAGE, className="small text-danger mt-1", role="status"),
                ],
                md=3,
                className="align-self-end",
            ),
        ),
    )


def template_download(data: Any, district: str | None, street: str | None, period: str | None) -> tuple:
    """(download payload, message): the template, or why none can be made."""
    from loaders.template import TemplateError, template_bytes

    if not district or not period:
        return no_update, "tpl_pick"
    try:
        name, content = template_bytes(data.dataset, district, period, street or None)
    except TemplateError as exc:
        return no_update, exc.zh + "（" + exc.en + "）"
    return dcc.send_bytes(content, name), ""


def register_template_callbacks(app: dash.Dash, query_state: State) -> None:
    """The data page's template pickers: streets of the chosen district, and the download."""
    from dashboard import data as appdata

    @app.callback(
        Output(Id.TPL_STREET, "options"),
        Output(Id.TPL_STREET, "value"),
        Input(Id.TPL_DISTRICT, "value"),
        query_state,
    )
    def _streets(district, query):
        reg = appdata.current().dataset.register
        names = reg.loc[(reg["district"] == district).fillna(False).to_numpy(), "street"].astype(str)
        everyone = {"value": "", "label": t("tpl_street_all", (query or {}).get("lang", "zh"))}
        return [everyone] + [{"value": s, "label": s} for s in names], ""

    @app.callback(
        Output(Id.TPL_DOWNLOAD, "data"),
        Output(Id.TPL_MESSAGE, "children"),
        Input(Id.TPL_BUTTON, "n_clicks"),
        State(Id.TPL_DISTRICT, "value"),
        State(Id.TPL_STREET, "value"),
        State(Id.TPL_PERIOD, "value"),
        query_state,
        prevent_initial_call=True,
    )
    def _download(_n, district, street, period, query):
        payload, message = template_download(appdata.current(), district, street, period)
        lang = (query or {}).get("lang", "zh")
        return payload, t(message, lang) if message == "tpl_pick" else message
