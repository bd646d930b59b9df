"""A report checked against the duty lists it will be scored on (FORMATS.md §5 "Item codes", "Nothing to
score"): a code that matches a list code only as a number is matched with a warning, a report in which more
than a fifth of the rows match no list item is refused, and a report for a period no list covers is a warning.

The lists are those active where the report is read: the store's and the list workbooks read before it (an
ingest stores lists before reports; `check` and `metrics score FILE...` read them from the files given)."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from loaders.findings import Finding, ParsedFile

UNMATCHED_SHARE = 0.2  # more than a fifth of a report's rows matching no list item: wrong list or codes
SHOWN = 8


@cache
def _removal_rules() -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]:
    """The rules file's removed categories, keywords and kept names (FORMATS.md §4 rule 1), read as data:
    loaders import no metrics (metrics/config.py validates the file)."""
    path = os.environ.get("STREETS_RULES") or Path(__file__).parents[1] / "metrics" / "rules.toml"
    try:
        with open(path, "rb") as fh:
            removed = tomllib.load(fh).get("removed", {})
    except (OSError, tomllib.TOMLDecodeError):
        return (), (), frozenset()
    keep = frozenset(e.get("name", "") for e in removed.get("keep", []) if isinstance(e, dict))
    return tuple(removed.get("categories", ())), tuple(removed.get("keywords", ())), keep


def _removed_words() -> tuple[str, ...]:
    """Keywords that remove an item by its name: a report row naming one, off the list, is counted as removed
    by the score, not as an unmatched code."""
    return _removal_rules()[1]


def name_only_removals(parsed: ParsedFile, sheet: str, columns: dict[str, list]) -> None:
    """A warning for each list item removed by its name only (its function is not economic), naming the item
    and the word, so that an officer can keep it in the rules file with a written reason."""
    categories, words, keep = _removal_rules()
    names, functions = columns.get("item_name") or [], columns.get("function") or []
    codes = columns.get("item_code") or [None] * len(names)
    for code, name, function in zip(codes, names, functions, strict=False):
        if not name or function in categories or name in keep:
            continue
        word = next((w for w in words if w in name), None)
        if word is not None:
            parsed.findings.append(
                Finding(
                    "warning",
                    "removed_by_name",
                    f"事项 {code}“{name}”因名称含“{word}”不计分（职能并非招商引资/协税护税）；如属误删，"
                    "可在规则文件 [[removed.keep]] 中写明理由予以保留",
                    f"item {code} '{name}' is removed for the word '{word}' in its name although its function is "
                    "not economic; if wrong, keep it under [[removed.keep]] in the rules file with a written reason",
                    parsed.name,
                    sheet,
                )
            )


def _number(code: str) -> float | None:
    try:
        return float(code)
    except ValueError:
        return None


@dataclass
class ListIndex:
    """The duty lists' item codes per (district, year), with each code's value as a number; where a district
    declared a 事务清单 for the year, its codes are the ones reports are scored on (`scored_codes`)."""

    codes: dict[tuple[str, int], set[str]] = field(default_factory=dict)
    affairs: dict[tuple[str, int], set[str]] = field(default_factory=dict)

    def replace(self, rows: Iterable[tuple[object, object, object, object]]) -> None:
        """Take (district, year, list_type, item_code) rows of one list workbook: each duty list it holds
        replaces the one of its district and year (lists supersede per district, year and kind)."""
        given: dict[str, dict[tuple[str, int], set[str]]] = {"duty": {}, "affairs": {}}
        for district, year, kind, code in rows:
            if kind in given and district is not None and year is not None and code is not None:
                given[kind].setdefault((district, int(year)), set()).add(code)
        self.codes.update(given["duty"])
        self.affairs.update(given["affairs"])

    def scored_codes(self, district: str, year: int) -> set[str]:
        """The codes a report is scored on: the declared 事务清单's, else the duty list's."""
        return self.affairs.get((district, year)) or self.codes[(district, year)]

    def year_for(self, district: str, year: int) -> int | None:
        """The list year a period of `year` is scored on: that year's, else the latest earlier one."""
        years = [y for d, y in self.codes if d == district and y <= year]
        return max(years) if years else None


def _groups(districts: list, periods: list) -> dict[tuple, Sequence[int]]:
    """The rows of each (district, period), in order; most reports are of one district and period."""
    n = len(districts)
    if n and districts.count(districts[0]) == n and periods.count(periods[0]) == n:
        return {(districts[0], periods[0]): range(n)}
    groups: dict[tuple, list[int]] = {}
    for i, key in enumerate(zip(districts, periods, strict=True)):
        groups.setdefault(key, []).append(i)
    return groups


def check_report(parsed: ParsedFile, columns: dict[str, list], index: ListIndex) -> None:
    """Check a report's 履职情况 rows (canonical columns, changed in place) against the lists; findings go
    into `parsed`. Codes matched as numbers are rewritten to the list's spelling."""
    districts, periods, codes = columns["district"], columns["period"], columns["item_code"]
    rows = columns.get("source_row") or [None] * len(codes)
    names = columns.get("item_name") or [None] * len(codes)
    sheet, letters = parsed.code_place
    groups = _groups(districts, periods)
    for (district, period), index_rows in groups.items():
        if district is None or period is None:
            continue
        year = index.year_for(district, int(period[:4]))
        if year is None:
            parsed.findings.append(
                Finding(
                    "warning",
                    "no_list",
                    f"{district} 没有 {period[:4]} 年（或更早）的职责任务清单，{period} 的报表无从计分",
                    f"{district} has no duty list for {period[:4]} or earlier: the {period} report cannot be scored",
                    parsed.name,
                    sheet,
                )
            )
            continue
        listed = index.scored_codes(district, year)
        given = set(map(codes.__getitem__, index_rows))
        given.discard(None)
        if given <= listed:
            continue  # the usual report: every code on the list (one C-speed test instead of a loop per row)
        by_number: dict[float, list[str]] = {}
        for code in listed:
            n = _number(code)
            if n is not None:
                by_number.setdefault(n, []).append(code)
        unmatched = []
        words = _removed_words()
        for i in index_rows:
            code = codes[i]
            if code is None or code in listed:
                continue
            name = names[i] or ""
            if any(w in name for w in words):
                continue  # an economic item off the list: removed by the score, not a wrong code
            n = _number(code)
            twins = by_number.get(n, []) if n is not None else []
            at = f"{letters}{rows[i]}" if letters and rows[i] else ""
            if len(twins) == 1:
                parsed.findings.append(
                    Finding(
                        "warning",
                        "code_as_number",
                        f"事项编号“{code}”与清单编号“{twins[0]}”仅数值相同，按“{twins[0]}”计",
                        f"item code '{code}' equals list code '{twins[0]}' only as a number; read as '{twins[0]}'",
                        parsed.name,
                        sheet,
                        at,
                    )
                )
                codes[i] = twins[0]
            else:
                unmatched.append(code)
        if len(unmatched) > UNMATCHED_SHARE * len(index_rows):
            shown = "、".join(unmatched[:SHOWN])
            parsed.findings.append(
                Finding(
                    "error",
                    "codes_unmatched",
                    f"{len(unmatched)}/{len(index_rows)} 行的事项编号不在 {district} {year} 年职责任务清单中"
                    f"（如 {shown}）：这些是 {year} 年清单的编号吗？",
                    f"{len(unmatched)} of {len(index_rows)} rows have item codes not on the {district} {year} duty "
                    f"list (e.g. {shown}): are these the codes of the {year} list?",
                    parsed.name,
                    sheet,
                )
            )
