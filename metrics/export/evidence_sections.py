"""Export blocks that say only what the evidence supports: the ranking's signable tier annex (档次附表) and the
scorecard's evidence and change-decomposition section.

Every figure comes from metrics (metrics.uncertainty.for_period, metrics.pairwise, metrics.evidence,
metrics.change_parts); this module only lays them out.
"""

from __future__ import annotations

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from metrics.change_parts import change_parts, earlier_period
from metrics.evidence import evidence_text
from metrics.export import common as c
from metrics.pairwise import grade_text
from metrics.uncertainty import PeriodResult, band_text, for_period

LABELS: dict[str, tuple[str, str]] = {
    "annex": ("档次附表", "Tier annex"),
    "annex_title": ("排名档次附表（{scope} · {period}）", "Ranking tiers ({scope}, {period})"),
    "annex_method": (
        "档次：按正式名次排列，仅当上一档每个街道(镇)排在下一档每个街道(镇)之前的概率都不低于 {high:.0%} 时分档"
        "（{n} 次模拟，未报送按官方规则计 0）。同一档次内名次的先后证据不足，不宜据以区分优劣；"
        "“无明显差别”指对方排在本街道之前的概率介于 {low:.0%} 与 {high:.0%} 之间。",
        "Tiers: streets in official rank order, split only where every street above the cut ranks above every street "
        "below it with probability ≥ {high:.0%} ({n} scenarios, unreported items at 0, the official rule). Within a "
        "tier the evidence does not support the strict order; 'not clearly different' means the other street ranks "
        "above with a probability between {low:.0%} and {high:.0%}.",
    ),
    "tier": ("档次", "Tier"),
    "rank": ("名次", "Rank"),
    "band": ("排名区间", "Rank band"),
    "district": ("区(市)县", "District"),
    "street": ("街道(镇)", "Street"),
    "overall": ("总分", "Score"),
    "p_next": ("排在下一名之前的概率", "P(above the next)"),
    "n_unclear": ("无明显差别的街道数", "Not clearly different"),
    "grade_odds": ("等级可能性", "Grade probability"),
    "points_lost": ("因未报送失分", "Points lost (unreported)"),
    "evidence": ("依据构成", "Evidence mix"),
    "signer": ("评价人员（签字）：", "Evaluation officer (signature):"),
    "reviewer": ("审核人（签字）：", "Reviewed by (signature):"),
    "date": ("日期：", "Date:"),
    "sec_evidence": ("得分依据与变化分解", "What backs the score, and why it changed"),
    "tier_line": ("第 {tier} 档（共 {n} 档）", "tier {tier} of {n}"),
    "change_year": ("同比变化（与上年同季）", "Change on the same quarter last year"),
    "change_quarter": ("环比变化（含季节因素）", "Change on last quarter (seasonal)"),
    "change_common": ("同比·共同事项口径", "Year-on-year on common items"),
    "part": ("组成部分", "Part"),
    "points_y": ("同比 {before}→{after}", "y/y {before}→{after}"),
    "points_q": ("环比 {before}→{after}", "q/q {before}→{after}"),
    "total": ("合计（= 得分变化）", "Total (= change in score)"),
    "parts_note": (
        "各部分依次计算（清单增减 → 权重 → 新增未报送 → 新报送 → 状态 → 完成率），相加等于得分变化。",
        "Parts taken in turn (list → weights → newly unreported → newly reported → status → completion); they add up "
        "to the change in score.",
    ),
}
ANNEX_COLUMNS = (
    ("tier", 5.5),
    ("rank", 5.5),
    ("band", 7),
    ("district", 9),
    ("street", 14),
    ("overall", 7),
    ("p_next", 9),
    ("n_unclear", 8),
    ("grade_odds", 16),
    ("points_lost", 8),
    ("evidence", 30),
)


def label(key: str, lang: str, **kw: object) -> str:
    """The export label of key in lang."""
    text = LABELS[key][0 if lang == "zh" else 1]
    return text.format(**kw) if kw else text


def write_tier_annex(
    wb: Workbook,
    styles: c.Styles,
    ev,
    rows: pd.DataFrame,
    period: str,
    scope_name: str,
    lang: str,
    district_scope: bool = False,
    result: PeriodResult | None = None,
) -> Worksheet:
    """A sheet listing the ranked streets of rows by tier, with the evidence for each cut and signature lines."""
    result = result or for_period(ev, period)
    bands = result.bands
    scope = "district" if district_scope else "city"
    cols = ["district", "street", f"tier_{scope}", f"n_tiers_{scope}", "p_above_next_city", "n_unclear_city"]
    table = rows.loc[rows["overall"].notna().to_numpy(dtype=bool)].merge(
        bands[cols].assign(band=band_text(bands, scope)), on=["district", "street"], how="left"
    )
    rank = f"rank_{scope}"
    table = table.sort_values([rank, "district", "street"], kind="stable")
    ws = wb.add_worksheet(c.sheet_name(label("annex", lang), set()))
    widths = [w for _, w in ANNEX_COLUMNS]
    c.set_widths(ws, widths)
    last = len(ANNEX_COLUMNS) - 1
    ws.set_row(0, 26)
    c.merge_text(ws, 0, 0, last, label("annex_title", lang, scope=scope_name, period=period), styles, "title")
    u = ev.config.uncertainty
    method = label("annex_method", lang, high=u["unclear_high"], low=u["unclear_low"], n=int(u["scenarios"]))
    ws.set_row(1, c.row_height([(method, sum(widths))]) or 40)
    c.merge_text(ws, 1, 0, last, method, styles, "note")
    head = 3
    for col, (key, _) in enumerate(ANNEX_COLUMNS):
        c.write_text(ws, head, col, label(key, lang), styles, "th")
    ws.set_row(head, 30)
    grades = result.grades
    r = head + 1
    for _, row in table.iterrows():
        tier = row[f"tier_{scope}"]
        odds = grade_text(grades, str(row["district"]), str(row["street"])) if grades is not None else ""
        values = [
            (tier, "td_int"),
            (row[rank], "td_int"),
            (row["band"], "td_center"),
            (row["district"], "td"),
            (row["street"], "td"),
            (row["overall"], "td_score"),
            (row["p_above_next_city"] if scope == "city" else None, "td_pct"),
            (row["n_unclear_city"], "td_int"),
            (odds, "td"),
            (row["points_lost_missing"], "td_score"),
            (evidence_text(row, lang), "td"),
        ]
        height = c.row_height([(odds, widths[8]), (values[-1][0], widths[-1])])
        if height:
            ws.set_row(r, height)
        for col, (value, style) in enumerate(values):
            if style in ("td", "td_center"):
                c.write_text(ws, r, col, value, styles, style)
            else:
                c.write_number(ws, r, col, None if c.is_missing(value) else float(value), styles, style)
        r += 1
    r += 2
    for key in ("signer", "reviewer"):
        c.merge_text(ws, r, 0, 3, label(key, lang), styles, "sign_label")
        ws.merge_range(r, 4, r, 6, "", styles("sign_line"))
        c.write_text(ws, r, 7, label("date", lang), styles, "sign_label")
        ws.merge_range(r, 8, r, 9, "", styles("sign_line"))
        ws.set_row(r, 28)
        r += 2
    c.print_setup(ws, lang, (head, head))
    ws.hide_gridlines(2)
    return ws


NUMERIC = {"td_signed", "td_score", "td_int", "td_pct", "value_num", "value_signed"}


def _merge(ws: Worksheet, styles: c.Styles, r: int, first: int, last: int, value: object, style: str) -> None:
    if last > first:
        ws.merge_range(r, first, r, last, "", styles(style))
    if style in NUMERIC:
        c.write_number(ws, r, first, None if c.is_missing(value) else float(value), styles, style)
    else:
        c.write_text(ws, r, first, value, styles, style)


def write_scorecard_evidence(
    ws: Worksheet,
    styles: c.Styles,
    ev,
    score: pd.Series,
    row: int,
    last: int,
    lang: str,
    result: PeriodResult | None = None,
) -> int:
    """The scorecard's section on what backs the score and why it changed; returns the next free row."""
    district, street, period = str(score["district"]), str(score["street"]), str(score["period"])
    result = result or for_period(ev, period)
    ws.set_row(row, 20)
    c.merge_text(ws, row, 0, last, label("sec_evidence", lang), styles, "section")
    row += 1
    bands = result.bands
    me = bands.loc[(bands["district"].eq(district) & bands["street"].eq(street)).to_numpy(dtype=bool, na_value=False)]
    tier = (
        label("tier_line", lang, tier=int(me["tier_city"].iloc[0]), n=int(me["n_tiers_city"].iloc[0]))
        if not me.empty and pd.notna(me["tier_city"].iloc[0])
        else ""
    )
    odds = grade_text(result.grades, district, street) if result.grades is not None else ""
    lines = [
        (label("points_lost", lang), score["points_lost_missing"], "value_num"),
        (label("evidence", lang), evidence_text(score, lang), "value"),
        (label("tier", lang), tier, "value"),
        (label("grade_odds", lang), odds, "value"),
        (label("change_year", lang), score["change_year_ago"], "value_signed"),
        (label("change_common", lang), score.get("change_year_ago_common"), "value_signed"),
        (label("change_quarter", lang), score["change_prev_quarter"], "value_signed"),
    ]
    for text, value, style in lines:
        c.merge_text(ws, row, 0, 2, text, styles, "label")
        _merge(ws, styles, row, 3, last, value, style)
        row += 1
    row += 1
    y = change_parts(ev, district, street, period, 4)
    q = change_parts(ev, district, street, period, 1)
    heads = [
        (label("part", lang), 0, 4),
        (label("points_y", lang, before=earlier_period(period, 4), after=period), 5, 7),
        (label("points_q", lang, before=earlier_period(period, 1), after=period), 8, last),
    ]
    for text, a, b in heads:
        _merge(ws, styles, row, a, b, text, "th")
    row += 1
    names = y if not y.empty else q
    if names.empty:
        return row + 1
    name_col = "label_zh" if lang == "zh" else "label_en"
    for i, part in enumerate(names["part"]):
        _merge(ws, styles, row, 0, 4, names[name_col].iloc[i], "td")
        for frame, (a, b) in ((y, (5, 7)), (q, (8, last))):
            value = None if frame.empty else float(frame.set_index("part").loc[part, "points"])
            _merge(ws, styles, row, a, b, value, "td_signed")
        row += 1
    _merge(ws, styles, row, 0, 4, label("total", lang), "th")
    for frame, (a, b) in ((y, (5, 7)), (q, (8, last))):
        _merge(ws, styles, row, a, b, None if frame.empty else float(frame["points"].sum()), "td_signed")
    row += 1
    note = label("parts_note", lang)
    c.merge_text(ws, row, 0, last, note, styles, "note")
    ws.set_row(row, 28)
    return row + 2
