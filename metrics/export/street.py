"""街道考核评分表: one street's scorecard for one period, as a printable sheet."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from metrics.config import FUNCTIONS
from metrics.evaluation import Evaluation
from metrics.export import common as c
from metrics.export import enforcement_sheet, office_sheet, unsubmitted
from metrics.export.evidence_sections import write_scorecard_evidence
from metrics.export.labels import check_lang, function_name, grade_name, status_name, street_type_name, text
from metrics.uncertainty import PeriodResult, band_text, for_period

# A 序号, B 事项编号, C 事项名称, D 职能板块, E 权重, F 目标值, G 完成值, H 完成率, I 完成状态, J 按时, K 佐证材料
WIDTHS = {
    "zh": (4.5, 9.5, 28, 8.5, 5, 7.5, 7.5, 7.5, 8, 5.5, 12),
    "en": (4.5, 9, 24, 16.5, 6.5, 7.5, 7.5, 10, 10, 7, 12),
}
LAST = 10
HEADER_CHARS = 100  # Excel refuses page headers over 255 characters; a street name is never that long
NUMBER_STYLES = {"value_num", "value_signed", "value_int", "value_pct", "big_score"}
TITLE_ROWS = (0, 1)  # frozen on screen: the title and whose scorecard it is


@dataclass
class _Ctx:
    """What every block of one scorecard needs."""

    ws: Worksheet
    st: c.Styles
    ev: Evaluation
    lang: str
    row: int = 0
    item_head: int = 0  # the item table's header row, repeated on every printed page

    @property
    def widths(self) -> tuple[float, ...]:
        return WIDTHS[self.lang]

    def span(self, first: int, last: int) -> float:
        return sum(self.widths[first : last + 1])

    def fit(self, *cells: tuple[object, int, int]) -> None:
        """Make the current row tall enough for (text, first column, last column) cells to wrap in full."""
        height = c.row_height((v, self.span(a, b)) for v, a, b in cells)
        if height:
            self.ws.set_row(self.row, height)

    def t(self, key: str, **kw: object) -> str:
        return text(key, self.lang, **kw)

    def skip(self, n: int = 1) -> None:
        self.row += n


def street_scorecard(
    ev: Evaluation,
    district: str,
    street: str,
    period: str,
    lang: str = "zh",
    tasks: pd.DataFrame | None = None,
    bands: pd.DataFrame | None = None,
) -> bytes:
    """The 街道考核评分表 of one street and period as .xlsx bytes (tasks: Dataset.unlisted, to list them).

    bands: the period's rank bands (default: metrics.uncertainty.for_period on ev); pass the city's bands when
    ev is a cut of the city.
    """
    check_lang(lang)
    wb, buf = c.new_workbook()
    sheet = c.sheet_name(street, set())
    styles = c.Styles(wb)
    write_scorecard(wb, styles, ev, district, street, period, lang, sheet, tasks=tasks, bands=bands)
    taken = {sheet.casefold()}
    enforcement_sheet.add_sheet(wb, styles, ev, district, street, period, lang, taken)
    office_sheet.add_sheet(wb, styles, ev, district, street, lang, taken)  # 机构设置 (issue 15 point 4)
    unsubmitted.add_sheet(wb, styles, ev.scores, period, [district], lang)
    return c.finish(wb, buf, f"{text('scorecard', lang)} {street} {period}")


def write_scorecard(
    wb: Workbook,
    styles: c.Styles,
    ev: Evaluation,
    district: str,
    street: str,
    period: str,
    lang: str,
    sheet: str,
    generated: str | None = None,
    tasks: pd.DataFrame | None = None,
    bands: pd.DataFrame | None = None,
) -> Worksheet:
    """Add one street's scorecard to wb as sheet `sheet` (a valid, unique name) and return it."""
    score = c.score_row(ev, district, street, period)
    band = street_band(ev, district, street, period, bands)
    items = ev.items_for(district, street, period)
    summary = c.district_row(ev, district, period)
    ws = wb.add_worksheet(sheet)
    ctx = _Ctx(ws, styles, ev, lang)
    c.set_widths(ws, WIDTHS[lang])
    _title(ctx, score)
    _header_block(ctx, score, generated or c.generated_at(), band)
    _functions(ctx, score, summary, items)
    _counts(ctx, score)
    if not c.is_missing(score["overall"]):
        given = None if bands is None else PeriodResult(bands, pd.DataFrame(), 0.0)  # the city's, for a cut ev
        ctx.row = write_scorecard_evidence(ws, styles, ev, score, ctx.row, LAST, lang, given)
    _missing(ctx, items)
    _removed(ctx, items)
    _unlisted(ctx, score, items, tasks)
    _item_table(ctx, items)
    _signatures(ctx)
    c.print_setup(ws, lang, (ctx.item_head, ctx.item_head))
    # every printed page names its street and period, also those that hold only item rows
    who = c.header_footer_text(f"{street} · {district} · {period}"[:HEADER_CHARS])
    ws.set_header(f"&L&8{who}&R&8{text('scorecard', lang)}", {"margin": 0.3})
    ws.freeze_panes(TITLE_ROWS[1] + 1, 0)
    ws.hide_gridlines(2)
    return ws


def _title(x: _Ctx, score: pd.Series) -> None:
    x.ws.set_row(0, 30)
    c.merge_text(x.ws, 0, 0, LAST, x.t("scorecard"), x.st, "title")
    who = f"{score['street']}  ·  {score['district']}  ·  {score['period']}"
    c.merge_text(x.ws, 1, 0, LAST, who, x.st, "subtitle")
    x.row = 3


def _pair(x: _Ctx, left: tuple[str, object, str], right: tuple[str, object, str], height: float | None = None) -> None:
    """One header-block line: label A:B, value C, label D:E, value F:J; values by style (text or number)."""
    ws, r = x.ws, x.row
    if height:
        ws.set_row(r, height)
    for (label, value, style), (l0, l1, v0, v1) in ((left, (0, 1, 2, 2)), (right, (3, 4, 5, LAST))):
        c.merge_text(ws, r, l0, l1, label, x.st, "label")
        if v1 > v0:
            ws.merge_range(r, v0, r, v1, "", x.st(style))
        if style not in NUMBER_STYLES:
            c.write_text(ws, r, v0, value, x.st, style)
        else:
            c.write_number(ws, r, v0, value, x.st, style)
    x.skip()


def _rank(x: _Ctx, rank: object, n: object) -> str:
    return "" if c.is_missing(rank) else x.t("rank_of", rank=int(rank), n=int(n))


def street_band(
    ev: Evaluation, district: str, street: str, period: str, bands: pd.DataFrame | None = None
) -> dict[str, str]:
    """The street's district and city rank bands as text ("2–6"; "" when it has none)."""
    if bands is None:
        bands = for_period(ev, period).bands
    me = bands.loc[(bands["district"].eq(district) & bands["street"].eq(street)).to_numpy(dtype=bool, na_value=False)]
    if me.empty:
        return {"district": "", "city": ""}
    return {scope: str(band_text(me, scope).iloc[0]) for scope in ("district", "city")}


def _header_block(x: _Ctx, s: pd.Series, generated: str, band: dict[str, str]) -> None:
    if c.is_missing(s["list_year"]):
        list_year = x.t("no_list")
    elif bool(s["list_fallback"]):
        list_year = f"{int(s['list_year'])}{x.t('list_fallback_note', year=int(s['list_year']))}"
    else:
        list_year = str(int(s["list_year"]))
    x.fit((s["district"], 2, 2), (s["street"], 5, LAST))
    _pair(x, (x.t("district"), s["district"], "value"), (x.t("street"), s["street"], "value"))
    _pair(x, (x.t("period"), s["period"], "value"), (x.t("list_year"), list_year, "value"))
    street_type = street_type_name(s["street_type"], x.lang) or None
    _pair(x, (x.t("street_type"), street_type, "value"), (x.t("generated"), generated, "value"))
    _pair(
        x,
        (x.t("overall"), x.t("not_scored"), "big_grade")
        if c.is_missing(s["overall"])
        else (x.t("overall"), s["overall"], "big_score"),
        (x.t("grade"), grade_name(s["grade"], x.lang), c.grade_style(s["grade"], x.ev.grades, "big_grade")),
        height=30,
    )
    _pair(
        x,
        (x.t("rank_district"), _rank(x, s["rank_district"], s["n_district"]), "value"),
        (x.t("rank_city"), _rank(x, s["rank_city"], s["n_city"]), "value"),
    )
    _pair(x, (x.t("band_district"), band["district"], "value"), (x.t("band_city"), band["city"], "value"))
    _pair(
        x,
        (x.t("change_prev"), s["change_prev_quarter"], "value_signed"),
        (x.t("on_time_rate"), s["on_time_rate"], "value_pct"),
    )
    x.skip()


def _section(x: _Ctx, key: str) -> None:
    x.ws.set_row(x.row, 20)
    c.merge_text(x.ws, x.row, 0, LAST, x.t(key), x.st, "section")
    x.skip()


def _functions(x: _Ctx, s: pd.Series, summary: pd.Series | None, items: pd.DataFrame) -> None:
    _section(x, "sec_functions")
    ws, r = x.ws, x.row
    heads = [("function", 0, 2), ("score", 3, 4), ("district_median", 5, 6), ("difference", 7, 8), ("items_n", 9, 10)]
    x.fit(*((x.t(k), a, b) for k, a, b in heads))
    for key, a, b in heads:
        if b > a:
            ws.merge_range(r, a, r, b, "", x.st("th"))
        c.write_text(ws, r, a, x.t(key), x.st, "th")
    x.skip()
    included = items.loc[items["included"].to_numpy(dtype=bool)]
    counts = included["function"].astype("string").value_counts()
    for f in FUNCTIONS:
        r = x.row
        score = s[f]
        median = summary[f"median_{f}"] if summary is not None else None
        c.merge_text(ws, r, 0, 2, function_name(f, x.lang), x.st, "td")
        for a, b in ((3, 4), (5, 6), (7, 8)):
            ws.merge_range(r, a, r, b, "", x.st("td_score"))
        if c.is_missing(score):
            c.write_text(ws, r, 3, x.t("no_items"), x.st, "td_center")
        else:
            c.write_number(ws, r, 3, score, x.st, "td_bold_score")
        c.write_number(ws, r, 5, median, x.st, "td_score")
        diff = None if c.is_missing(score) or c.is_missing(median) else float(score) - float(median)
        c.write_number(ws, r, 7, diff, x.st, "td_signed")
        ws.merge_range(r, 9, r, 10, "", x.st("td_int"))
        c.write_number(ws, r, 9, int(counts.get(f, 0)), x.st, "td_int")
        x.skip()
    x.skip()


def _counts(x: _Ctx, s: pd.Series) -> None:
    _section(x, "sec_counts")
    pairs = [
        ("items_listed", "items_reported"),
        ("items_missing", "removed_indicators"),
        ("unlisted_items", "unlisted_tasks"),
    ]
    for left, right in pairs:
        _pair(x, (x.t(left), int(s[left]), "value_int"), (x.t(right), int(s[right]), "value_int"))
    x.skip()


def _none_line(x: _Ctx) -> None:
    c.merge_text(x.ws, x.row, 0, LAST, x.t("none"), x.st, "td")
    x.skip()


def _short_table(x: _Ctx, rows: pd.DataFrame, last_head: str, last_values: list[str], last_style: str = "td") -> None:
    """序号 | 编号 | 名称 | 职能 | (E:J) one more column: the compact table of the sections."""
    ws = x.ws
    heads = ["row_no", "item_code", "item_name", "function"]
    x.fit(*((x.t(k), i, i) for i, k in enumerate(heads)))
    for col, key in enumerate(heads):
        c.write_text(ws, x.row, col, x.t(key), x.st, "th")
    c.merge_text(ws, x.row, 4, LAST, x.t(last_head), x.st, "th")
    x.skip()
    if rows.empty:
        _none_line(x)
        return
    codes, names, fns = (rows[k].astype("object").tolist() for k in ("item_code", "item_name", "function"))
    for i, (code, name, fn, last) in enumerate(zip(codes, names, fns, last_values, strict=True), start=1):
        r = x.row
        fname = "" if c.is_missing(fn) else function_name(fn, x.lang, short=True)
        x.fit((code, 1, 1), (name, 2, 2), (fname, 3, 3), (last, 4, LAST))
        ws.write_number(r, 0, i, x.st("td_int"))
        c.write_text(ws, r, 1, code, x.st, "td")
        c.write_text(ws, r, 2, name, x.st, "td")
        c.write_text(ws, r, 3, fname, x.st, "td")
        c.merge_text(ws, r, 4, LAST, last, x.st, last_style)
        x.skip()


def _of(items: pd.DataFrame, category: str) -> pd.DataFrame:
    return items.loc[items["category"].eq(category).to_numpy(dtype=bool)]


def _missing(x: _Ctx, items: pd.DataFrame) -> None:
    _section(x, "sec_missing")
    rows = _of(items, "missing")
    weights = [f"{w:g}" for w in rows["weight"].fillna(1.0).tolist()]
    _short_table(x, rows, "weight", weights, "td_center")
    x.skip()


def _removed(x: _Ctx, items: pd.DataFrame) -> None:
    _section(x, "sec_removed")
    sep = "、" if x.lang == "zh" else ", "
    names = sep.join(function_name(k, x.lang) for k in x.ev.config.removed_categories)
    note = x.t("removed_note", names=names)
    x.fit((note, 0, LAST))
    c.merge_text(x.ws, x.row, 0, LAST, note, x.st, "note")
    x.skip()
    rows = _of(items, "removed")
    by_function = rows["function"].isin(x.ev.config.removed_categories).fillna(False).tolist()
    reported = rows["c_source"].notna().tolist()
    reasons = [
        f"{x.t('removed_by_function' if f else 'removed_by_name')}{x.t('sep')}"
        f"{x.t('items_reported') if rep else x.t('not_reported')}"
        for f, rep in zip(by_function, reported, strict=True)
    ]
    _short_table(x, rows, "reason", reasons)
    x.skip()


def _unlisted(x: _Ctx, s: pd.Series, items: pd.DataFrame, tasks: pd.DataFrame | None) -> None:
    _section(x, "sec_unlisted")
    line = _burden_line(x, s)
    x.fit((line, 0, LAST))
    c.merge_text(x.ws, x.row, 0, LAST, line, x.st, "value")
    x.skip()
    if tasks is not None:
        _task_table(x, s, tasks)
    c.merge_text(x.ws, x.row, 0, LAST, x.t("unlisted_rows"), x.st, "note")
    x.skip()
    rows = _of(items, "unlisted")
    done = [
        _completion_text(cc, status, x.lang)
        for cc, status in zip(rows["c"].tolist(), rows["status"].astype("object").tolist(), strict=True)
    ]
    _short_table(x, rows, "completion", done)
    x.skip()


def _burden_line(x: _Ctx, s: pd.Series) -> str:
    """One sentence on the street's 清单外事项 from burden_by_street."""
    b = x.ev.burden_by_street
    mask = (
        b["district"].eq(s["district"]).to_numpy(dtype=bool, na_value=False)
        & b["street"].eq(s["street"]).to_numpy(dtype=bool, na_value=False)
        & b["period"].eq(s["period"]).to_numpy(dtype=bool, na_value=False)
    )
    burden = b.loc[mask]
    if burden.empty or int(burden.iloc[0]["unlisted_tasks"]) == 0:
        return x.t("no_unlisted_tasks")
    one = burden.iloc[0]

    def share(n: object, known: object) -> str:
        return x.t("unknown") if c.is_missing(known) or int(known) == 0 else f"{int(n)} / {int(known)}"

    days = one["unlisted_workdays"]
    return x.t(
        "burden_line",
        tasks=int(one["unlisted_tasks"]),
        days=f"{0.0 if c.is_missing(days) else float(days):g}",
        approved=share(one["tasks_not_approved"], one["approval_known"]),
        funds=share(one["tasks_without_funds"], one["funds_known"]),
    )


# 清单外事项 table: (caption key, first column, last column)
TASK_COLUMNS = (
    ("row_no", 0, 0),
    ("task_name", 1, 3),
    ("assigning_department", 4, 5),
    ("assigned_date", 6, 7),
    ("access_approved", 8, 8),
    ("funds_matched", 9, 9),
    ("workdays", 10, 10),
)


def _task_table(x: _Ctx, s: pd.Series, tasks: pd.DataFrame) -> None:
    """The street's rows of 清单外事项 (Dataset.unlisted), when the caller has them."""
    mine = tasks.loc[
        tasks["district"].eq(s["district"]).to_numpy(dtype=bool, na_value=False)
        & tasks["street"].eq(s["street"]).to_numpy(dtype=bool, na_value=False)
        & tasks["period"].eq(s["period"]).to_numpy(dtype=bool, na_value=False)
    ]
    if mine.empty:
        return
    ws = x.ws
    x.fit(*((x.t(k), a, b) for k, a, b in TASK_COLUMNS))
    for key, a, b in TASK_COLUMNS:
        if b > a:
            ws.merge_range(x.row, a, x.row, b, "", x.st("th"))
        c.write_text(ws, x.row, a, x.t(key), x.st, "th")
    x.skip()
    yes, no = x.t("yes"), x.t("no_")
    names = mine["task_name"].astype("object").tolist()
    depts = mine["assigning_department"].astype("object").tolist()
    dates = mine["assigned_date"].tolist()
    approved = mine["access_approved"].astype("object").tolist()
    funded = mine["funds_matched"].astype("object").tolist()
    days = mine["workdays"].tolist()
    for i in range(len(mine)):
        r = x.row
        x.fit((names[i], 1, 3), (depts[i], 4, 5))
        ws.write_number(r, 0, i + 1, x.st("td_int"))
        for (a, b), value in (((1, 3), names[i]), ((4, 5), depts[i])):
            c.merge_text(ws, r, a, b, value, x.st, "td")
        ws.merge_range(r, 6, r, 7, "", x.st("td_date"))
        if c.is_missing(dates[i]):
            ws.write_blank(r, 6, None, x.st("td_date"))
        else:
            ws.write_datetime(r, 6, pd.Timestamp(dates[i]).to_pydatetime(), x.st("td_date"))
        for col, flag in ((8, approved[i]), (9, funded[i])):
            c.write_text(ws, r, col, None if c.is_missing(flag) else (yes if flag else no), x.st, "td_center")
        c.write_number(ws, r, 10, days[i], x.st, "td_num")
        x.skip()


def _completion_text(value: float, status: object, lang: str) -> str:
    pct = "" if c.is_missing(value) else f"{100 * value:.1f}%"
    st = status_name(status, lang)
    return f"{pct}  {st}".strip()


def _item_table(x: _Ctx, items: pd.DataFrame) -> None:
    _section(x, "sec_items")
    ws = x.ws
    heads = [
        "row_no",
        "item_code",
        "item_name",
        "function",
        "weight",
        "target",
        "actual",
        "completion",
        "status",
        "on_time",
        "evidence",
    ]
    x.fit(*((x.t(k), i, i) for i, k in enumerate(heads)))
    x.item_head = x.row
    for col, key in enumerate(heads):
        c.write_text(ws, x.row, col, x.t(key), x.st, "th")
    x.skip()
    rows = items.loc[items["included"].to_numpy(dtype=bool)]
    if rows.empty:
        _none_line(x)
    text_cols = ("item_code", "item_name", "function", "status", "on_time", "evidence")
    cols = {k: rows[k].astype("object").tolist() for k in text_cols}
    nums = {k: rows[k].tolist() for k in ("weight", "target", "actual", "c")}
    missing = rows["category"].eq("missing").tolist()
    yes, no = x.t("yes"), x.t("no_")
    for i in range(len(rows)):
        r = x.row
        fn = cols["function"][i]
        fname = "" if c.is_missing(fn) else function_name(fn, x.lang, short=True)
        x.fit((cols["item_code"][i], 1, 1), (cols["item_name"][i], 2, 2), (fname, 3, 3), (cols["evidence"][i], 10, 10))
        ws.write_number(r, 0, i + 1, x.st("td_int"))
        c.write_text(ws, r, 1, cols["item_code"][i], x.st, "td")
        c.write_text(ws, r, 2, cols["item_name"][i], x.st, "td")
        c.write_text(ws, r, 3, fname, x.st, "td")
        c.write_number(ws, r, 4, nums["weight"][i], x.st, "td_num")
        c.write_number(ws, r, 5, nums["target"][i], x.st, "td_num")
        c.write_number(ws, r, 6, nums["actual"][i], x.st, "td_num")
        c.write_number(ws, r, 7, nums["c"][i], x.st, "td_pct")
        status = x.t("not_reported") if missing[i] else status_name(cols["status"][i], x.lang)
        c.write_text(ws, r, 8, status, x.st, "td_center")
        on_time = cols["on_time"][i]
        c.write_text(ws, r, 9, None if c.is_missing(on_time) else (yes if on_time else no), x.st, "td_center")
        c.write_text(ws, r, 10, cols["evidence"][i], x.st, "td")
        x.skip()
    x.skip()


def _signatures(x: _Ctx) -> None:
    ws, r = x.ws, x.row + 1
    ws.set_row(r, 30)
    for label, (l0, l1), (v0, v1) in (
        ("evaluator", (0, 1), (2, 2)),
        ("reviewer", (3, 3), (4, 6)),
        ("date", (7, 7), (8, LAST)),
    ):
        if l1 > l0:
            ws.merge_range(r, l0, r, l1, "", x.st("sign_label"))
        c.write_text(ws, r, l0, x.t(label), x.st, "sign_label")
        if v1 > v0:
            ws.merge_range(r, v0, r, v1, "", x.st("sign_line"))
        else:
            ws.write_blank(r, v0, None, x.st("sign_line"))
    x.row = r + 1
