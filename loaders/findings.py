"""What reading a workbook found: errors, warnings and skipped rows, each with its location."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # the reading workers never import pandas: see read.Reader
    import pandas as pd

Level = Literal["error", "warning", "skipped"]


def cell_name(row: int, col: int) -> str:
    """A1-style name of a 0-based (row, col) cell: (16, 5) → 'F17'."""
    letters = ""
    n = col + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return f"{letters}{row + 1}"


@dataclass(frozen=True)
class Finding:
    """One problem or skipped row, located by file, sheet and cell (or row)."""

    level: Level
    code: str
    zh: str
    en: str
    file: str = ""
    sheet: str = ""
    cell: str = ""  # 'F17', or a row like '17' when the whole row is meant, or '' for the whole file

    @property
    def location(self) -> str:
        """`file › sheet!F17` as officers read it."""
        where = self.file
        if self.sheet:
            where += f" › {self.sheet}" + (f"!{self.cell}" if self.cell else "")
        elif self.cell:
            where += f" › {self.cell}"
        return where

    def text(self) -> str:
        """One line: location, Chinese message and the English beside it."""
        return f"[{self.location}] {self.zh}（{self.en}）"

    def as_dict(self) -> dict:
        """The fields and the location as a plain dict (asdict deep-copies, field by field)."""
        return {k: getattr(self, k) for k in _FINDING_FIELDS} | {"location": self.location}


_FINDING_FIELDS = tuple(f.name for f in fields(Finding))


@dataclass
class ParsedFile:
    """A workbook read into canonical tables, with everything found on the way."""

    path: str
    name: str
    sha256: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    rows_read: int = 0
    rows_used: int = 0
    rows_skipped: int = 0
    code_place: tuple[str, str] = ("", "")  # (sheet, column letters) of the 履职情况 item codes

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def skipped(self) -> bool:
        """True for a file that is no report (a lock file, an empty file): skipped with a note."""
        return not self.sha256 and self.ok
