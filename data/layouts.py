"""Lay simulated tables out as officers fill them in: title lines, merged headers, varied value spellings."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data import names
from data.world import District, Item, Street
from data.xlsx import Sheet, Styled

CN_DIGITS = "一二三四"
FULLWIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


# --- value spellings -------------------------------------------------------------------------------


def period_text(period: str, form: str) -> str:
    """2019Q2 as 'q' 2019Q2, 'dash' 2019-Q2, 'cn' 2019年第二季度, 'cn_short' 2019年二季度, 'month' 2019年6月."""
    year, q = period[:4], int(period[-1])
    return {
        "q": period,
        "dash": f"{year}-Q{q}",
        "cn": f"{year}年第{CN_DIGITS[q - 1]}季度",
        "cn_short": f"{year}年{CN_DIGITS[q - 1]}季度",
        "month": f"{year}年{3 * q}月",
    }[form]


def pct_value(c: float, form: str, rng: np.random.Generator) -> object:
    """A fraction as 'text' 85%, 'number' 85, 'fraction' 0.85, 'fullwidth' ８５％ or 'formatted' (0.85 as 0%)."""
    if form == "mixed":
        form = str(rng.choice(["text", "number", "fraction", "formatted"]))
    pct = round(c * 100, 1)
    text = f"{pct:g}%"
    if form == "text":
        return text
    if form == "fullwidth":
        return text.translate(FULLWIDTH)
    if form == "number":
        # A bare number ≤ 2 reads as a fraction; officers who write percents spell small ones out.
        return text if 0 < pct <= 2 else pct
    if form == "formatted":
        return Styled(round(c, 4), "pct")
    return round(c, 4)


def yes_no(value: bool, form: str) -> str:
    """True/False as 'shi' 是/否, 'check' √/×, 'yn' Y/N."""
    pair = {"shi": ("是", "否"), "check": ("√", "×"), "yn": ("Y", "N")}[form]
    return pair[0] if value else pair[1]


def date_value(value: pd.Timestamp, form: str, rng: np.random.Generator) -> object:
    """A date as an Excel date, '2019-08-02', '2019/8/2' or '2019年8月2日'."""
    if form == "mixed":
        form = str(rng.choice(["excel", "iso", "slash", "cn"]))
    if form == "iso":
        return f"{value:%Y-%m-%d}"
    if form == "slash":
        return f"{value.year}/{value.month}/{value.day}"
    if form == "cn":
        return f"{value.year}年{value.month}月{value.day}日"
    return Styled(value, "date")


def _records(df: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as plain dicts (faster than DataFrame.to_dict for pandas string columns)."""
    cols = list(df.columns)
    return [dict(zip(cols, values, strict=True)) for values in zip(*(df[c].tolist() for c in cols), strict=True)]


# --- generic sheet ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of a laid-out table: its key, header text, optional two-row group and width."""

    key: str
    label: str
    group: str = ""
    width: float = 11


def table_sheet(
    name: str,
    columns: list[Column],
    rows: list[list[object] | None],
    *,
    title: str | None = None,
    synthetic_top: bool = True,
    meta: tuple[tuple[str, str], ...] = (),
    meta_form: str = "line",
    extra_lines: tuple[str, ...] = (),
    two_row: bool = False,
    footers: tuple[list[object], ...] = (),
) -> Sheet:
    """A sheet with title lines, a one- or two-row header, data rows (None = blank row) and footer rows."""
    sheet = Sheet(name, widths={k: c.width for k, c in enumerate(columns)})
    last = max(len(columns) - 1, 1)

    def line(text: str, role: str = "") -> None:
        r = sheet.add([text], role)
        sheet.merge(r, 0, r, last)

    if title:
        line(title, "title")
    if synthetic_top:
        line(names.SYNTHETIC_NOTE)
    if meta and meta_form == "line":
        line("    ".join(f"{k}：{v}" for k, v in meta))
    elif meta:
        cells: list[object] = []
        for k, v in meta:
            cells += [f"{k}：", v, None]
        sheet.add(cells[:-1])
    for text in extra_lines:
        line(text)
    _header(sheet, columns, two_row)
    for row in rows:
        if row is None:
            sheet.blank()
        else:
            sheet.add(row)
    for row in footers:
        r = sheet.add(row)
        if len(row) == 1:
            sheet.merge(r, 0, r, last)
    return sheet


def _header(sheet: Sheet, columns: list[Column], two_row: bool) -> None:
    if not two_row or not any(c.group for c in columns):
        sheet.add([c.label for c in columns], "header")
        return
    top = [c.group or c.label for c in columns]
    bottom = [c.label if c.group else None for c in columns]
    r = sheet.add(top, "header")
    sheet.add(bottom, "header")
    k = 0
    while k < len(columns):
        group = columns[k].group
        if not group:
            sheet.merge(r, k, r + 1, k)
            k += 1
            continue
        end = k
        while end + 1 < len(columns) and columns[end + 1].group == group:
            end += 1
        if end > k:
            sheet.merge(r, k, r, end)
        k = end + 1


# --- quarterly reports -----------------------------------------------------------------------------

PERF_LABELS: dict[str, dict[str, str]] = {
    "plain": {
        "seq": "序号",
        "street": "街道(镇)",
        "period": "报告期",
        "code": "事项编号",
        "name": "事项名称",
        "target": "目标值",
        "actual": "完成值",
        "completion": "完成率",
        "status": "完成状态",
        "on_time": "是否按时",
        "evidence": "佐证材料",
        "note": "备注",
    },
    "spaced": {
        "seq": "序 号",
        "street": "街道 (镇)",
        "period": "报 告 期",
        "code": "事项 编号",
        "name": "事 项 名 称",
        "target": "目标值 ",
        "actual": " 完成值",
        "completion": "完成率\n(%)",
        "status": "完成\n状态",
        "on_time": "是否\n按时",
        "evidence": "佐证\n材料",
        "note": "备  注",
    },
    "fullwidth": {
        "seq": "序号",
        "street": "街道（镇）",
        "period": "考核期",
        "code": "事项代码",
        "name": "职责事项",
        "target": "目标",
        "actual": "实际完成",
        "completion": "完成率（％）",
        "status": "进度",
        "on_time": "按时完成",
        "evidence": "佐证",
        "note": "说明",
    },
    "short": {
        "seq": "序号",
        "street": "街镇",
        "period": "期间",
        "code": "编号",
        "name": "事项内容",
        "target": "目标",
        "actual": "实际完成",
        "completion": "完成比例",
        "status": "完成状态",
        "on_time": "按时完成",
        "evidence": "佐证",
        "note": "备注",
    },
}
PERF_LABELS["two_row"] = {**PERF_LABELS["plain"], "completion": "完成率(%)"}

SERVICE_LABELS: dict[str, dict[str, str]] = {
    "plain": {
        "cases": "办件量",
        "online": "网上办理量",
        "one_visit": "一次办结量",
        "no_visit": "不见面审批量",
        "satisfaction": "群众满意度",
    },
    "spaced": {
        "cases": "办件量",
        "online": "网上\n办理量",
        "one_visit": "一次\n办结量",
        "no_visit": "不见面\n审批量",
        "satisfaction": "群众满意度\n(%)",
    },
    "fullwidth": {
        "cases": "办件量",
        "online": "网上办理量",
        "one_visit": "一次办结量",
        "no_visit": "不见面审批量",
        "satisfaction": "群众满意度（％）",
    },
}
SERVICE_LABELS["short"] = SERVICE_LABELS["plain"]
SERVICE_LABELS["two_row"] = {**SERVICE_LABELS["plain"], "satisfaction": "群众满意度(%)"}

UNLISTED_LABELS: dict[str, str] = {
    "task": "事项名称",
    "department": "交办部门",
    "date": "交办日期",
    "approved": "经准入审批",
    "funds": "经费同步下放",
    "workdays": "耗用工作日",
    "ref": "准入文号",
    "approval_date": "审批日期",
    "funds_wan": "下放经费(万元)",
    "returned": "是否退回",
    "office": "承办科室",
}
UNLISTED_SPACED: dict[str, str] = {
    "task": "事项\n名称",
    "department": "交办\n部门",
    "date": "交办\n日期",
    "approved": "经准入\n审批",
    "funds": "经费同步\n下放",
    "workdays": "耗用\n工作日",
    "ref": "准入\n文号",
    "approval_date": "审批\n日期",
    "funds_wan": "下放经费\n（万元）",
    "returned": "是否\n退回",
    "office": "承办\n科室",
}


@dataclass(frozen=True)
class ReportStyle:
    """How one officer lays out a quarterly report workbook."""

    name: str
    title: str | None = "{district}街道履职情况季度报表"
    street_in: str = "title"  # title / column (consolidated reports always use a column)
    period_in: str = "title"  # title / column
    meta_form: str = "line"  # line: 填报单位：… 报告期：… ; cells: name and value in adjacent cells
    period_fmt: str = "q"
    street_fmt: str = "full"  # full / short / office / gov / mixed
    header: str = "plain"  # plain / spaced / fullwidth / short / two_row
    values: str = "full"  # full (target, actual, completion, status) / completion / status
    pct: str = "text"
    yesno: str = "shi"
    dates: str = "excel"
    seq: bool = False
    blank_between: bool = False
    footers: tuple[str, ...] = ()  # total / signers / note
    perf_sheet: str = "履职情况"
    service_sheet: str | None = "便民服务"
    unlisted_sheet: str | None = "清单外事项"
    synthetic: str = "title"  # title (a line above the header) / footer (a 注： row)
    report_date: bool = False  # a 填报日期：… line in the title area
    district_meta: bool = False  # 区(市)县：… in the title area
    completion_share: float = 0.5  # share of target+actual rows that also fill 完成率
    messy: tuple[str, ...] = field(default=())  # the messy variants this style uses, for the README

    def street_text(self, street: Street, rng: np.random.Generator) -> str:
        form = self.street_fmt
        if form == "mixed":  # each street keeps its own spelling, as each office types its own name
            form = ("full", "short", "office")[zlib.crc32(street.name.encode("utf-8")) % 3]
        return street.spelled(form)


def _perf_columns(style: ReportStyle, consolidated: bool) -> list[Column]:
    labels = PERF_LABELS[style.header]
    keys = ["seq"] if style.seq else []
    if consolidated or style.street_in == "column":
        keys.append("street")
    if style.period_in == "column":
        keys.append("period")
    keys += ["code", "name"]
    keys += {
        "full": ["target", "actual", "completion", "status", "on_time", "evidence", "note"],
        "completion": ["completion", "status", "on_time", "note"],
        "status": ["status", "on_time", "evidence", "note"],
    }[style.values]
    group = "完成情况" if style.header == "two_row" else ""
    widths = {"name": 26, "street": 14, "period": 14, "evidence": 14, "seq": 6}
    return [
        Column(k, labels[k], group if k in ("target", "actual", "completion") else "", widths.get(k, 10)) for k in keys
    ]


def _perf_cells(style: ReportStyle, row: dict[str, object], rng: np.random.Generator) -> dict[str, object]:
    cells: dict[str, object] = {"code": row["code"], "name": row["name"], "note": row["note"] or None}
    measure = row["measure"]
    if style.values == "status":
        measure = "status"
    elif style.values == "completion" and measure == "quant":
        measure = "pct"
    if measure == "quant":
        cells["target"] = int(row["target"])
        cells["actual"] = int(row["actual"])
        if rng.random() < style.completion_share:
            cells["completion"] = pct_value(row["completion"], style.pct, rng)
    elif measure == "pct":
        cells["completion"] = pct_value(row["completion"], style.pct, rng)
    if measure == "status" or style.values == "full":
        cells["status"] = row["status"]
    cells["on_time"] = yes_no(bool(row["on_time"]), style.yesno)
    cells["evidence"] = row["evidence"] or None
    return cells


def perf_sheet(
    style: ReportStyle,
    district: District,
    period: str,
    perf: pd.DataFrame,
    streets: dict[str, Street],
    rng: np.random.Generator,
    street: Street | None = None,
) -> Sheet:
    """The 履职情况 sheet of one report (street=None: a consolidated district report)."""
    consolidated = street is None
    columns = _perf_columns(style, consolidated)
    keys = [c.key for c in columns]
    ptext = period_text(period, style.period_fmt)
    rows: list[list[object] | None] = []
    prev_block = None
    for seq, rec in enumerate(_records(perf), start=1):
        block = rec["street"] if consolidated else rec["function"]
        if style.blank_between and prev_block is not None and block != prev_block:
            rows.append(None)
        prev_block = block
        cells = _perf_cells(style, rec, rng)
        cells["seq"] = seq
        cells["street"] = style.street_text(streets[rec["street"]], rng)
        cells["period"] = ptext
        rows.append([cells.get(k) for k in keys])
    footers = _footers(style, keys, perf, rng)
    return table_sheet(
        style.perf_sheet,
        columns,
        rows,
        title=style.title.format(district=district.name) if style.title else None,
        synthetic_top=style.synthetic == "title",
        meta=_meta(style, district, period, street, rng),
        meta_form=style.meta_form,
        extra_lines=_report_date(style, period),
        two_row=style.header == "two_row",
        footers=footers,
    )


def _meta(
    style: ReportStyle, district: District, period: str, street: Street | None, rng: np.random.Generator
) -> tuple[tuple[str, str], ...]:
    meta: list[tuple[str, str]] = []
    if style.district_meta or (street is None and style.period_in == "title"):
        meta.append(("区(市)县", district.name))
    if street is not None and style.street_in == "title":
        meta.append(("填报单位", style.street_text(street, rng)))
    if style.period_in == "title":
        meta.append(("报告期", period_text(period, style.period_fmt)))
    return tuple(meta)


def _report_date(style: ReportStyle, period: str) -> tuple[str, ...]:
    if not style.report_date:
        return ()
    year, q = int(period[:4]), int(period[-1])
    year, month = (year + 1, 1) if q == 4 else (year, 3 * q + 1)
    return (f"填报日期：{year}年{month}月8日",)


def _footers(
    style: ReportStyle, keys: list[str], perf: pd.DataFrame, rng: np.random.Generator
) -> tuple[list[object], ...]:
    out: list[list[object]] = []
    if "total" in style.footers and style.values == "full":
        row: list[object] = [None] * len(keys)
        row[0] = "合计"
        quant = perf[perf["measure"] == "quant"]
        if "target" in keys:
            row[keys.index("target")] = int(quant["target"].sum())
            row[keys.index("actual")] = int(quant["actual"].sum())
        out.append(row)
    if "signers" in style.footers:
        people = rng.choice(np.array(names.PEOPLE, dtype=object), 2, replace=False)
        row = [None] * max(len(keys), 5)
        row[0] = f"填表人：{people[0]}"
        row[3] = f"审核人：{people[1]}"
        out.append(row)
    if "note" in style.footers:
        out.append(["注：完成率按完成值/目标值计算，定性事项填写完成状态。"])
    if style.synthetic == "footer":
        out.append([f"注：{names.SYNTHETIC_NOTE}"])
    return tuple(out)


def service_sheet(
    style: ReportStyle,
    district: District,
    period: str,
    service: pd.DataFrame,
    streets: dict[str, Street],
    rng: np.random.Generator,
    street: Street | None = None,
) -> Sheet:
    """The 便民服务 sheet: one row per street."""
    consolidated = street is None
    labels = SERVICE_LABELS[style.header]
    perf_labels = PERF_LABELS[style.header]
    keys = (["seq"] if style.seq else []) + (["street"] if consolidated or style.street_in == "column" else [])
    keys += ["period"] if style.period_in == "column" else []
    value_keys = ["cases", "online", "one_visit", "no_visit", "satisfaction"]
    group = "办理情况" if style.header == "two_row" else ""
    columns = [Column(k, perf_labels[k], width=14) for k in keys] + [
        Column(k, labels[k], group if k != "satisfaction" else "", 12) for k in value_keys
    ]
    rows: list[list[object] | None] = []
    for seq, rec in enumerate(service.to_dict("records"), start=1):
        cells = {
            "seq": seq,
            "street": style.street_text(streets[rec["street"]], rng),
            "period": period_text(period, style.period_fmt),
            **{k: int(rec[k]) for k in value_keys[:-1]},
            "satisfaction": pct_value(rec["satisfaction"], style.pct, rng),
        }
        rows.append([cells[c.key] for c in columns])
    footers: list[list[object]] = []
    if consolidated and "total" in style.footers:
        total: list[object] = [None] * len(columns)
        total[0] = "合计"
        for k in value_keys[:-1]:
            total[len(keys) + value_keys.index(k)] = int(service[k].sum())
        footers.append(total)
    if style.synthetic == "footer":
        footers.append([f"注：{names.SYNTHETIC_NOTE}"])
    return table_sheet(
        style.service_sheet or "便民服务",
        columns,
        rows,
        title=f"{district.name}便民服务情况统计表" if style.title else None,
        synthetic_top=style.synthetic == "title",
        meta=_meta(style, district, period, street, rng),
        meta_form=style.meta_form,
        two_row=style.header == "two_row",
        footers=tuple(footers),
    )


def unlisted_sheet(
    style: ReportStyle,
    district: District,
    period: str,
    unlisted: pd.DataFrame,
    streets: dict[str, Street],
    rng: np.random.Generator,
    street: Street | None = None,
) -> Sheet:
    """The 清单外事项 sheet: tasks pushed onto the street(s) outside the list."""
    consolidated = street is None
    labels = UNLISTED_SPACED if style.header == "spaced" else UNLISTED_LABELS
    perf_labels = PERF_LABELS[style.header]
    keys = (["seq"] if style.seq else []) + (["street"] if consolidated or style.street_in == "column" else [])
    keys += ["period"] if style.period_in == "column" else []
    value_keys = [k for k in UNLISTED_LABELS if k in unlisted.columns or k in UNLISTED_BASE]
    widths = {"task": 22, "department": 16, "date": 14, "ref": 18, "approval_date": 14}
    columns = [Column(k, perf_labels[k], width=14) for k in keys] + [
        Column(k, labels[k], width=widths.get(k, 11)) for k in value_keys
    ]
    rows: list[list[object] | None] = []
    for seq, rec in enumerate(unlisted.to_dict("records"), start=1):
        cells = {
            "seq": seq,
            "street": style.street_text(streets[rec["street"]], rng),
            "period": period_text(period, style.period_fmt),
            "task": rec["task"],
            "department": rec["department"],
            "date": date_value(pd.Timestamp(rec["date"]), style.dates, rng),
            "approved": yes_no(rec["approved"], style.yesno),
            "funds": yes_no(rec["funds"], style.yesno),
            "workdays": rec["workdays"],
            # 承办科室 (机构设置, issue 15 point 4)
            "office": rec["office"] if isinstance(rec.get("office"), str) else None,
        }
        if "ref" in rec:  # the 准入 ledger columns (issue 15)
            cells.update(_ledger_cells(style, rec, rng))
        rows.append([cells[c.key] for c in columns])
    footers: list[list[object]] = []
    if unlisted.empty:
        footers.append(["注：本季度无清单外事项。"])
    if style.synthetic == "footer":
        footers.append([f"注：{names.SYNTHETIC_NOTE}"])
    return table_sheet(
        style.unlisted_sheet or "清单外事项",
        columns,
        rows,
        title=f"{district.name}清单外事项统计表" if style.title else None,
        synthetic_top=style.synthetic == "title",
        meta=_meta(style, district, period, street, rng),
        meta_form=style.meta_form,
        footers=tuple(footers),
    )


UNLISTED_BASE = ("task", "department", "date", "approved", "funds", "workdays")


def _ledger_cells(style: ReportStyle, rec: dict, rng: np.random.Generator) -> dict[str, object]:
    """准入文号, 审批日期, 下放经费, 是否退回 as this officer writes them: 龙泉驿 (√/×) writes 已退回 / 已承接, the
    full-width officers write the money as text with its unit and the year in ASCII brackets."""
    ref, money = (rec["ref"] if isinstance(rec["ref"], str) else None), rec["funds_wan"]
    if style.header == "fullwidth":
        ref = ref.replace("〔", "(").replace("〕", ")") if ref else ref
        money = f"{money:g}万元"
    if style.yesno == "check":
        returned: object = "已退回" if rec["returned"] else "已承接"
    else:
        returned = yes_no(bool(rec["returned"]), style.yesno)
    when = rec["approval_date"]
    return {
        "ref": ref,
        "approval_date": None if when is None or pd.isna(when) else date_value(pd.Timestamp(when), style.dates, rng),
        "funds_wan": money,
        "returned": returned,
    }


def report_sheets(
    style: ReportStyle,
    district: District,
    period: str,
    frames: dict[str, pd.DataFrame],
    streets: dict[str, Street],
    rng: np.random.Generator,
    street: Street | None = None,
) -> list[Sheet]:
    """All sheets of one report workbook (frames: perf, service, unlisted)."""
    sheets = [perf_sheet(style, district, period, frames["perf"], streets, rng, street)]
    if style.service_sheet:
        sheets.append(service_sheet(style, district, period, frames["service"], streets, rng, street))
    if style.unlisted_sheet:
        sheets.append(unlisted_sheet(style, district, period, frames["unlisted"], streets, rng, street))
    return sheets


# --- lists and register ----------------------------------------------------------------------------

LIST_LABELS: dict[str, dict[str, str]] = {
    "full": {
        "seq": "序号",
        "district": "区(市)县",
        "year": "年度",
        "category": "清单类别",
        "code": "事项编号",
        "function": "职能板块",
        "major": "大项",
        "name": "事项名称",
        "office": "责任科室",
        "weight": "权重",
        "source": "来源部门",
        "approved": "准入审批",
        "funds": "财权同步下放",
        "funds_wan": "下放经费(万元)",
        "direction": "指标方向",
        "applies": "适用类型",
        "on_time_target": "按时办结率目标",
        "correction_ceiling": "纠错率上限",
    },
    "short": {
        "seq": "序号",
        "district": "区县",
        "year": "年度",
        "category": "清单类别",
        "code": "事项编号",
        "function": "职能",
        "major": "大项",
        "name": "小项",
        "office": "牵头科室",
        "weight": "权重分值",
        "source": "下放部门",
        "approved": "是否经准入审批",
        "funds": "经费同步下放",
        "funds_wan": "下放经费",
        "direction": "方向",
        "applies": "适用街道类型",
        "on_time_target": "按时办结率",
        "correction_ceiling": "纠错率目标",
    },
    "alt": {
        "seq": "序号",
        "district": "区（市）县",
        "year": "年度",
        "category": "清单类别",
        "code": "编号",
        "function": "所属职能",
        "major": "事项大类",
        "name": "职责事项",
        "office": "责任部门",
        "weight": "分值",
        "source": "来源部门",
        "approved": "准入审批",
        "funds": "财权同步下放",
        "funds_wan": "下放资金（万元）",
        "direction": "指标方向",
        "applies": "适用类型",
        "on_time_target": "按时办结率目标",
        "correction_ceiling": "纠错率上限",
    },
}

CATEGORY = {"duty": "职责任务", "service": "便民服务", "enforcement": "执法监管", "affairs": "事务"}
LIST_SHEETS = {"duty": "职责任务清单", "service": "便民服务清单", "enforcement": "执法监管清单", "affairs": "事务清单"}
SCORED_LISTS = ("duty", "affairs")  # lists with weights and directions: the duty list and a declared 事务清单


@dataclass(frozen=True)
class ListStyle:
    """How a district lays out its list workbook."""

    labels: str = "full"
    single_sheet: bool = False  # one 三张清单 sheet with a 清单类别 column
    meta: str = "line"  # line / cells / columns
    fn_form: int = 0  # 0 full form (统筹社区发展), 1 short form (社区发展)
    weight: bool = True
    delegation: tuple[str, ...] = ("source", "approved", "funds", "funds_wan")
    yesno: str = "shi"
    seq: bool = True
    sheet_year: bool = False  # 2019年职责任务清单
    blank_between: bool = False  # blank row between function blocks
    year_text: str = "{year}年"
    messy: tuple[str, ...] = field(default=())


def _function_label(key: str, form: int) -> str:
    if key in names.FUNCTIONS:
        return names.FUNCTIONS[key][form]
    return names.ECONOMIC[key]


def list_sheets(style: ListStyle, district: District, year: int, lists: dict[str, list[Item]]) -> list[Sheet]:
    """The list workbook's sheets: one per list, or one 三张清单 sheet with a 清单类别 column."""
    labels = LIST_LABELS[style.labels]
    keys = ["seq"] if style.seq else []
    keys += ["district", "year"] if style.meta == "columns" else []
    keys += ["category"] if style.single_sheet else []
    keys += ["code", "function", "major", "name", "office"]
    keys += ["weight"] if style.weight else []
    keys += list(style.delegation)
    keys += ["direction", "applies"]  # FORMATS.md §6
    if any(it.on_time_target is not None for items in lists.values() for it in items):
        keys += ["on_time_target", "correction_ceiling"]  # the 执法监管清单's targets (issue 15 point 3)
    widths = {"name": 26, "applies": 14, "major": 12, "function": 14, "office": 14, "source": 14, "seq": 6}
    columns = [Column(k, labels[k], width=widths.get(k, 10)) for k in keys]
    groups = [list(lists)] if style.single_sheet else [[t] for t in lists]
    sheets = []
    for types in groups:
        rows: list[list[object] | None] = []
        seq = 0
        for list_type in types:
            prev = None
            for it in lists[list_type]:
                if style.blank_between and prev is not None and it.function != prev:
                    rows.append(None)
                prev = it.function
                seq += 1
                cells = _list_cells(style, district, year, list_type, it, seq)
                rows.append([cells.get(k) for k in keys])
        base = "三张清单" if style.single_sheet else LIST_SHEETS[types[0]]
        name = f"{year}年{base}" if style.sheet_year else base
        title_base = "街道三张清单" if style.single_sheet else f"街道{base}"
        meta = (("区(市)县", district.name), ("年度", style.year_text.format(year=year)))
        sheets.append(
            table_sheet(
                name,
                columns,
                rows,
                title=f"{district.name}{title_base}（{year}年版）",
                meta=meta if style.meta != "columns" else (),
                meta_form=style.meta,
                footers=(["注：权重为百分制考核中的相对分值。"],) if style.weight else (),
            )
        )
    return sheets


def _list_cells(
    style: ListStyle, district: District, year: int, list_type: str, it: Item, seq: int
) -> dict[str, object]:
    cells: dict[str, object] = {
        "seq": seq,
        "district": district.name,
        "year": style.year_text.format(year=year),
        "category": CATEGORY[list_type],
        "code": it.code,
        "function": _function_label(it.function, style.fn_form),
        "major": it.major or None,
        "name": it.name,
        "office": it.office,
        "weight": (int(it.weight) if float(it.weight).is_integer() else it.weight)
        if list_type in SCORED_LISTS
        else None,
    }
    cells["direction"] = (it.direction or "正向") if list_type in SCORED_LISTS else None
    cells["applies"] = it.applies_to or None
    for key in ("on_time_target", "correction_ceiling"):
        value = getattr(it, key)
        cells[key] = None if value is None else f"{value * 100:g}%"
    if it.delegated:
        cells["source"] = it.source_department
        cells["approved"] = yes_no(bool(it.approved), style.yesno)
        cells["funds"] = yes_no(bool(it.funds), style.yesno)
        cells["funds_wan"] = it.funds_wan
    return cells


def street_context(s: Street) -> tuple[float, int, str, int]:
    """Synthetic context of a street (面积 km², 社区数, 涉农人口占比 as text, 市场主体数), drawn from its type."""
    rng = np.random.default_rng(zlib.crc32(f"context {s.district} {s.name}".encode()))
    area = {"城区街道": (3, 12), "涉农街道": (15, 60), "镇": (30, 140)}[s.street_type]
    agri = {"城区街道": (0, 0.03), "涉农街道": (0.15, 0.45), "镇": (0.35, 0.75)}[s.street_type]
    per_firm = {"城区街道": (8, 15), "涉农街道": (18, 30), "镇": (25, 45)}[s.street_type]
    communities = max(3, round(s.population / float(rng.uniform(6000, 11000))))
    return (
        round(float(rng.uniform(*area)), 1),
        int(communities),
        f"{float(rng.uniform(*agri)) * 100:.1f}%",
        int(s.population / float(rng.uniform(*per_firm))),
    )


def register_sheet(districts: list[District], title: str) -> Sheet:
    """The 街道名册 sheet."""
    columns = [
        Column("seq", "序号", width=6),
        Column("district", "区(市)县", width=12),
        Column("street", "街道(镇)", width=14),
        Column("type", "类型", width=10),
        Column("population", "常住人口", width=12),
        Column("pilot", "试点", width=6),
        Column("area", "面积(平方公里)", width=12),
        Column("communities", "社区数", width=8),
        Column("agri", "涉农人口占比", width=10),
        Column("firms", "市场主体数", width=10),
    ]
    rows: list[list[object] | None] = []
    seq = 0
    for district in districts:
        for s in district.streets:
            seq += 1
            rows.append(
                [seq, district.name, s.name, s.street_type, s.population, yes_no(s.pilot, "shi"), *street_context(s)]
            )
    return table_sheet(
        "街道名册",
        columns,
        rows,
        title=title,
        footers=(["注：常住人口、面积、社区数、涉农人口占比、市场主体数均为合成示例数，不是统计数据。"],),
    )
