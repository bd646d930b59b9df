"""What python-calamine does not say about an .xlsx sheet, read cheaply from the zip: where its filled cells
end, which cells hold a formula without a saved result or an error value, and which are percent-formatted.

calamine gives each cell's saved value only: a formula without a saved result and an error value (`#N/A`)
both come back as an empty cell, a cell showing 250% as 2.5, and it allocates the whole rectangle up to the
farthest filled cell (one `x` in XFD1048576 asks for 512 GiB and aborts the process). So before calamine
reads a sheet, its XML is searched with a few byte patterns (C speed; no XML tree is built):
- the extent of the cells that hold something (a value, an inline string or a formula; styled empty cells
  do not count, as calamine skips them), bounded against the number of cells present;
- formula cells (`<f>`) without `<v>`, and cells of type `e` (error values);
- cells whose style (`s="N"`) has a percent number format (styles.xml numFmts and cellXfs).
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from xml.etree import ElementTree

try:  # ISA-L inflates the same deflate streams ~3x faster than zlib (a city's sheet XML: 0.05 s instead of 0.15)
    from isal import isal_zlib as inflater
except ImportError:  # pragma: no cover - isal is in requirements.txt; zlib gives the same bytes
    inflater = zlib

# A sheet may span this many cells (rows x columns, from A1) before its size is checked against what it holds.
AREA_FLOOR = 2_000_000
AREA_PER_CELL = 16  # else: at most this many grid cells per cell present
BUILTIN_PERCENT = {9, 10}  # 0% and 0.00%

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# A cell that holds something: an open tag followed by a value, an inline string or a formula.
_FILLED = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>/]*>\s*<(?:v|is|f)\b')
_THREE_LETTERS = re.compile(rb'<c r="[A-Z]{3}\d')
_WIDE = re.compile(rb'<c r="([A-Z]{2,3})(\d+)"[^>/]*>\s*<(?:v|is|f)\b')
_FORMULA = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"([^>]*)>\s*<f\b[^>]*?(?:/>|>[^<]*</f>)\s*(<v>([^<]*)</v>|<v/>|<v></v>)?'
)
_LOCAL = struct.Struct("<4s5H3L2H")  # a zip local file header (its last two fields: name and extra lengths)
_ERROR = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*?\bt="e"[^>]*>(?:\s*<f\b[^>]*?(?:/>|>[^<]*</f>))?\s*<v>([^<]*)')


def cell_letters(col: int) -> str:
    """Letters of a 0-based column: 0 → A, 16383 → XFD."""
    letters, n = "", col + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def column_index(letters: bytes | str) -> int:
    """0-based column of its letters: A → 0, XFD → 16383."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + ord(ch) - 64
    return n - 1


@dataclass
class SheetMarks:
    """What calamine does not say about one sheet's cells (0-based (row, col) keys)."""

    rows: int = 0  # extent of the filled cells from A1
    cols: int = 0
    cells: int = 0  # cells present in the XML (counted only when the extent needs bounding: else 0)
    far: tuple[int, int] | None = None  # the farthest filled cell, when the extent is out of bounds
    no_result: set[tuple[int, int]] = field(default_factory=set)  # formulas without a saved result
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # error values (#N/A, #REF!…)
    xml: bytes = field(default=b"", repr=False)  # the sheet's XML, searched for percent cells when asked
    styles: Callable[[], bytes] = field(default=lambda: b"", repr=False)  # the workbook's percent styles

    @property
    def too_large(self) -> bool:
        return self.far is not None

    @property
    def percent_styles(self) -> bytes:
        """The cellXfs indexes with a percent number format, as a regex alternation ('' for none); styles.xml
        is read the first time a sheet of the workbook asks (mark_percent asks only where it matters)."""
        return self.styles()

    def percent_rows(self, col: int) -> list[int]:
        """0-based rows of the percent-formatted cells of one column (asked for the columns that matter only:
        one C-speed search per column, no object per other cell)."""
        if not self.percent_styles:
            return []
        letters = cell_letters(col).encode()
        pattern = rb'<c r="' + letters + rb'(\d+)"[^>]*?\bs="(?:' + self.percent_styles + rb')"'
        return [int(r) - 1 for r in re.findall(pattern, self.xml)]


class XlsxMarks:
    """An .xlsx workbook's sheet parts and percent styles, opened once; `sheet(name)` reads one sheet's marks."""

    def __init__(self, path: str) -> None:
        self.zip = zipfile.ZipFile(path)
        self.parts = self._sheet_parts()
        self.percent_styles = cache(self._percent_styles)

    def close(self) -> None:
        self.zip.close()

    def _inflated(self, name: str) -> bytes | None:
        """A deflated part's bytes in one inflate call, at most its declared size; None where zipfile must read it.
        zipfile inflates in chunks and checks the CRC-32, which calamine checks again when it reads the sheet
        (a city's 93 MB of sheet XML: 0.18 s instead of 0.24)."""
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            return None
        if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1:  # stored, or encrypted
            return None
        fp = self.zip.fp
        fp.seek(info.header_offset)
        header = fp.read(_LOCAL.size)
        if len(header) != _LOCAL.size or header[:4] != b"PK\x03\x04":
            return None
        name_len, extra_len = _LOCAL.unpack(header)[-2:]
        fp.seek(info.header_offset + _LOCAL.size + name_len + extra_len)
        try:
            data = inflater.decompressobj(-zlib.MAX_WBITS).decompress(fp.read(info.compress_size), info.file_size + 1)
        except (zlib.error, inflater.error):
            return None
        return data if len(data) == info.file_size else None  # else zipfile says what is wrong

    def _read(self, name: str) -> bytes | None:
        try:
            return self.zip.read(name)
        except KeyError:
            return None

    def _sheet_parts(self) -> dict[str, str]:
        """Sheet name → its part in the zip."""
        book, rels = self._read("xl/workbook.xml"), self._read("xl/_rels/workbook.xml.rels")
        if book is None or rels is None:
            return {}
        targets = {}
        for rel in ElementTree.fromstring(rels):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[rel.get("Id")] = target
        return {
            s.get("name"): targets.get(s.get(_REL), "")
            for s in ElementTree.fromstring(book).iterfind("m:sheets/m:sheet", _NS)
        }

    def _percent_styles(self) -> bytes:
        """The cellXfs indexes whose number format is a percentage, as a regex alternation ('' for none)."""
        styles = self._read("xl/styles.xml")
        if styles is None or (b"%" not in styles and b'numFmtId="9"' not in styles and b'numFmtId="10"' not in styles):
            return b""
        root = ElementTree.fromstring(styles)
        percent_fmts = set(BUILTIN_PERCENT)
        for fmt in root.iterfind("m:numFmts/m:numFmt", _NS):
            if _is_percent(fmt.get("formatCode", "")):
                percent_fmts.add(int(fmt.get("numFmtId", "-1")))
        xfs = root.find("m:cellXfs", _NS)
        if xfs is None:
            return b""
        found = [str(i) for i, xf in enumerate(xfs) if int(xf.get("numFmtId", "0")) in percent_fmts]
        return "|".join(found).encode()

    def sheet(self, name: str) -> SheetMarks | None:
        """The marks of one sheet; None when its part cannot be found (calamine then reads it as it is)."""
        part = self.parts.get(name)
        data = (self._inflated(part) or self._read(part)) if part else None
        if data is None:
            return None
        marks = SheetMarks()
        _extent(data, marks)
        if marks.too_large:
            return marks
        if _may_match(data, b"f", _FORMULA):
            for m in _FORMULA.finditer(data):
                # No <v>, or an empty one on a cell that is not a text result (t="str" may be "").
                if m.group(4) is None or (not m.group(5) and b't="str"' not in m.group(3)):
                    marks.no_result.add(_at(m))
        if _may_match(data, b"e", _ERROR):
            for m in _ERROR.finditer(data):
                marks.errors[_at(m)] = m.group(3).decode(errors="replace")
        marks.xml, marks.styles = data, self.percent_styles
        return marks


def _may_match(data: bytes, byte: bytes, pattern: re.Pattern) -> bool:
    """False when `pattern` (a cell's open tag `<c r="…` and what follows it, which holds `byte` before the next
    cell can start) matches nowhere: `byte` stands nowhere from the first cell to the last one, and the last
    cell does not match. One memchr pass: writers put no `f` (and most no `e`) in plain cells, so a sheet
    without formulas or error values is told at ~10 GB/s instead of a substring search at ~1 GB/s."""
    first = data.find(b'<c r="')
    if first < 0:
        return False
    last = data.rfind(b'<c r="')
    return data.find(byte, first, last) >= 0 or pattern.match(data, last) is not None


def _at(m: re.Match) -> tuple[int, int]:
    return int(m.group(2)) - 1, column_index(m.group(1))


def _is_percent(code: str) -> bool:
    """True when a number format shows a percentage: a % outside quotes and escapes."""
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return "%" in code


def _extent(data: bytes, marks: SheetMarks) -> None:
    """The filled cells' extent from A1 (rows are in order: the last filled cell has the highest row; the
    widest are found among cells of two- and three-letter columns), and `far` when it is out of bounds."""
    last_row, far_row = 0, None
    end = len(data)
    while True:  # the last filled cell: step back over styled empty cells
        at = data.rfind(b"<c r=", 0, end)
        if at < 0:
            break
        m = _FILLED.match(data, at)
        if m:
            last_row, far_row = int(m.group(2)), (int(m.group(2)) - 1, column_index(m.group(1)))
            break
        end = at
    widest, far_col = (1 if last_row else 0), None
    three_letters = _THREE_LETTERS.search(data) is not None
    if three_letters or last_row * 702 > AREA_FLOOR:  # the floor alone does not bound it: count the cells
        marks.cells = data.count(b"<c ") + data.count(b"<c>")
    if not three_letters and last_row * 702 <= max(AREA_FLOOR, AREA_PER_CELL * marks.cells):
        marks.rows, marks.cols = last_row, 702  # columns up to ZZ at most: within bounds, no cell-by-cell search
        return
    for m in _WIDE.finditer(data):
        col = column_index(m.group(1)) + 1
        if col > widest:
            widest, far_col = col, (int(m.group(2)) - 1, col - 1)
    if widest < 27 and last_row:
        widest = 26  # one-letter columns only: A..Z at most
    marks.rows, marks.cols = last_row, widest
    if last_row * widest > max(AREA_FLOOR, AREA_PER_CELL * marks.cells):
        # Name the cell that stretches the sheet most: the far column's, or else the far row's.
        marks.far = far_col if far_col is not None and widest > last_row else far_row
