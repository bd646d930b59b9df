"""排名表: the streets of a period (the city, or one district) sorted by overall score, grades coloured."""

from __future__ import annotations

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from metrics.config import FUNCTIONS
from metrics.evaluation import Evaluation
from metrics.export import common as c
from metrics.export import coverage_sheet, funding_sheets, unsubmitted
from metrics.export.evidence_sections import write_tier_annex
from metrics.export.labels import check_lang, function_name, grade_name, text
from metrics.labels import with_labels
from metrics.uncertainty import PeriodResult, band_text, for_period

# (column key, width zh, width en, kind): kind is how the cell is written.
COLUMNS: tuple[tuple[str, float, float, str], ...] = (
    ("rank", 5.5, 6, "int"),
    ("band", 7, 8, "text"),
    ("district", 9, 11, "text"),
    ("street", 14, 16, "text"),
    ("street_type", 8.5, 11, "text"),
    ("overall", 7, 8, "bold_score"),
    ("grade", 7, 9, "grade"),
    *((f, 8, 12, "score") for f in FUNCTIONS),
    ("change_prev_quarter", 8, 9, "signed"),
    ("items_missing", 6.5, 8, "int"),
    ("unlisted_tasks", 7, 9.5, "int"),
)
HEADER_ROW = 3


def ranking(
    ev: Evaluation, period: str, district: str | None = None, lang: str = "zh", bands: pd.DataFrame | None = None
) -> bytes:
    """The 排名表 of one period (the whole city, or one district when given) as .xlsx bytes.

    bands: metrics.uncertainty rank bands of the period (default: for_period on ev); pass the city's bands when
    ev is a cut of the city, so the band is of the city ranks.
    """
    check_lang(lang)
    c.check_period(ev, period)
    if district is not None and district not in ev.districts:
        raise KeyError(f"没有该区(市)县：{district} / unknown district {district}")
    wb, buf = c.new_workbook()
    styles = c.Styles(wb)
    rows = ev.scores_for(period=period, district=district)
    rank = "rank_district" if district is not None else "rank_city"
    scope = district if district is not None else text("ranking_scope_city", lang)
    ws = wb.add_worksheet(c.sheet_name(text("ranking", lang), set()))
    title = (
        f"{text('ranking', lang)}（{scope} · {period}）"
        if lang == "zh"
        else f"{text('ranking', lang)} ({scope}, {period})"
    )
    write_ranked_table(wb, ws, styles, ev, rows, rank, lang, title, bands)
    unsubmitted.add_sheet(wb, styles, ev.scores, period, [district] if district else None, lang)
    funding_sheets.add_sheets(wb, styles, ev, period, [district] if district else None, lang)
    coverage_sheet.add_sheet(wb, styles, ev, period, [district] if district else None, lang)
    write_tier_annex(wb, styles, ev, rows, period, scope, lang, district is not None, _result(ev, period, bands))
    return c.finish(wb, buf, title)


def _result(ev: Evaluation, period: str, bands: pd.DataFrame | None):
    """The period's uncertainty result; the city's when bands (a cut of the city's) are given for a cut ev."""
    if bands is None:
        return None
    return PeriodResult(bands, pd.DataFrame(), 0.0)


def with_band(ev: Evaluation, rows: pd.DataFrame, rank: str, bands: pd.DataFrame | None = None) -> pd.DataFrame:
    """rows plus `band`: the 5th–95th percentile band of the rank column (band_text of for_period)."""
    if rows.empty:
        return rows.assign(band=pd.Series(dtype="object"))
    if bands is None:
        bands = for_period(ev, str(rows["period"].iloc[0])).bands
    scope = "district" if rank == "rank_district" else "city"
    text_ = bands[["district", "street"]].assign(band=band_text(bands, scope).replace("", None))
    out = rows.drop(columns=["band"], errors="ignore").merge(text_, on=["district", "street"], how="left")
    return out.set_axis(rows.index)


def sort_ranked(rows: pd.DataFrame, rank: str) -> pd.DataFrame:
    """Rows best first by the given rank column; streets without a score last, then by name."""
    return rows.sort_values([rank, "district", "street"], na_position="last", kind="stable")


def write_ranked_table(
    wb: Workbook,
    ws: Worksheet,
    styles: c.Styles,
    ev: Evaluation,
    rows: pd.DataFrame,
    rank: str,
    lang: str,
    title: str,
    bands: pd.DataFrame | None = None,
) -> None:
    """Title, header and one line per street (sorted by `rank`, its rank band beside it), grades coloured."""
    widths = [w_zh if lang == "zh" else w_en for _, w_zh, w_en, _ in COLUMNS]
    c.set_widths(ws, widths)
    last = len(COLUMNS) - 1
    ws.set_row(0, 26)
    c.merge_text(ws, 0, 0, last, title, styles, "title")
    c.merge_text(ws, 1, 0, last, text("generated_at", lang, at=c.generated_at()), styles, "subtitle")
    heads = [_head(key, lang) for key, *_ in COLUMNS]
    height = c.row_height(zip(heads, widths, strict=True))
    ws.set_row(HEADER_ROW, height or 28)
    for col, head in enumerate(heads):
        c.write_text(ws, HEADER_ROW, col, head, styles, "th")
    ordered = with_labels(sort_ranked(with_band(ev, rows, rank, bands), rank), lang, ["street_type"])
    data = {key: ordered[key if key != "rank" else rank].astype("object").tolist() for key, *_ in COLUMNS}
    first = HEADER_ROW + 1
    texts = [(col, widths[col], data[key]) for col, (key, _, _, kind) in enumerate(COLUMNS) if kind == "text"]
    for i in range(len(ordered)):
        r = first + i
        height = c.row_height((values[i], width) for _, width, values in texts)
        if height:
            ws.set_row(r, height)
        for col, (key, _, _, kind) in enumerate(COLUMNS):
            _cell(ws, styles, r, col, data[key][i], kind, lang)
    end = first + max(len(ordered), 1) - 1
    _grade_colours(wb, ws, ev.grades, lang, first, end, [k for k, *_ in COLUMNS].index("grade"))
    overall = [k for k, *_ in COLUMNS].index("overall")
    bar = {"type": "data_bar", "bar_color": "#9BC2E6", "min_type": "num", "min_value": 0}
    ws.conditional_format(first, overall, end, overall, {**bar, "max_type": "num", "max_value": 100})
    ws.autofilter(HEADER_ROW, 0, end, last)
    ws.freeze_panes(first, 4)  # rank, band, district, street stay in view
    c.print_setup(ws, lang, (HEADER_ROW, HEADER_ROW))
    ws.hide_gridlines(2)


def _head(key: str, lang: str) -> str:
    if key in FUNCTIONS:
        return function_name(key, lang, short=True)
    return text("change_prev" if key == "change_prev_quarter" else key, lang)


def _cell(ws: Worksheet, styles: c.Styles, r: int, col: int, value: object, kind: str, lang: str) -> None:
    if kind == "text":
        c.write_text(ws, r, col, value, styles, "td")
    elif kind == "grade":
        c.write_text(ws, r, col, grade_name(value, lang) or None, styles, "td_center")
    else:
        style = {"int": "td_int", "score": "td_score", "bold_score": "td_bold_score", "signed": "td_signed"}[kind]
        c.write_number(ws, r, col, value, styles, style)


def _grade_colours(
    wb: Workbook, ws: Worksheet, grades: tuple[str, ...], lang: str, first: int, last: int, col: int
) -> None:
    """One conditional format per grade on the grade column: the fill of that grade."""
    for i, g in enumerate(grades):
        k = min(i, len(c.GRADE_FILLS) - 1)
        fmt = wb.add_format({"bg_color": c.GRADE_FILLS[k], "font_color": c.GRADE_FONTS[k], "bold": True})
        shown = grade_name(g, lang).replace('"', '""')
        rule = {"type": "cell", "criteria": "==", "value": f'"{shown}"', "format": fmt}
        ws.conditional_format(first, col, last, col, rule)
