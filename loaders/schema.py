"""Canonical tables produced by the loaders: every field defined once, with dtype, unit and meaning."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where frames are made: the reading workers never need pandas
    import pandas as pd


@dataclass(frozen=True)
class Field:
    """One column of a canonical table."""

    key: str
    dtype: str  # pandas dtype name
    zh: str
    en: str
    unit: str = ""
    required: bool = False


@dataclass(frozen=True)
class Table:
    """A canonical table: its name, the sheet it comes from and its fields."""

    name: str
    sheet_zh: str
    fields: tuple[Field, ...]
    scope: tuple[str, ...] = field(default=())  # keys that identify one report (supersede unit)

    @property
    def columns(self) -> list[str]:
        return [f.key for f in self.fields]

    @property
    def dtypes(self) -> dict[str, str]:
        return {f.key: f.dtype for f in self.fields}

    def empty(self) -> pd.DataFrame:
        """An empty frame with this table's columns and dtypes."""
        import pandas as pd

        return pd.DataFrame({f.key: pd.Series(dtype=f.dtype) for f in self.fields})

    def conform(self, df: pd.DataFrame) -> pd.DataFrame:
        """Return df with exactly this table's columns, in order, cast to their dtypes."""
        import pandas as pd

        out = {}
        for f in self.fields:
            col = df[f.key] if f.key in df.columns else pd.Series([None] * len(df), index=df.index, dtype="object")
            out[f.key] = col.astype(f.dtype) if str(col.dtype) != f.dtype else col
        return pd.DataFrame(out).reset_index(drop=True)


S, F, B, INT = "string", "float64", "boolean", "Int64"

REGISTER = Table(
    "register",
    "街道名册",
    (
        Field("district", S, "区(市)县", "district", required=True),
        Field("street", S, "街道(镇)", "street or town", required=True),
        Field("street_type", S, "类型", "street type: 城区街道 / 涉农街道 / 镇"),
        Field("population", INT, "常住人口", "resident population", "persons"),
        Field("pilot", B, "试点", "pilot unit"),
        Field("area", F, "面积", "area", "km²"),
        Field("communities", INT, "社区数", "number of communities (社区/村)", "communities"),
        Field("agri_share", F, "涉农人口占比", "share of the population in agriculture", "fraction"),
        Field("firms", INT, "市场主体数", "registered market entities (firms and sole traders)", "entities"),
    ),
    scope=("district",),
)

LIST_ITEMS = Table(
    "list_items",
    "职责任务清单",
    (
        Field("district", S, "区(市)县", "district", required=True),
        Field("year", INT, "年度", "list year", "year", required=True),
        Field("list_type", S, "清单类别", "list: duty / service / enforcement", required=True),
        Field("item_code", S, "事项编号", "item code", required=True),
        Field("function", S, "职能板块", "function key (five functions or an economic category)", required=True),
        Field("major_item", S, "大项", "major item"),
        Field("item_name", S, "事项名称", "item name", required=True),
        Field("office", S, "责任科室", "responsible office"),
        Field("weight", F, "权重", "weight (1 when absent)", "points"),
        Field("source_department", S, "来源部门", "delegating department"),
        Field("access_approved", B, "准入审批", "approved through the access system"),
        Field("funds_matched", B, "财权同步下放", "funds delegated with the duty"),
        Field("direction", S, "指标方向", "正向 (more is better, default) / 反向 (less is better)"),
        Field("applies_to", S, "适用类型", "street types the item applies to, joined by 、; NA = all"),
        Field("funds_amount", F, "下放经费", "money sent down with the delegated duty (事权财权匹配)", "万元"),
        # targets of a 执法监管清单 item (issue 15 point 3): what the street's 执法情况 figures are scored against
        Field("on_time_target", F, "按时办结率目标", "target share of cases closed on time (执法监管清单)", "fraction"),
        Field(
            "correction_ceiling",
            F,
            "纠错率上限",
            "highest acceptable share of cases corrected (执法监管清单)",
            "fraction",
        ),
    ),
    scope=("district", "year", "list_type"),  # a newer workbook replaces only the lists it holds (FORMATS.md §5)
)

PERFORMANCE = Table(
    "performance",
    "履职情况",
    (
        Field("district", S, "区(市)县", "district", required=True),
        Field("street", S, "街道(镇)", "street or town", required=True),
        Field("period", S, "报告期", "quarter, e.g. 2019Q2", required=True),
        Field("item_code", S, "事项编号", "item code", required=True),
        Field("item_name", S, "事项名称", "item name"),
        Field("target", F, "目标值", "target"),
        Field("actual", F, "完成值", "actual"),
        Field("completion", F, "完成率", "completion as a fraction (0.85 = 85%), as reported, not capped", "fraction"),
        Field("status", S, "完成状态", "status: 已完成 / 进行中 / 未开始 / 未完成"),
        Field("on_time", B, "是否按时", "done on time"),
        Field("evidence", S, "佐证材料", "evidence"),
        Field("note", S, "备注", "note"),
        Field("source_row", INT, "行号", "row number in the source sheet (1-based)"),
    ),
    scope=("district", "street", "period"),
)

SERVICE = Table(
    "service",
    "便民服务",
    (
        Field("district", S, "区(市)县", "district", required=True),
        Field("street", S, "街道(镇)", "street or town", required=True),
        Field("period", S, "报告期", "quarter, e.g. 2019Q2", required=True),
        Field("cases", F, "办件量", "cases handled", "cases"),
        Field("online_cases", F, "网上办理量", "cases handled online", "cases"),
        Field("one_visit_cases", F, "一次办结量", "cases done in one visit", "cases"),
        Field("no_visit_approvals", F, "不见面审批量", "approvals without a visit", "cases"),
        Field("satisfaction", F, "群众满意度", "citizen satisfaction as a fraction", "fraction"),
    ),
    scope=("district", "street", "period"),
)

UNLISTED = Table(
    "unlisted",
    "清单外事项",
    (
        Field("district", S, "区(市)县", "district", required=True),
        Field("street", S, "街道(镇)", "street or town", required=True),
        Field("period", S, "报告期", "quarter, e.g. 2019Q2", required=True),
        Field("task_name", S, "事项名称", "task name", required=True),
        Field("assigning_department", S, "交办部门", "assigning department"),
        Field("assigned_date", "datetime64[us]", "交办日期", "date assigned", "date"),
        Field("access_approved", B, "经准入审批", "approved through the access system"),
        Field("funds_matched", B, "经费同步下放", "funds delegated with the task"),
        Field("workdays", F, "耗用工作日", "workdays spent", "workdays"),
        # the 准入 ledger (issue 15): the approval's document number and date, money sent, tasks the street returned
        Field("access_ref", S, "准入文号", "document number of the access approval, e.g. 龙府准〔2019〕12号"),
        Field("approval_date", "datetime64[us]", "审批日期", "date of the access approval", "date"),
        Field("funds_amount", F, "下放经费", "money sent down with the task", "万元"),
        Field("returned", B, "是否退回", "the street returned the task (退回) instead of doing it"),
        # 机构设置 (issue 15 point 4): the street office that did the task, for the workload per office
        Field("office", S, "承办科室", "the street's office that handled the task"),
    ),
    scope=("district", "street", "period"),
)

# Several scored lists (issue 15 point 5): which 事务清单 item evaluates which 职责任务清单 item, per district and year.
CROSSWALK = Table(
    "crosswalk",
    "清单对照",
    (
        Field("district", S, "区(市)县", "district", required=True),
        Field("year", INT, "年度", "list year", "year", required=True),
        Field("affairs_code", S, "事务编码", "item code on the 事务清单 (the evaluation list)", required=True),
        Field("duty_code", S, "清单编码", "item code on the 职责任务清单 (the duty list)", required=True),
        Field("note", S, "备注", "note"),
    ),
    scope=("district", "year"),
)
ENFORCEMENT = Table(
    "enforcement",
    "执法情况",
    (
        Field("district", S, "区(市)县", "district", required=True),
        Field("street", S, "街道(镇)", "street or town", required=True),
        Field("period", S, "报告期", "quarter, e.g. 2019Q2", required=True),
        Field("cases", F, "案件数", "enforcement cases handled in the quarter", "cases"),
        Field("cases_on_time", F, "按时办结数", "cases closed within their time limit", "cases"),
        Field("corrections", F, "复议/诉讼纠错数", "cases corrected on administrative review or in court", "cases"),
        Field("joint_operations", F, "联合执法次数", "joint enforcement operations with other bodies", "operations"),
        Field("officers", F, "执法人员数", "enforcement officers of the street's unified team", "persons"),
    ),
    scope=("district", "street", "period"),
)

# 机构设置 (issue 15 point 4): a street's offices (the 5+X model) and their staff; a district-level sheet.
OFFICES = Table(
    "offices",
    "机构设置",
    (
        Field("district", S, "区(市)县", "district", required=True),
        Field("street", S, "街道(镇)", "street or town", required=True),
        Field("office", S, "科室名称", "office (科室) as the street names it", required=True),
        Field("category", S, "科室类别", "standard (one of the five) / x (an X office) / unit (a centre or team)"),
        Field("standard_office", S, "基本科室", "which of the five standard offices (NA for X offices and units)"),
        Field("posts", F, "编制人数", "established posts", "persons"),
        Field("staff", F, "在岗人数", "staff in post", "persons"),
        Field("duties", S, "主要职能", "the office's duties, free text"),
        Field("note", S, "备注", "note"),
    ),
    scope=("district",),  # a newer 机构设置 of a district replaces its whole set, like the register
)

# 考核权 (issue 15): the streets rate the district departments, each on the scale its sheet states (满分).
DEPT_RATINGS = Table(
    "dept_ratings",
    "部门评价",
    (
        Field("district", S, "区(市)县", "district", required=True),
        Field("street", S, "街道(镇)", "the rating street or town", required=True),
        Field("period", S, "报告期", "quarter, e.g. 2019Q2", required=True),
        Field("department", S, "被评部门", "the district department rated", required=True),
        Field("scale", F, "满分", "the full mark of the scores in this row (5, 10 or 100)", "points", required=True),
        Field("guidance", F, "指导支持", "guidance and support, 0–满分", "points"),
        Field("responsiveness", F, "响应时效", "timely response, 0–满分", "points"),
        Field("funding", F, "经费保障", "funds that came with the work, 0–满分", "points"),
        Field("coordination", F, "协同配合", "cooperation, 0–满分", "points"),
        Field("comment", S, "意见建议", "the street's comments, free text"),
    ),
    scope=("district", "street", "period"),
)

# 建议权: the street's advice on the district's major plans and decisions, and whether it was taken up.
ADVICE = Table(
    "advice",
    "建议权",
    (
        Field("district", S, "区(市)县", "district", required=True),
        Field("street", S, "街道(镇)", "street or town", required=True),
        Field("decision", S, "重大规划/决策", "the major plan or decision the street was consulted on", required=True),
        Field("consulted_date", "datetime64[us]", "征求意见日期", "date the street's opinion was asked", "date"),
        Field("opinion", S, "街道意见", "the street's opinion, free text"),
        Field("adopted", S, "是否采纳", "采纳 / 部分采纳 / 未采纳 (NA = not yet answered)"),
    ),
    scope=("district", "street"),  # a newer record of a street replaces its whole record
)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        REGISTER,
        LIST_ITEMS,
        PERFORMANCE,
        SERVICE,
        UNLISTED,
        CROSSWALK,
        DEPT_RATINGS,
        ADVICE,
        ENFORCEMENT,
        OFFICES,
    )
}

# affairs: the 事务清单, a district's declared evaluation list (its streets are scored on it, FORMATS.md §4)
LIST_TYPES = {"duty": "职责任务清单", "service": "便民服务清单", "enforcement": "执法监管清单", "affairs": "事务清单"}


@dataclass
class Dataset:
    """All canonical tables of one evaluation: what the store holds and what metrics read."""

    register: pd.DataFrame = field(default_factory=REGISTER.empty)
    list_items: pd.DataFrame = field(default_factory=LIST_ITEMS.empty)
    performance: pd.DataFrame = field(default_factory=PERFORMANCE.empty)
    service: pd.DataFrame = field(default_factory=SERVICE.empty)
    unlisted: pd.DataFrame = field(default_factory=UNLISTED.empty)
    crosswalk: pd.DataFrame = field(default_factory=CROSSWALK.empty)
    dept_ratings: pd.DataFrame = field(default_factory=DEPT_RATINGS.empty)
    advice: pd.DataFrame = field(default_factory=ADVICE.empty)
    enforcement: pd.DataFrame = field(default_factory=ENFORCEMENT.empty)  # 执法情况 (issue 15 point 3)
    offices: pd.DataFrame = field(default_factory=OFFICES.empty)  # 机构设置 (issue 15 point 4)

    def table(self, name: str) -> pd.DataFrame:
        return getattr(self, name)
