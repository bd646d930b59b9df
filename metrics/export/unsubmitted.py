"""The 未报送 sheet of every export (FORMATS.md §6): the streets that sent nothing for the period, named."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from xlsxwriter.workbook import Workbook

from metrics.export import common as c
from metrics.submission import UNSUBMITTED_EN, UNSUBMITTED_ZH, unsubmitted, unsubmitted_text


def add_sheet(
    wb: Workbook, styles: c.Styles, scores: pd.DataFrame, period: str, districts: Sequence[str] | None, lang: str
) -> bool:
    """Add a sheet 未报送 listing the period's 未报送 streets of the districts (all when None); False when none."""
    late = unsubmitted(scores, period)
    if districts:
        late = late.loc[late["district"].isin(list(districts)).to_numpy(dtype=bool)]
    if late.empty:
        return False
    name = UNSUBMITTED_EN if lang == "en" else UNSUBMITTED_ZH
    ws = wb.add_worksheet(name)
    ws.set_column(0, 2, 18)
    line = unsubmitted_text(late.assign(submitted=False), period, lang=lang)
    c.merge_text(ws, 0, 0, 2, line, styles, "subtitle")
    heads = ("District", "Street", "Period") if lang == "en" else ("区(市)县", "街道(镇)", "报告期")
    for col, head in enumerate(heads):
        c.write_text(ws, 2, col, head, styles, "th")
    for r, (d, s, p) in enumerate(late[["district", "street", "period"]].itertuples(index=False), start=3):
        for col, value in enumerate((d, s, p)):
            c.write_text(ws, r, col, str(value), styles, "td")
    note = (
        "No report was received: no score, grade or rank; left out of district statistics."
        if lang == "en"
        else "未收到履职情况报表：不计分、不评等次、不参与排名，不计入区县统计。"
    )
    c.merge_text(ws, r + 2, 0, 2, note, styles, "note")
    return True
