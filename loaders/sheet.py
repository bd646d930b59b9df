"""Reading one sheet's grid: title lines, the (possibly two-row) header, and the data rows beneath it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain, compress
from operator import and_, itemgetter, ne, not_

from loaders.findings import Finding, cell_name
from loaders.text import is_blank, key, nfkc
from loaders.vocab import FOOTER_FIRST_CHARS, is_footer, meta_aliases

HEADER_SCAN_ROWS = 25
IGNORED = "_ignored"  # columns.csv key of headers every form has and no table uses (序号)
_UNIT_SUFFIX = re.compile(r"(?:\([^()]*\)|%)$")  # 目标值（件）, 完成率%
_UNIT_ONLY = re.compile(r"^(?:\([^()]*\)|%)$")


def header_key(text: object, aliases: dict[str, str]) -> str | None:
    """The canonical key a header cell names, trying it also without a trailing unit like '(件)' or '%'."""
    k = key(text)
    if not k:
        return None
    if k in aliases:
        return aliases[k]
    bare = _UNIT_SUFFIX.sub("", k)
    return aliases.get(bare) if bare else None


@dataclass
class Header:
    """Where the header is and which column holds which key."""

    first_row: int
    last_row: int
    columns: dict[str, int]
    labels: list[str]
    unknown: list[tuple[int, str]] = field(default_factory=list)
    duplicates: list[tuple[int, str, str]] = field(default_factory=list)


def _labels(rows: list[list], r: int, two_rows: bool) -> list[str]:
    top = rows[r]
    if not two_rows:
        return [nfkc(v) for v in top]
    low = rows[r + 1]
    width = max(len(top), len(low))
    out = []
    for c in range(width):
        lower = nfkc(low[c]) if c < len(low) else ""
        upper = nfkc(top[c]) if c < len(top) else ""
        # A second row of units ('（件）', '%') belongs to the label above it: 目标值（件）.
        out.append(upper + lower if upper and _UNIT_ONLY.match(key(lower)) else lower or upper)
    return out


def _score(labels: list[str], aliases: dict[str, str], keys: dict[object, str | None]) -> int:
    """How many keys a header of these labels names (labels' keys memoised in `keys`, as _row_score does)."""
    found = set()
    for t in labels:
        k = keys.get(t, _MISS)
        if k is _MISS:
            k = keys[t] = header_key(t, aliases)
        if k:
            found.add(k)
    return len(found)


# Per alias map: a text cell's header key, and whether it is a unit alone ('（件）', '%'). Headers,
# titles and the first data rows of every sheet repeat the same texts.
_MEMO: dict[int, tuple[dict[str, str], dict[object, str | None], dict[str, bool]]] = {}
_MEMO_LIMIT = 1 << 16


def _memo(aliases: dict[str, str]) -> tuple[dict[object, str | None], dict[str, bool]]:
    entry = _MEMO.get(id(aliases))
    if entry is None or entry[0] is not aliases or len(entry[1]) > _MEMO_LIMIT:
        entry = _MEMO[id(aliases)] = (aliases, {}, {})  # holds aliases, so its id is not reused
    return entry[1], entry[2]


def _row_score(row: list, aliases: dict[str, str], keys: dict[object, str | None]) -> int:
    """The score of a row as a one-row header (_score of its labels)."""
    found = set()
    for v in row:
        # Numbers and dates are keyed with their type: True, 1 and 1.0 are equal keys with different texts.
        memo_key = v if v.__class__ is str else (v.__class__, v)
        k = keys.get(memo_key, _MISS)
        if k is _MISS:
            k = keys[memo_key] = header_key(nfkc(v), aliases)
        if k:
            found.add(k)
    return len(found)


def _has_unit(row: list, units: dict[str, bool]) -> bool:
    """True when a cell holds a unit alone; only text can (a number's or date's text never starts with '(')."""
    for v in row:
        if v.__class__ is str:
            u = units.get(v)
            if u is None:
                u = units[v] = bool(_UNIT_ONLY.match(key(nfkc(v))))
            if u:
                return True
    return False


_MISS = object()


def locate_header(rows: list[list], aliases: dict[str, str]) -> Header | None:
    """Find the header row (or a two-row header with merged group cells) among the first rows."""
    n = min(len(rows), HEADER_SCAN_ROWS)
    keys, units = _memo(aliases)
    single = [_row_score(rows[r], aliases, keys) for r in range(min(len(rows), n + 1))]
    best: tuple[int, int, bool] | None = None  # (score, row, two_rows); the first best wins
    for r in range(n):
        # A pair's labels are its lower row's, its top row's where the lower cell is empty, or a label with
        # its unit: without a key in the top row nor a unit below, it cannot beat its lower row alone.
        maybe = r + 1 < len(rows) and (single[r] > 0 or _has_unit(rows[r + 1], units))
        pair = _score(_labels(rows, r, True), aliases, keys) if maybe else 0
        # A two-row header must say more than its lower row alone, or its "top row" is a title line;
        # it goes before the single row r so that a row of units under the header is taken in.
        below = single[r + 1] if r + 1 < len(single) else 0
        for score, two in ((pair if pair > below else 0, True), (single[r], False)):
            if score >= 2 and (best is None or score > best[0]):
                best = (score, r, two)
    if best is None:
        return None
    _, r, two = best
    labels = _labels(rows, r, two)
    columns: dict[str, int] = {}
    unknown, duplicates = [], []
    for c, text in enumerate(labels):
        k = header_key(text, aliases)
        if k is None:
            if text:
                unknown.append((c, text))
        elif k == IGNORED:
            continue
        elif k in columns:
            duplicates.append((c, text, k))
        else:
            columns[k] = c
    return Header(r, r + 1 if two else r, columns, labels, unknown, duplicates)


@dataclass(frozen=True)
class MetaValue:
    """A sheet-wide value from a title line, with the cell it was read from."""

    value: object  # text, or the cell itself when a number or date stands alone in its cell
    row: int
    col: int


_COLON = re.compile("[:：﹕︓]")  # every character NFKC turns into ':'


_PAIR_SEPARATORS = re.compile("[,;，；]")  # `填报单位：玉林街道，报告期：2019Q2`
_COLON_SPLIT = re.compile(r"\s*:\s*")


def title_pairs(row: list) -> list[tuple[str, MetaValue]]:
    """`名称：值` pairs on one title line: several per cell (apart by spaces, `，` or `；`), spaces inside the
    name and before the colon (`填 报 单 位 ：`), or name and value in adjacent cells."""
    if not _COLON.search("".join(v for v in row if type(v) is str)):
        return []  # most rows: no colon, no pair; this runs on every row under the header
    aliases = meta_aliases()
    pairs: list[tuple[str, MetaValue]] = []
    pending: str | None = None  # a name whose value stands in the next cell
    for c, v in enumerate(row):
        if is_blank(v):
            continue
        text = nfkc(v) if isinstance(v, str) else None
        if pending is not None and (text is None or ":" not in text):
            # `年度：` | 2019 or `报告期：` | a date cell: keep the number or date, not its text "2019.0".
            pairs.append((pending, MetaValue(v if text is None else text.split()[0], -1, c)))
            pending = None
            continue
        pending = None
        if text is None or ":" not in text:
            continue
        segments = _COLON_SPLIT.split(_PAIR_SEPARATORS.sub(" ", text))
        name = None
        for i, segment in enumerate(segments):
            tokens = segment.split()
            found, rest = _name_at_end(tokens, aliases) if i < len(segments) - 1 else (None, tokens)
            if name is not None:
                if rest:
                    pairs.append((name, MetaValue(rest[0], -1, c)))
                elif i == len(segments) - 1:
                    pending = name
            name = found
    return pairs


def _name_at_end(tokens: list[str], aliases: dict[str, str]) -> tuple[str | None, list[str]]:
    """The title-line key named by the last tokens before a colon (the longest that is a known name; spaces
    inside a name are the officer's), and the tokens before it."""
    for k in range(len(tokens)):
        meta = header_key("".join(tokens[k:]), aliases)  # as for headers: 填报单位（盖章） is 填报单位
        if meta is not None:
            return meta, tokens[:k]
    return None, tokens


def read_title(rows: list[list], upto: int) -> dict[str, MetaValue]:
    """Sheet-wide values from the title lines above row `upto`."""
    meta: dict[str, MetaValue] = {}
    for r in range(upto):
        for name, mv in title_pairs(rows[r]):
            meta[name] = MetaValue(mv.value, r, mv.col)
    return meta


@dataclass
class DataRows:
    """The data rows of a sheet, each with the title values in force where it stands."""

    rows: list[int] = field(default_factory=list)
    meta: list[dict[str, MetaValue]] = field(default_factory=list)
    skipped: list[Finding] = field(default_factory=list)
    blank_count: int = 0

    @property
    def skipped_count(self) -> int:
        return self.blank_count + sum(1 for f in self.skipped if f.code != "blank")


def split_rows(rows: list[list], header: Header, meta: dict[str, MetaValue], file: str, sheet: str) -> DataRows:
    """Classify every row under the header: data, blank, footer, repeated header or a block's title line."""
    out = DataRows()
    blank: list[int] = []
    header_keys = [key(t) for t in header.labels]
    current = dict(meta)
    known = sorted(header.columns.values())
    # A repeated header starts with the header's own first cell; only such rows are compared in full.
    header_firsts = {rows[r][0] for r in range(header.first_row, header.last_row + 1) if rows[r]}
    # The usual data row has its first cell and its first two known cells filled, and no footer or note
    # text: those are told apart with a few comparisons; any other row takes the full checks below.
    k0, k1 = known[:2] if len(known) >= 2 else (-1, -1)
    start = header.last_row + 1
    full = _unusual_rows(rows, start, header_firsts, k0, k1)
    done = start  # rows before this are classified
    for r in range(start, len(rows)) if full is None else full:
        if r > done:  # usual data rows in between, under the title values in force
            out.rows.extend(range(done, r))
            out.meta.extend([current] * (r - done))
        done = r + 1
        row = rows[r]
        first = row[0] if row else None
        if first == "" or first is None or (first.__class__ is str and first.isspace()):
            at = _first_filled(row)
            if at < 0:
                blank.append(r)
                continue
            first = row[at]
        if first.__class__ is str and first.lstrip()[:1] in FOOTER_FIRST_CHARS and is_footer(first):
            out.skipped.append(_skip(file, sheet, r, "footer", f"表尾行“{nfkc(first)[:20]}”", "footer row"))
            continue
        # A note is one text in every filled cell (a merged row); most rows hold their first value once.
        note = first.__class__ is str and row.count(first) >= 2 and _is_note(row, first)
        n_known = _known_filled(row, known, k0, k1)
        # A title line holds only its pairs, or is one merged text; only such rows are searched for pairs.
        below = _title_line(row, r, current) if note or n_known < 2 else None
        if below is not None:
            current = below
            out.skipped.append(
                _skip(file, sheet, r, "title_line", "标题行，其值用于下方各行", "title line, applies below")
            )
            continue
        if note:
            text = nfkc(first)
            out.skipped.append(_skip(file, sheet, r, "note", f"说明文字“{text[:20]}”", f"note '{text[:20]}'"))
            continue
        if not n_known:
            # Only unrecognised columns filled: a template's pre-numbered 序号 row, or a note beside the table.
            out.skipped.append(
                _skip(file, sheet, r, "no_known_values", "只有未识别的列有内容", "values only in unrecognised columns")
            )
            continue
        if row[0] in header_firsts and [key(v) for v in row[: len(header_keys)]] == header_keys[: len(row)]:
            out.skipped.append(_skip(file, sheet, r, "repeated_header", "重复的表头行", "repeated header row"))
            continue
        out.rows.append(r)
        out.meta.append(current)
    out.rows.extend(range(done, len(rows)))
    out.meta.extend([current] * (len(rows) - done))
    out.blank_count = len(blank)
    if blank:
        out.skipped.append(_blank_finding(blank, file, sheet))
    return out


def _title_line(row: list, r: int, current: dict[str, MetaValue]) -> dict[str, MetaValue] | None:
    """The title values in force below row r when it is a title line (its pairs over `current`), else None."""
    pairs = title_pairs(row) if _has_colon(row) else []
    if not pairs:
        return None
    return current | {name: MetaValue(mv.value, r, mv.col) for name, mv in pairs}


def _blank_finding(blank: list[int], file: str, sheet: str) -> Finding:
    """One note for the blank rows skipped, naming the first dozen."""
    shown = ", ".join(str(r + 1) for r in blank[:12]) + (" …" if len(blank) > 12 else "")
    return Finding(
        "skipped",
        "blank",
        f"{len(blank)} 个空行已跳过（第 {shown} 行）",
        f"{len(blank)} blank rows skipped (rows {shown})",
        file,
        sheet,
        "",
    )


def _unusual_rows(rows: list[list], start: int, header_firsts: set, k0: int, k1: int) -> list[int] | None:
    """The rows from `start` that need split_rows' checks one by one (None: all of them). The others are the
    usual data row, told at C speed over the columns: its first cell filled, not the header's first cell and
    not starting like a footer, the first two known columns (k0, k1) filled, and k1's cell unlike the first
    (so not a merged note). Each distinct cell value is judged once."""
    body = rows[start:]
    if k1 < 0 or not body or k1 >= len(body[0]) or len(set(map(len, body))) != 1:
        return None
    firsts = list(map(itemgetter(0), body))
    at_k0 = firsts if k0 == 0 else list(map(itemgetter(k0), body))
    at_k1 = list(map(itemgetter(k1), body))
    first_ok = {v: _filled(v) and v not in header_firsts and not _footer_like(v) for v in dict.fromkeys(firsts)}
    filled = {v: _filled(v) for v in dict.fromkeys(chain(at_k0, at_k1))}
    usual = map(
        and_,
        map(and_, map(first_ok.__getitem__, firsts), map(filled.__getitem__, at_k0)),
        map(and_, map(filled.__getitem__, at_k1), map(ne, at_k1, firsts)),
    )
    return [start + i for i in compress(range(len(body)), map(not_, usual))]


def _footer_like(v: object) -> bool:
    """True when a cell starts like a footer (合计, 注：…): split_rows asks is_footer of such a first cell."""
    return v.__class__ is str and v.lstrip()[:1] in FOOTER_FIRST_CHARS


def _filled(v: object) -> bool:
    """True when a cell holds something: not empty, None or whitespace alone."""
    return v != "" and v is not None and not (v.__class__ is str and v.isspace())


def _first_filled(row: list) -> int:
    """The column of the row's first filled cell, or -1 for a blank row."""
    for c, v in enumerate(row):
        if v != "" and v is not None and not (v.__class__ is str and v.isspace()):
            return c
    return -1


def _is_note(row: list, first: str) -> bool:
    """True when the row's filled cells (two or more) all hold the text `first`."""
    filled = [v for v in row if _filled(v)]
    return len(filled) >= 2 and all(v == first for v in filled)


def _known_filled(row: list, known: list[int], k0: int, k1: int) -> int:
    """How many of the known columns are filled in the row, counted up to 2 (all split_rows asks);
    k0 and k1 are the first two known columns (-1 when fewer), which the usual row fills."""
    if 0 <= k1 < len(row):
        a, b = row[k0], row[k1]  # _filled, inline: this runs for every row
        if (a != "" and a is not None and not (a.__class__ is str and a.isspace())) and (
            b != "" and b is not None and not (b.__class__ is str and b.isspace())
        ):
            return 2
    n = 0
    width = len(row)
    for c in known:
        if c < width:
            v = row[c]  # _filled, inline: this runs for every row
            if v != "" and v is not None and not (v.__class__ is str and v.isspace()):
                n += 1
                if n == 2:
                    break
    return n


def _has_colon(row: list) -> bool:
    """True when a text cell of the row holds a colon (half or full width)."""
    return any(":" in v or "：" in v for v in row if v.__class__ is str)


def _skip(file: str, sheet: str, r: int, code: str, zh: str, en: str) -> Finding:
    return Finding(
        "skipped",
        code,
        f"第 {r + 1} 行：{zh}，已跳过",
        f"row {r + 1}: {en}, skipped",
        file,
        sheet,
        str(r + 1),
    )


def column_cells(rows: list[list], c: int, at: Sequence[int] | None = None) -> list:
    """Column c's cells of the rows (or of the rows at `at`), None where a row is shorter; taken at C speed
    when every row reaches column c (calamine's grid is rectangular)."""
    chosen = rows if at is None else list(map(rows.__getitem__, at))
    if chosen and c < min(map(len, chosen)):
        return list(map(itemgetter(c), chosen))
    return [row[c] if c < len(row) else None for row in chosen]


def cell(r: int, c: int) -> str:
    """A1 name of a 0-based cell."""
    return cell_name(r, c)
