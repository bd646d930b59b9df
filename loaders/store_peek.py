"""The store's location, its version error, and its active street register read from a SQLite file
without SQLAlchemy.

Importing SQLAlchemy, pandas and opening the store take ~0.5 s; the ingest and check commands read the
register here first, as plain values, so the workers start on the workbooks meanwhile (ingest.ingest_paths).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from loaders.parse import Prepared
from loaders.schema import TABLES

REPO = Path(__file__).resolve().parents[1]
_SQLITE_PREFIX = "sqlite:///"


class StoreVersionError(RuntimeError):
    """The store's tables are of another schema version than this program's (store_schema.SCHEMA_VERSION)."""

    def __init__(self, found: str, expected: int) -> None:
        self.found = found
        super().__init__(
            f"数据库结构版本为 {found}，本程序为 {expected}：请使用对应版本的程序，或导入到新的数据库"
            f"（store schema version {found}, this program's is {expected}: use the matching version of the"
            " program, or ingest into a new database）"
        )


def default_url() -> str:
    """The store's SQLAlchemy URL: env STREETS_DB, else the SQLite file data/streets.sqlite of the repo."""
    return os.environ.get("STREETS_DB") or f"{_SQLITE_PREFIX}{REPO / 'data' / 'streets.sqlite'}"


def sqlite_file(url: str) -> Path | None:
    """The file of a plain `sqlite:///path` URL; None for other databases, memory and URLs with options."""
    if not url.startswith(_SQLITE_PREFIX) or "?" in url:
        return None
    path = url[len(_SQLITE_PREFIX) :]
    return Path(path) if path and path != ":memory:" and not path.startswith("file:") else None


def active_rows_sql(table: str) -> tuple[str, list[str]]:
    """SQL for the active rows of a data table, scope values taken from their batch, and its column names.

    The rule the store reads by (Store._load): rows of active batches, in batch order, then row order.
    """
    spec = TABLES[table]
    rest = [f.key for f in spec.fields if f.key not in spec.scope]
    columns = [*(f"b.{k}" for k in spec.scope), *(f"t.{k}" for k in rest)]
    sql = (
        f"SELECT {', '.join(columns)} FROM {table} AS t JOIN batches AS b ON b.id = t.batch_id"
        f" WHERE b.table_name = '{table}' AND b.active ORDER BY t.batch_id, t.id"
    )
    return sql, [*spec.scope, *rest]


def peek_register(url: str | None) -> Prepared | None:
    """The active register of the SQLite store at url as plain values (no rows when it has none yet);
    None when url is not a plain SQLite file (then open the store and ask it)."""
    path = sqlite_file(url or default_url())
    if path is None:
        return None
    spec = TABLES["register"]
    if not path.exists():
        return Prepared("register", [[] for _ in spec.fields])
    sql, names = active_rows_sql("register")
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error:
        return None
    try:
        rows = con.execute(sql).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):  # a store not yet written to
            return Prepared("register", [[] for _ in spec.fields])
        return None
    finally:
        con.close()
    fetched = dict(zip(names, zip(*rows, strict=True) if rows else [()] * len(names), strict=True))
    # SQLite keeps booleans as 0 and 1.
    return Prepared(
        "register",
        [
            [None if v is None else bool(v) for v in fetched[f.key]] if f.dtype == "boolean" else list(fetched[f.key])
            for f in spec.fields
        ],
    )
