"""Cell parsers: every written form of a percent, period, yes/no, date, number and year an officer types."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders import values as v
from loaders.values import BadValue

CN = "一二三四"


def fullwidth(text: str) -> str:
    """The full-width form of ASCII letters, digits and %, as a Chinese IME types them."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def period_forms(year: int, quarter: int) -> list[str]:
    """Every way docs/FORMATS.md lets an officer write one quarter (besides the months)."""
    n = CN[quarter - 1]
    return [
        f"{year}Q{quarter}",
        f"{year}q{quarter}",
        f"{year}-Q{quarter}",
        f"{year} Q{quarter}",
        f"{year}年第{n}季度",
        f"{year}年{n}季度",
        f"{year}年第{quarter}季度",
        f"{year}年度第{n}季度",
        f" {year}年\n第{n}季度 ",
        fullwidth(f"{year}Q{quarter}"),
    ]


# ---- periods


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019Q2", "2019Q2"),
        ("2019-Q2", "2019Q2"),
        ("2019年第二季度", "2019Q2"),
        ("2019年二季度", "2019Q2"),
        ("2019年6月", "2019Q2"),
        ("2019年1月", "2019Q1"),
        ("2019年10月", "2019Q4"),
        ("2020年第四季度", "2020Q4"),
        ("２０１９Ｑ２", "2019Q2"),
    ],
)
def test_period_forms_of_formats_md(text: str, expected: str) -> None:
    assert v.parse_period(text) == expected


def test_period_from_an_excel_date_is_its_quarter() -> None:
    assert v.parse_period(dt.datetime(2019, 8, 31)) == "2019Q3"
    assert v.parse_period(dt.date(2020, 3, 1)) == "2020Q1"


@pytest.mark.parametrize("text", ["2019Q5", "2019Q0", "2019年13月", "2019年第五季度", "上半年", "2019", "Q2", "二季度"])
def test_unreadable_period_is_a_bad_value_in_both_languages(text: str) -> None:
    with pytest.raises(BadValue) as exc:
        v.parse_period(text)
    assert text.strip() in exc.value.zh and text.strip() in exc.value.en
    assert "报告期" in exc.value.zh and "period" in exc.value.en


@pytest.mark.parametrize("empty", [None, "", "  ", "-", "—"])
def test_empty_period_is_none(empty: object) -> None:
    assert v.parse_period(empty) is None


@given(st.integers(2000, 2100), st.integers(1, 4))
def test_every_written_form_of_a_quarter_parses_to_the_same_period(year: int, quarter: int) -> None:
    expected = f"{year}Q{quarter}"
    assert {v.parse_period(form) for form in period_forms(year, quarter)} == {expected}


@given(st.integers(2000, 2100), st.integers(1, 12), st.sampled_from(["{y}年{m}月", "{y}年{m}月份", "{y}-{m:02d}"]))
def test_any_month_maps_to_its_quarter(year: int, month: int, form: str) -> None:
    assert v.parse_period(form.format(y=year, m=month)) == f"{year}Q{(month - 1) // 3 + 1}"


@given(st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)))
def test_any_date_maps_to_its_quarter(day: dt.date) -> None:
    assert v.parse_period(day) == v.parse_period(f"{day.year}年{day.month}月")


# ---- percentages


@pytest.mark.parametrize("value", ["85%", "85", 85, 0.85, "0.85", "８５％", "85 %", "85.0%", " 85% ", 85.0])
def test_percent_forms_of_formats_md_are_85_percent(value: object) -> None:
    assert v.parse_percent(value) == pytest.approx(0.85)


def test_percent_formatted_cell_showing_105_percent_is_105_percent() -> None:
    # A cell formatted as a percentage that shows 105% holds 1.05: a bare number ≤ 2 is a fraction.
    assert v.parse_percent(1.05) == pytest.approx(1.05)
    assert v.parse_percent("105%") == pytest.approx(1.05)
    assert v.parse_percent(105) == pytest.approx(1.05)


@pytest.mark.parametrize("value", ["-5%", -0.2, "-85", "abc", "85%%", "%", "八十五"])
def test_negative_or_non_numeric_percent_is_refused(value: object) -> None:
    with pytest.raises(BadValue):
        v.parse_percent(value)


@given(st.integers(3, 1000))
def test_percent_forms_agree_for_whole_percents(p: int) -> None:
    forms = [p, float(p), str(p), f"{p}%", f"{p} %", fullwidth(f"{p}%"), f"{p}.0%"]
    assert all(v.parse_percent(f) == pytest.approx(p / 100) for f in forms)


@given(st.floats(0, 2, allow_nan=False))
def test_a_fraction_up_to_two_and_its_percent_text_agree(x: float) -> None:
    assert v.parse_percent(x) == pytest.approx(x)
    assert v.parse_percent(f"{x * 100!r}%") == pytest.approx(x)


# ---- yes / no

YES = ["是", "√", "Y", "y", "Yes", "✓", "１", 1, True, "Ｙ"]
NO = ["否", "×", "N", "n", "No", "✗", "0", 0, False, "Ｎ"]


@pytest.mark.parametrize(("value", "expected"), [(y, True) for y in YES] + [(n, False) for n in NO])
def test_yes_no_forms(value: object, expected: bool) -> None:
    assert v.parse_yesno(value) is expected


@pytest.mark.parametrize("value", ["也许", "2", 2, "是否", "x?"])
def test_unknown_yes_no_is_a_bad_value(value: object) -> None:
    with pytest.raises(BadValue):
        v.parse_yesno(value)


@given(
    st.sampled_from([("是", True), ("否", False), ("√", True), ("×", False), ("Y", True), ("N", False)]),
    st.sampled_from(["", " ", "\n", "\u3000"]),
    st.booleans(),
)
def test_yes_no_ignores_padding_and_width(pair: tuple[str, bool], pad: str, wide: bool) -> None:
    word, expected = pair
    text = pad + (fullwidth(word) if wide else word) + pad
    assert v.parse_yesno(text) is expected


# ---- dates


@pytest.mark.parametrize(
    "value", [dt.datetime(2019, 8, 2), dt.date(2019, 8, 2), "2019-08-02", "2019/8/2", "2019年8月2日", "2019.8.2", 43679]
)
def test_date_forms(value: object) -> None:
    assert v.parse_date(value) == dt.datetime(2019, 8, 2)


@pytest.mark.parametrize("value", ["2019-02-30", "八月二日", "2019/13/1", "明天"])
def test_unreadable_date_is_a_bad_value(value: object) -> None:
    with pytest.raises(BadValue):
        v.parse_date(value)


# ---- numbers, years, words, codes


@pytest.mark.parametrize(
    ("value", "expected"), [("1,200", 1200.0), ("１２", 12.0), (7, 7.0), ("  3.5 ", 3.5), ("-", None)]
)
def test_number_forms(value: object, expected: float | None) -> None:
    assert v.parse_number(value) == expected


@pytest.mark.parametrize("value", ["inf", "nan", "-inf", "Infinity", float("inf")])
def test_a_number_cell_is_finite(value: object) -> None:
    with pytest.raises(BadValue):
        v.parse_number(value)


@pytest.mark.parametrize("value", [2019, 2019.0, "2019", "2019年", "2019年度", "２０１９年"])
def test_year_forms(value: object) -> None:
    assert v.parse_year(value) == 2019


@pytest.mark.parametrize("value", ["19年", "1899", 3000, "二〇一九"])
def test_bad_year(value: object) -> None:
    with pytest.raises(BadValue):
        v.parse_year(value)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("统筹社区发展", "community_development"),
        ("社区发展", "community_development"),
        ("公共服务", "public_services"),
        ("综合管理", "comprehensive_management"),
        ("优化营商环境", "business_environment"),
        ("营商环境", "business_environment"),
        ("社区平安", "community_safety"),
        ("招商引资", "investment_attraction"),
        ("协税护税", "tax_assistance"),
        ("经济发展", "economic_development"),
    ],
)
def test_function_words(text: str, key: str) -> None:
    assert v.parse_word("function", text) == key


def test_code_of_a_number_cell_has_no_decimal_point() -> None:
    assert v.parse_code(101.0) == "101"
    assert v.parse_code(" A-01 ") == "A-01"


# ---- no parser raises anything but BadValue

CELLS = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.text(alphabet="0123456789年月日季度第一二三四Qq-/.%％是否√×YN ", max_size=12),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.inf, -math.inf, math.nan, "inf", "nan", "-0", "1e400", 1e308]),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)
PARSERS = [
    v.parse_number,
    v.parse_percent,
    v.parse_non_negative,
    v.parse_yesno,
    v.parse_period,
    v.parse_year,
    v.parse_date,
    v.parse_code,
    v.parse_text,
    lambda x: v.parse_word("function", x),
    lambda x: v.parse_word("status", x),
]


@given(CELLS)
def test_parsers_never_raise_anything_but_bad_value(cell: object) -> None:
    for parse in PARSERS:
        try:
            out = parse(cell)
        except BadValue as exc:
            assert exc.zh and exc.en
            continue
        if isinstance(out, float):
            assert math.isfinite(out), (parse, cell, out)
            if parse in (v.parse_percent, v.parse_non_negative):
                assert out >= 0


@given(st.text(max_size=12))
def test_period_parser_result_is_canonical(text: str) -> None:
    try:
        out = v.parse_period(text)
    except BadValue:
        return
    if out is not None:
        year, q = out.split("Q")
        assert len(year) == 4 and q in "1234" and len(q) == 1
        assert unicodedata.normalize("NFKC", out) == out


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(["", "85%", "-1", "x"]), max_size=30))
def test_numeric_fast_path_agrees_with_the_parsers(cells: list) -> None:
    """Float cells skip the parser in _parse_values; the values and the faults found must be the same."""
    from loaders.parse import AMOUNT, PERCENT, _parse_values

    for rule in (AMOUNT, PERCENT):
        got, bad = _parse_values(cells, rule)
        expected, faults = [], []
        for i, raw in enumerate(cells):
            try:
                expected.append(rule.parse(raw))
            except v.BadValue:
                expected.append(None)
                faults.append(i)
        assert got == expected or all(
            (a is None and b is None) or a == b or (a != a and b != b) for a, b in zip(got, expected, strict=True)
        )
        assert [i for i, _ in bad] == faults
