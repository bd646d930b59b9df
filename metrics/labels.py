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
LIST_TYPE_EN: dict[str, str] = {"duty": "Duty list", "service": "Service list", "enforcement": "Enforcement list"}

# column → {code: (中文, English)}
CODED: dict[str, dict[str, tuple[str, str]]] = {
    "street_type": {k: (k, v) for k, v in STREET_TYPE_EN.items()},
    "grade": {k: (k, v) for k, v in GRADE_EN.items()},
    "status": {k: (k, v) for k, v in STATUS_EN.items()},
    "function": {k: (FUNCTION_ZH.get(k, k), v) for k, v in FUNCTION_EN.items()},
    "list_type": {k: (LIST_TYPES[k], v) for k, v in LIST_TYPE_EN.items()},
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
