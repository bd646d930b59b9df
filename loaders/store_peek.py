"""The store's location, its schema version and version error, its data digest rule, and its active street
register read from a SQLite file without SQLAlchemy.

Importing SQLAlchemy, pandas and opening the store take ~0.5 s; the ingest and check commands read the
register here first, as plain values, so the workers start on the workbooks meanwhile (ingest.ingest_paths).
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loaders.parse import Prepared

REPO = Path(__file__).resolve().parents[1]
_SQLITE_PREFIX = "sqlite:///"

# The layout of the store's tables (loaders/store_schema.py). Raise it with every change to them, and teach Store
# to upgrade older stores: a store of another version is refused rather than written in a layout it does not have.
# 2 (from 1, upgraded on opening): optional register context (area, communities, agri_share, firms) and list
# items' direction, applies_to (FORMATS.md §6), nullable columns Store adds; the results_* and pending_uploads
# tables, which create_all makes.
# 3 (from 1 or 2, upgraded on opening): list items' funds_amount (下放经费) and the 准入 ledger columns of
# unlisted tasks (access_ref, approval_date, funds_amount, returned), nullable columns Store adds (issue 15).
# 4 (from 1–3, upgraded on opening; issue 15): the crosswalk table (清单对照, point 5), dept_ratings (部门评价) and
# advice (建议权, point 1), enforcement (执法情况, point 3), which create_all makes; list items' on_time_target and
# correction_ceiling, nullable columns Store adds.
# 5 (from 1–4, upgraded on opening; issue 12): the data tables no longer repeat their batch's scope values
# (district, street, period, year: batches holds them, and reads take them from there); Store drops them.
# 6 (from 1–5, upgraded on opening; issue 15 point 4): the offices table (机构设置), which create_all makes; unlisted
# tasks' office (承办科室), a nullable column Store adds.
SCHEMA_VERSION = 6
UPGRADABLE = frozenset({"1", "2", "3", "4", "5"})


def active_digest(active_ids: Sequence[int]) -> str:
    """The store's data digest (Store.data_digest) from its active batch ids in ascending order."""
    # Batches are never edited, only retired: the set of active ids names the data completely.
    return hashlib.sha256(struct.pack(f"<{len(active_ids)}q", *active_ids)).hexdigest()


class StoreVersionError(RuntimeError):
    """The store's tables are of another schema version than this program's (store_schema.SCHEMA_VERSION)."""

    def __init__(self, found: str, expected: int) -> None:
        self.found = found
        super().__init__(
            f"数据库结构版本为 {found}，本程序为 {expected}：请使用对应版本的程序，或导入到新的数据库"
            f"（store schema version {found}, this program's is {expected}: use the matching version of the"
            " program, or ingest into a new database）"
        )


class StoreOpenError(RuntimeError):
    """The store cannot be opened or made: its folder, its file or its server refuses (not a schema matter)."""

    def __init__(self, url: str, reason: str) -> None:
        shown = _PASSWORD.sub(r"//\1:***@", url)
        super().__init__(f"无法打开数据库 {shown}：{reason}（cannot open the store {shown}: {reason}）")


_PASSWORD = re.compile(r"//([^:/@]+):[^@]*@")  # user:password@ in a server URL: the password is never printed


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
    from loaders.schema import TABLES

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
    from loaders.parse import Prepared
    from loaders.schema import TABLES

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
    except sqlite3.DatabaseError as exc:
        if "no such table" in str(exc):  # a store not yet written to
            return Prepared("register", [[] for _ in spec.fields])
        return None  # not a store, or locked: opening it says why
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
