"""Captions of the evaluation-list coverage columns (issue 15, several scored lists), Chinese and English: the
exports and the dashboard both read them from here."""

from __future__ import annotations

COVERAGE_COLUMNS: dict[str, tuple[str, str]] = {
    "district": ("区(市)县", "District"),
    "year": ("年度", "Year"),
    "duty_items": ("职责事项", "Duties"),
    "duty_evaluated": ("已纳入考核", "Evaluated"),
    "duty_not_evaluated": ("未纳入考核的职责", "Duties never evaluated"),
    "share_duty_evaluated": ("职责考核覆盖率", "Duties evaluated"),
    "affairs_items": ("事务清单事项", "Affairs"),
    "affairs_with_duty": ("有职责依据的事务", "Affairs with a duty"),
    "affairs_without_duty": ("无职责依据的事务", "Affairs with no duty"),
    "pairs": ("对照关系", "Pairs"),
    "pairs_off_list": ("编码不在清单上", "Codes off the list"),
    "side": ("类别", "Kind"),
    "item_code": ("事项编号", "Item code"),
    "item_name": ("事项名称", "Item"),
    "function": ("职能板块", "Function"),
    "weight": ("权重", "Weight"),
    "gap_removed": ("招商/协税类，本不计分", "Economic: never scored anyway"),
    "affairs_code": ("事务编码", "Affair code"),
    "affairs_name": ("事务名称", "Affair"),
    "duty_code": ("清单编码", "Duty code"),
    "duty_name": ("职责事项", "Duty"),
}
# How each column is printed: int, num (one decimal), pct, text.
KINDS: dict[str, str] = {"share_duty_evaluated": "pct", "weight": "num"} | {
    k: "text" for k in ("district", "side", "item_code", "item_name", "function", "gap_removed")
}


def caption(key: str, lang: str) -> str:
    """The caption of a coverage column in lang (zh or en)."""
    zh, en = COVERAGE_COLUMNS[key]
    return en if lang == "en" else zh
