"""Header aliases, value vocabularies and sheet names, loaded once from the CSV maps beside this module."""

from __future__ import annotations

import csv
import os
from functools import cache
from pathlib import Path

from loaders.text import key

MAPS = Path(__file__).with_name("maps")
# A folder of tuned maps (any of columns.csv, sheets.csv, values.csv) read instead of the shipped ones, e.g. to
# rename a status or a street type; read once, when the program starts.
ENV_VAR = "STREETS_MAPS"


def map_path(name: str) -> Path:
    """The map file in use: $STREETS_MAPS/name when that folder has it, else the shipped loaders/maps/name."""
    tuned = os.environ.get(ENV_VAR)
    if tuned and (Path(tuned) / name).is_file():
        return Path(tuned) / name
    return MAPS / name


def _rows(name: str) -> list[dict[str, str]]:
    with map_path(name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def map_rows(name: str) -> list[dict[str, str]]:
    """The rows of one map (columns.csv, sheets.csv, values.csv) as written, for the format guide."""
    return _rows(name)


@cache
def column_aliases(table: str) -> dict[str, str]:
    """Normalised header text → canonical key, for one table (common aliases included)."""
    return {key(r["alias"]): r["key"] for r in _rows("columns.csv") if r["table"] in ("*", table)}


META_KEYS = ("district", "street", "period", "year")


# Names read on title lines only: as a column header `单位` is a unit of measure (件, 个).
TITLE_ONLY_ALIASES = {"单位": "street"}


@cache
def meta_aliases() -> dict[str, str]:
    """Normalised title-line name → sheet-wide key (district, street, period, year)."""
    found = {key(r["alias"]): r["key"] for r in _rows("columns.csv") if r["table"] == "*"}
    return found | {key(k): v for k, v in TITLE_ONLY_ALIASES.items()}


@cache
def vocabulary(name: str) -> dict[str, str]:
    """Normalised cell text → canonical value for one vocabulary (yesno, status, function, ...)."""
    return {key(r["alias"]): r["value"] for r in _rows("values.csv") if r["vocabulary"] == name}


def street_types() -> tuple[str, ...]:
    """The street types (城区街道, 涉农街道, 镇), in the order values.csv first names them."""
    return tuple(dict.fromkeys(vocabulary("street_type").values()))


def statuses() -> tuple[str, ...]:
    """The completion statuses the loader produces (已完成, 进行中, …), in values.csv order."""
    return tuple(dict.fromkeys(vocabulary("status").values()))


@cache
def sheet_names() -> tuple[tuple[str, str, str], ...]:
    """(normalised known sheet name, table, list_type), longest name first so the longest match wins."""
    rows = [(key(r["sheet"]), r["table"], r["list_type"]) for r in _rows("sheets.csv")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def match_sheet(name: str) -> tuple[str, str] | None:
    """(table, list_type) of the known sheet name contained in `name`, longest first; None if none fits."""
    k = key(name)
    for known, table, list_type in sheet_names():
        if known in k:
            return table, list_type
    return None


# docs/FORMATS.md's footer words, and the ones the same forms carry in practice below the table (填报说明, 制表人…).
FOOTER_PREFIXES = (
    *("合计", "小计", "总计", "填表人", "填报人", "审核人", "负责人", "注:", "说明:", "备注:"),
    *("填报说明", "填表说明", "制表人", "联系电话", "填报日期", "填表日期"),
)

# First characters of the prefixes: a cheap test before normalising a row's first cell.
FOOTER_FIRST_CHARS = frozenset(p[0] for p in FOOTER_PREFIXES)


def is_footer(first_cell: object) -> bool:
    """True when a row's first non-empty cell marks a footer (合计, 填表人：, 注：…)."""
    return key(first_cell).startswith(FOOTER_PREFIXES)
