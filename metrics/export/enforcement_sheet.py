"""The 执法情况 sheet of the street scorecard export (issue 15 point 3): the street's enforcement figures beside its
district's median and the targets of the 执法监管清单, as the scorecard page shows them."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook

from metrics.enforcement_labels import caption, street_lines
from metrics.evaluation import Evaluation
from metrics.export import common as c

SHEET = {"zh": "执法情况", "en": "Enforcement"}
COLUMNS = ("indicator", "value", "target", "median", "met")
NOTE = {
    "zh": "按时办结率 = 按时办结数 ÷ 案件数；纠错率 = 复议/诉讼纠错数 ÷ 案件数；"
    "目标取区(市)县执法监管清单（{year}年）。执法得分 = 各项目标达成度的平均 × 100。",
    "en": "On-time rate = cases closed on time ÷ cases; correction rate = cases corrected ÷ cases; targets from the "
    "district's enforcement list ({year}). Enforcement score = the mean attainment of the targets × 100.",
}
NO_LIST = {"zh": "未列", "en": "none"}


def add_sheet(
    wb: Workbook, styles: c.Styles, ev: Evaluation, district: str, street: str, period: str, lang: str, taken: set[str]
) -> bool:
    """Add the street's 执法情况 sheet for the period; False (no sheet) when it reported none."""
    lines = street_lines(ev.enforcement, district, street, period, lang)
    if not lines:
        return False
    enf = ev.enforcement
    row = enf.loc[(enf["district"].eq(district) & enf["street"].eq(street) & enf["period"].eq(period)).fillna(False)]
    year = row["list_year"].iloc[0]
    ws = wb.add_worksheet(c.sheet_name(SHEET[lang], taken))
    c.set_widths(ws, [22, 12, 12, 16, 12])
    ws.set_row(0, 24)
    title = f"{SHEET[lang]} · {street} · {period}"
    c.merge_text(ws, 0, 0, len(COLUMNS) - 1, title, styles, "title")
    c.merge_text(ws, 1, 0, len(COLUMNS) - 1, f"{district}", styles, "subtitle")
    for col, key in enumerate(COLUMNS):
        c.write_text(ws, 3, col, caption(key, lang), styles, "th")
    for r, line in enumerate(lines, start=4):
        for col, key in enumerate(COLUMNS):
            c.write_text(ws, r, col, line[key], styles, "td")
    note = NOTE[lang].format(year=NO_LIST[lang] if c.is_missing(year) else int(year))
    ws.set_row(r + 2, 45)
    c.merge_text(ws, r + 2, 0, len(COLUMNS) - 1, note, styles, "note")
    c.print_setup(ws, lang, None)
    return True
