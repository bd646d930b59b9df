"""Turning one sheet's grid into a canonical table, with every problem and skipped row located."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import pandas as pd

from loaders import values as v
from loaders.findings import Finding, Level
from loaders.schema import TABLES
from loaders.sheet import DataRows, Header, MetaValue, cell, locate_header, read_title, split_rows
from loaders.streets import StreetResolver
from loaders.vocab import column_aliases

MAX_FINDINGS_PER_CODE = 30


@dataclass(frozen=True)
class Rule:
    """How one column's cells are read, and what an unreadable cell is (error or warning)."""

    parse: Callable[[object], object]
    bad: Level = "error"
    numeric: str = ""  # "amount" or "percent": plain float cells take a fast path with the same result


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
RULES: dict[str, dict[str, Rule]] = {
    "register": {
        "district": TEXT,
        "street": TEXT,
        "street_type": Rule(partial(v.parse_word, "street_type"), "warning"),
        "population": Rule(v.parse_non_negative, "warning"),
        "pilot": Rule(v.parse_yesno, "warning"),
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
    },
}

# Columns a sheet must give, as a column or a title line; district of a report may come from the register.
REQUIRED: dict[str, tuple[str, ...]] = {
    "register": ("district", "street"),
    "list_items": ("district", "year", "item_code", "function", "item_name"),
    "performance": ("street", "period", "item_code"),
    "service": ("street", "period"),
    "unlisted": ("street", "period", "task_name"),
}
META_OK = ("district", "street", "period", "year")


@dataclass
class SheetResult:
    """A sheet read into its canonical table."""

    table: str
    frame: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    rows_read: int = 0
    rows_used: int = 0
    rows_skipped: int = 0


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


def parse_sheet(
    rows: list[list], table: str, list_type: str, file: str, sheet: str, resolver: StreetResolver
) -> SheetResult:
    """Read a sheet's grid as the canonical `table`; never raises on bad content."""
    ctx = _Ctx(file, sheet)
    spec = TABLES[table]
    if not any(any(v_ != "" and v_ is not None for v_ in row) for row in rows):
        ctx.add("warning", "empty_sheet", "工作表为空", "sheet is empty")
        return SheetResult(table, spec.empty(), ctx.findings)
    header = locate_header(rows, column_aliases(table))
    if header is None:
        need = "、".join(TABLES[table].fields[[f.key for f in spec.fields].index(k)].zh for k in REQUIRED[table])
        ctx.add("error", "no_header", f"找不到表头（需要列：{need}）", f"header row not found (needs: {need})")
        return SheetResult(table, spec.empty(), ctx.findings)
    meta = read_title(rows, header.first_row)
    required = REQUIRED[table] + (("list_type",) if table == "list_items" and not list_type else ())
    missing = [k for k in required if k not in header.columns and not (k in META_OK and k in meta)]
    _header_findings(ctx, header, missing, spec)
    if missing:
        return SheetResult(table, spec.empty(), ctx.findings)
    data = split_rows(rows, header, meta, file, sheet)
    ctx.findings.extend(data.skipped)
    frame = _columns(ctx, rows, header, data, table)
    if table == "list_items" and list_type:
        # The sheet's own list (职责任务清单) stands for rows whose 清单类别 cell is left empty.
        frame["list_type"] = frame["list_type"].fillna(list_type) if "list_type" in frame.columns else list_type
    frame, dropped = _check(ctx, frame, table, resolver)
    ctx.close()
    result = SheetResult(table, spec.conform(frame), ctx.findings)
    result.rows_read = len(data.rows) + data.skipped_count
    result.rows_skipped = data.skipped_count + dropped
    result.rows_used = len(result.frame)
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


def _parse_values(values: list, rule: Rule) -> tuple[list, list[tuple[int, v.BadValue]]]:
    """Parse a column, each distinct cell value once (a district column repeats a handful of values)."""
    cache: dict = {}
    parse = rule.parse
    out, bad = [], []
    append = out.append
    numeric = rule.numeric
    for i, raw in enumerate(values):
        if numeric and raw.__class__ is float:
            fast = _fast_float(numeric, raw)
            if fast is not None:
                append(fast)
                continue
        # True == 1.0 as dict keys, and they parse differently: booleans bypass the cache.
        res = cache.get(raw, _MISS) if raw.__class__ is not bool else _MISS
        if res is _MISS:
            try:
                res = parse(raw)
            except v.BadValue as exc:
                res = exc
            if raw.__class__ is not bool:
                cache[raw] = res
        if res.__class__ is v.BadValue:
            bad.append((i, res))
            res = None
        append(res)
    return out, bad


def _columns(ctx: _Ctx, rows: list[list], header: Header, data: DataRows, table: str) -> pd.DataFrame:
    """Parse every known column of the data rows; a column absent from the header comes from title lines."""
    rules = RULES[table]
    cols: dict[str, list] = {}
    meta_places: dict[str, list[str]] = {}
    data_rows = [rows[r] for r in data.rows]
    width = len(rows[0]) if rows else 0  # calamine's grid is rectangular
    for k, rule in rules.items():
        if k in header.columns:
            c = header.columns[k]
            raw = [row[c] for row in data_rows] if c < width else [None] * len(data_rows)
            # Cell names are made only when asked for (see _at): this runs for every cell read.
            ctx.letters[k] = cell(0, c)[:-1]
        elif k in META_OK:
            mvs: list[MetaValue | None] = [m.get(k) for m in data.meta]
            raw = [mv.value if mv else None for mv in mvs]
            names = {id(mv): cell(mv.row, mv.col) for mv in mvs if mv}
            meta_places[k] = [names[id(mv)] if mv else "" for mv in mvs]
        else:
            continue
        parsed, bad = _parse_values(raw, rule)
        seen: set[str] = set()
        for i, exc in bad:
            place = meta_places[k][i] if k in meta_places else f"{ctx.letters[k]}{data.rows[i] + 1}"
            if place in seen:
                continue
            seen.add(place)
            ctx.add(rule.bad, f"bad_{k}", exc.zh, exc.en, place)
        cols[k] = parsed
    frame = pd.DataFrame(cols)
    frame["_row"] = data.rows
    for k, places in meta_places.items():
        frame[f"_at_{k}"] = places
    return frame


def _at(ctx: _Ctx, frame: pd.DataFrame, k: str) -> list[str]:
    """The cells the rows of `frame` took their `k` from: their own cell, or the title line's."""
    if k in ctx.letters:
        letters = ctx.letters[k]
        return [f"{letters}{r + 1}" for r in frame["_row"]]
    col = f"_at_{k}"
    return list(frame[col]) if col in frame.columns else [""] * len(frame)


def _check(ctx: _Ctx, frame: pd.DataFrame, table: str, resolver: StreetResolver) -> tuple[pd.DataFrame, int]:
    """Table rules: required values, streets in the register, duplicates, results present. Returns kept rows."""
    reported = {f.cell for f in ctx.findings if f.level == "error"}
    # 清单类别 is required of every row once the sheet's name does not say which list it is.
    required = REQUIRED[table] + (("list_type",) if table == "list_items" else ())
    for k in required:
        if k in frame.columns and (k in ctx.letters or f"_at_{k}" in frame.columns):
            # Once per cell: a title-line value stands for many rows, and an unreadable cell is already an error.
            for at in dict.fromkeys(_at(ctx, frame.loc[frame[k].isna()], k)):
                if at in reported:
                    continue
                ctx.add(
                    "error",
                    f"empty_{k}",
                    f"必填项“{_zh(table, k)}”为空",
                    f"required value '{k}' is empty",
                    at,
                )
    if table == "register":
        _duplicates(ctx, frame, ["district", "street"], "street", "街道重复出现", "street listed twice")
        return frame, 0
    frame = _resolve(ctx, frame, table, resolver)
    if table == "list_items":
        if "weight" in frame.columns:
            for at in _at(ctx, frame.loc[frame["weight"].le(0).fillna(False)], "weight"):
                ctx.add("error", "bad_weight", "权重必须大于 0", "weight must be > 0", at)
        weight = frame["weight"] if "weight" in frame.columns else pd.Series(None, index=frame.index, dtype="float64")
        frame["weight"] = weight.astype("Float64").fillna(1.0)
        _duplicates(ctx, frame, ["district", "year", "item_code"], "item_code", "事项编号重复", "item code repeated")
        return frame, 0
    if table == "performance":
        _duplicates(
            ctx,
            frame,
            ["district", "street", "period", "item_code"],
            "item_code",
            "同一街道同一报告期事项编号重复",
            "item code repeated for one street and period",
        )
        frame, dropped = _drop_without_result(ctx, frame)
        frame["source_row"] = frame["_row"] + 1
        return frame, dropped
    if table == "service":
        _duplicates(
            ctx,
            frame,
            ["district", "street", "period"],
            "street",
            "同一报告期的便民服务数据重复",
            "service figures repeated for one period",
        )
    return frame, 0


def _zh(table: str, k: str) -> str:
    return next((f.zh for f in TABLES[table].fields if f.key == k), k)


def _duplicates(ctx: _Ctx, frame: pd.DataFrame, keys: list[str], at_key: str, zh: str, en: str) -> None:
    keys = [k for k in keys if k in frame.columns]
    mask = frame.duplicated(keys, keep=False) & frame[keys].notna().all(axis=1)
    if not mask.any():
        return
    dup = frame[mask]
    for _, group in dup.groupby(keys, sort=False, dropna=True):
        cells = _at(ctx, group, at_key)
        value = group[at_key].iloc[0]
        ctx.add(
            "error",
            f"duplicate_{at_key}",
            f"“{value}”{zh}（{'、'.join(cells)}）",
            f"'{value}' {en} ({', '.join(cells)})",
            cells[-1],
        )


def _resolve(ctx: _Ctx, frame: pd.DataFrame, table: str, resolver: StreetResolver) -> pd.DataFrame:
    """Replace district and street names with the register's spelling; unknown names are errors."""
    if resolver.empty:
        if table == "list_items":
            ctx.add(
                "warning",
                "no_register",
                "尚未导入街道名册，区(市)县名称未核对",
                "no street register loaded, the district name was not checked",
            )
            return frame
        ctx.add(
            "error",
            "no_register",
            "尚未导入街道名册，无法核对街道/区县名称；请先导入《街道名册》",
            "no street register loaded, names cannot be checked; load the 街道名册 first",
        )
        return frame
    if "district" in frame.columns:
        known = {d: resolver.district(d) for d in frame["district"].dropna().unique()}
        for name, canon in known.items():
            if canon is None:
                at = _at(ctx, frame.loc[frame["district"] == name].head(1), "district")[0]
                ctx.add(
                    "error",
                    "unknown_district",
                    f"区(市)县“{name}”不在街道名册中",
                    f"district '{name}' is not in the street register",
                    at,
                )
        frame["district"] = frame["district"].map(lambda d: known.get(d) or d, na_action="ignore")
    if "street" not in frame.columns:
        return frame
    if "district" not in frame.columns:
        frame["district"] = None
    # A blank district cell must mean "any district", and NaN (unequal to itself) cannot key the mapping: None.
    frame["district"] = frame["district"].astype(object).where(frame["district"].notna(), None)
    pairs = frame[["street", "district"]].drop_duplicates()
    mapping: dict[tuple, tuple] = {}
    for street, district in pairs.itertuples(index=False):
        if street is None or (isinstance(street, float)):
            continue
        got = resolver.resolve(street, district)
        if isinstance(got, tuple):
            mapping[(street, district)] = got
            continue
        at = _at(ctx, frame.loc[frame["street"] == street].head(1), "street")[0]
        scope = f"（{district}）" if district else ""
        if got == "ambiguous":
            ctx.add(
                "error",
                "ambiguous_street",
                f"街道“{street}”在名册中不唯一，请注明区(市)县",
                f"street '{street}' is ambiguous in the register; give the district",
                at,
            )
        else:
            ctx.add(
                "error",
                "unknown_street",
                f"街道“{street}”{scope}不在街道名册中",
                f"street '{street}' is not in the street register",
                at,
            )
    resolved = [mapping.get((s, d), (d, s)) for s, d in zip(frame["street"], frame["district"], strict=True)]
    frame["district"] = [r[0] for r in resolved]
    frame["street"] = [r[1] for r in resolved]
    return frame


def _drop_without_result(ctx: _Ctx, frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """A row needs target and actual, or completion, or status; others are skipped with a warning."""

    def col(k: str) -> pd.Series:
        return frame[k] if k in frame.columns else pd.Series([None] * len(frame), index=frame.index)

    target = pd.to_numeric(col("target"), errors="coerce")
    has = (target.gt(0) & col("actual").notna()) | col("completion").notna() | col("status").notna()
    missing = frame.loc[~has]
    for row in missing["_row"]:
        ctx.add(
            "warning",
            "no_result",
            f"第 {row + 1} 行没有完成值/完成率/完成状态，按未报送处理，已跳过",
            f"row {row + 1} gives no actual, completion or status; skipped, item counts as missing",
            str(row + 1),
        )
    # A fresh index: Table.conform builds absent columns on 0..n-1, and a kept index [1, 2] would add a row.
    return frame.loc[has].reset_index(drop=True), len(missing)
