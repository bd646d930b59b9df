"""Turning one sheet's grid into a canonical table, with every problem and skipped row located."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from itertools import chain, repeat
from typing import TYPE_CHECKING

from loaders import ledger_values as lv
from loaders import office_values as ov
from loaders import rating_values as rv
from loaders import results
from loaders import values as v
from loaders.findings import Finding, Level
from loaders.schema import TABLES
from loaders.sheet import DataRows, Header, MetaValue, cell, locate_header, read_title, split_rows
from loaders.streets import StreetResolver
from loaders.vocab import column_aliases
from loaders.xlsx_marks import SheetMarks

if TYPE_CHECKING:  # imported where frames are made: the reading workers never need numpy or pandas
    import numpy as np
    import pandas as pd

MAX_FINDINGS_PER_CODE = 30


@dataclass(frozen=True)
class Rule:
    """How one column's cells are read, and what an unreadable cell is (error or warning)."""

    parse: Callable[[object], object]
    bad: Level = "error"
    numeric: str = ""  # "amount" or "percent": plain float cells take a fast path with the same result
    # Text cell → parsed value (or BadValue), across sheets: item names, periods and statuses recur in every
    # street's report. The parsers are pure functions of the cell.
    memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)


def _fast_float(numeric: str, raw: float) -> float | None:
    """The parsed value of a finite float cell for a numeric rule, or None to take the full parser."""
    if not 0 <= raw < _INF:  # negative, NaN and inf go to the parser, which names the fault
        return None
    if numeric == "percent" and raw > 2:
        return raw / 100
    return raw


_INF = float("inf")


TEXT = Rule(v.parse_text)
AMOUNT = Rule(v.parse_non_negative, numeric="amount")
PERCENT = Rule(v.parse_percent, numeric="percent")
FUNDS = Rule(lv.parse_funds_wan, numeric="amount")  # 下放经费 in 万元; '12万元' and '120000元' read too
COUNT = Rule(v.parse_count)  # cases, operations, officers: whole numbers
RULES: dict[str, dict[str, Rule]] = {
    "register": {
        "district": TEXT,
        "street": TEXT,
        "street_type": Rule(partial(v.parse_word, "street_type"), "warning"),
        "population": Rule(v.parse_count, "warning"),
        "pilot": Rule(v.parse_yesno, "warning"),
        "area": Rule(v.parse_non_negative, "warning"),
        "communities": Rule(v.parse_count, "warning"),
        "agri_share": Rule(v.parse_percent, "warning"),
        "firms": Rule(v.parse_count, "warning"),
    },
    "list_items": {
        "district": TEXT,
        "year": Rule(v.parse_year),
        "list_type": Rule(partial(v.parse_word, "list_type")),
        "item_code": Rule(v.parse_code),
        "function": Rule(partial(v.parse_word, "function")),
        "major_item": TEXT,
        "item_name": TEXT,
        "office": TEXT,
        "weight": Rule(v.parse_number),
        "source_department": TEXT,
        "access_approved": Rule(v.parse_yesno, "warning"),
        "funds_matched": Rule(v.parse_yesno, "warning"),
        "direction": Rule(partial(v.parse_word, "direction")),
        "applies_to": Rule(v.parse_applies_to),
        "funds_amount": FUNDS,
        "on_time_target": PERCENT,
        "correction_ceiling": PERCENT,
    },
    "performance": {
        "district": TEXT,
        "street": TEXT,
        "period": Rule(v.parse_period),
        "item_code": Rule(v.parse_code),
        "item_name": TEXT,
        "target": AMOUNT,
        "actual": AMOUNT,
        "completion": PERCENT,
        "status": Rule(partial(v.parse_word, "status")),
        "on_time": Rule(v.parse_yesno, "warning"),
        "evidence": TEXT,
        "note": TEXT,
    },
    "service": {
        "district": TEXT,
        "street": TEXT,
        "period": Rule(v.parse_period),
        "cases": AMOUNT,
        "online_cases": AMOUNT,
        "one_visit_cases": AMOUNT,
        "no_visit_approvals": AMOUNT,
        "satisfaction": PERCENT,
    },
    "unlisted": {
        "district": TEXT,
        "street": TEXT,
        "period": Rule(v.parse_period),
        "task_name": TEXT,
        "assigning_department": TEXT,
        "assigned_date": Rule(v.parse_date, "warning"),
        "access_approved": Rule(v.parse_yesno, "warning"),
        "funds_matched": Rule(v.parse_yesno, "warning"),
        "workdays": AMOUNT,
        "access_ref": Rule(lv.parse_doc_ref, "warning"),
        "approval_date": Rule(v.parse_date, "warning"),
        "funds_amount": FUNDS,
        "returned": Rule(lv.parse_returned, "warning"),
        "office": TEXT,
    },
    "crosswalk": {
        "district": TEXT,
        "year": Rule(v.parse_year),
        "affairs_code": Rule(v.parse_code),
        "duty_code": Rule(v.parse_code),
        "note": TEXT,
    },
    "dept_ratings": {
        "district": TEXT,
        "street": TEXT,
        "period": Rule(v.parse_period),
        "department": TEXT,
        "scale": Rule(rv.parse_scale),
        **{k: Rule(rv.parse_score) for k in rv.SCORE_KEYS},
        "comment": TEXT,
    },
    "advice": {
        "district": TEXT,
        "street": TEXT,
        "decision": TEXT,
        "consulted_date": Rule(v.parse_date, "warning"),
        "opinion": TEXT,
        "adopted": Rule(partial(v.parse_word, "adopted")),
    },
    "enforcement": {
        "district": TEXT,
        "street": TEXT,
        "period": Rule(v.parse_period),
        "cases": COUNT,
        "cases_on_time": COUNT,
        "corrections": COUNT,
        "joint_operations": COUNT,
        "officers": COUNT,
    },
    "offices": {
        "district": TEXT,
        "street": TEXT,
        "office": TEXT,
        "category": Rule(partial(v.parse_word, "office_category"), "warning"),
        "posts": COUNT,
        "staff": COUNT,
        "duties": TEXT,
        "note": TEXT,
    },
}

# Columns a sheet must give, as a column or a title line; district of a report may come from the register.
REQUIRED: dict[str, tuple[str, ...]] = {
    "register": ("district", "street"),
    "list_items": ("district", "year", "item_code", "function", "item_name"),
    "performance": ("street", "period", "item_code"),
    "service": ("street", "period"),
    "unlisted": ("street", "period", "task_name"),
    "crosswalk": ("district", "year", "affairs_code", "duty_code"),
    "dept_ratings": ("street", "period", "department", "scale"),
    "advice": ("street", "decision"),
    "enforcement": ("street", "period"),
    "offices": ("street", "office"),
}
META_OK = ("district", "street", "period", "year")


@dataclass
class SheetResult:
    """A sheet read into its canonical table, as plain column lists (see table_frame)."""

    table: str
    columns: dict[str, list] = field(default_factory=dict)  # canonical values; absent keys are all empty
    findings: list[Finding] = field(default_factory=list)
    rows_read: int = 0
    rows_used: int = 0
    rows_skipped: int = 0
    code_letters: str = ""  # the item code column's letters, to place findings about codes

    @property
    def frame(self) -> pd.DataFrame:
        """The sheet's rows as the canonical table."""
        return table_frame(self.table, [self])


def table_frame(table: str, parts: Sequence[SheetResult]) -> pd.DataFrame:
    """One canonical frame of several sheets' rows: the frame of their prepared_table (one way to a table)."""
    return prepared_frame(prepared_table(table, parts))


def _array(values: list, dtype: str) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """Parsed cell values (None for empty) as an array of the canonical dtype."""
    import numpy as np
    import pandas as pd

    if dtype == "float64" or dtype.startswith("datetime64"):
        return np.array(values, dtype=dtype)  # None becomes NaN / NaT
    if dtype == "Int64" and set(map(type, values)) == {int}:
        # Row numbers and years: no NA and nothing to check (floats still go through pd.array, which refuses 1.5).
        return pd.arrays.IntegerArray(np.array(values, dtype=np.int64), np.zeros(len(values), dtype=bool))
    return pd.array(values, dtype=_dtype(dtype))


@cache
def _dtype(name: str) -> object:
    """The dtype object of a name: pd.array looks a name up in a registry on every call."""
    import pandas as pd

    return pd.api.types.pandas_dtype(name)


@dataclass
class Prepared:
    """A table's rows as the store takes them: per schema column, the values table_frame's column holds as
    plain Python objects (NA as None), without building the frame (the ingest path)."""

    table: str
    columns: list[list]  # schema order


def prepared_frame(prepared: Prepared) -> pd.DataFrame:
    """A Prepared table as its canonical frame."""
    import pandas as pd

    fields = TABLES[prepared.table].fields
    return pd.DataFrame({f.key: _array(c, f.dtype) for f, c in zip(fields, prepared.columns, strict=True)}, copy=False)


def prepared_table(table: str, parts: Sequence[SheetResult]) -> Prepared:
    """Several sheets' rows of one table as Prepared; the same values as python_values(table_frame(...))."""
    n = sum(p.rows_used for p in parts)
    columns = []
    for f in TABLES[table].fields:
        if len(parts) == 1:
            values = parts[0].columns.get(f.key)
            values = [None] * n if values is None else values
        else:
            values = list(chain.from_iterable(p.columns.get(f.key, repeat(None, p.rows_used)) for p in parts))
        columns.append(_plain(values, f.dtype))
    return Prepared(table, columns)


# The Python types a column of each dtype holds as they are: values of other types take the pandas route.
# (parse_date gives naive datetimes, as calamine does; the route would turn them into the same values.)
_PLAIN_TYPES = {"string": {str}, "Int64": {int}, "boolean": {bool}, "float64": {float}, "datetime64[us]": {dt.datetime}}


def _plain(values: list, dtype: str) -> list:
    """A column's values as python_values gives them after _array, taking the pandas route only when needed."""
    types = set(map(type, values))
    types.discard(type(None))
    if dtype == "float64" and types in (_INT, _INT_AND_FLOAT):
        # Whole numbers counted into a float column (执法情况's counts): float() is what the pandas route gives,
        # without importing pandas into a reading worker (0.3 s each) for it.
        values, types = [x if x is None else float(x) for x in values], _FLOAT
    if types <= _PLAIN_TYPES.get(dtype, set()) and (dtype != "float64" or not _has_nan(values)):
        return values
    return python_values(_array(values, dtype)).tolist()


_INT, _FLOAT, _INT_AND_FLOAT = {int}, {float}, {int, float}


def _has_nan(values: list) -> bool:
    """True when a float cell is NaN (None is not)."""
    # NaN survives a sum (so may inf - inf: then the pandas route is taken, which is only slower).
    total = sum(filter(None, values))
    return total != total


def python_values(values: np.ndarray | pd.api.extensions.ExtensionArray) -> np.ndarray:
    """An array's values as an object array of plain Python values (str, int, float, bool, datetime), NA as None."""
    import numpy as np
    import pandas as pd

    if values.dtype.kind == "f":
        x = np.asarray(values, dtype="float64")
        out = x.astype(object)  # a fresh copy: safe to write into
        missing = np.isnan(x)
        if missing.any():
            out[missing] = None
        return out
    if values.dtype.kind == "M":
        # Through an Index: a numpy datetime64 array yields np.datetime64, an Index Timestamps.
        return np.array([None if pd.isna(x) else x.to_pydatetime() for x in pd.Index(values)], dtype=object)
    # Never written into: without NAs this may be the array's own storage.
    return values.to_numpy(dtype=object, na_value=None)


@dataclass
class _Ctx:
    """What every step of reading one sheet needs to place a finding."""

    file: str
    sheet: str
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    letters: dict[str, str] = field(default_factory=dict)  # key → column letters, for keys read from a column

    def add(self, level: Level, code: str, zh: str, en: str, where: str = "") -> None:
        n = self.counts.get(code, 0) + 1
        self.counts[code] = n
        if n <= MAX_FINDINGS_PER_CODE:
            self.findings.append(Finding(level, code, zh, en, self.file, self.sheet, where))

    def close(self) -> None:
        for code, n in self.counts.items():
            if n > MAX_FINDINGS_PER_CODE:
                level = next(f.level for f in self.findings if f.code == code)
                more = n - MAX_FINDINGS_PER_CODE
                self.findings.append(
                    Finding(
                        level,
                        code,
                        f"同类问题另有 {more} 处未逐一列出",
                        f"{more} more of the same",
                        self.file,
                        self.sheet,
                    )
                )


@dataclass
class _Data:
    """A sheet's parsed data rows as columns, with where each row and title-line value came from."""

    cols: dict[str, list]
    rows: list[int]  # 0-based sheet row of each data row
    places: dict[str, list[str]] = field(default_factory=dict)  # key → cell of each row's title-line value

    def keep(self, index: list[int]) -> None:
        """Keep only the rows at `index`."""
        self.cols = {k: [col[i] for i in index] for k, col in self.cols.items()}
        self.places = {k: [col[i] for i in index] for k, col in self.places.items()}
        self.rows = [self.rows[i] for i in index]


def parse_sheet(
    rows: list[list],
    table: str,
    list_type: str,
    file: str,
    sheet: str,
    resolver: StreetResolver,
    marks: SheetMarks | None = None,
) -> SheetResult:
    """Read a sheet's grid as the canonical `table`; never raises on bad content. `marks` (.xlsx) says which
    cells hold a formula without a saved result or an error value; they are read as empty, and said."""
    ctx = _Ctx(file, sheet)
    spec = TABLES[table]
    if not any(any(v_ != "" and v_ is not None for v_ in row) for row in rows):
        ctx.add("warning", "empty_sheet", "工作表为空", "sheet is empty")
        return SheetResult(table, findings=ctx.findings)
    header = locate_header(rows, column_aliases(table))
    if header is None:
        need = "、".join(TABLES[table].fields[[f.key for f in spec.fields].index(k)].zh for k in REQUIRED[table])
        ctx.add("error", "no_header", f"找不到表头（需要列：{need}）", f"header row not found (needs: {need})")
        return SheetResult(table, findings=ctx.findings)
    meta = read_title(rows, header.first_row)
    required = REQUIRED[table] + (("list_type",) if table == "list_items" and not list_type else ())
    missing = [k for k in required if k not in header.columns and not (k in META_OK and k in meta)]
    _header_findings(ctx, header, missing, spec)
    if missing:
        return SheetResult(table, findings=ctx.findings)
    split = split_rows(rows, header, meta, file, sheet)
    ctx.findings.extend(split.skipped)
    if table == "performance":
        results.settle_completion_or_status(rows, header, split.rows)
        if not results.has_result_column(ctx, header):
            return SheetResult(table, findings=ctx.findings)
    if marks is not None:
        results.formula_findings(ctx, rows, header, split.rows, marks, table)
        results.mark_percent(rows, header, marks)
    if table == "performance":
        results.mixed_scale(ctx, rows, header, split.rows)
    data = _columns(ctx, rows, header, split, table)
    if table == "list_items" and list_type:
        # The sheet's own list (职责任务清单) stands for rows whose 清单类别 cell is left empty.
        given = data.cols.get("list_type")
        data.cols["list_type"] = (
            [list_type] * len(data.rows) if given is None else [list_type if x is None else x for x in given]
        )
    dropped = _check(ctx, data, table, resolver)
    ctx.close()
    result = SheetResult(table, data.cols, ctx.findings)
    result.rows_read = len(split.rows) + split.skipped_count
    result.rows_skipped = split.skipped_count + dropped
    result.rows_used = len(data.rows)
    result.code_letters = ctx.letters.get("item_code", "")
    return result


def _header_findings(ctx: _Ctx, header: Header, missing: list[str], spec) -> None:
    names = {f.key: f.zh for f in spec.fields}
    row = header.last_row + 1
    if missing:
        found = "、".join(header.labels[c] for c in sorted(header.columns.values())) or "无"
        extra = "、".join(t for _, t in header.unknown) or "无"
        zh_missing = "、".join(names.get(k, k) for k in missing)
        ctx.add(
            "error",
            "missing_column",
            f"第 {row} 行表头缺少必填列：{zh_missing}（已识别：{found}；未识别：{extra}）",
            f"header row {row} lacks required column(s): {', '.join(missing)} "
            f"(recognised: {found}; unrecognised: {extra})",
            str(row),
        )
    for c, text in header.unknown:
        ctx.add(
            "warning",
            "unknown_column",
            f"未识别的列“{text}”，已忽略",
            f"unrecognised column '{text}' ignored",
            cell(header.last_row, c),
        )
    for c, text, k in header.duplicates:
        ctx.add(
            "warning",
            "duplicate_column",
            f"列“{text}”与前面的列同义（{names.get(k, k)}），已忽略",
            f"column '{text}' repeats {k}, ignored",
            cell(header.last_row, c),
        )


_MISS = object()


def _parse_values(values: Sequence, rule: Rule) -> tuple[list, list[tuple[int, v.BadValue]]]:
    """Parse a column, each distinct cell value once (a district column repeats a handful of values)."""
    if rule.numeric:
        fast = _numeric_column(values, rule.numeric)
        if fast is not None:
            return fast, []
    distinct = dict.fromkeys(values)
    # Only texts among the distinct values: no boolean or Percent can hide behind an equal number.
    if not _TEXT_TYPES.issuperset(map(type, distinct)) and _has_bool(values):
        return _parse_each(values, rule)
    parsed = _parse_distinct(distinct, rule)
    out = list(map(parsed.__getitem__, values))
    if not any(res.__class__ is v.BadValue for res in parsed.values()):
        return out, []
    bad = [(i, res) for i, res in enumerate(out) if res.__class__ is v.BadValue]
    for i, _ in bad:
        out[i] = None
    return out, bad


MEMO_LIMIT = 1 << 16  # entries per rule: a few MB of texts at most


def _parse_distinct(distinct: Iterable, rule: Rule) -> dict:
    """Each distinct cell value → its parsed value or BadValue; text through the rule's memo."""
    memo = rule.memo
    if len(memo) > MEMO_LIMIT:
        memo.clear()
    parsed = {}
    for raw in distinct:
        if raw.__class__ is str:
            res = memo.get(raw, _MISS)
            if res is _MISS:
                res = memo[raw] = _parse_one(raw, rule)
        else:
            res = _parse_one(raw, rule)
        parsed[raw] = res
    return parsed


def _has_bool(values: Sequence) -> bool:
    """True when a cell is a boolean or a percent-formatted number, which must not share a cache entry with
    the number it equals."""
    # Every cell's type, not the distinct keys': True == 1 == 1.0 as dict keys, so a boolean (or a Percent)
    # hides behind a number met before it. One pass, stopping at the first such cell.
    return not _SHARED_KEY_TYPES.isdisjoint(map(type, values))


_SHARED_KEY_TYPES = {bool, v.Percent}
_TEXT_TYPES = {str, type(None)}


def _numeric_column(values: Sequence, numeric: str) -> list | None:
    """A column of float and empty cells read at once (the result _fast_float gives each cell), or None when
    a cell needs the parser: text, negative, NaN, inf, a date..."""
    types = set(map(type, values))
    if not types <= _FLOAT_OR_TEXT:
        return None
    # Every cell a number, or empty (''): min, max and sum (NaN survives it) check the numbers at C speed.
    numbers = values if str not in types else list(filter(None, values))  # '' and 0.0 left out (0 is fine)
    if numbers is not values and not set(map(type, numbers)) <= {float}:
        return None  # a text other than ''
    high = max(numbers, default=0.0)
    total = sum(numbers)
    if not (total == total and min(numbers, default=0.0) >= 0 and high < _INF):
        return None
    out = list(values) if numbers is values else list(map(_EMPTY_AS_NONE.get, values, values))
    if numeric == "percent" and high > 2:
        return [x / 100 if x.__class__ is float and x > 2 else x for x in out]
    return out


_FLOAT_OR_TEXT = {float, str}
_EMPTY_AS_NONE = {"": None}  # .get(x, x): '' → None, anything else → itself


def _parse_one(raw: object, rule: Rule) -> object:
    """The parsed value of one cell, or the BadValue it raises."""
    if rule.numeric and raw.__class__ is float:
        fast = _fast_float(rule.numeric, raw)
        if fast is not None:
            return fast
    try:
        return rule.parse(raw)
    except v.BadValue as exc:
        return exc.with_traceback(None)  # kept in the memo: no frames held


def _parse_each(values: Sequence, rule: Rule) -> tuple[list, list[tuple[int, v.BadValue]]]:
    """Parse cell by cell; booleans are never looked up in the cache (True and 1.0 are equal keys)."""
    cache: dict = {}
    out, bad = [], []
    for i, raw in enumerate(values):
        plain = raw.__class__ not in _SHARED_KEY_TYPES
        res = cache.get(raw, _MISS) if plain else _MISS
        if res is _MISS:
            res = _parse_one(raw, rule)
            if plain:
                cache[raw] = res
        if res.__class__ is v.BadValue:
            bad.append((i, res))
            res = None
        out.append(res)
    return out, bad


def _columns(ctx: _Ctx, rows: list[list], header: Header, split: DataRows, table: str) -> _Data:
    """Parse every known column of the data rows; a column absent from the header comes from title lines."""
    rules = RULES[table]
    data = _Data({}, split.rows)
    raws = _raw_columns(rows, header, split, [k for k in rules if k in header.columns])
    metas = _meta_columns(split, [k for k in rules if k not in header.columns and k in META_OK])
    for k, rule in rules.items():
        if k in raws:
            raw = raws[k]
            # Cell names are made only when asked for (see _at): this runs for every cell read.
            ctx.letters[k] = cell(0, header.columns[k])[:-1]
        elif k in metas:
            raw, data.places[k] = metas[k]
        else:
            continue
        parsed, bad = _parse_values(raw, rule)
        seen: set[str] = set()
        for i, exc in bad:
            place = data.places[k][i] if k in data.places else f"{ctx.letters[k]}{split.rows[i] + 1}"
            if place in seen:
                continue
            seen.add(place)
            ctx.add(rule.bad, f"bad_{k}", exc.zh, exc.en, place)
        data.cols[k] = parsed
    return data


def _raw_columns(rows: list[list], header: Header, split: DataRows, keys: list[str]) -> dict[str, Sequence]:
    """The data rows' cells of each key's header column."""
    data_rows = [rows[r] for r in split.rows]
    width = len(rows[0]) if rows else 0
    out: dict[str, Sequence] = {}
    if data_rows and len(data_rows[0]) == width and _rectangular(data_rows):
        columns = list(zip(*data_rows, strict=True))  # calamine's grid is rectangular: transpose it at once
        for k in keys:
            c = header.columns[k]
            out[k] = columns[c] if c < width else [None] * len(data_rows)
        return out
    for k in keys:
        c = header.columns[k]
        out[k] = [row[c] for row in data_rows] if c < width else [None] * len(data_rows)
    return out


def _rectangular(rows: list[list]) -> bool:
    """True when every row has the same length."""
    return len(set(map(len, rows))) == 1


def _meta_columns(split: DataRows, keys: list[str]) -> dict[str, tuple[list, list[str]]]:
    """Each key's title-line value for every data row, and the cell it was read from."""
    metas = split.meta
    if metas and metas.count(metas[0]) == len(metas):  # the usual sheet: one set of title values for all rows
        first = [metas[0].get(k) for k in keys]
        n = len(metas)
        return {
            k: ([mv.value if mv else None] * n, [cell(mv.row, mv.col) if mv else ""] * n)
            for k, mv in zip(keys, first, strict=True)
        }
    ids = list(map(id, split.meta))
    distinct = {id(m): m for m in split.meta}  # rows share the dict of the title lines above them
    out = {}
    for k in keys:
        values, places = {}, {}
        for i, m in distinct.items():
            mv: MetaValue | None = m.get(k)
            values[i] = mv.value if mv else None
            places[i] = cell(mv.row, mv.col) if mv else ""
        out[k] = (list(map(values.__getitem__, ids)), list(map(places.__getitem__, ids)))
    return out


def _at(ctx: _Ctx, data: _Data, k: str, index: Iterable[int]) -> list[str]:
    """The cells the rows at `index` took their `k` from: their own cell, or the title line's."""
    if k in ctx.letters:
        letters, rows = ctx.letters[k], data.rows
        return [f"{letters}{rows[i] + 1}" for i in index]
    places = data.places.get(k)
    return [places[i] for i in index] if places is not None else ["" for _ in index]


def _check(ctx: _Ctx, data: _Data, table: str, resolver: StreetResolver) -> int:
    """Table rules: required values, streets in the register, duplicates, results present. Returns rows dropped."""
    _required(ctx, data, table)
    if table == "register":
        _duplicates(ctx, data, ["district", "street"], "street", "街道重复出现", "street listed twice")
        return 0
    _resolve(ctx, data, table, resolver)
    if table == "list_items":
        _weights(ctx, data)
        _duplicates(ctx, data, ["district", "year", "item_code"], "item_code", "事项编号重复", "item code repeated")
        return 0
    if table == "performance":
        _duplicates(
            ctx,
            data,
            ["district", "street", "period", "item_code"],
            "item_code",
            "同一街道同一报告期事项编号重复",
            "item code repeated for one street and period",
        )
        dropped = _drop_without_result(ctx, data)
        data.cols["source_row"] = [r + 1 for r in data.rows]
        return dropped
    if table == "crosswalk":
        keys = ["district", "year", "affairs_code", "duty_code"]
        _duplicates(ctx, data, keys, "affairs_code", "对照关系重复", "pair of codes repeated")
        rows = range(len(data.rows))  # each code's cell, to place a code the lists lack (loaders/crosswalk_check.py)
        data.cols["affairs_cell"], data.cols["duty_cell"] = (_at(ctx, data, k, rows) for k in keys[2:])
        return 0
    if table == "service":
        _duplicates(
            ctx,
            data,
            ["district", "street", "period"],
            "street",
            "同一报告期的便民服务数据重复",
            "service figures repeated for one period",
        )
    if table == "dept_ratings":
        _duplicates(
            ctx,
            data,
            ["district", "street", "period", "department"],
            "department",
            "同一街道同一报告期重复评价该部门",
            "department rated twice by one street for one period",
        )
        empty = rv.check_scores(
            data.cols,
            lambda code, zh, en, at: ctx.add("error", code, zh, en, at),
            lambda k, index: _at(ctx, data, k, index),
        )
        for at in _at(ctx, data, "department", empty):
            ctx.add(
                "warning",
                "no_score",
                "该部门没有任何一项评分，已跳过",
                "no score given for the department; skipped",
                at,
            )
        if empty:
            data.keep(sorted(set(range(len(data.rows))) - set(empty)))
        return len(empty)
    if table == "enforcement":
        _duplicates(
            ctx,
            data,
            ["district", "street", "period"],
            "street",
            "同一报告期的执法情况数据重复",
            "enforcement figures repeated for one period",
        )
        enforcement_parts(ctx, data)
    if table == "offices" and "office" in data.cols:
        # 综合办 and 综合办公室 are one office (loaders/office_values.py match_key)
        data.cols["_office"] = [None if n is None else ov.match_key(n) for n in data.cols["office"]]
        keys = ["district", "street", "_office"]
        _duplicates(ctx, data, keys, "office", "在同一街道重复列出", "office listed twice for one street")
        del data.cols["_office"]
        ov.derive(data.cols, ctx.add, lambda k, index: _at(ctx, data, k, index))
    return 0


# A part of the cases can never exceed them (FORMATS.md §5: read as the officer sees it, or refused at the cell).
PARTS_OF_CASES = ("cases_on_time", "corrections")


def enforcement_parts(ctx: _Ctx, data: _Data) -> None:
    """An error at each 按时办结数 or 纠错数 cell larger than the row's 案件数."""
    cases = data.cols.get("cases")
    if cases is None:
        return
    for k in PARTS_OF_CASES:
        part = data.cols.get(k)
        if part is None:
            continue
        over = [
            i for i, (p, n) in enumerate(zip(part, cases, strict=True)) if p is not None and n is not None and p > n
        ]
        name = _zh("enforcement", k)
        for i, at in zip(over, _at(ctx, data, k, over), strict=True):
            ctx.add(
                "error",
                f"{k}_over_cases",
                f"{name} {part[i]:g} 大于案件数 {cases[i]:g}",
                f"{k} {part[i]:g} exceeds the cases {cases[i]:g}",
                at,
            )


def _required(ctx: _Ctx, data: _Data, table: str) -> None:
    """An error for each cell a required value is missing from (once per title-line cell)."""
    reported = {f.cell for f in ctx.findings if f.level == "error"}
    # 清单类别 is required of every row once the sheet's name does not say which list it is.
    required = REQUIRED[table] + (("list_type",) if table == "list_items" else ())
    for k in required:
        col = data.cols.get(k)
        if col is None or not (k in ctx.letters or k in data.places) or None not in col:
            continue
        empty = [i for i, x in enumerate(col) if x is None]
        # Once per cell: a title-line value stands for many rows, and an unreadable cell is already an error.
        for at in dict.fromkeys(_at(ctx, data, k, empty)):
            if at in reported:
                continue
            ctx.add("error", f"empty_{k}", f"必填项“{_zh(table, k)}”为空", f"required value '{k}' is empty", at)


def _weights(ctx: _Ctx, data: _Data) -> None:
    """Weights must be positive; an empty weight is 1."""
    weight = data.cols.get("weight")
    if weight is None:
        data.cols["weight"] = [1.0] * len(data.rows)
        return
    for at in _at(ctx, data, "weight", [i for i, w in enumerate(weight) if w is not None and w <= 0]):
        ctx.add("error", "bad_weight", "权重必须大于 0", "weight must be > 0", at)
    data.cols["weight"] = [1.0 if w is None else w for w in weight]


def _zh(table: str, k: str) -> str:
    return next((f.zh for f in TABLES[table].fields if f.key == k), k)


def _duplicates(ctx: _Ctx, data: _Data, keys: list[str], at_key: str, zh: str, en: str) -> None:
    """An error per set of rows that repeat the same keys (rows with an empty key are not compared)."""
    rows = list(zip(*(data.cols[k] for k in keys if k in data.cols), strict=True))
    if len(set(rows)) == len(rows):
        return
    groups: dict[tuple, list[int]] = {}
    for i, row in enumerate(rows):
        if None not in row:
            groups.setdefault(row, []).append(i)
    for index in groups.values():
        if len(index) < 2:
            continue
        cells = _at(ctx, data, at_key, index)
        value = data.cols[at_key][index[0]]
        ctx.add(
            "error",
            f"duplicate_{at_key}",
            f"“{value}”{zh}（{'、'.join(cells)}）",
            f"'{value}' {en} ({', '.join(cells)})",
            cells[-1],
        )


def _resolve(ctx: _Ctx, data: _Data, table: str, resolver: StreetResolver) -> None:
    """Replace district and street names with the register's spelling; unknown names are errors."""
    if resolver.empty:
        if table in ("list_items", "crosswalk"):
            ctx.add(
                "warning",
                "no_register",
                "尚未导入街道名册，区(市)县名称未核对",
                "no street register loaded, the district name was not checked",
            )
            return
        ctx.add(
            "error",
            "no_register",
            "尚未导入街道名册，无法核对街道/区县名称；请先导入《街道名册》",
            "no street register loaded, names cannot be checked; load the 街道名册 first",
        )
        return
    cols = data.cols
    if "district" in cols:
        cols["district"] = _resolve_districts(ctx, data, resolver)
    if "street" not in cols:
        return
    streets = cols["street"]
    districts = cols.get("district") or [None] * len(streets)
    mapping: dict[tuple, tuple] = {}
    for pair in dict.fromkeys(zip(streets, districts, strict=True)):
        street, district = pair
        got = None if street is None else resolver.resolve(street, district)
        mapping[pair] = got if isinstance(got, tuple) else (district, street)
        if isinstance(got, str):
            _street_error(ctx, data, got, street, district)
    if all(mapping[p] == (p[1], p[0]) for p in mapping):
        cols["district"] = districts
        return
    if len(mapping) == 1:  # one street's report
        (district, street), n = next(iter(mapping.values())), len(streets)
        cols["district"], cols["street"] = [district] * n, [street] * n
        return
    resolved = list(map(mapping.__getitem__, zip(streets, districts, strict=True)))
    new_districts, new_streets = zip(*resolved, strict=True)
    cols["district"], cols["street"] = list(new_districts), list(new_streets)


def _resolve_districts(ctx: _Ctx, data: _Data, resolver: StreetResolver) -> list:
    """The district column in the register's spelling; an error for each unknown name (at its first cell)."""
    column = data.cols["district"]
    known = {None: None}
    for name in dict.fromkeys(column):
        if name is None:
            continue
        canon = resolver.district(name)
        known[name] = canon or name
        if canon is None:
            at = _at(ctx, data, "district", [column.index(name)])[0]
            ctx.add(
                "error",
                "unknown_district",
                f"区(市)县“{name}”不在街道名册中",
                f"district '{name}' is not in the street register",
                at,
            )
    return list(map(known.__getitem__, column))


def _street_error(ctx: _Ctx, data: _Data, got: str, street: str, district: str | None) -> None:
    """Say that a street is ambiguous or unknown, at the first row that names it."""
    at = _at(ctx, data, "street", [data.cols["street"].index(street)])[0]
    if got == "ambiguous":
        ctx.add(
            "error",
            "ambiguous_street",
            f"街道“{street}”在名册中不唯一，请注明区(市)县",
            f"street '{street}' is ambiguous in the register; give the district",
            at,
        )
    else:
        scope = f"（{district}）" if district else ""
        ctx.add(
            "error",
            "unknown_street",
            f"街道“{street}”{scope}不在街道名册中",
            f"street '{street}' is not in the street register",
            at,
        )


def _drop_without_result(ctx: _Ctx, data: _Data) -> int:
    """A row needs target and actual, or completion, or status; others are skipped with a warning."""
    n = len(data.rows)
    none = [None] * n
    target, actual, completion, status = (data.cols.get(k, none) for k in ("target", "actual", "completion", "status"))
    if None not in status or None not in completion:
        return 0  # every row has its status or its completion
    has = [
        (t is not None and a is not None) or c is not None or s is not None  # target 0: FORMATS.md §6
        for t, a, c, s in zip(target, actual, completion, status, strict=True)
    ]
    missing = [data.rows[i] for i, ok in enumerate(has) if not ok]
    for row in missing:
        ctx.add(
            "warning",
            "no_result",
            f"第 {row + 1} 行没有完成值/完成率/完成状态，按未报送处理，已跳过",
            f"row {row + 1} gives no actual, completion or status; skipped, item counts as missing",
            str(row + 1),
        )
    if missing:
        data.keep([i for i, ok in enumerate(has) if ok])
    return len(missing)
