"""Several workbooks read together resolved as the store would resolve them (FORMATS.md §5 "Files and the
store agree"): files in ingest order (registers, then lists, then the rest, each in the order given), a later
file's batch replacing an earlier one of the same unit (schema.Table.scope), identical content counted once.
`python -m metrics score FILE...` and `python -m loaders check` read files through this; the store does the
same with batches (loaders/store.py), and tests/metrics/test_files_vs_store.py holds the two to each other."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from loaders.findings import ParsedFile
from loaders.schema import LIST_TYPES, REGISTER, TABLES, Dataset

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Resolution:
    """The files' tables as one dataset, and what superseded what, as lines officers read."""

    dataset: Dataset
    notes: list[str] = field(default_factory=list)


def ingest_order(files: Sequence[ParsedFile]) -> list[int]:
    """Indexes of the files in the order an ingest stores them: registers, lists, the rest (stable)."""

    def rank(i: int) -> int:
        tables = files[i].tables
        return 0 if "register" in tables else 1 if "list_items" in tables else 2

    return sorted(range(len(files)), key=rank)


def _label(table: str, unit: tuple) -> str:
    if table == "list_items":
        district, year, kind = unit
        return f"{LIST_TYPES.get(kind, kind)} {district} {year}"
    return " ".join([TABLES[table].sheet_zh, *(str(x) for x in unit)])


def _units(frame: pd.DataFrame, scope: Sequence[str]) -> dict[tuple, object]:
    """Each scope unit of a table's rows → the positions of its rows."""
    if frame.empty:
        return {}
    groups = frame.groupby(list(scope), dropna=False, sort=False).indices
    return {(k if isinstance(k, tuple) else (k,)): v for k, v in groups.items()}


def resolve(files: Sequence[ParsedFile], base_register: pd.DataFrame | None = None) -> Resolution:
    """The valid files' tables superseded by unit in ingest order; `base_register` (the store's) holds the
    districts no file gives a register for."""
    import pandas as pd

    notes: list[str] = []
    # unit (table, scope values) → (file index, row positions); the file that delivered it last wins
    active: dict[tuple[str, tuple], tuple[int, object]] = {}
    delivered: dict[int, list[tuple[str, tuple]]] = {}
    by_sha: dict[str, int] = {}
    for i in ingest_order(files):
        p = files[i]
        if not p.ok or p.skipped:
            continue
        earlier = by_sha.get(p.sha256)
        if earlier is not None and all(active.get(u, (None,))[0] == earlier for u in delivered[earlier]):
            first = files[earlier].name
            notes.append(f"= {p.name}: 与 {first} 内容相同，只计一次 (same content as {first}, counted once)")
            continue
        if earlier is not None:
            notes.append(
                f"↺ {p.name}: 与 {files[earlier].name} 内容相同，该文件曾被替换，现重新启用 "
                f"(same content as {files[earlier].name}, which had been replaced: active again)"
            )
        by_sha[p.sha256] = i
        delivered[i] = []
        for table, frame in p.tables.items():
            for unit, rows in _units(frame, TABLES[table].scope).items():
                key = (table, unit)
                if key in active and active[key][0] != i:
                    old = files[active[key][0]].name
                    notes.append(f"↻ {p.name} 替换 supersedes {old}: {_label(table, unit)}")
                active[key] = (i, rows)
                delivered[i].append(key)
    parts: dict[str, list] = {}
    for (table, _), (i, rows) in active.items():
        parts.setdefault(table, []).append(files[i].tables[table].iloc[rows])
    ds = Dataset()
    for table, frames in parts.items():
        frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        setattr(ds, table, TABLES[table].conform(frame))
    if base_register is not None and len(base_register):
        given = set(ds.register["district"].dropna())
        kept = base_register.loc[~base_register["district"].isin(given).to_numpy(dtype=bool)]
        ds.register = REGISTER.conform(pd.concat([REGISTER.conform(kept), ds.register], ignore_index=True))
    return Resolution(ds, notes)
