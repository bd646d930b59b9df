"""Reading whole workbooks: guard the file, find its sheets, parse each into canonical tables.

The ingest path never imports pandas (numpy only once its workers have started on the files): they read
plain Python values, the register travels as a Prepared table, and the store takes prepared tables
(importing pandas takes 0.3 s).
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

import python_calamine as pc

from loaders.crosscheck import ListIndex, check_report, name_only_removals
from loaders.crosswalk_check import check_crosswalk
from loaders.fileguard import SKIPPED_CODES, FileRefusal, check_file
from loaders.findings import Finding, ParsedFile, cell_name
from loaders.parse import Prepared, SheetResult, parse_sheet, prepared_frame, prepared_table, python_values, table_frame
from loaders.resolve import Resolution, ingest_order, resolve
from loaders.schema import REGISTER, Dataset
from loaders.sheet import IGNORED
from loaders.streets import StreetResolver
from loaders.vocab import match_sheet
from loaders.xlsx_marks import SheetMarks, XlsxMarks

if TYPE_CHECKING:
    import pandas as pd

WORKER_NICENESS = 10  # reading workers' niceness (see _lower_priority)
# Files go to the workers up to this many at a time (at least 4 chunks per worker). One at a time, a worker waits
# after each file for this process's pool threads, which share the interpreter lock with the storing, to hand it
# the next: under load a city ingest took 4.0-4.4 s instead of 3.4-3.9 (chunks of 8); quiet, the same (SCALING.md).
MAX_CHUNK = 8


def sha256_of(path: str | os.PathLike) -> str:
    """Content hash of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _grid(sheet: pc.CalamineSheet) -> list[list]:
    """All cells from A1, with merged ranges filled from their top-left cell."""
    rows = sheet.to_python(skip_empty_area=False)
    for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
        if r0 >= len(rows):
            continue
        anchor = rows[r0][c0] if c0 < len(rows[r0]) else ""
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                row[c] = anchor
    return rows


def _sheets(path: str, name: str, wanted: Iterable[str] | None) -> tuple[list[tuple], list[Finding], object]:
    """(sheet name, table, list_type) of each known sheet, findings for the others, and the workbook."""
    try:
        book = pc.CalamineWorkbook.from_path(path)
    except Exception as exc:  # calamine raises several unrelated types on broken files
        return (
            [],
            [Finding("error", "unreadable", f"无法读取工作簿：{exc}", f"workbook cannot be read: {exc}", name)],
            None,
        )
    known, findings, any_known = [], [], False
    hidden = {m.name for m in book.sheets_metadata if m.visible != pc.SheetVisibleEnum.Visible}
    hidden_known = [s for s in book.sheet_names if s in hidden and match_sheet(s) is not None]
    for sheet_name in book.sheet_names:
        if sheet_name in hidden:
            # Read as the officer sees it (FORMATS.md §5): a hidden sheet often holds last quarter's data.
            findings.append(
                Finding(
                    "warning",
                    "hidden_sheet",
                    "隐藏的工作表，未读取；如需导入请取消隐藏后重新发送",
                    "hidden sheet, not read; unhide it and send the file again if it should count",
                    name,
                    sheet_name,
                )
            )
            continue
        match = match_sheet(sheet_name)
        if match is not None and match[0] == IGNORED:
            continue  # a 填报说明 sheet: instructions for the officer, not data
        any_known = any_known or match is not None
        if match is None:
            findings.append(
                Finding(
                    "warning",
                    "unknown_sheet",
                    "工作表名称无法识别，已忽略",
                    "sheet name not recognised, ignored",
                    name,
                    sheet_name,
                )
            )
        elif wanted is None or match[0] in wanted:
            known.append((sheet_name, *match))
    if not any_known and hidden_known:
        findings.append(
            Finding(
                "error",
                "only_hidden_sheets",
                "工作簿中可识别的工作表都被隐藏了；请取消隐藏后重新发送",
                "every known sheet of the workbook is hidden; unhide it and send the file again",
                name,
                hidden_known[0],
            )
        )
    elif not any_known:
        findings.append(
            Finding(
                "error",
                "no_known_sheet",
                "工作簿中没有可识别的工作表（如 街道名册、职责任务清单、履职情况、便民服务、清单外事项）",
                "no known sheet in the workbook (街道名册, 职责任务清单, 履职情况, 便民服务, 清单外事项)",
                name,
            )
        )
    return known, findings, book


def read_file(
    path: str | os.PathLike,
    register: pd.DataFrame | None = None,
    *,
    name: str | None = None,
    tables: Iterable[str] | None = None,
) -> ParsedFile:
    """Read one workbook into canonical tables; `register` resolves street names."""
    path = str(path)
    name = name or Path(path).name
    parsed = ParsedFile(path=path, name=name, sha256="")
    refusal = check_file(path)
    if refusal is not None:
        parsed.findings.append(refusal_finding(refusal, name))
        return parsed
    parsed.sha256 = sha256_of(path)
    known, findings, book = _sheets(path, name, tables)
    parsed.findings.extend(findings)
    if known:
        _read_sheets(parsed, book, known, resolver_of(register_table(register)))
    return parsed


def _read_sheets(
    parsed: ParsedFile,
    book: pc.CalamineWorkbook,
    known: list[tuple],
    resolver: StreetResolver,
    prepared: list[Prepared] | None = None,
) -> None:
    """Parse the known sheets of an open workbook into `parsed`: findings, rows and one frame per table
    (or, when `prepared` is given, the tables made ready to store appended to it instead of frames)."""
    sheets: dict[str, list[tuple[str, SheetResult]]] = {}
    xlsx = open_marks(parsed.path)
    with gc_paused():
        for sheet_name, table, list_type in known:
            marks = xlsx.sheet(sheet_name) if xlsx is not None else None
            if marks is not None and marks.too_large:
                parsed.findings.append(_far_cell(parsed.name, sheet_name, marks))
                continue
            try:
                rows = _grid(book.get_sheet_by_name(sheet_name))
            except Exception as exc:  # a broken part inside a valid zip
                parsed.findings.append(
                    Finding(
                        "error",
                        "unreadable_sheet",
                        f"无法读取工作表：{exc}",
                        f"sheet cannot be read: {exc}",
                        parsed.name,
                        sheet_name,
                    )
                )
                continue
            result = parse_sheet(rows, table, list_type, parsed.name, sheet_name, resolver, marks)
            del rows
            parsed.findings.extend(result.findings)
            parsed.rows_read += result.rows_read
            parsed.rows_used += result.rows_used
            parsed.rows_skipped += result.rows_skipped
            sheets.setdefault(table, []).append((sheet_name, result))
            if table == "performance" and not parsed.code_place[0]:
                parsed.code_place = (sheet_name, result.code_letters)
    if xlsx is not None:
        xlsx.close()
    if "list_items" in sheets:
        _duty_list_required(parsed, sheets["list_items"])
        for sheet_name, result in sheets["list_items"]:
            name_only_removals(parsed, sheet_name, result.columns)
    if "crosswalk" in sheets:
        check_crosswalk(parsed, sheets["crosswalk"], sheets.get("list_items", []))
    if prepared is None:
        parsed.tables.update({t: table_frame(t, [r for _, r in rs]) for t, rs in sheets.items()})
    else:
        prepared.extend(prepared_table(t, [r for _, r in rs]) for t, rs in sheets.items())
    _cross_sheet_duplicates(parsed, sheets)


def refusal_finding(refusal: FileRefusal, name: str) -> Finding:
    """Why a file is not read: an error, or a note for a lock file or an empty file beside the reports."""
    level = "skipped" if refusal.code in SKIPPED_CODES else "error"
    return Finding(level, refusal.code, refusal.zh, refusal.en, name)


def open_marks(path: str) -> XlsxMarks | None:
    """The .xlsx marks reader of a workbook (None for .xls and .ods, and where the parts cannot be read)."""
    try:
        with open(path, "rb") as fh:
            if fh.read(4) != b"PK\x03\x04":
                return None
        return XlsxMarks(path)
    except (OSError, zipfile.BadZipFile, ElementTree.ParseError, ValueError):
        return None  # calamine reads it, or says why it cannot


def _far_cell(name: str, sheet: str, marks: SheetMarks) -> Finding:
    """The refusal of a sheet whose filled cells stretch far beyond what it holds."""
    r, c = marks.far or (marks.rows - 1, marks.cols - 1)
    at = cell_name(r, c)
    return Finding(
        "error",
        "far_cell",
        f"单元格 {at} 有内容，远离表格数据（工作表因此大到无法读取）；请删除该单元格的内容后保存再发送",
        f"cell {at} holds something far away from the table (the sheet becomes too large to read); "
        "clear that cell, save and send again",
        name,
        sheet,
        at,
    )


def _duty_list_required(parsed: ParsedFile, sheets: list[tuple[str, SheetResult]]) -> None:
    """A list workbook must hold the 职责任务清单 of every district and year it has lists for: stored, a
    workbook replaces the lists it holds, and a district without its duty list cannot be scored."""
    given: dict[tuple, set] = {}
    for _, result in sheets:
        cols = result.columns
        none = [None] * result.rows_used
        kinds = zip(cols.get("district", none), cols.get("year", none), cols.get("list_type", none), strict=True)
        for d, y, t in kinds:
            given.setdefault((d, y), set()).add(t)
    lacking = [(d, y) for (d, y), kinds in given.items() if "duty" not in kinds and d is not None and y is not None]
    if not given or lacking:
        what = "、".join(f"{d} {y}" for d, y in lacking)
        parsed.findings.append(
            Finding(
                "error",
                "no_duty_list",
                f"清单工作簿缺少职责任务清单（{what or '无数据'}）："
                "清单工作簿须包含职责任务清单工作表（或含“职责任务”行的清单类别表）",
                f"list workbook without a 职责任务清单 ({what or 'no rows'}): it must hold the duty list sheet "
                "(or 职责任务 rows in a 清单类别 sheet)",
                parsed.name,
                sheets[0][0],
            )
        )


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection while a workbook's cells are read: millions of new acyclic objects would
    trigger ~10% of the reading time in vain; what is left over is collected once at the end."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _cross_sheet_duplicates(parsed: ParsedFile, sheets: dict[str, list[tuple[str, SheetResult]]]) -> None:
    """A row said on two sheets of one workbook (same item code for a street and period, or for a district
    and year across lists) is an error; repeats within one sheet parse_sheet has already reported."""
    for table, keys in ROW_KEYS.items():
        if len(sheets.get(table, [])) < 2:
            continue
        # key → [(sheet, source row)] for rows with every key given, in sheet order
        seen: dict[tuple, list[tuple[str, object]]] = {}
        for sheet, result in sheets[table]:
            none = [None] * result.rows_used
            at_rows = result.columns.get("source_row", none)
            columns = [result.columns.get(k, none) for k in keys]
            for key, row in zip(zip(*columns, strict=True), at_rows, strict=True):
                if None not in key:
                    seen.setdefault(key, []).append((sheet, row))
        repeated = [(k, places) for k, places in seen.items() if len({s for s, _ in places}) > 1]
        for key, places in repeated[:30]:
            last_sheet, last_row = places[-1]
            label = " ".join(str(k) for k in key)
            where = "、".join(dict.fromkeys(s for s, _ in places))
            parsed.findings.append(
                Finding(
                    "error",
                    "duplicate_street" if table == "service" else "duplicate_item_code",  # the codes parse_sheet uses
                    f"“{label}”在多张工作表中重复（{where}）",
                    f"'{label}' repeated on several sheets ({where})",
                    parsed.name,
                    last_sheet,
                    "" if last_row is None else str(last_row),
                )
            )


@dataclass
class ReadResult:
    """Several workbooks read together: one dataset and everything found."""

    files: list[ParsedFile] = field(default_factory=list)
    register: pd.DataFrame | None = None  # the register the files were resolved against
    base_register: pd.DataFrame | None = None  # the register given (the store's), before the files' own

    @cached_property
    def resolution(self) -> Resolution:
        """The valid files resolved as an ingest would store them (loaders/resolve.py), with what superseded what."""
        return resolve(self.files, self.base_register)

    @property
    def dataset(self) -> Dataset:
        """The canonical tables of all valid files, each unit from the last file that gives it."""
        return self.resolution.dataset

    @property
    def findings(self) -> list[Finding]:
        return [f for p in self.files for f in p.findings]

    @property
    def ok(self) -> bool:
        return all(p.ok for p in self.files)


_DISTRICT, _STREET = REGISTER.columns.index("district"), REGISTER.columns.index("street")


def register_table(register: pd.DataFrame | Prepared | None) -> Prepared:
    """A register (a frame, as the store gives it, or already plain) as a Prepared table; None: empty."""
    if register is None:
        return Prepared("register", [[] for _ in REGISTER.fields])
    if isinstance(register, Prepared):
        return register
    conformed = REGISTER.conform(register)
    return Prepared("register", [python_values(conformed[k].array).tolist() for k in REGISTER.columns])


def merge_register(base: Prepared | None, newer: Sequence[Prepared]) -> Prepared:
    """A register where each district given in `newer` replaces that district's rows in `base`; a street
    given twice keeps its last row."""
    given = [row for p in newer for row in zip(*p.columns, strict=True)]
    if not given:
        return register_table(base)
    last = {(row[_DISTRICT], row[_STREET]): i for i, row in enumerate(given)}
    new = [row for i, row in enumerate(given) if last[row[_DISTRICT], row[_STREET]] == i]
    replaced = {row[_DISTRICT] for row in new}
    kept = [row for row in zip(*register_table(base).columns, strict=True) if row[_DISTRICT] not in replaced]
    return Prepared("register", [list(column) for column in zip(*kept, *new, strict=True)])


def resolver_of(register: Prepared) -> StreetResolver:
    """The street-name resolver of a register."""
    return StreetResolver({"district": register.columns[_DISTRICT], "street": register.columns[_STREET]})


@dataclass
class Opened:
    """A workbook after the first pass: guarded, hashed, its register sheets read, its other sheets listed."""

    parsed: ParsedFile  # the register sheets' findings and rows; the other sheets are added to a copy
    sheet_findings: list[Finding]  # unknown sheets, or why the workbook cannot be read
    sheets: list[tuple[str, str, str]]  # (sheet, table, list_type) still to read
    register: Prepared | None = None  # the register sheets' rows, when the workbook has any

    @property
    def has_register(self) -> bool:
        return self.register is not None

    @property
    def has_lists(self) -> bool:
        return any(table == "list_items" for _, table, _ in self.sheets)


class Reader:
    """Reads workbooks in worker processes (or in this one when `workers` is 1 or there are few files):
    first a light pass over every file, then each file complete, in order, while later ones are read."""

    def __init__(self, workers: int | None = None, n_files: int = 0) -> None:
        workers = workers or min(os.cpu_count() or 1, 4)
        use_pool = workers > 1 and n_files > 2
        self.pool = ProcessPoolExecutor(workers, initializer=_lower_priority) if use_pool else None
        self.chunk = max(1, min(MAX_CHUNK, n_files // (4 * workers)))

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def open(
        self, paths: Sequence[str | os.PathLike], register: pd.DataFrame | Prepared | None = None
    ) -> tuple[list[Opened], Prepared]:
        """The first pass over workbooks, and `register` merged with the valid registers they carry."""
        return self.finish_open(self.start_open(paths), register)

    def start_open(self, paths: Sequence[str | os.PathLike]) -> Iterator[Opened]:
        """The first pass started (in the workers: this process may do other things meanwhile)."""
        paths = [str(p) for p in paths]
        return self.pool.map(_open, paths, chunksize=self.chunk) if self.pool else map(_open, paths)

    def finish_open(
        self, started: Iterator[Opened], register: pd.DataFrame | Prepared | None = None
    ) -> tuple[list[Opened], Prepared]:
        """The first pass's workbooks, and `register` merged with the valid registers they carry."""
        opened = list(started)
        regs = [o.register for o in opened if o.parsed.ok and o.register is not None]
        return opened, merge_register(register_table(register), regs)

    def read(self, opened: Sequence[Opened], register: pd.DataFrame | Prepared) -> Iterator[ParsedFile]:
        """The second pass: each workbook complete (names resolved against `register`), in the order given."""
        return (parsed for parsed, _ in self._rest(opened, register, False))

    def read_prepared(
        self, opened: Sequence[Opened], register: pd.DataFrame | Prepared
    ) -> Iterator[tuple[ParsedFile, list[Prepared]]]:
        """As read, but the tables come made ready to store (Store.ingest's `prepared`) instead of as
        frames: no frames built, pickled and taken apart again on the ingest path."""
        return self._rest(opened, register, True)

    def _rest(
        self, opened: Sequence[Opened], register: pd.DataFrame | Prepared, prepare: bool
    ) -> Iterator[tuple[ParsedFile, list[Prepared]]]:
        """The second pass, started in the workers before this returns (the caller may do other things)."""
        register = register_table(register)
        if self.pool is None:
            resolver = resolver_of(register)
            return (
                _complete(o, *_read_rest(o.parsed.path, o.parsed.name, o.sheets, resolver, prepare), prepare)
                for o in opened
            )
        # The register travels once per job as bytes; each worker builds its resolver once per register.
        blob = pickle.dumps(register, protocol=pickle.HIGHEST_PROTOCOL)
        jobs = [(o.parsed.path, o.parsed.name, o.sheets, blob, prepare) for o in opened]
        return _completed(opened, self.pool.map(_read_rest_in_worker, jobs, chunksize=self.chunk), prepare)


def _completed(
    opened: Sequence[Opened], results: Iterator[tuple[ParsedFile, list[Prepared]]], prepare: bool
) -> Iterator[tuple[ParsedFile, list[Prepared]]]:
    """The workers' results joined to the first pass, in order."""
    try:
        for o, (parsed, prepared) in zip(opened, results, strict=True):
            yield _complete(o, parsed, prepared, prepare)
    finally:
        results.close()  # closing early cancels the files not yet started (Executor.map's iterator does)


def _lower_priority() -> None:
    """Workers yield the CPU to this process, which stores what they read (and, in the app, serves pages):
    on two cores, storing is what the end of an ingest waits for (a city: 3.35 → 3.2 s)."""
    os.nice(WORKER_NICENESS)


def _open(path: str) -> Opened:
    """Guard and hash a workbook, list its sheets and read its register sheets (they resolve the others)."""
    name = Path(path).name
    parsed = ParsedFile(path=path, name=name, sha256="")
    refusal = check_file(path)
    if refusal is not None:
        return Opened(parsed, [refusal_finding(refusal, name)], [])
    parsed.sha256 = sha256_of(path)
    known, findings, book = _sheets(path, name, None)
    registers = [s for s in known if s[1] == "register"]
    tables: list[Prepared] = []
    if registers:
        _read_sheets(parsed, book, registers, _NO_REGISTER, tables)
    return Opened(parsed, findings, [s for s in known if s[1] != "register"], tables[0] if tables else None)


_NO_REGISTER = resolver_of(register_table(None))
_worker_resolver: tuple[bytes, StreetResolver] = (b"", _NO_REGISTER)  # a worker's register and its resolver


def _read_rest_in_worker(
    job: tuple[str, str, list[tuple[str, str, str]], bytes, bool],
) -> tuple[ParsedFile, list[Prepared]]:
    global _worker_resolver
    path, name, sheets, blob, prepare = job
    if blob != _worker_resolver[0]:
        _worker_resolver = (blob, resolver_of(pickle.loads(blob)))
    return _read_rest(path, name, sheets, _worker_resolver[1], prepare)


def _read_rest(
    path: str, name: str, sheets: list[tuple[str, str, str]], resolver: StreetResolver, prepare: bool = False
) -> tuple[ParsedFile, list[Prepared]]:
    """The sheets of a workbook other than its register sheets: as frames, or as tables ready to store."""
    parsed = ParsedFile(path=path, name=name, sha256="")
    prepared: list[Prepared] = []
    if not sheets:
        return parsed, prepared
    try:
        book = pc.CalamineWorkbook.from_path(path)
    except Exception as exc:  # it could be opened in the first pass: gone or changed since
        parsed.findings.append(
            Finding("error", "unreadable", f"无法读取工作簿：{exc}", f"workbook cannot be read: {exc}", name)
        )
        return parsed, prepared
    _read_sheets(parsed, book, sheets, resolver, prepared if prepare else None)
    return parsed, prepared


def _complete(
    opened: Opened, rest: ParsedFile, prepared: list[Prepared], prepare: bool
) -> tuple[ParsedFile, list[Prepared]]:
    """A workbook's register part and the rest as one ParsedFile (register findings and table first), and
    its tables made ready to store when asked for (else they are the ParsedFile's frames)."""
    first, register = opened.parsed, opened.register
    if register is not None and not prepare:
        rest.tables = {"register": prepared_frame(register), **rest.tables}
    parsed = replace(
        first,
        tables=rest.tables,
        findings=[*first.findings, *opened.sheet_findings, *rest.findings],
        code_place=rest.code_place,
        rows_read=first.rows_read + rest.rows_read,
        rows_used=first.rows_used + rest.rows_used,
        rows_skipped=first.rows_skipped + rest.rows_skipped,
    )
    return parsed, ([register, *prepared] if register is not None and prepare else prepared)


def read_files(
    paths: Sequence[str | os.PathLike],
    register: pd.DataFrame | Prepared | None = None,
    workers: int | None = None,
    lists: ListIndex | None = None,
) -> ReadResult:
    """Read workbooks: registers first (they resolve street names), then everything else, in parallel; reports
    are checked against `lists` (the store's duty lists) and the lists among the files, as an ingest would."""
    import pandas  # noqa: F401  # before the workers start: they build frames here, and inherit it

    with Reader(workers, len(paths)) as reader:
        opened, full_register = reader.open(paths, register)
        base = None if register is None else prepared_frame(register_table(register))
        files = list(reader.read(opened, full_register))
    _check_reports(files, lists or ListIndex())
    return ReadResult(files, prepared_frame(full_register), base)


def _check_reports(files: list[ParsedFile], index: ListIndex) -> None:
    """Each valid report checked against the duty lists, as an ingest checks it (lists stored first)."""
    import pandas as pd

    order = ingest_order(files)
    for i in order:
        p = files[i]
        if p.ok and "list_items" in p.tables:
            lists = p.tables["list_items"]
            index.replace(
                zip(*(lists[k].tolist() for k in ("district", "year", "list_type", "item_code")), strict=True)
            )
    for i in order:
        p = files[i]
        if p.ok and "performance" in p.tables:
            frame = p.tables["performance"]
            columns = {k: frame[k].astype(object).where(frame[k].notna(), None).tolist() for k in CHECKED}
            check_report(p, columns, index)
            frame["item_code"] = pd.array(columns["item_code"], dtype="string")


CHECKED = ("district", "period", "item_code", "item_name", "source_row")


# The keys of a row: the same key on two sheets of one workbook is an error (_cross_sheet_duplicates).
ROW_KEYS = {
    "list_items": ["district", "year", "item_code"],
    "performance": ["district", "street", "period", "item_code"],
    "service": ["district", "street", "period"],
    "enforcement": ["district", "street", "period"],
}
