"""Printed names of the coded values in the data — street type, grade, status, function, list type — in zh and en.

The one place for them: the exports (metrics.export.labels) and the dashboard (dashboard.i18n) both read these.
The data keep their codes (Chinese street types, grades and statuses; English function and list keys); only what
is shown is translated, so filters and URLs keep using the codes. A value without a label prints as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from loaders.schema import LIST_TYPES
from metrics.config import FUNCTION_ZH
from metrics.office_labels import OFFICE_CODES

STREET_TYPE_EN: dict[str, str] = {"城区街道": "Urban street", "涉农街道": "Agriculture-related street", "镇": "Town"}
GRADE_EN: dict[str, str] = {"优秀": "Excellent", "良好": "Good", "合格": "Pass", "不合格": "Fail"}
STATUS_EN: dict[str, str] = {"已完成": "Done", "进行中": "In progress", "未开始": "Not started", "未完成": "Not done"}
FUNCTION_EN: dict[str, str] = {
    "community_development": "Community development",
    "public_services": "Public services",
    "comprehensive_management": "Comprehensive management",
    "business_environment": "Business environment",
    "community_safety": "Community safety",
    "investment_attraction": "Investment attraction",
    "tax_assistance": "Tax assistance",
    "economic_development": "Economic development",
}
LIST_TYPE_EN: dict[str, str] = {
    "duty": "Duty list",
    "service": "Service list",
    "enforcement": "Enforcement list",
    "affairs": "Affairs list (evaluation)",
}

# The names of the fields both the screen (dashboard.i18n) and the exports (metrics.export.labels) print: one
# wording each, so a column reads the same on screen and in the workbook. Either side adds only its own keys.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "district": ("区(市)县", "District"),
    "street": ("街道(镇)", "Street"),
    "street_type": ("街道类型", "Street type"),
    "period": ("报告期", "Period"),
    "list_year": ("清单年度", "List year"),
    "overall": ("总分", "Overall score"),
    "grade": ("等级", "Grade"),
    "score": ("得分", "Score"),
    "rank": ("名次", "Rank"),
    "rank_city": ("全市排名", "City rank"),
    "rank_district": ("区内排名", "District rank"),
    "band_city": ("全市排名区间", "City rank band"),
    "district_median": ("全区中位数", "District median"),
    "q1": ("下四分位数", "Lower quartile"),
    "q3": ("上四分位数", "Upper quartile"),
    "function": ("职能板块", "Function"),
    "item_code": ("事项编号", "Item code"),
    "item_name": ("事项名称", "Item"),
    "weight": ("权重", "Weight"),
    "target": ("目标值", "Target"),
    "actual": ("完成值", "Actual"),
    "completion": ("完成率", "Completion"),
    "status": ("完成状态", "Status"),
    "on_time": ("是否按时", "On time"),
    "evidence": ("佐证材料", "Evidence"),
    "items_listed": ("清单事项数", "Items listed"),
    "items_reported": ("已报送事项", "Items reported"),
    "items_missing": ("未报送事项", "Items missing"),
    "removed_indicators": ("已取消指标", "Removed indicators"),
    "unlisted_items": ("清单外报送行", "Unlisted report rows"),
    "unlisted_tasks": ("清单外事项", "Unlisted tasks"),
    "task_name": ("清单外事项名称", "Task outside the list"),
    "assigning_department": ("交办部门", "Assigning department"),
    "workdays": ("耗用工作日", "Workdays"),
    "yes": ("是", "yes"),
}

# column → {code: (中文, English)}
CODED: dict[str, dict[str, tuple[str, str]]] = {
    "street_type": {k: (k, v) for k, v in STREET_TYPE_EN.items()},
    "grade": {k: (k, v) for k, v in GRADE_EN.items()},
    "status": {k: (k, v) for k, v in STATUS_EN.items()},
    "function": {k: (FUNCTION_ZH.get(k, k), v) for k, v in FUNCTION_EN.items()},
    "list_type": {k: (LIST_TYPES[k], v) for k, v in LIST_TYPE_EN.items()},
    **OFFICE_CODES,  # 机构设置 (issue 15 point 4): office kinds, the five standard offices, the 5+X verdict
}
CODED_COLUMNS: tuple[str, ...] = tuple(CODED)


def label(column: str, value: object, lang: str) -> object:
    """The printed name of a coded value of column in lang (zh or en); other values (and NA) as they are."""
    pair = CODED[column].get(value) if isinstance(value, str) else None
    if pair is None:
        return value
    return pair[1] if lang == "en" else pair[0]


def labelled(column: str, values: pd.Series, lang: str) -> pd.Series:
    """values of a coded column as printed names in lang (object dtype; NA and unknown values kept)."""
    names = {code: pair[1] if lang == "en" else pair[0] for code, pair in CODED[column].items()}
    out = values.astype(object)
    return out.map(lambda v: names.get(v, v) if isinstance(v, str) else v)


def with_labels(df: pd.DataFrame, lang: str, columns: Iterable[str] = CODED_COLUMNS) -> pd.DataFrame:
    """df with its coded columns among columns replaced by their printed names in lang (other columns as they are)."""
    present = [c for c in columns if c in CODED and c in df.columns]
    return df.assign(**{c: labelled(c, df[c], lang) for c in present}) if present else df


def pairs(columns: Iterable[str] = CODED_COLUMNS) -> Mapping[str, tuple[str, str]]:
    """code → (中文, English) over the coded columns (their codes never collide)."""
    return {code: pair for c in columns for code, pair in CODED[c].items()}
