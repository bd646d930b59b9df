"""The 考核清单对照 sheet of the ranking export (issue 15, several scored lists): for each district scored on a
事务清单, the counts of both gaps, then the duties never evaluated and the 事务 with no duty behind them."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from xlsxwriter.workbook import Workbook

from metrics.coverage_labels import KINDS, caption
from metrics.evaluation import Evaluation
from metrics.export import common as c
from metrics.export.labels import function_name

SUMMARY = ("district", "year", "duty_items", "duty_evaluated", "duty_not_evaluated", "share_duty_evaluated")
SUMMARY += ("affairs_items", "affairs_with_duty", "affairs_without_duty", "pairs", "pairs_off_list")
GAPS = ("district", "side", "item_code", "item_name", "function", "weight", "gap_removed")
SHEET = ("考核清单对照", "Evaluation list")


def _latest(frame: pd.DataFrame, year: int, districts: Sequence[str] | None) -> pd.DataFrame:
    """Each district's rows of the latest declaring year up to `year`."""
    rows = frame.loc[frame["year"].le(year).fillna(False).to_numpy(dtype=bool)]
    if districts:
        rows = rows.loc[rows["district"].isin(list(districts)).to_numpy(dtype=bool)]
    last = rows.groupby("district")["year"].transform("max")
    return rows.loc[rows["year"].eq(last).fillna(False).to_numpy(dtype=bool)]


def add_sheet(
    wb: Workbook, styles: c.Styles, ev: Evaluation, period: str, districts: Sequence[str] | None, lang: str
) -> None:
    """Add the sheet when a district in scope is scored on a 事务清单 (its latest one up to the period's year)."""
    summary = _latest(ev.coverage_summary, int(period[:4]), districts)
    if summary.empty:
        return
    years = summary[["district", "year"]]
    gaps = ev.coverage_gaps.merge(years, on=["district", "year"])
    side = {
        "duty_not_evaluated": caption("duty_not_evaluated", lang),
        "affairs_without_duty": caption("affairs_without_duty", lang),
    }
    yes = c.pick(lang, ("是", "Yes"))
    gaps = gaps.assign(
        side=gaps["side"].map(side),
        function=gaps["function"].map(lambda f: function_name(f, lang) if isinstance(f, str) else f),
        gap_removed=gaps["removed"].map(lambda r: yes if r else ""),
    )
    ws = wb.add_worksheet(c.pick(lang, SHEET))
    c.set_widths(ws, [12, 18, 12, 30, 16, 10, 16, 12, 12, 10, 12])
    title = f"{c.pick(lang, SHEET)}（{period[:4]}）" if lang == "zh" else "Evaluation list against the duty list"
    note = c.pick(
        lang,
        (
            "以事务清单考核的区(市)县：计分方法同职责任务清单；未纳入考核 = 没有事务对应的职责，"
            "无职责依据 = 不对应任何职责的事务（清单对照表）",
            "Districts scored on an affairs list (same formula as the duty list); never evaluated = duties no "
            "affair covers, no duty = affairs that cover no duty (the 清单对照 sheet)",
        ),
    )
    width = len(SUMMARY)
    ws.set_row(0, 24)
    c.merge_text(ws, 0, 0, width - 1, title, styles, "title")
    c.merge_text(ws, 1, 0, width - 1, note, styles, "subtitle")
    row = c.write_kind_table(ws, styles, 3, summary, SUMMARY, caption, KINDS, lang)
    c.write_kind_table(ws, styles, row, gaps, GAPS, caption, KINDS, lang)
    ws.freeze_panes(4, 1)
    c.print_setup(ws, lang, (0, 1), landscape=True)
