"""The store: canonical tables kept in SQL (SQLite by default, PostgreSQL unchanged), with supersede and an ingest log.

Every file offered is one transaction. A file delivers, per canonical table, one batch per scope unit
(schema.Table.scope, e.g. a street and a period); the newest batch of a unit is active and the ones it
replaced stay in the tables as history. The dashboard reads active batches only.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from functools import cached_property
from itertools import chain, compress, repeat
from operator import ne, or_
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from loaders import schema
from loaders.crosscheck import ListIndex
from loaders.diskfull import is_disk_full
from loaders.findings import Finding, ParsedFile
from loaders.parse import Prepared, python_values
from loaders.read import gc_paused
from loaders.store_peek import StoreOpenError, StoreVersionError, active_digest, default_url
from loaders.store_schema import (
    BATCH_SCOPE,
    DATA,
    SCHEMA_VERSION,
    UPGRADABLE,
    batches,
    ingests,
    metadata,
    store_meta,
    stored_fields,
)

SAMPLE_USER = "sample"  # who the shipped sample workbooks are stored as (the dashboard's first start)

if TYPE_CHECKING:  # imported where frames are made: an ingest of prepared tables never needs pandas (0.3 s) nor numpy
    import numpy as np
    import pandas as pd

MAX_FINDINGS = 500  # kept per ingest in the log; a city-scale file can skip thousands of footer rows
PARAMS_PER_STATEMENT = 700  # bound values per multi-row statement; far below SQLite's and PostgreSQL's limits
_LEVEL_ORDER = {"error": 0, "warning": 1, "skipped": 2}
_JSON = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(ensure_ascii=False), one encoder for all calls


def _sqlite_connect(dbapi_connection, _record) -> None:
    # Hand BEGIN to SQLAlchemy (see _sqlite_begin): pysqlite's implicit deferred BEGIN lets two
    # gunicorn workers read, then both try to write, and one fails at once instead of waiting.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA busy_timeout = 30000")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a power cut may lose the last commit only
    # Checkpoint when the WAL passes 64 MiB instead of 4 MiB: an ingest commits once per file, and each
    # checkpoint copies (and syncs) the pages back; fewer, larger ones write each hot page (batches, indexes)
    # back once (a city: 0.1-0.2 s less CPU of the storing process). The WAL file may grow to
    # about that size; it is removed when the last connection closes.
    cur.execute("PRAGMA wal_autocheckpoint = 16384")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    # Writers take the write lock up front, so they queue on busy_timeout rather than deadlock.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")


@contextmanager
def write_transaction(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection in a transaction that takes SQLite's write lock at BEGIN: writers queue, none fails at once.

    A plain `engine.begin()` that reads before it writes is refused at once ("database is locked") when another
    connection wrote in between; every write of the store's tables goes through here.
    """
    with engine.connect() as conn:
        conn.execution_options(write=True)
        with conn.begin():
            yield conn


def make_engine(url: str) -> sa.Engine:
    """An engine for url; SQLite gets WAL, foreign keys, a busy timeout and explicit BEGIN."""
    u = sa.make_url(url)
    if u.get_backend_name() != "sqlite":
        return sa.create_engine(u, pool_pre_ping=True)
    if u.database and u.database != ":memory:" and not u.database.startswith("file:"):
        Path(u.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(u)
    sa.event.listen(engine, "connect", _sqlite_connect)
    sa.event.listen(engine, "begin", _sqlite_begin)
    return engine


@dataclass(frozen=True)
class Unit:
    """One scope unit of one table: what a batch covers and what a newer batch supersedes."""

    table: str
    district: str | None = None
    street: str | None = None
    period: str | None = None
    year: int | None = None
    list_type: str | None = None  # lists only: duty / service / enforcement (kept in unit_key, not a column)

    @cached_property
    def key(self) -> str:
        """The scope-key values as JSON, identifying the unit within its table."""
        return _JSON([getattr(self, k) for k in schema.TABLES[self.table].scope])

    def as_dict(self) -> dict:
        """The fields as a plain dict (dataclasses.asdict deep-copies: 0.15 s for 2,000 units)."""
        return {k: getattr(self, k) for k in _UNIT_FIELDS}

    def label(self) -> str:
        """`履职情况 武侯区 玉林街道 2019Q2`, as officers read it."""
        if self.table == "list_items":
            return f"{schema.LIST_TYPES.get(self.list_type, self.list_type)} {self.district} {self.year}"
        parts = [getattr(self, k) for k in schema.TABLES[self.table].scope]
        return " ".join([schema.TABLES[self.table].sheet_zh, *(str(p) for p in parts)])


_UNIT_FIELDS = tuple(f.name for f in fields(Unit))


@dataclass
class IngestOutcome:
    """What ingesting one file did."""

    outcome: str  # ingested / reactivated / duplicate / refused / skipped / failed (disk full: loaders.diskfull)
    ingest_id: int
    file_name: str
    added: list[Unit] = field(default_factory=list)
    superseded: list[Unit] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # rows stored per table
    duplicate_of: int | None = None  # the earlier ingest of the same content
    reactivated: int | None = None  # the earlier ingest of the same content, superseded since: active again


def _py_values(s: pd.Series) -> np.ndarray:
    """Column values as an object array of plain Python values (str, int, float, bool, datetime), NA as None."""
    return python_values(s.array)


@dataclass
class _Frame:
    """One table of a file made ready to store: its columns as Python values and its scope units."""

    name: str
    columns: list[Sequence]  # schema order
    units: list[Unit]
    runs: list[tuple[int, int]]  # (index into units, rows): the rows, run after run of one unit
    counts: list[int]  # rows per unit

    @property
    def rows(self) -> int:
        return sum(self.counts)


def _frame(name: str, df: pd.DataFrame) -> _Frame:
    """The table's rows as Python values, grouped by scope unit."""
    spec = schema.TABLES[name]
    series = [s for _, s in df.items()]
    conformed = list(df.columns) == spec.columns and all(
        str(s.dtype) == f.dtype for s, f in zip(series, spec.fields, strict=True)
    )
    if not conformed:
        series = [s for _, s in spec.conform(df).items()]
    return _grouped(name, [_py_values(s).tolist() for s in series])


def _prepared_frame(prepared: Prepared) -> _Frame:
    """A table prepared by the reader (plain Python values already), grouped by scope unit."""
    return _grouped(prepared.table, prepared.columns)


def _grouped(name: str, columns: list[list]) -> _Frame:
    """Columns of Python values grouped by scope unit, units in order of first appearance. A file's rows come
    unit after unit: runs of equal scope values are found by comparing each column with itself shifted by one
    row (map at C speed; plain Python, no numpy on the ingest path), and units are looked up once per run."""
    spec = schema.TABLES[name]
    scope = [columns[spec.columns.index(k)] for k in spec.scope]
    n = len(columns[0])
    changed = [False] * (n - 1)
    for values in scope:
        changed = list(map(or_, changed, map(ne, values[1:], values[:-1])))
    starts = [0, *compress(range(1, n), changed)] if n else []  # no rows (an empty table): no runs
    ends = [*starts[1:], n] if n else []
    index: dict[tuple, int] = {}
    runs = [
        (index.setdefault(tuple(values[at] for values in scope), len(index)), end - at)
        for at, end in zip(starts, ends, strict=True)
    ]
    counts = [0] * len(index)
    for unit, length in runs:
        counts[unit] += length
    units = [Unit(name, **dict(zip(spec.scope, k, strict=True))) for k in index]
    return _Frame(name, columns, units, runs, counts)


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _binders(dialect: sa.Dialect) -> dict[str, dict[str, Callable[[list], list]]]:
    """Per data table, whole-column versions of the dialect's bind processors that change _py_values's values."""
    out: dict[str, dict[str, Callable[[list], list]]] = {}
    for name, table in DATA.items():
        out[name] = {}
        for f in stored_fields(schema.TABLES[name]):
            process = table.c[f.key].type.dialect_impl(dialect).bind_processor(dialect)
            if process is None or f.dtype == "float64":  # Python floats come out of Float's processor as they went in
                continue
            if f.dtype == "boolean":
                # SQLite's makes them 0 and 1. Drivers adapt a bool more slowly than an int (sqlite3: ~0.1 s a city).
                as_stored = {True: process(True), False: process(False)}
                if any(type(v) is bool for v in as_stored.values()):
                    continue
                out[name][f.key] = lambda values, m=as_stored: _map_bools(values, m)
            else:
                out[name][f.key] = lambda values, p=process: [None if v is None else p(v) for v in values]
    return out


def _map_bools(values: Sequence, to: dict[bool, object]) -> list:
    """True/False/None values with True and False replaced as `to` says."""
    return [None if v is None else to[bool(v)] for v in values]


_BATCH_COLUMNS = ("ingest_id", "table_name", "unit_key", "district", "street", "period", "year", "active", "row_count")


class _Cursor:
    """The write transaction's driver cursor: SQL written with `?`, errors raised as SQLAlchemy raises them.

    Ingest runs a handful of small statements per table; through SQLAlchemy Core each costs more than the
    statement itself. `bench/bench_store_sql.py` runs the same 2,400 statements (600 tables) both ways on a new
    SQLite store: 0.018 s on this cursor (7 µs each), 0.352 s as Core constructs (147 µs each), measured
    2026-12-05 on the 2-core machine at load 2.7. The rest of the store (reads, schema, results) uses Core.
    """

    def __init__(self, conn: sa.Connection) -> None:
        self.dialect = conn.dialect
        self.cursor = conn.connection.driver_connection.cursor()
        self.qmark = conn.dialect.paramstyle == "qmark"
        # PostgreSQL plans every new statement text (~0.5 ms): there, lists go as array parameters
        # so each statement has one text whatever the count, and the driver prepares it once.
        self.arrays = conn.dialect.name == "postgresql"

    def __enter__(self) -> _Cursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cursor.close()

    def sql(self, text: str) -> str:
        return text if self.qmark else text.replace("?", "%s")

    def among(self, values: list) -> Iterator[tuple[str, list]]:
        """`IN (...)` conditions covering values, each with its parameters."""
        if self.arrays:
            yield "= ANY(?)", [values]
            return
        for part in _chunks(values, PARAMS_PER_STATEMENT):
            yield f"IN ({', '.join('?' * len(part))})", part

    def insert(self, table: sa.Table, columns: Sequence[str], rows: list[tuple], returning: str) -> list[tuple]:
        """Insert rows of values for columns; the returning columns of the new rows, in no particular order."""
        names = ", ".join(columns)
        if self.arrays:
            casts = ", ".join(f"?::{table.c[k].type.compile(self.dialect)}[]" for k in columns)
            sql = f"INSERT INTO {table.name} ({names}) SELECT * FROM unnest({casts}) RETURNING {returning}"
            return self.run(sql, [list(c) for c in zip(*rows, strict=True)])
        row = "(" + ", ".join("?" * len(columns)) + ")"
        out = []
        for part in _chunks(rows, PARAMS_PER_STATEMENT // len(columns)):
            sql = f"INSERT INTO {table.name} ({names}) VALUES {', '.join([row] * len(part))} RETURNING {returning}"
            out += self.run(sql, [v for r in part for v in r])
        return out

    def run(self, text: str, params: Sequence = (), *, many: bool = False) -> list[tuple]:
        """Execute once (or for each parameter set when many); the rows it returns, if any."""
        text = self.sql(text)
        try:
            if many:
                self.cursor.executemany(text, params)
                return []
            self.cursor.execute(text, params)
            return self.cursor.fetchall() if self.cursor.description else []
        except self.dialect.loaded_dbapi.Error as exc:
            shown = None if many else params
            raise sa.exc.DBAPIError.instance(text, shown, exc, self.dialect.loaded_dbapi.Error) from exc


def _reason(exc: OSError | sa.exc.DBAPIError) -> str:
    """What refused the store, in the driver's or the system's words (no SQL, no traceback)."""
    if isinstance(exc, sa.exc.DBAPIError):
        said = str(exc.orig).strip()
        return said.splitlines()[0] if said else type(exc.orig).__name__
    if isinstance(exc, FileExistsError):  # the folder the file should go in is a file
        return f"{exc.filename} 是文件，不是文件夹 (is a file, not a folder)"
    return f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc.strerror or exc)


def _check_version(conn: sa.Connection) -> None:
    """Write the schema version into a store that has none; refuse a store of another version."""
    found = conn.execute(sa.select(store_meta.c.value).where(store_meta.c.key == "schema_version")).scalar()
    if found is None:
        # A new store, or one made before the version was written down: the latter has version 1's tables.
        _drop_batch_scope_columns(conn)
        conn.execute(store_meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
    elif found in UPGRADABLE:  # create_all has just added the tables the older version lacked
        _add_missing_columns(conn)
        _drop_batch_scope_columns(conn)
        conn.execute(store_meta.update().where(store_meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION)))
    elif found != str(SCHEMA_VERSION):
        raise StoreVersionError(found, SCHEMA_VERSION)


def _drop_batch_scope_columns(conn: sa.Connection) -> None:
    """Upgrade a store older than version 5: its data tables' copies of the scope values their batches hold
    (district, street, period, year) are dropped; reads have always taken them from the batches."""
    inspector = sa.inspect(conn)
    for name, table in DATA.items():
        present = {c["name"] for c in inspector.get_columns(name)}
        for key in BATCH_SCOPE:
            if key in present and key not in table.c:
                conn.exec_driver_sql(f'ALTER TABLE "{name}" DROP COLUMN "{key}"')


def _add_missing_columns(conn: sa.Connection) -> None:
    """Upgrade an older store: every column this version's data tables have and the store lacks (all nullable)."""
    inspector = sa.inspect(conn)
    for table in DATA.values():
        present = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present:
                kind = column.type.compile(dialect=conn.dialect)
                conn.exec_driver_sql(f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}')


class Store:
    """Canonical tables in a SQL database, with batches, supersede and the ingest log."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        try:
            self.engine = make_engine(self.url)
            with self.writing() as conn:
                if conn.dialect.name == "postgresql":
                    # Several workers starting at once must not race to create the same tables.
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(72130401)")
                metadata.create_all(conn)
                _check_version(conn)
        except (OSError, sa.exc.DBAPIError) as exc:
            if is_disk_full(exc):
                raise
            # A folder that cannot be made, a file that is not a store, a server that refuses: said, not a traceback.
            raise StoreOpenError(self.url, _reason(exc)) from exc
        self._cache: tuple[int, schema.Dataset] | None = None
        # Per table: its active batch ids, its frame and each row's batch id, from the last snapshot (_table).
        self._tables: dict[str, tuple[frozenset[int], pd.DataFrame, np.ndarray]] = {}
        self._binders = _binders(self.engine.dialect)
        self._when = ingests.c.ingested_at.type.dialect_impl(self.engine.dialect).bind_processor(self.engine.dialect)

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def writing(self) -> AbstractContextManager[sa.Connection]:
        """A transaction of this store that takes SQLite's write lock at BEGIN (write_transaction)."""
        return write_transaction(self.engine)

    @contextmanager
    def _reading(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ")  # one snapshot over all tables
            with conn.begin():
                yield conn

    # ---- writing

    def ingest(self, parsed: ParsedFile, user: str | None = None, prepared: Sequence[Prepared] = ()) -> IngestOutcome:
        """Store one parsed file in one transaction: refuse it, note it as a duplicate, or add and supersede.
        `prepared` holds tables of the file the reader made ready to store, besides those in parsed.tables."""
        user = user or getpass.getuser()
        if not parsed.ok:
            return self._log_alone(parsed, user, "refused")
        if parsed.skipped:  # a lock file or an empty file beside the reports: noted, nothing stored
            return self._log_alone(parsed, user, "skipped")
        given = {name: df for name, df in parsed.tables.items() if df is not None}
        unknown = (set(given) | {p.table for p in prepared}) - set(DATA)
        if unknown:
            raise ValueError(f"unknown tables: {sorted(unknown)}")
        # Made ready before the transaction, so the write lock is held for the writing only.
        frames = [_frame(name, df) for name, df in given.items()] + [_prepared_frame(p) for p in prepared]
        try:
            try:
                return self._ingest_once(parsed, frames, user)
            except sa.exc.IntegrityError:
                # Most likely another worker stored the same file or unit meanwhile: once more sees its work.
                return self._ingest_once(parsed, frames, user)
        except Exception as exc:
            problem = Finding("error", "store_failed", f"写入数据库失败：{exc}", f"storing failed: {exc}", parsed.name)
            self._log_alone(parsed, user, "refused", extra=(problem,))
            raise

    def _ingest_once(self, parsed: ParsedFile, frames: list[_Frame], user: str) -> IngestOutcome:
        with self.writing() as conn, _Cursor(conn) as cur:
            earlier = cur.run(
                "SELECT id FROM ingests WHERE sha256 = ? AND outcome IN ('ingested', 'reactivated')"
                " ORDER BY id DESC LIMIT 1",
                (parsed.sha256,),
            )
            outcome, summary = "ingested", {}
            if earlier:
                # Only a file identical to the active one changes nothing; one a later file replaced since
                # (the original sent again after a correction) is stored again and becomes active again.
                (earlier_id,) = earlier[0]
                if not cur.run("SELECT 1 FROM batches WHERE ingest_id = ? AND NOT active LIMIT 1", (earlier_id,)):
                    return self._log(cur, parsed, user, "duplicate", summary={"duplicate_of": earlier_id})
                outcome, summary = "reactivated", {"reactivated": earlier_id}
            done = self._log(cur, parsed, user, outcome, summary=summary)
            for frame in frames:
                if frame.runs:
                    self._add_table(cur, done, frame)
            summary = summary | {
                "added": [u.as_dict() for u in done.added],
                "superseded": [u.as_dict() for u in done.superseded],
                "rows": done.rows,
            }
            cur.run(
                "UPDATE ingests SET summary = ? WHERE id = ?",
                (_JSON(summary), done.ingest_id),
            )
            return done

    def _add_table(self, cur: _Cursor, done: IngestOutcome, frame: _Frame) -> None:
        keys = [u.key for u in frame.units]
        # One UPDATE per table retires the units' active batches and names them; one INSERT adds the new ones.
        gone: set[str] = set()
        for among, params in cur.among(keys):
            retired = cur.run(
                "UPDATE batches SET active = ?, superseded_by = ?"
                f" WHERE table_name = ? AND active AND unit_key {among} RETURNING unit_key",
                (False, done.ingest_id, frame.name, *params),
            )
            gone.update(key for (key,) in retired)
        rows = [
            (done.ingest_id, frame.name, u.key, u.district, u.street, u.period, u.year, True, n)
            for u, n in zip(frame.units, frame.counts, strict=True)
        ]
        # RETURNING does not promise VALUES order: ids are matched back by unit key.
        ids = {key: id_ for id_, key in cur.insert(batches, _BATCH_COLUMNS, rows, "id, unit_key")}
        batch_ids = [ids[k] for k in keys]
        self._insert_rows(cur, frame, list(chain.from_iterable(repeat(batch_ids[u], n) for u, n in frame.runs)))
        done.superseded += [u for u in frame.units if u.key in gone]
        done.added += frame.units
        done.rows[frame.name] = frame.rows

    def _insert_rows(self, cur: _Cursor, frame: _Frame, batch_col: list) -> None:
        # Values pass the dialect's own bind processors where they change them, so what SQLAlchemy
        # reads back (history, fingerprint) is what it would have written.
        table = DATA[frame.name]
        keys = ["batch_id", *(f.key for f in stored_fields(schema.TABLES[frame.name]))]
        given = dict(zip(schema.TABLES[frame.name].columns, frame.columns, strict=True))
        binders = self._binders[frame.name]
        columns = [batch_col] + [given[key] if key not in binders else binders[key](given[key]) for key in keys[1:]]
        quote = cur.dialect.identifier_preparer.quote
        target = f"{quote(table.name)} ({', '.join(quote(k) for k in keys)})"
        if cur.dialect.driver == "psycopg":
            # COPY: 3x faster than multi-row INSERT on PostgreSQL for 300k rows.
            sql = f"COPY {target} FROM STDIN"
            try:
                with cur.cursor.copy(sql) as copy:
                    for row in zip(*columns, strict=True):
                        copy.write_row(row)
            except cur.dialect.loaded_dbapi.Error as exc:
                # As SQLAlchemy would have raised it (IntegrityError for a NOT NULL violation, ...).
                raise sa.exc.DBAPIError.instance(sql, None, exc, cur.dialect.loaded_dbapi.Error) from exc
            return
        # Many rows per INSERT: a third faster than one row per statement on SQLite.
        per_statement = max(1, PARAMS_PER_STATEMENT // len(keys))
        flat = list(chain.from_iterable(zip(*columns, strict=True)))  # row after row
        step = per_statement * len(keys)
        whole = len(flat) // step * step
        row = "(" + ", ".join(["?"] * len(keys)) + ")"
        if whole:
            many = [flat[i : i + step] for i in range(0, whole, step)]
            cur.run(f"INSERT INTO {target} VALUES " + ", ".join([row] * per_statement), many, many=True)
        if whole < len(flat):
            rest = [flat[i : i + len(keys)] for i in range(whole, len(flat), len(keys))]
            cur.run(f"INSERT INTO {target} VALUES {row}", rest, many=True)

    def _log_alone(self, parsed: ParsedFile, user: str, outcome: str, extra: tuple[Finding, ...] = ()) -> IngestOutcome:
        """Log a file in a transaction of its own."""
        with self.writing() as conn, _Cursor(conn) as cur:
            return self._log(cur, parsed, user, outcome, extra=extra)

    def _log(
        self,
        cur: _Cursor,
        parsed: ParsedFile,
        user: str,
        outcome: str,
        summary: dict | None = None,
        extra: tuple[Finding, ...] = (),
    ) -> IngestOutcome:
        findings = [*parsed.findings, *extra]
        kept = sorted(findings, key=lambda f: _LEVEL_ORDER.get(f.level, 3))[:MAX_FINDINGS]
        summary = (summary or {}) | {"findings_total": len(findings)}
        now = datetime.now(UTC).replace(tzinfo=None)
        ((ingest_id,),) = cur.run(
            "INSERT INTO ingests (file_name, sha256, ingested_at, user_name, outcome, rows_read, rows_used,"
            " rows_skipped, n_errors, n_warnings, findings, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " RETURNING id",
            (
                parsed.name,
                parsed.sha256,
                self._when(now) if self._when else now,
                user,
                outcome,
                parsed.rows_read,
                parsed.rows_used if outcome in ("ingested", "reactivated") else 0,
                parsed.rows_skipped,
                sum(f.level == "error" for f in findings),
                sum(f.level == "warning" for f in findings),
                _JSON([f.as_dict() for f in kept]),
                _JSON(summary),
            ),
        )
        return IngestOutcome(
            outcome,
            ingest_id,
            parsed.name,
            duplicate_of=summary.get("duplicate_of"),
            reactivated=summary.get("reactivated"),
        )

    # ---- reading

    def data_version(self) -> int:
        """A number that changes whenever stored data change, whichever process wrote them (cheap to poll)."""
        with self._reading() as conn:
            return self._version(conn)

    def holds_only_samples(self) -> bool:
        """True when data are stored and every active batch came from the shipped samples (SAMPLE_USER)."""
        by_sample = sa.func.sum(sa.case((ingests.c.user_name == SAMPLE_USER, 1), else_=0))
        stmt = (
            sa.select(sa.func.count(), by_sample)
            .select_from(batches.join(ingests, ingests.c.id == batches.c.ingest_id))
            .where(batches.c.active.is_(True))
        )
        with self._reading() as conn:
            total, samples = conn.execute(stmt).one()
        return total > 0 and samples == total

    @staticmethod
    def _version(conn: sa.Connection) -> int:
        # Every commit that changes data adds batches and none are deleted, so their count changes
        # exactly when the data do; unlike max(id), also when transactions commit out of id order.
        return conn.execute(sa.select(sa.func.count()).select_from(batches)).scalar_one()

    def data_digest(self) -> str:
        """A hash of which batches are active: it changes exactly when the data a reader sees change."""
        with self._reading() as conn:
            return self._digest(conn)

    @staticmethod
    def _digest(conn: sa.Connection) -> str:
        ids = conn.execute(sa.select(batches.c.id).where(batches.c.active).order_by(batches.c.id)).scalars().all()
        return active_digest(ids)

    def load_dataset(self) -> schema.Dataset:
        """The active rows of every table, each conformed to its schema (one consistent snapshot)."""
        return self.snapshot()[2]

    def snapshot(self) -> tuple[int, str, schema.Dataset]:
        """data_version, data_digest and the dataset, all read from one consistent snapshot."""
        with self._reading() as conn:
            version = self._version(conn)
            digest = self._digest(conn)
            cached = self._cache
            if cached is None or cached[0] != version:
                active: dict[str, set[int]] = {name: set() for name in schema.TABLES}
                listed = sa.select(batches.c.table_name, batches.c.id).where(batches.c.active)
                for table, batch in conn.execute(listed):
                    active.setdefault(table, set()).add(batch)
                tables = {name: self._table(conn, name, frozenset(active[name])) for name in schema.TABLES}
                cached = (version, schema.Dataset(**tables))
                self._cache = cached
        # Copy-on-write (pandas 3) keeps callers' changes to these shallow copies out of the cache.
        tables = {name: cached[1].table(name).copy(deep=False) for name in schema.TABLES}
        return version, digest, schema.Dataset(**tables)

    def list_index(self) -> ListIndex:
        """The active duty lists' item codes per district and year (plain SQL: no pandas on the ingest path)."""
        index = ListIndex()
        with self._reading() as conn:
            rows = conn.exec_driver_sql(
                "SELECT b.district, b.year, t.list_type, t.item_code FROM list_items t"
                " JOIN batches b ON b.id = t.batch_id WHERE b.active AND b.table_name = 'list_items'"
            ).all()
        index.replace(rows)
        return index

    def load_register(self) -> pd.DataFrame:
        """The active street register."""
        with self._reading() as conn:
            return self._load(conn, "register")[0]

    def _table(self, conn: sa.Connection, name: str, active: frozenset[int]) -> pd.DataFrame:
        """The active rows of a table, read again only in part when the last snapshot's differ by a few batches.

        A batch's rows never change (batches are only added, retired and reactivated), so the rows of the batches
        still active are kept, those of batches no longer active dropped, and only the newly active batches' rows
        read; a stable sort by batch id restores the full read's order (batch, then row). A long-lived results
        process (`metrics results --follow`) thus reads one report's rows after an upload, not the city's.
        """
        import numpy as np
        import pandas as pd

        last = self._tables.get(name)
        if last is not None and last[0] == active:
            return last[1]
        added = sorted(active - last[0]) if last is not None else None
        if last is None or len(added) > max(8, len(active) // 4):  # much changed: reading it all is as cheap
            frame, rows = self._load(conn, name)
        else:
            _, before, before_rows = last
            kept = np.isin(before_rows, np.fromiter(active, dtype="int64", count=len(active)))
            parts, rows = [before.loc[kept]], before_rows[kept]
            if added:
                new, new_rows = self._load(conn, name, added)
                parts.append(new)
                rows = np.concatenate([rows, new_rows])
            order = np.argsort(rows, kind="stable")
            frame = schema.TABLES[name].conform(pd.concat(parts, ignore_index=True).take(order))
            rows = rows[order]
        self._tables[name] = (active, frame, rows)
        return frame

    @staticmethod
    def _load(conn: sa.Connection, name: str, only: Sequence[int] | None = None) -> tuple[pd.DataFrame, np.ndarray]:
        """The active rows of a table (only: of those batches alone), and each row's batch id."""
        import numpy as np
        import pandas as pd

        table, spec = DATA[name], schema.TABLES[name]
        scope = [k for k in spec.scope if k in batches.c]  # a list's kind is a column of its rows only
        active = sa.select(batches.c.id).where(batches.c.table_name == name, batches.c.active)
        if only is not None:
            active = active.where(batches.c.id.in_(list(only)))
        # Every row of a batch carries the batch's scope values (district, street, period...): they are
        # taken from the few active batches instead of read 300k times (a third less to fetch and convert).
        units = conn.execute(active.add_columns(*(batches.c[k] for k in scope))).all()
        rest = [f for f in spec.fields if f.key not in scope]
        stmt = (
            sa.select(table.c.batch_id, *(table.c[f.key] for f in rest))
            .where(table.c.batch_id.in_(active))
            .order_by(table.c.batch_id, table.c.id)  # the batch_id index's own order: no sort step
        )
        sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
        # The raw cursor skips SQLAlchemy's per-value result processing; whole columns are converted below.
        # The 300k row tuples are made and dropped while the GC is paused, so it never rescans them (~25% of a load).
        cursor = conn.connection.driver_connection.cursor()
        try:
            cursor.execute(sql)
            with gc_paused():
                columns = list(zip(*cursor.fetchall(), strict=True)) or [()] * (len(rest) + 1)
                rows = np.asarray(columns.pop(0), dtype="int64")
                at = pd.Index([u[0] for u in units]).get_indexer(rows)
                arrays = {f.key: _column(columns.pop(0), f.dtype) for f in rest}
        finally:
            cursor.close()
        for i, key in enumerate(scope, start=1):
            arrays[key] = pd.array([u[i] for u in units], dtype=spec.dtypes[key]).take(at)
        return spec.conform(pd.DataFrame(arrays, copy=False)), rows

    def history(self) -> pd.DataFrame:
        """The ingest log, newest first; ingested_at in UTC."""
        import pandas as pd

        with self._reading() as conn:
            df = pd.DataFrame(conn.execute(sa.select(ingests).order_by(ingests.c.id.desc())).mappings().all())
        if df.empty:
            return pd.DataFrame(columns=list(ingests.c.keys()))
        df["ingested_at"] = pd.to_datetime(df["ingested_at"]).dt.tz_localize("UTC")
        return df

    def findings(self, ingest_id: int) -> list[dict]:
        """The findings logged for one ingest (Finding.as_dict each)."""
        with self._reading() as conn:
            text = conn.execute(sa.select(ingests.c.findings).where(ingests.c.id == ingest_id)).scalar()
        return json.loads(text) if text else []

    def batches_history(self) -> pd.DataFrame:
        """Every batch, newest first, with the file that delivered it and the file that superseded it."""
        import pandas as pd

        src, by = ingests.alias("src"), ingests.alias("by")
        stmt = (
            sa.select(
                batches.c.id.label("batch_id"),
                batches.c.table_name,
                batches.c.district,
                batches.c.street,
                batches.c.period,
                batches.c.year,
                batches.c.row_count,
                batches.c.active,
                batches.c.ingest_id,
                src.c.file_name,
                src.c.ingested_at,
                src.c.user_name,
                batches.c.superseded_by,
                by.c.file_name.label("superseded_by_file"),
                by.c.ingested_at.label("superseded_at"),
            )
            .join(src, src.c.id == batches.c.ingest_id)
            .outerjoin(by, by.c.id == batches.c.superseded_by)
            .order_by(batches.c.id.desc())
        )
        with self._reading() as conn:
            result = conn.execute(stmt)
            df = pd.DataFrame(result.all(), columns=list(result.keys()))
        for col in ("ingested_at", "superseded_at"):
            df[col] = pd.to_datetime(df[col]).dt.tz_localize("UTC")
        df["superseded_by"] = df["superseded_by"].astype("Int64")
        df["year"] = df["year"].astype("Int64")
        return df

    def fingerprint(self) -> str:
        """A hash over every row of the data tables and batches (not the ingest log)."""
        digest = hashlib.sha256()
        with self._reading() as conn:
            for table in (batches, *DATA.values()):
                digest.update(table.name.encode())
                for row in conn.execute(sa.select(table).order_by(table.c.id)):
                    digest.update(repr(tuple(row)).encode())
        return digest.hexdigest()


def _column(values: tuple, dtype: str) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """One fetched column as a schema dtype (SQLite gives 0/1 for booleans and ISO text for datetimes)."""
    import numpy as np
    import pandas as pd

    if dtype.startswith("datetime64"):
        return pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601").astype(dtype).array
    if dtype == "float64":
        return np.array(values, dtype="float64")
    return pd.array(values, dtype=dtype)
