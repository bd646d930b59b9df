"""部门评价排名 (issue 15, 考核权): the streets' ratings of the district departments in one period, best first with
their rank bands and intervals, beside each department's tasks outside the lists; then the 建议权 record."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from metrics.department_labels import KINDS, SHOWN_ADVICE, SHOWN_ADVICE_SUMMARY, SHOWN_RANKING, caption
from metrics.department_view import advice_shown, ranking_table
from metrics.departments import LEVEL, MIN_RATINGS
from metrics.evaluation import Evaluation
from metrics.export import common as c

SHEETS = {"ranking": ("部门评价排名", "Department ranking"), "advice": ("建议权", "Advice on major plans")}


def _head(ws: Worksheet, styles: c.Styles, widths: list[float], title: str, note: str) -> None:
    c.set_widths(ws, widths)
    ws.set_row(0, 24)
    c.merge_text(ws, 0, 0, len(widths) - 1, title, styles, "title")
    c.merge_text(ws, 1, 0, len(widths) - 1, note, styles, "subtitle")


def department_ranking(ev: Evaluation, period: str, district: str | None = None, lang: str = "zh") -> bytes:
    """The department ranking of one period for a district (None: every district, each its own block)."""
    if lang not in ("zh", "en"):
        raise ValueError(f"语言应为 zh 或 en (lang must be zh or en): {lang}")
    period = c.check_period(ev, period)
    districts = [district] if district else list(ev.districts)
    if district and district not in ev.districts:
        raise KeyError(f"没有区(市)县“{district}” (no district '{district}')")
    wb, buf = c.new_workbook()
    styles = c.Styles(wb)
    ws = wb.add_worksheet(c.pick(lang, SHEETS["ranking"]))
    title = f"{c.pick(lang, SHEETS['ranking'])}（{period}）" if lang == "zh" else f"Department ranking ({period})"
    level = f"{LEVEL:.0%}"
    note = (
        f"街道对区级部门的评分折算为百分制；综合评分为各街道评分的平均，{level}区间反映街道之间的分歧；"
        f"名次区间：区间不重叠才算分出先后；评价街道不足 {MIN_RATINGS} 个的部门不排名。"
        if lang == "zh"
        else f"Street ratings of district departments on 0–100; the overall rating is the streets' mean, its {level} "
        f"interval shows how far the streets disagree; rank band: departments count as ordered only when their "
        f"intervals do not overlap; departments rated by fewer than {MIN_RATINGS} streets are not ranked."
    )
    _head(ws, styles, [6, 8, 16, *([10] * (len(SHOWN_RANKING) - 3))], title, note)
    row = 3
    table = ranking_table(ev.departments, period, districts, lang)
    for name in districts:
        c.write_text(ws, row, 0, name, styles, "section")
        row = c.write_kind_table(
            ws,
            styles,
            row + 1,
            table[table["district"].eq(name).to_numpy(dtype=bool)],
            SHOWN_RANKING,
            caption,
            KINDS,
            lang,
        )
    ws.freeze_panes(4, 3)
    c.print_setup(ws, lang, (0, 1), landscape=True)

    doc_title = title
    ws = wb.add_worksheet(c.pick(lang, SHEETS["advice"]))
    title = c.pick(lang, SHEETS["advice"])
    note = c.pick(
        lang, ("街道对重大规划/决策的意见及采纳情况（全部期间）", "Streets' advice on major plans, all periods")
    )
    _head(ws, styles, [14, 36, 12, 36, 10, 10, 10], title, note)
    summary = ev.advice_summary.loc[ev.advice_summary["district"].isin(districts).to_numpy(dtype=bool)]
    row = c.write_kind_table(ws, styles, 3, summary, SHOWN_ADVICE_SUMMARY, caption, KINDS, lang)
    c.write_kind_table(ws, styles, row, advice_shown(ev.advice, districts, lang), SHOWN_ADVICE, caption, KINDS, lang)
    c.print_setup(ws, lang, (0, 1), landscape=True)
    return c.finish(wb, buf, doc_title)
