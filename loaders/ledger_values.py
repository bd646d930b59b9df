"""Parsers of the 准入 ledger and funds cells (issue 15): 准入文号, 下放经费(万元), 是否退回."""

from __future__ import annotations

import datetime as dt
import re

from loaders.text import key, nfkc
from loaders.values import EMPTY_MARKS, BadValue, parse_number, parse_yesno
from loaders.vocab import vocabulary

_WAN = re.compile(r"^(.*?)(万元|万)$")
_YUAN = re.compile(r"^(.*?)元$")


def parse_funds_wan(value: object) -> float | None:
    """Money in 万元: 12.5, '12.5万元', '12.5万', '125,000元' (→ 12.5); negative or unreadable: BadValue."""
    if isinstance(value, str):
        text = nfkc(value).replace(",", "").replace(" ", "")
        for pattern, scale in ((_WAN, 1.0), (_YUAN, 1e-4)):
            m = pattern.match(text)
            if m:
                try:
                    number = parse_number(m.group(1))
                except BadValue:
                    number = None
                if number is None:
                    raise BadValue(f"“{nfkc(value)}”不是金额", f"'{nfkc(value)}' is not an amount of money")
                return _not_negative(number * scale, value)
    number = parse_number(value)
    return None if number is None else _not_negative(number, value)


def _not_negative(number: float, raw: object) -> float:
    if number < 0:
        raise BadValue(f"下放经费“{nfkc(raw)}”为负数", f"funds sent '{nfkc(raw)}' are negative")
    return number


# The year of a document number stands in 〔〕 in print; officers type (), [], 【】 or the full-width forms.
_YEAR_BRACKETS = re.compile(r"[(\[【〔﹝［（]\s*(\d{4})\s*[)\]】〕﹞］）]")
_SPACE = re.compile(r"\s+")


def parse_doc_ref(value: object) -> str | None:
    """准入文号 as printed: '龙府准(2019)12号' → '龙府准〔2019〕12号'; a number or a date is not a document number."""
    if value is None:
        return None
    if isinstance(value, dt.date | dt.time):
        raise BadValue(
            "准入文号被 Excel 自动转成了日期，请将该列设为“文本”格式后重新输入文号",
            "the access document number was turned into a date by Excel; format the column as text and type it again",
        )
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise BadValue(
            f"“{value}”不是文号（应如“龙府准〔2019〕12号”）",
            f"'{value}' is not a document number (expected like 龙府准〔2019〕12号)",
        )
    text = _SPACE.sub("", nfkc(value))
    if text.lower() in EMPTY_MARKS:
        return None
    return _YEAR_BRACKETS.sub(r"〔\1〕", text)


def parse_returned(value: object) -> bool | None:
    """是否退回: 已退回 / 退回 / 是 … → True; 未退回 / 已承接 / 否 … → False."""
    if isinstance(value, str):
        found = vocabulary("returned").get(key(value))
        if found is not None:
            return found == "true"
    try:
        return parse_yesno(value)
    except BadValue:
        raise BadValue(
            f"“{nfkc(value)}”不是“是/否”或“已退回/未退回”", f"'{nfkc(value)}' is not yes/no or returned/kept"
        ) from None
