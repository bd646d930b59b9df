"""Batch: every street's scorecard of one period in one workbook, one sheet each, after an index sheet."""

from __future__ import annotations

import pandas as pd

from metrics.evaluation import Evaluation
from metrics.export import common as c
from metrics.export import unsubmitted
from metrics.export.labels import check_lang, grade_name, text
from metrics.export.street import write_scorecard

HEADER_ROW = 3
INDEX_COLUMNS = ("row_no", "district", "street", "overall", "grade", "rank_city")
INDEX_WIDTHS = (6, 14, 30, 10, 10, 12)


def batch(
    ev: Evaluation, period: str, lang: str = "zh", district: str | None = None, tasks: pd.DataFrame | None = None
) -> bytes:
    """Every street's 街道考核评分表 for period (one district's when given) as one .xlsx, with an index.

    tasks: Dataset.unlisted, to list each street's 清单外事项 (their counts are printed either way)."""
    check_lang(lang)
    c.check_period(ev, period)
    wb, buf = c.new_workbook()
    styles = c.Styles(wb)
    taken: set[str] = set()
    index = wb.add_worksheet(c.sheet_name(text("index", lang), taken))
    rows = ev.scores_for(period=period, district=district).sort_values(["district", "street"], kind="stable")
    keys = list(zip(rows["district"].tolist(), rows["street"].tolist(), strict=True))
    # a street name found in two districts gets its district in the sheet name, so the tabs can be told apart
    shared = rows["street"].duplicated(keep=False).tolist()
    sheets = [c.sheet_name(f"{s}（{d}）" if dup else s, taken) for (d, s), dup in zip(keys, shared, strict=True)]
    generated = c.generated_at()
    scope = district or text("ranking_scope_city", lang)
    title = f"{text('batch', lang)} · {scope} · {period}"

    c.set_widths(index, INDEX_WIDTHS)
    last = len(INDEX_COLUMNS) - 1
    index.set_row(0, 26)
    c.merge_text(index, 0, 0, last, title, styles, "title")
    c.merge_text(index, 1, 0, last, text("generated_at", lang, at=generated), styles, "subtitle")
    for col, key in enumerate(INDEX_COLUMNS):
        c.write_text(index, HEADER_ROW, col, text(key, lang), styles, "th")
    overall, grades = rows["overall"].tolist(), rows["grade"].astype("object").tolist()
    rank, n = rows["rank_city"].astype("object").tolist(), rows["n_city"].tolist()
    for i, ((d, street), sheet) in enumerate(zip(keys, sheets, strict=True)):
        r = HEADER_ROW + 1 + i
        index.write_number(r, 0, i + 1, styles("td_int"))
        c.write_text(index, r, 1, d, styles, "td")
        target = sheet.replace("'", "''")
        index.write_url(r, 2, f"internal:'{target}'!A1", styles("link", quote=c.needs_quote(street)), string=street)
        c.write_number(index, r, 3, overall[i], styles, "td_bold_score")
        c.write_text(index, r, 4, grade_name(grades[i], lang) or None, styles, c.grade_style(grades[i], ev.grades))
        ranked = "" if c.is_missing(rank[i]) else text("rank_of", lang, rank=int(rank[i]), n=int(n[i]))
        c.write_text(index, r, 5, ranked, styles, "td_center")
    index.freeze_panes(HEADER_ROW + 1, 0)
    c.print_setup(index, lang, (HEADER_ROW, HEADER_ROW))
    index.hide_gridlines(2)

    for (d, street), sheet in zip(keys, sheets, strict=True):
        write_scorecard(wb, styles, ev, d, street, period, lang, sheet, generated=generated, tasks=tasks)
    unsubmitted.add_sheet(wb, styles, ev.scores, period, sorted({d for d, _ in keys}), lang)
    return c.finish(wb, buf, title)
