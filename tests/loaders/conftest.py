"""Fixtures for loader tests: real .xlsx workbooks built with openpyxl in tmp_path, and a street register."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from loaders import ParsedFile, ReadResult, read_file, read_files
from tests.pgschema import store_url


@dataclass
class Sheet:
    """One worksheet to write: rows from `start` (1-based) down, plus merges, number formats and loose cells."""

    name: str
    rows: Sequence[Sequence[object]] = ()
    merges: Sequence[str] = ()
    formats: dict[str, str] = field(default_factory=dict)  # 'E4' → '0%'
    cells: dict[str, object] = field(default_factory=dict)  # 'H2' → value, written after the rows
    start: int = 1


def write_workbook(path: Path, *sheets: Sheet) -> Path:
    """Write the sheets as a real .xlsx file; None and '' leave a cell empty."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for spec in sheets:
        ws = wb.create_sheet(spec.name)
        for i, row in enumerate(spec.rows):
            for j, value in enumerate(row):
                if value is not None and value != "":
                    ws.cell(spec.start + i, j + 1, value)
        for ref, value in spec.cells.items():
            ws[ref] = value
        for ref, fmt in spec.formats.items():
            ws[ref].number_format = fmt
        for ref in spec.merges:
            ws.merge_cells(ref)
    wb.save(path)
    return path


@dataclass
class Builder:
    """Writes workbooks into one folder: `xlsx("a.xlsx", xlsx.Sheet("履职情况", rows), ...)` → path."""

    folder: Path
    Sheet = Sheet

    def __call__(self, name: str, *sheets: Sheet) -> Path:
        return write_workbook(self.folder / name, *sheets)


@pytest.fixture
def xlsx(tmp_path: Path) -> Builder:
    """The workbook builder for this test's tmp_path (test modules use `xlsx.Sheet`, not an import)."""
    return Builder(tmp_path)


# A register like the pilot districts' (DOMAIN.md): urban streets, an agriculture-related street and towns.
REGISTER_ROWS = [
    ("武侯区", "玉林街道", "城区街道", 52000, "是"),
    ("武侯区", "红牌楼街道", "城区街道", 98000, "否"),
    ("武侯区", "簇桥街道", "涉农街道", 64000, "是"),
    ("彭州市", "天彭街道", "城区街道", 120000, "是"),
    ("彭州市", "白鹿镇", "镇", 21000, "是"),
    ("彭州市", "军乐镇", "镇", 35000, "是"),
    ("龙泉驿区", "十陵街道", "城区街道", 110000, "否"),
    ("邛崃市", "临邛街道", "城区街道", 150000, "否"),
]
REGISTER_HEADER = ["区(市)县", "街道(镇)", "类型", "常住人口", "试点"]


@pytest.fixture
def register_path(xlsx: Builder) -> Path:
    """The street register as the workbook a city officer sends (title row, template header)."""
    title = ["成都市街道名册（试点）"]
    return xlsx(
        "街道名册.xlsx",
        Sheet("街道名册", [title, REGISTER_HEADER, *REGISTER_ROWS], merges=["A1:E1"]),
    )


@pytest.fixture
def register(register_path: Path) -> pd.DataFrame:
    """The register read back through the loader."""
    parsed = read_file(register_path)
    assert parsed.ok, [f.text() for f in parsed.findings]
    return parsed.tables["register"]


@pytest.fixture
def read_with_register(register: pd.DataFrame) -> Callable[[Path], ParsedFile]:
    """Read one workbook against the register."""

    def read(path: Path) -> ParsedFile:
        return read_file(path, register)

    return read


@pytest.fixture
def read_many(register_path: Path) -> Callable[..., ReadResult]:
    """Read workbooks together with the register file, in one process."""

    def read(*paths: Path) -> ReadResult:
        return read_files([register_path, *paths], workers=1)

    return read


_COUNT = re.compile(r"^(\d+) (?:blank rows skipped|more of the same)")


def skipped_rows_reported(parsed: ParsedFile) -> int:
    """How many skipped rows the findings account for: one per row finding, the count of a summary finding."""
    n = 0
    for f in parsed.findings:
        if f.level == "skipped" or f.code == "no_result":
            summary = _COUNT.match(f.en)
            n += int(summary.group(1)) if summary else 1
    return n


def assert_rows_accounted(parsed: ParsedFile) -> None:
    """Every row read is used or skipped, and every skipped row is reported."""
    assert parsed.rows_read == parsed.rows_used + parsed.rows_skipped, (
        parsed.rows_read,
        parsed.rows_used,
        parsed.rows_skipped,
    )
    assert skipped_rows_reported(parsed) == parsed.rows_skipped, [f.text() for f in parsed.findings]
    assert sum(len(t) for t in parsed.tables.values()) == parsed.rows_used


@pytest.fixture
def accounted() -> Callable[[ParsedFile], None]:
    """The rows-accounting check, as a fixture so test modules need not import conftest."""
    return assert_rows_accounted


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path):
    """A fresh, empty database: a SQLite file, or a new PostgreSQL schema dropped afterwards."""
    with store_url(request.param, tmp_path, "store_test") as url:
        yield url
