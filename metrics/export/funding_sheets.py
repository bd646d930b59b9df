"""The 事权财权匹配 and 准入台账 sheets of the ranking export (issue 15): per district and department, delegated items
with and without funds, money sent against the streets' workdays; tasks returned per department; 非准禁入."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from metrics.evaluation import Evaluation
from metrics.export import common as c
from metrics.funding_labels import KINDS, SHOWN_LEDGER, SHOWN_MATCH, caption

NO_ENTRY = ("district", "department", "quarters", "since", "not_approved_in_run")
SHEETS = {"match": ("事权财权匹配", "Duties and funds"), "ledger": ("准入台账", "Access ledger")}


def _cut(df: pd.DataFrame, districts: Sequence[str] | None, **equal: object) -> pd.DataFrame:
    mask = pd.Series(True, index=df.index)
    for column, value in equal.items():
        mask &= df[column].eq(value).fillna(False)
    if districts:
        mask &= df["district"].isin(list(districts))
    return df.loc[mask.to_numpy(dtype=bool)]


def _head(ws: Worksheet, styles: c.Styles, width: int, title: str, note: str) -> None:
    c.set_widths(ws, [12, 16, *([11] * (width - 2))])
    ws.set_row(0, 24)
    c.merge_text(ws, 0, 0, width - 1, title, styles, "title")
    c.merge_text(ws, 1, 0, width - 1, note, styles, "subtitle")


def add_sheets(wb: Workbook, styles: c.Styles, ev: Evaluation, period: str, districts: Sequence[str] | None, lang: str):
    """Add the 事权财权匹配 sheet (the period's year) and the 准入台账 sheet (the period) for districts (None: all)."""
    year = int(period[:4])
    ws = wb.add_worksheet(c.pick(lang, SHEETS["match"]))
    keys = ("district", "department", *SHOWN_MATCH)
    title = f"{c.pick(lang, SHEETS['match'])}（{year}）" if lang == "zh" else f"Duties and funds ({year})"
    note = (
        "下放事项：清单中填了来源部门或准入审批的事项；经费单位万元；"
        "每工作日经费 = 清单外事项下放经费 ÷ 街道报告的耗用工作日"
        if lang == "zh"
        else "Delegated: list items with a delegating department or an access decision; money in 10,000 yuan; "
        "per workday = money sent with unlisted tasks / workdays the streets report"
    )
    _head(ws, styles, len(keys), title, note)
    by_district = _cut(ev.fund_match, districts, year=year).assign(department=c.pick(lang, ("（合计）", "(total)")))
    row = c.write_kind_table(ws, styles, 3, by_district, keys, caption, KINDS, lang)
    by_dept = _cut(ev.fund_match_by_department, districts, year=year)
    by_dept = by_dept.sort_values(["district", "delegated", "tasks"], ascending=[True, False, False])
    c.write_kind_table(ws, styles, row, by_dept, keys, caption, KINDS, lang)
    ws.freeze_panes(4, 2)
    c.print_setup(ws, lang, (0, 1), landscape=True)

    ws = wb.add_worksheet(c.pick(lang, SHEETS["ledger"]))
    title = f"{c.pick(lang, SHEETS['ledger'])}（{period}）" if lang == "zh" else f"Access ledger ({period})"
    n = ev.config.no_entry_quarters
    note = (
        f"下表：非准禁入名单——连续 {n} 个及以上季度交办未经准入事项的部门"
        if lang == "zh"
        else f"Below: departments that pushed unapproved tasks {n} or more quarters running"
    )
    _head(ws, styles, len(SHOWN_LEDGER), title, note)
    ledger = _cut(ev.access_ledger, districts, period=period)
    ledger = ledger.sort_values(["district", "not_approved"], ascending=[True, False])
    row = c.write_kind_table(ws, styles, 3, ledger, SHOWN_LEDGER, caption, KINDS, lang)
    c.write_text(ws, row, 0, c.pick(lang, ("非准禁入名单", "No approval, no entry")), styles, "section")
    c.write_kind_table(ws, styles, row + 1, _cut(ev.no_entry, districts, period=period), NO_ENTRY, caption, KINDS, lang)
    c.print_setup(ws, lang, (0, 1), landscape=True)
