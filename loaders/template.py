"""Report templates (履职情况报表模板): one workbook per street or per district, pre-filled from the list in force.

Written with xlsxwriter. The code and name columns are locked (sheet protection without a password, so any program
opens the file); 完成状态 and 是/否 cells have drop-downs, number cells number validation; the title line names the
street and period as the loader reads them; the 填报说明 sheet is loaders.guide's, built from the loader's own maps.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from loaders import guide, template_ratings
from loaders.schema import Dataset

if TYPE_CHECKING:
    import pandas as pd

# Reference columns copied from the list (read as nothing in a report), present when the list has them.
REFERENCE = (("function", "职能板块"), ("direction", "指标方向"), ("applies_to", "适用类型"))
# The columns an officer fills in, with the header the template writes (the standard header of maps/columns.csv).
INPUT = ("target", "actual", "completion", "status", "on_time", "evidence", "note")
QUARTER_ZH = {"1": "第一季度", "2": "第二季度", "3": "第三季度", "4": "第四季度"}
GUIDE_SHEET = "填报说明"
MAX_UNLISTED_ROWS = 50


class TemplateError(ValueError):
    """No template can be made (unknown district or street, no list); carries zh and en."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh, self.en = zh, en
        super().__init__(f"{zh}（{en}）")


@dataclass(frozen=True)
class Unit:
    """One street a template is for, and the list items that apply to it."""

    street: str
    street_type: str | None
    items: pd.DataFrame


def period_zh(period: str) -> str:
    """2021Q1 → 2021年第一季度 (a form the loader reads)."""
    m = re.fullmatch(r"(\d{4})Q([1-4])", period)
    return f"{m.group(1)}年{QUARTER_ZH[m.group(2)]}" if m else period


def list_in_force(ds: Dataset, district: str, period: str) -> tuple[pd.DataFrame, int]:
    """The list the district's streets are scored on — its 职责任务清单, or the 事务清单 it declared (issue 15) — for
    the period's year (else the latest earlier one), removed items left out."""
    from metrics.config import load_config
    from metrics.eval_lists import scored_list
    from metrics.removed import is_removed

    year = int(period[:4])
    li = scored_list(ds.list_items)
    duty = li[(li["district"] == district).fillna(False)]
    years = sorted(int(y) for y in duty["year"].dropna().unique() if int(y) <= year)
    if not years:
        raise TemplateError(
            f"{district} 没有 {year} 年或更早的职责任务清单，无法生成模板",
            f"{district} has no duty list for {year} or before: no template can be made",
        )
    items = duty[(duty["year"] == years[-1]).fillna(False)]
    items = items[~is_removed(items["function"], items["item_name"], load_config()).to_numpy()]
    return items.reset_index(drop=True), years[-1]


def applies(items: pd.DataFrame, street_type: str | None) -> pd.DataFrame:
    """The items that apply to a street of this type (FORMATS §6: blank 适用类型 = all)."""
    if "applies_to" not in items.columns or not street_type:
        return items
    text = items["applies_to"].astype("string").fillna("")
    keep = text.str.strip().eq("") | text.str.contains(street_type, regex=False)
    return items[keep.to_numpy(dtype=bool)]


def units(ds: Dataset, district: str, period: str, street: str | None = None) -> tuple[list[Unit], int]:
    """The streets of a district (or one of them) in the register, each with its items; and the list year."""
    from loaders.streets import StreetResolver

    district = StreetResolver(ds.register).district(district) or district
    reg = ds.register[(ds.register["district"] == district).fillna(False)]
    if reg.empty:
        raise TemplateError(f"街道名册中没有 {district}", f"{district} is not in the street register")
    if street is not None:
        found = StreetResolver(ds.register).resolve(street, district)
        name = found[1] if isinstance(found, tuple) else street
        reg = reg[(reg["street"] == name).fillna(False)]
        if reg.empty:
            raise TemplateError(f"{district} 没有 {street}", f"{district} has no street {street}")
    items, year = list_in_force(ds, district, period)
    out = []
    for row in reg.itertuples(index=False):
        stype = row.street_type if isinstance(row.street_type, str) else None
        out.append(Unit(row.street, stype, applies(items, stype)))
    return out, year


class _Formats:
    def __init__(self, wb) -> None:
        base = {"font_name": "Noto Sans CJK SC", "font_size": 10, "valign": "top", "border": 1}
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.meta = wb.add_format({"font_size": 11})
        self.head = wb.add_format({**base, "bold": True, "bg_color": "#DDE5F0", "text_wrap": True, "locked": True})
        self.locked = wb.add_format({**base, "bg_color": "#EEEEEE", "text_wrap": True, "locked": True})
        self.text = wb.add_format({**base, "text_wrap": True, "locked": False})
        self.number = wb.add_format({**base, "num_format": "0.##", "locked": False})
        self.percent = wb.add_format({**base, "num_format": "0%", "locked": False})
        self.date = wb.add_format({**base, "num_format": "yyyy-mm-dd", "locked": False})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.bold = wb.add_format({"bold": True})


def _header(key: str, table: str = "performance") -> str:
    return next(c.header for c in guide.columns(table) if c.key == key)


def _label(column: str, value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value)
    if column == "function":
        names = guide.words("function").get(text)
        return names[0] if names else text
    if text in ("<NA>", "nan"):
        return ""
    return text


def _validate(ws, fmt: _Formats, r0: int, r1: int, col: int, key: str) -> None:
    """Drop-down or number validation for one input column, rows r0..r1."""
    if key == "status":
        ws.data_validation(r0, col, r1, col, {"validate": "list", "source": list(guide.words("status"))})
    elif key == "on_time":
        ws.data_validation(r0, col, r1, col, {"validate": "list", "source": ["是", "否"]})
    elif key in ("target", "actual"):
        ws.data_validation(
            r0,
            col,
            r1,
            col,
            {
                "validate": "decimal",
                "criteria": ">=",
                "value": 0,
                "error_title": "请填写数字",
                "error_message": "这里只能填不小于 0 的数字，不带单位。",
            },
        )
    elif key == "completion":
        ws.data_validation(
            r0,
            col,
            r1,
            col,
            {
                "validate": "decimal",
                "criteria": "between",
                "minimum": 0,
                "maximum": 10,
                "input_title": "完成率",
                "input_message": "直接输入 85 即为 85%",
                "error_title": "请填写百分数",
                "error_message": "完成率填 0% 到 1000% 之间的百分数，如 85%。",
            },
        )


def _cell_format(fmt: _Formats, key: str):
    return {"target": fmt.number, "actual": fmt.number, "completion": fmt.percent}.get(key, fmt.text)


def _title(ws, fmt: _Formats, title: str, meta: str, width: int) -> None:
    ws.merge_range(0, 0, 0, max(width - 1, 1), title, fmt.title)
    ws.write(1, 0, meta, fmt.meta)


def _performance_sheet(wb, fmt: _Formats, district: str, period: str, us: list[Unit], combined: bool) -> None:
    ws = wb.add_worksheet("履职情况")
    items = us[0].items
    refs = [(k, h) for k, h in REFERENCE if k in items.columns]
    prefilled_target = "target" in items.columns and items["target"].notna().any()
    cols: list[tuple[str, str, bool]] = [("street", _header("street"), True)] if combined else []
    cols += [("item_code", _header("item_code"), True), ("item_name", _header("item_name"), True)]
    cols += [(k, h, True) for k, h in refs]
    cols += [(k, _header(k), k == "target" and prefilled_target) for k in INPUT]
    meta = f"区(市)县：{district}    报告期：{period_zh(period)}"
    if not combined:
        meta = f"区(市)县：{district}    填报单位：{us[0].street}    报告期：{period_zh(period)}"
    name = district if combined else us[0].street
    _title(ws, fmt, f"{name}履职情况报表（{period_zh(period)}）", meta, len(cols))
    head = 2
    for c, (_, h, _locked) in enumerate(cols):
        ws.write(head, c, h, fmt.head)
    r = head + 1
    for u in us:
        for item in u.items.to_dict("records"):
            for c, (k, _, locked) in enumerate(cols):
                value = u.street if k == "street" else _label(k, item.get(k))
                if locked:
                    ws.write(r, c, value, fmt.locked)
                else:
                    ws.write_blank(r, c, None, _cell_format(fmt, k))
            r += 1
    last = max(r - 1, head + 1)
    for c, (k, _, locked) in enumerate(cols):
        if not locked:
            _validate(ws, fmt, head + 1, last, c, k)
    widths = {"street": 14, "item_code": 12, "item_name": 30, "function": 14, "evidence": 18, "note": 18}
    for c, (k, _, _) in enumerate(cols):
        ws.set_column(c, c, widths.get(k, 10))
    ws.set_row(head, 30)
    ws.freeze_panes(head + 1, 3 if combined else 2)
    _page(ws)
    ws.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True})


def _page(ws) -> None:
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(2)


def _plain_sheet(wb, fmt, name: str, table: str, district: str, period: str, us: list[Unit], combined: bool) -> None:
    """便民服务 / 清单外事项 / 执法情况: title line, header, input rows (one per street for 便民服务 and 执法情况)."""
    ws = wb.add_worksheet(name)
    keys = [c.key for c in guide.columns(table) if c.key not in ("district", "street", "period")]
    if combined:
        keys = ["street", *keys]
    meta = f"区(市)县：{district}    报告期：{period_zh(period)}"
    if not combined:
        meta = f"区(市)县：{district}    填报单位：{us[0].street}    报告期：{period_zh(period)}"
    _title(ws, fmt, f"{district if combined else us[0].street}{name}（{period_zh(period)}）", meta, len(keys))
    for c, k in enumerate(keys):
        ws.write(2, c, _header(k, table), fmt.head)
        ws.set_column(c, c, 16 if k in ("task_name", "assigning_department", "street") else 12)
    per_street = table in PER_STREET
    n = (len(us) if per_street else MAX_UNLISTED_ROWS) if combined else (1 if per_street else 20)
    numbers = {"cases", "online_cases", "one_visit_cases", "no_visit_approvals", "workdays", *COUNTS}
    for i in range(n):
        for c, k in enumerate(keys):
            if k == "street" and per_street:
                ws.write(3 + i, c, us[i].street, fmt.locked)
            else:
                f = fmt.number if k in numbers else fmt.percent if k == "satisfaction" else fmt.text
                ws.write_blank(3 + i, c, None, fmt.date if k == "assigned_date" else f)
    for c, k in enumerate(keys):
        if k in numbers:
            kind = "integer" if table == "enforcement" else "decimal"
            ws.data_validation(3, c, 2 + n, c, {"validate": kind, "criteria": ">=", "value": 0})
        elif k in ("access_approved", "funds_matched"):
            ws.data_validation(3, c, 2 + n, c, {"validate": "list", "source": ["是", "否"]})
        elif k == "assigned_date":
            ws.data_validation(3, c, 2 + n, c, {"validate": "date", "criteria": ">", "value": _EPOCH})
        elif k == "street" and table == "unlisted":
            ws.data_validation(3, c, 2 + n, c, {"validate": "list", "source": [u.street for u in us]})
    _page(ws)


# Sheets with one input row per street; the 执法情况 counts are whole numbers (loaders/parse.py COUNT).
PER_STREET = ("service", "enforcement")
COUNTS = {"cases_on_time", "corrections", "joint_operations", "officers"}


def has_enforcement_list(ds: Dataset, district: str, year: int) -> bool:
    """True when the district has a 执法监管清单 for the year (or an earlier one): its streets report 执法情况."""
    li = ds.list_items
    mask = li["district"].eq(district) & li["list_type"].eq("enforcement") & li["year"].le(year)
    return bool(mask.fillna(False).any())


def _guide_sheet(wb, fmt: _Formats, year: int, period: str) -> None:
    ws = wb.add_worksheet(GUIDE_SHEET)
    ws.write(0, 0, "填报说明", fmt.title)
    steps = (
        f"本模板按 {year} 年职责任务清单生成，报告期 {period_zh(period)}。",
        "灰色格子（街道、事项编号、事项名称、职能板块等）由清单预填并已锁定；只在白色格子里填写。",
        "每个事项填 目标值和完成值，或 完成率，或 完成状态，至少一项；都不填的事项按未报送、得 0 分。",
        "完成率按百分数填，直接输入 85 即为 85%；完成状态、是否按时 请从下拉框里选。",
        "请不要改工作表名称、表头，也不要改表头上方“填报单位”“报告期”那一行。",
        "便民服务、清单外事项（及有执法监管清单的区县的 执法情况）按表头填写；没有清单外事项就空着。",
        "锁定没有密码；若确需改动，可在“审阅 › 撤销工作表保护”中解除。",
    )
    r = 1
    for i, text in enumerate(steps, start=1):
        ws.write(r, 0, f"{i}. {text}", fmt.wrap)
        r += 1
    r += 1
    for row in guide.sheet_rows(("performance", "service", "unlisted", "enforcement")):
        for c, text in enumerate(row):
            ws.write(r, c, text, fmt.bold if len(row) == 1 or text == "工作表" else fmt.wrap)
        r += 1
    for c, w in enumerate((14, 14, 30, 8, 60)):
        ws.set_column(c, c, w)
    ws.protect("")


_EPOCH = __import__("datetime").date(2000, 1, 1)


def write_template(
    target: str | Path | io.BytesIO,
    district: str,
    period: str,
    us: list[Unit],
    year: int,
    combined: bool,
    ratings: tuple[list[str], float] | None = None,
    enforcement: bool = False,
) -> None:
    """Write one template workbook (one street, or a district's streets when combined) to a path or buffer;
    ratings: the departments and 满分 of the 部门评价 sheet (loaders.template_ratings), None for none;
    enforcement: with a 执法情况 sheet (the district has a 执法监管清单)."""
    import xlsxwriter

    from metrics.export.formula import PLAIN_XLSX

    # a list's item or a street named "=…" stays text: the locked cells are read back by name
    wb = xlsxwriter.Workbook(target, {"in_memory": True, **PLAIN_XLSX})
    fmt = _Formats(wb)
    _performance_sheet(wb, fmt, district, period, us, combined)
    _plain_sheet(wb, fmt, "便民服务", "service", district, period, us, combined)
    _plain_sheet(wb, fmt, "清单外事项", "unlisted", district, period, us, combined)
    if ratings is not None:
        template_ratings.ratings_sheet(wb, fmt, district, period, us, combined, ratings)
    if enforcement:
        _plain_sheet(wb, fmt, "执法情况", "enforcement", district, period, us, combined)
    _guide_sheet(wb, fmt, year, period)
    wb.close()


def file_name(district: str, period: str, street: str | None) -> str:
    """履职报表_2021Q1_武侯区_玉林街道.xlsx, or …_汇总.xlsx for a district workbook."""
    return f"履职报表模板_{period}_{district}_{street or '汇总'}.xlsx"


def make_templates(
    ds: Dataset, district: str, period: str, out: str | Path, street: str | None = None, combined: bool = False
) -> list[Path]:
    """Write the templates into folder `out`: one per street of the district (or the one street), or one combined."""
    us, year = units(ds, district, period, street)
    ratings = template_ratings.rating_plan(ds, district)
    enforcement = has_enforcement_list(ds, district, year)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    if combined:
        path = folder / file_name(district, period, None)
        write_template(path, district, period, us, year, True, ratings, enforcement)
        return [path]
    paths = []
    for u in us:
        path = folder / file_name(district, period, u.street)
        write_template(path, district, period, [u], year, False, ratings, enforcement)
        paths.append(path)
    return paths


def template_bytes(ds: Dataset, district: str, period: str, street: str | None = None) -> tuple[str, bytes]:
    """One template as (file name, bytes): the street's, or the district workbook when street is None."""
    us, year = units(ds, district, period, street)
    buf = io.BytesIO()
    ratings = template_ratings.rating_plan(ds, district)
    enforcement = has_enforcement_list(ds, district, year)
    write_template(buf, district, period, us, year, street is None, ratings, enforcement)
    return file_name(district, period, us[0].street if street else None), buf.getvalue()
