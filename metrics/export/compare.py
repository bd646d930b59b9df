"""区县对比: two to four districts side by side for one period, with native charts, then their streets."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from metrics.config import FUNCTIONS
from metrics.evaluation import Evaluation
from metrics.export import common as c
from metrics.export import unsubmitted, views_sheet
from metrics.export.labels import check_lang, function_name, grade_name, text
from metrics.export.ranking import write_ranked_table

MIN_DISTRICTS, MAX_DISTRICTS = 2, 4
HEADER_ROW = 3
# figure rows of the summary table: (key in district_summary, caption key, kind)
_FIGURES = (
    ("n_streets", "n_streets", "td_int"),
    ("n_scored", "n_scored", "td_int"),
    ("mean", "mean", "td_score"),
    ("median", "median", "td_bold_score"),
    ("q1", "q1", "td_score"),
    ("q3", "q3", "td_score"),
    ("min", "min", "td_score"),
    ("max", "max", "td_score"),
)
CHART_WIDTH, CHART_HEIGHT = 640, 340


def district_comparison(
    ev: Evaluation, districts: Sequence[str], period: str, lang: str = "zh", bands: pd.DataFrame | None = None
) -> bytes:
    """The 区县对比 workbook of 2–4 districts and one period as .xlsx bytes.

    bands: the period's kept rank bands (AppData.bands); without them the period's Monte Carlo is run here.
    """
    check_lang(lang)
    c.check_period(ev, period)
    chosen = list(dict.fromkeys(districts))
    if not MIN_DISTRICTS <= len(chosen) <= MAX_DISTRICTS:
        raise ValueError(
            f"请选择 2 至 4 个区(市)县（现为 {len(chosen)} 个） / choose 2 to 4 districts, not {len(chosen)}"
        )
    unknown = [d for d in chosen if d not in ev.districts]
    if unknown:
        raise KeyError(f"没有该区(市)县：{'、'.join(unknown)} / unknown districts {unknown}")
    wb, buf = c.new_workbook()
    styles = c.Styles(wb)
    taken: set[str] = set()
    summary = wb.add_worksheet(c.sheet_name(text("summary", lang), taken))
    _summary(wb, summary, styles, ev, chosen, period, lang)
    for d in chosen:
        ws = wb.add_worksheet(c.sheet_name(d, taken))
        title = f"{text('streets_of', lang, d=d)} · {period}"
        rows = ev.scores_for(period=period, district=d)
        write_ranked_table(wb, ws, styles, ev, rows, "rank_district", lang, title, bands)
    views_sheet.add_sheet(wb, styles, ev, period, chosen, lang, taken)
    unsubmitted.add_sheet(wb, styles, ev.scores, period, chosen, lang)
    return c.finish(wb, buf, f"{text('comparison', lang)} {period}")


def _summary(
    wb: Workbook, ws: Worksheet, styles: c.Styles, ev: Evaluation, districts: list[str], period: str, lang: str
) -> None:
    last = len(districts)
    ws.set_column(0, 0, 24 if lang == "zh" else 34)
    ws.set_column(1, last, 15)
    ws.set_row(0, 26)
    c.merge_text(ws, 0, 0, last, f"{text('comparison', lang)} · {period}", styles, "title")
    c.merge_text(ws, 1, 0, last, text("generated_at", lang, at=c.generated_at()), styles, "subtitle")
    c.write_text(ws, HEADER_ROW, 0, text("indicator", lang), styles, "th")
    rows = {d: c.district_row(ev, d, period) for d in districts}
    for j, d in enumerate(districts, start=1):
        c.write_text(ws, HEADER_ROW, j, d, styles, "th")
    r = HEADER_ROW + 1
    blocks: dict[str, tuple[int, int]] = {}
    lines: list[tuple[str, str, str]] = [(k, text(cap, lang), kind) for k, cap, kind in _FIGURES]
    fn_first = r + len(lines)
    lines += [(f"median_{f}", text("median_of", lang, f=function_name(f, lang)), "td_score") for f in FUNCTIONS]
    blocks["functions"] = (fn_first, fn_first + len(FUNCTIONS) - 1)
    lines += [(f"n_{g}", text("n_grade", lang, g=grade_name(g, lang)), "td_int") for g in ev.grades]
    share_first = r + len(lines)
    lines += [(f"share_{g}", text("share_grade", lang, g=grade_name(g, lang)), "td_pct") for g in ev.grades]
    blocks["grades"] = (share_first, share_first + len(ev.grades) - 1)
    for key, caption, kind in lines:
        c.write_text(ws, r, 0, caption, styles, "label")
        for j, d in enumerate(districts, start=1):
            row = rows[d]
            c.write_number(ws, r, j, None if row is None else row[key], styles, kind)
        r += 1
    ws.freeze_panes(HEADER_ROW + 1, 1)
    c.print_setup(ws, lang, (HEADER_ROW, HEADER_ROW))
    ws.hide_gridlines(2)
    sheet = ws.get_name()
    chart_row = r + 1
    bar = _chart(wb, "bar", sheet, districts, blocks["functions"], text("chart_functions", lang))
    bar.set_x_axis({"min": 0, "max": 100, "major_gridlines": {"visible": True}})
    bar.set_y_axis({"reverse": True})
    ws.insert_chart(chart_row, 0, bar)
    column = _chart(wb, "column", sheet, districts, blocks["grades"], text("chart_grades", lang))
    column.set_y_axis({"min": 0, "max": 1, "num_format": "0%", "major_gridlines": {"visible": True}})
    ws.insert_chart(chart_row + 18, 0, column)


def _chart(wb: Workbook, kind: str, sheet: str, districts: list[str], block: tuple[int, int], title: str):
    """A chart with one series per district over the rows of block; names and categories are cell references."""
    chart = wb.add_chart({"type": kind})
    first, last = block
    for j, _ in enumerate(districts, start=1):
        # The series name is a reference to the header cell, so a district's text is never parsed as a formula.
        chart.add_series(
            {
                "name": [sheet, HEADER_ROW, j],
                "categories": [sheet, first, 0, last, 0],
                "values": [sheet, first, j, last, j],
                "data_labels": {
                    "value": True,
                    "num_format": "0%" if kind == "column" else "0.0",
                    "font": {"name": c.FONT, "size": 7},
                },
                "gap": 60,
            }
        )
    chart.set_title({"name": title, "name_font": {"name": c.FONT, "size": 12, "bold": True}})
    chart.set_legend({"position": "bottom", "font": {"name": c.FONT, "size": 9}})
    chart.set_size({"width": CHART_WIDTH, "height": CHART_HEIGHT})
    return chart
