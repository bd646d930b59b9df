"""The burden page's sections of issue 15: 事权财权匹配 (duties and funds per district and department) and the 准入
ledger (tasks per assigning department, returned by streets; the 非准禁入 list). They only filter Evaluation frames."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
import pandas as pd
from dash import html

from dashboard import components as c
from dashboard import sections, tables
from dashboard.constants import Id
from dashboard.i18n import t
from metrics.funding_labels import SHOWN_LEDGER, SHOWN_MATCH

NUM1 = tables.NUM1
PCT0 = tables.PCT0
INT0 = {"function": "params.value == null ? '' : d3.format(',.0f')(params.value)"}
NO_ENTRY_FIELDS = ("district", "department", "quarters", "since", "not_approved_in_run")
FORMATS = {
    "share_delegated_with_funds": PCT0,
    "share_not_approved": PCT0,
    "share_returned": PCT0,
    "list_funds_wan": NUM1,
    "task_funds_wan": NUM1,
    "funds_wan": NUM1,
    "task_workdays": NUM1,
    "unfunded_workdays": NUM1,
    "yuan_per_workday": INT0,
}


def layout(lang: str) -> list[Any]:
    """The sections, empty until the callback fills them for the page's filters."""
    return [
        html.Div(
            [
                html.H5(id=Id.FUND_MATCH_TITLE, className="mt-2"),
                html.P(t("fund_match_note", lang), className="small text-muted mb-2"),
                c.create_grid(Id.FUND_MATCH_TABLE, height=230),
                html.H6(t("fund_match_departments", lang)),
                c.create_grid(Id.FUND_MATCH_DEPT_TABLE, height=380),
            ],
            className="fund-match-section",
        ),
        html.Div(
            [
                c.create_section(t("access_ledger", lang)),
                html.P(t("access_ledger_note", lang), className="small text-muted mb-2"),
                c.create_grid(Id.LEDGER_TABLE, height=380),
                c.create_section(t("no_entry", lang)),
                html.Div(id=Id.NO_ENTRY_NOTE),
                c.create_grid(Id.NO_ENTRY_TABLE, height=300),
            ],
            className="ledger-section",
        ),
    ]


def _year_rows(df: pd.DataFrame, period: str | None, districts: Sequence[str] | None) -> pd.DataFrame:
    """Rows of a per-year frame for the period's year and the districts (all when none chosen)."""
    if df.empty or not period:
        return df.iloc[0:0]
    mask = df["year"].eq(int(str(period)[:4])).fillna(False).to_numpy(dtype=bool)
    if districts:
        mask &= df["district"].isin(list(districts)).to_numpy(dtype=bool)
    return df.loc[mask]


def _period_rows(df: pd.DataFrame, period: str | None, districts: Sequence[str] | None) -> pd.DataFrame:
    if df.empty or not period:
        return df.iloc[0:0]
    mask = df["period"].eq(period).fillna(False).to_numpy(dtype=bool)
    if districts:
        mask &= df["district"].isin(list(districts)).to_numpy(dtype=bool)
    return df.loc[mask]


def update(ev: Any, period: str | None, districts: Sequence[str] | None, lang: str) -> tuple:
    """Title, the four tables (rows, columns) and the 非准禁入 note of one period and set of districts."""
    year = str(period)[:4] if period else ""
    by_district = _year_rows(ev.fund_match, period, districts)
    by_dept = _year_rows(ev.fund_match_by_department, period, districts).sort_values(
        ["district", "delegated", "tasks"], ascending=[True, False, False]
    )
    ledger = _period_rows(ev.access_ledger, period, districts).sort_values(
        ["district", "not_approved", "tasks"], ascending=[True, False, False]
    )
    no_entry = _period_rows(ev.no_entry, period, districts)
    n = ev.config.no_entry_quarters
    out: list[Any] = [t("fund_match", lang, year=year)]
    out += tables.frame_rows(by_district, ("district", *SHOWN_MATCH), lang, FORMATS)
    out += tables.frame_rows(by_dept, ("district", "department", *SHOWN_MATCH), lang, FORMATS)
    out += tables.frame_rows(ledger, SHOWN_LEDGER, lang, FORMATS)
    note = t("no_entry_note", lang, n=n)
    out.append(
        html.P(note, className="small text-muted mb-2")
        if not no_entry.empty
        else c.create_empty(t("no_entry_none", lang, n=n))
    )
    out += tables.frame_rows(no_entry, NO_ENTRY_FIELDS, lang, FORMATS)
    return tuple(out)


OUTPUTS = (
    (Id.FUND_MATCH_TITLE, "children"),
    (Id.FUND_MATCH_TABLE, "rowData"),
    (Id.FUND_MATCH_TABLE, "columnDefs"),
    (Id.FUND_MATCH_DEPT_TABLE, "rowData"),
    (Id.FUND_MATCH_DEPT_TABLE, "columnDefs"),
    (Id.LEDGER_TABLE, "rowData"),
    (Id.LEDGER_TABLE, "columnDefs"),
    (Id.NO_ENTRY_NOTE, "children"),
    (Id.NO_ENTRY_TABLE, "rowData"),
    (Id.NO_ENTRY_TABLE, "columnDefs"),
)


def register_callbacks(app: dash.Dash) -> None:
    """Fill the sections whenever the burden page's period or districts change."""
    sections.bind(app, "burden", OUTPUTS, [(Id.PERIOD, "value"), (Id.DISTRICTS, "value")], update)
