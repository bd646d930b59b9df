"""Parsers for single cell values: numbers, percentages, yes/no, periods, years and dates.

Each parser takes what python-calamine returns for a cell (str, float, int, bool, date, datetime
or None) and returns the canonical value, None for an empty cell, or raises BadValue.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from loaders.text import key, nfkc
from loaders.vocab import vocabulary

EMPTY_MARKS = {"", "-", "--", "—", "——", "/", "\\", "无数据", "n/a", "na"}


class BadValue(ValueError):
    """A cell value that cannot be read; carries the reason in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def _text(value: object) -> str:
    return nfkc(value).replace(",", "").replace(" ", "")


def parse_number(value: object) -> float | None:
    """A plain number: 12, '12', '1,200', '１２'; None when empty."""
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise BadValue(f"“{value}”不是数字", f"'{value}' is not a number")
        return None
    if isinstance(value, int | float):
        if value != value:  # NaN
            return None
        number = float(value)
    else:
        text = _text(value)
        if text.lower() in EMPTY_MARKS:
            return None
        try:
            number = float(text)
        except ValueError:
            number = math.nan
    # float() also reads 'inf', 'nan' and 'Infinity': no count or share a street reports is one of those.
    if not math.isfinite(number):
        raise BadValue(f"“{nfkc(value)}”不是数字", f"'{nfkc(value)}' is not a number")
    return number


class Percent(float):
    """A number from a percent-formatted cell: the officer sees it ×100 with a %, so 2.5 is 250 %."""

    __slots__ = ()


def parse_percent(value: object) -> float | None:
    """A share as a fraction: '85%' → 0.85; bare numbers > 2 are percents (85 → 0.85), ≤ 2 fractions (1.05);
    a percent-formatted cell is the percentage shown (Percent(2.5), shown 250 %, → 2.5)."""
    if value.__class__ is Percent:
        return _non_negative(float(value), value)
    if isinstance(value, str):
        text = _text(value)
        if text.endswith("%"):
            try:
                number = parse_number(text[:-1])
            except BadValue:  # say what the cell holds ('约85%'), not what is left without the '%'
                number = None
            if number is None:
                raise BadValue(f"“{nfkc(value)}”不是百分数", f"'{nfkc(value)}' is not a percentage")
            return _non_negative(number / 100, value)
    number = parse_number(value)
    if number is None:
        return None
    return _non_negative(number / 100 if number > 2 else number, value)


def _non_negative(number: float, raw: object) -> float:
    if number < 0:
        raise BadValue(f"“{nfkc(raw)}”为负数", f"'{nfkc(raw)}' is negative")
    return number


def parse_non_negative(value: object) -> float | None:
    """A number that may not be negative (targets, actuals, counts, workdays)."""
    number = parse_number(value)
    return None if number is None else _non_negative(number, value)


def parse_count(value: object) -> int | None:
    """A whole, non-negative number (persons): 52000, '52,000'."""
    number = parse_non_negative(value)
    if number is None:
        return None
    if not number.is_integer():
        raise BadValue(f"“{nfkc(value)}”不是整数", f"'{nfkc(value)}' is not a whole number")
    return int(number)


def parse_yesno(value: object) -> bool | None:
    """是/否, √/×, Y/N, 1/0, True/False → bool."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    k = key(value)
    if k in EMPTY_MARKS:
        return None
    found = vocabulary("yesno").get(k)
    if found is None:
        raise BadValue(f"“{nfkc(value)}”不是“是/否”", f"'{nfkc(value)}' is not yes/no")
    return found == "true"


_CN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER = re.compile(r"^(\d{4})(?:年度?)?[-_/.]?(?:q|第)?([1-4一二三四])(?:季度|季)?$")
_MONTH = re.compile(r"^(\d{4})(?:年|[-/.])(\d{1,2})(?:月份?)?$")
_DATE = re.compile(r"^(\d{4})(?:年|[-/.])(\d{1,2})(?:月|[-/.])(\d{1,2})日?$")
_AMBIGUOUS = re.compile(r"^\d{4}[-/.][1-4]$")  # 2019-2: the second quarter, or February? (FORMATS.md §5)


def parse_period(value: object) -> str | None:
    """A quarter as '2019Q2' from 2019Q2, 2019-Q2, 2019年第二季度, 2019年二季度, 2019年6月 or a date."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return f"{value.year}Q{(value.month - 1) // 3 + 1}"
    text = key(value)
    if text in EMPTY_MARKS:
        return None
    m = _QUARTER.match(text)
    if m and ("q" in text or "季" in text or "第" in text):
        return f"{m.group(1)}Q{_CN_DIGIT[m.group(2)]}"
    if _AMBIGUOUS.match(text):
        raise BadValue(
            f"报告期“{nfkc(value)}”含义不明（季度还是月份？），请写作 2019Q2、2019年第二季度 或 2019年2月",
            f"period '{nfkc(value)}' is ambiguous (quarter or month?); write 2019Q2, 2019年第二季度 or 2019年2月",
        )
    m = _MONTH.match(text) or _DATE.match(text)  # a month, or a day written as text: its quarter
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}Q{(int(m.group(2)) - 1) // 3 + 1}"
    raise BadValue(
        f"报告期“{nfkc(value)}”无法识别（应为 2019Q2、2019年第二季度 或 2019年6月）",
        f"period '{nfkc(value)}' cannot be read (expected 2019Q2, 2019年第二季度 or 2019年6月)",
    )


_YEAR = re.compile(r"^(\d{4})(?:年度?|年)?$")


def parse_year(value: object) -> int | None:
    """A list year: 2019, '2019', '2019年', '2019年度'."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        year = int(value)
    else:
        text = key(value)
        if text in EMPTY_MARKS:
            return None
        m = _YEAR.match(text)
        if not m:
            raise BadValue(f"年度“{nfkc(value)}”无法识别", f"year '{nfkc(value)}' cannot be read")
        year = int(m.group(1))
    if not 2000 <= year <= 2100:
        raise BadValue(f"年度“{year}”不在合理范围", f"year {year} is out of range")
    return year


_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def parse_date(value: object) -> dt.datetime | None:
    """A date from an Excel date, a serial number, '2019-08-02', '2019/8/2' or '2019年8月2日'."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return _EXCEL_EPOCH + dt.timedelta(days=float(value))
    text = key(value)
    if text in EMPTY_MARKS:
        return None
    m = _DATE.match(text)
    if m:
        try:
            return dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise BadValue(f"日期“{nfkc(value)}”无法识别", f"date '{nfkc(value)}' cannot be read")


def parse_word(vocab: str, value: object) -> str | None:
    """A word from a vocabulary (status, function, list_type, street_type) → its canonical value."""
    k = key(value)
    if k in EMPTY_MARKS:
        return None
    found = vocabulary(vocab).get(k)
    if found is None:
        raise BadValue(f"“{nfkc(value)}”不是可识别的取值", f"'{nfkc(value)}' is not a known value")
    return found


# Every dash-like character (Unicode's dash punctuation and the minus signs) reads as '-' in a code.
_DASHES = (
    "".join(ch for ch in map(chr, range(0x2000, 0x3100)) if unicodedata.category(ch) == "Pd" or ch in "\u2212\u2043")
    + "\u058a\u05be\ufe58\ufe63\uff0d\u02d7"
)
_DASH_TO_MINUS = str.maketrans(dict.fromkeys(_DASHES, "-"))

_TYPE_SEPARATORS = re.compile(r"[、,，;；/|\s]+|和|及")
ALL_TYPES = {"全部", "所有", "通用", "全部类型", "不限"}


def parse_applies_to(value: object) -> str | None:
    """适用类型: street types joined by 、 in vocabulary order (`涉农、镇` → 涉农街道、镇); None = all types."""
    k = key(value)
    if k in EMPTY_MARKS or k in ALL_TYPES:
        return None
    found = []
    for part in _TYPE_SEPARATORS.split(nfkc(value)):
        if not part:
            continue
        canonical = vocabulary("street_type").get(key(part))
        if canonical is None:
            raise BadValue(f"“{part}”不是街道类型（城区街道 / 涉农街道 / 镇）", f"'{part}' is not a street type")
        found.append(canonical)
    order = list(dict.fromkeys(vocabulary("street_type").values()))
    return "、".join(sorted(set(found), key=order.index)) or None


def parse_code(value: object) -> str | None:
    """An item code as officers mean it: 101.0 → '101', ' wh 101 ' → 'WH101', 'PZ–101' → 'PZ-101'.

    NFKC, invisible characters and all white space removed, upper case, every dash as '-' (FORMATS.md §5).
    A date cell is refused: Excel turns a typed `1-1` into 1月1日 and the code is lost."""
    if value is None:
        return None
    if isinstance(value, dt.date | dt.time):
        raise BadValue(
            "事项编号被 Excel 自动转成了日期，请将该列设为“文本”格式后重新输入编号",
            "the item code was turned into a date by Excel; format the column as text and type the code again",
        )
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _SPACE.sub("", nfkc(value)).translate(_DASH_TO_MINUS).upper()
    return text or None


_SPACE = re.compile(r"\s+")


def parse_text(value: object) -> str | None:
    """Free text, NFKC-normalised and trimmed; None when empty."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = nfkc(value)
    return text or None
