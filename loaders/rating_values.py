"""Parsers and row rules of the 部门评价 sheet (issue 15, 考核权): the full mark 满分 and the scores under it."""

from __future__ import annotations

import re
from collections.abc import Callable

from loaders.text import nfkc
from loaders.values import EMPTY_MARKS, BadValue, parse_number

SCALES = (5.0, 10.0, 100.0)  # the full marks a sheet may state; any other is refused at its cell
SCORE_KEYS = ("guidance", "responsiveness", "funding", "coordination")
_NAMED = {"百分制": 100.0, "十分制": 10.0, "五分制": 5.0}
_POINTS = re.compile(r"^(.*?)(分制|分)$")


def _strip_points(value: object) -> object:
    """'4分' → '4', '5分制' → '5'; other values as they are."""
    if isinstance(value, str):
        text = nfkc(value).replace(" ", "")
        if text in _NAMED:
            return _NAMED[text]
        m = _POINTS.match(text)
        if m:
            return m.group(1)
    return value


def parse_scale(value: object) -> float | None:
    """满分: 5, 10 or 100 ('5分', '5分制', '百分制' read too); another number is refused."""
    if isinstance(value, str) and nfkc(value).strip().lower() in EMPTY_MARKS:
        return None
    number = parse_number(_strip_points(value))
    if number is None:
        return None
    if number not in SCALES:
        raise BadValue(f"满分“{nfkc(value)}”不是 5、10 或 100", f"full mark '{nfkc(value)}' is not 5, 10 or 100")
    return number


def parse_score(value: object) -> float | None:
    """A score: a number ≥ 0 ('4分' reads as 4); whether it is within 满分 is checked per row (check_scores)."""
    number = parse_number(_strip_points(value))
    if number is not None and number < 0:
        raise BadValue(f"评分“{nfkc(value)}”为负数", f"score '{nfkc(value)}' is negative")
    return number


def check_scores(
    cols: dict[str, list],
    add: Callable[[str, str, str, str], None],
    at: Callable[[str, list[int]], list[str]],
) -> list[int]:
    """An error at every score cell above its row's 满分; returns the rows that give no score at all (a template's
    department the street did not rate), which the caller skips with a warning at their 被评部门 cell."""
    scale = cols.get("scale") or []
    for k in SCORE_KEYS:
        col = cols.get(k)
        if col is None:
            continue
        over = [i for i, (x, m) in enumerate(zip(col, scale, strict=True)) if x is not None and m is not None and x > m]
        for i, place in zip(over, at(k, over), strict=True):
            add(
                "score_over_scale",
                f"评分 {col[i]:g} 超过满分 {scale[i]:g}",
                f"score {col[i]:g} is above the full mark {scale[i]:g}",
                place,
            )
    n = len(scale)
    given = [any((cols.get(k) or [None] * n)[i] is not None for k in SCORE_KEYS) for i in range(n)]
    return [i for i, ok in enumerate(given) if not ok]
