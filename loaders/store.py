"""The store: canonical tables kept in SQL (SQLite by default, PostgreSQL unchanged), with supersede and an ingest log.

Every file offered is one transaction. A file delivers, per canonical table, one batch per scope unit
(schema.Table.scope, e.g. a street and a period); the newest batch of a unit is active and the ones it
replaced stay in the tables as history. The dashboard reads active batches only.
"""

from __future__ import annotations

import gc
import getpass
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

from loaders import schema
from loaders.findings import Finding, ParsedFile
from loaders.store_schema import DATA, batches, ingests, metadata

REPO = Path(__file__).resolve().parents[1]
MAX_FINDINGS = 500  # kept per ingest in the log; a city-scale file can skip thousands of footer rows
PARAMS_PER_STATEMENT = 700  # bound values per multi-row INSERT; far below SQLite's and PostgreSQL's limits
_LEVEL_ORDER = {"error": 0, "warning": 1, "skipped": 2}


def default_url() -> str:
    """The store's SQLAlchemy URL: env STREETS_DB, else the SQLite file data/streets.sqlite of the repo."""
    return os.environ.get("STREETS_DB") or f"sqlite:///{REPO / 'data' / 'streets.sqlite'}"


def _sqlite_connect(dbapi_connection, _record) -> None:
    # Hand BEGIN to SQLAlchemy (see _sqlite_begin): pysqlite's implicit deferred BEGIN lets two
    # gunicorn workers read, then both try to write, and one fails at once instead of waiting.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA busy_timeout = 30000")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a power cut may lose the last commit only
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    # Writers take the write lock up front, so they queue on busy_timeout rather than deadlock.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")


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

    @cached_property
    def key(self) -> str:
        """The scope-key values as JSON, identifying the unit within its table."""
        return json.dumps([getattr(self, k) for k in schema.TABLES[self.table].scope], ensure_ascii=False)

    def as_dict(self) -> dict:
        """The fields as a plain dict (dataclasses.asdict deep-copies: 0.15 s for 2,000 units)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def label(self) -> str:
        """`履职情况 武侯区 玉林街道 2019Q2`, as officers read it."""
        parts = [getattr(self, k) for k in schema.TABLES[self.table].scope]
        return " ".join([schema.TABLES[self.table].sheet_zh, *(str(p) for p in parts)])


@dataclass
class IngestOutcome:
    """What ingesting one file did."""

    outcome: str  # ingested / duplicate / refused
    ingest_id: int
    file_name: str
    added: list[Unit] = field(default_factory=list)
    superseded: list[Unit] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # rows stored per table
    duplicate_of: int | None = None  # the earlier ingest of the same content


def _native(s: pd.Series) -> np.ndarray:
    """Column values as Python objects, NA/NaN/NaT as None."""
    if s.dtype.kind == "M":
        values = np.array([None if pd.isna(x) else x.to_pydatetime() for x in s], dtype=object)
    else:
        values = s.astype(object).to_numpy(copy=True)
    values[s.isna().to_numpy()] = None
    return values


def _units(name: str, df: pd.DataFrame) -> tuple[list[Unit], np.ndarray]:
    """The distinct scope units of a table's rows, and each row's index into them."""
    scope = list(schema.TABLES[name].scope)
    codes = df.groupby(scope, dropna=False, sort=False).ngroup().to_numpy()
    firsts = df.drop_duplicates(subset=scope)[scope]
    units = [
        Unit(name, **{k: v for k, v in zip(scope, row, strict=True)})
        for row in zip(*(_native(firsts[k]) for k in scope), strict=True)
    ]
    return units, codes


def _placeholder(dialect: sa.Dialect) -> str:
    return "?" if dialect.paramstyle == "qmark" else "%s"


class Store:
    """Canonical tables in a SQL database, with batches, supersede and the ingest log."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        self.engine = make_engine(self.url)
        self._cache: tuple[int, schema.Dataset] | None = None
        with self._writing() as conn:
            if conn.dialect.name == "postgresql":
                # Several workers starting at once must not race to create the same tables.
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(72130401)")
            metadata.create_all(conn)

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _writing(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def _reading(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ")  # one snapshot over all tables
            with conn.begin():
                yield conn

    # ---- writing

    def ingest(self, parsed: ParsedFile, user: str | None = None) -> IngestOutcome:
        """Store one parsed file in one transaction: refuse it, note it as a duplicate, or add and supersede."""
        user = user or getpass.getuser()
        if not parsed.ok:
            with self._writing() as conn:
                return self._log(conn, parsed, user, "refused")
        frames = {name: schema.TABLES[name].conform(df) for name, df in parsed.tables.items() if df is not None}
        unknown = set(frames) - set(DATA)
        if unknown:
            raise ValueError(f"unknown tables: {sorted(unknown)}")
        try:
            try:
                return self._ingest_once(parsed, frames, user)
            except sa.exc.IntegrityError:
                # Most likely another worker stored the same file or unit meanwhile: once more sees its work.
                return self._ingest_once(parsed, frames, user)
        except Exception as exc:
            problem = Finding("error", "store_failed", f"写入数据库失败：{exc}", f"storing failed: {exc}", parsed.name)
            with self._writing() as conn:
                self._log(conn, parsed, user, "refused", extra=(problem,))
            raise

    def _ingest_once(self, parsed: ParsedFile, frames: dict[str, pd.DataFrame], user: str) -> IngestOutcome:
        with self._writing() as conn:
            earlier = conn.execute(
                sa.select(ingests.c.id)
                .where(ingests.c.sha256 == parsed.sha256, ingests.c.outcome == "ingested")
                .limit(1)
            ).scalar()
            if earlier is not None:
                return self._log(conn, parsed, user, "duplicate", summary={"duplicate_of": earlier})
            done = self._log(conn, parsed, user, "ingested")
            for name, df in frames.items():
                if len(df):
                    self._add_table(conn, done, name, df)
            summary = {
                "added": [u.as_dict() for u in done.added],
                "superseded": [u.as_dict() for u in done.superseded],
                "rows": done.rows,
            }
            conn.execute(
                ingests.update()
                .where(ingests.c.id == done.ingest_id)
                .values(summary=json.dumps(summary, ensure_ascii=False))
            )
            return done

    def _add_table(self, conn: sa.Connection, done: IngestOutcome, name: str, df: pd.DataFrame) -> None:
        units, codes = _units(name, df)
        counts = np.bincount(codes, minlength=len(units))
        active = dict(
            conn.execute(
                sa.select(batches.c.unit_key, batches.c.id).where(batches.c.table_name == name, batches.c.active)
            ).all()
        )
        old = [{"old_id": active[u.key]} for u in units if u.key in active]
        if old:
            conn.execute(
                batches.update()
                .where(batches.c.id == sa.bindparam("old_id"), batches.c.active)
                .values(active=False, superseded_by=done.ingest_id),
                old,
            )
        new = conn.execute(
            batches.insert().returning(batches.c.id, sort_by_parameter_order=True),
            [
                {
                    "ingest_id": done.ingest_id,
                    "table_name": name,
                    "unit_key": u.key,
                    "district": u.district,
                    "street": u.street,
                    "period": u.period,
                    "year": u.year,
                    "active": True,
                    "row_count": int(n),
                }
                for u, n in zip(units, counts, strict=True)
            ],
        )
        batch_ids = np.asarray(new.scalars().all(), dtype=object)
        done.superseded += [u for u in units if u.key in active]
        done.added += units
        self._insert_rows(conn, name, df, batch_ids[codes])
        done.rows[name] = len(df)

    @staticmethod
    def _insert_rows(conn: sa.Connection, name: str, df: pd.DataFrame, batch_col: np.ndarray) -> None:
        # Straight to the driver: SQLAlchemy's per-row parameter handling costs more than the insert
        # itself at 300k rows. Values still pass the dialect's own bind processors, so what SQLAlchemy
        # reads back (history, fingerprint) is what it would have written.
        table = DATA[name]
        keys = ["batch_id", *schema.TABLES[name].columns]
        columns = [batch_col]
        for key in keys[1:]:
            values = _native(df[key])
            process = table.c[key].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
            # Python bools are integers to every driver; their processor only re-checks them (0.25 s here).
            if process is not None and df[key].dtype != "boolean":
                values = np.array([None if v is None else process(v) for v in values], dtype=object)
            columns.append(values)
        grid = np.column_stack(columns)
        quote = conn.dialect.identifier_preparer.quote
        target = f"{quote(table.name)} ({', '.join(quote(k) for k in keys)})"
        if conn.dialect.driver == "psycopg":
            # COPY: 3x faster than multi-row INSERT on PostgreSQL for 300k rows.
            sql = f"COPY {target} FROM STDIN"
            dbapi = conn.connection.driver_connection
            try:
                with dbapi.cursor() as cursor, cursor.copy(sql) as copy:
                    for row in grid.tolist():
                        copy.write_row(row)
            except conn.dialect.loaded_dbapi.Error as exc:
                # As SQLAlchemy would have raised it (IntegrityError for a NOT NULL violation, ...).
                raise sa.exc.DBAPIError.instance(sql, None, exc, conn.dialect.loaded_dbapi.Error) from exc
            return
        # Many rows per INSERT: a third faster than one row per statement on SQLite.
        per_statement = max(1, PARAMS_PER_STATEMENT // len(keys))
        whole = len(grid) // per_statement * per_statement
        row = "(" + ", ".join([_placeholder(conn.dialect)] * len(keys)) + ")"
        if whole:
            many = list(map(tuple, grid[:whole].reshape(-1, per_statement * len(keys)).tolist()))
            conn.exec_driver_sql(f"INSERT INTO {target} VALUES " + ", ".join([row] * per_statement), many)
        if whole < len(grid):
            conn.exec_driver_sql(f"INSERT INTO {target} VALUES {row}", list(map(tuple, grid[whole:].tolist())))

    @staticmethod
    def _log(
        conn: sa.Connection,
        parsed: ParsedFile,
        user: str,
        outcome: str,
        summary: dict | None = None,
        extra: tuple[Finding, ...] = (),
    ) -> IngestOutcome:
        findings = [*parsed.findings, *extra]
        kept = sorted(findings, key=lambda f: _LEVEL_ORDER.get(f.level, 3))[:MAX_FINDINGS]
        summary = (summary or {}) | {"findings_total": len(findings)}
        result = conn.execute(
            ingests.insert().values(
                file_name=parsed.name,
                sha256=parsed.sha256,
                ingested_at=datetime.now(UTC).replace(tzinfo=None),
                user_name=user,
                outcome=outcome,
                rows_read=parsed.rows_read,
                rows_used=parsed.rows_used if outcome == "ingested" else 0,
                rows_skipped=parsed.rows_skipped,
                n_errors=sum(f.level == "error" for f in findings),
                n_warnings=sum(f.level == "warning" for f in findings),
                findings=json.dumps([f.as_dict() for f in kept], ensure_ascii=False),
                summary=json.dumps(summary, ensure_ascii=False),
            )
        )
        return IngestOutcome(
            outcome, result.inserted_primary_key[0], parsed.name, duplicate_of=summary.get("duplicate_of")
        )

    # ---- reading

    def data_version(self) -> int:
        """A number that changes whenever stored data change, whichever process wrote them (cheap to poll)."""
        with self._reading() as conn:
            return self._version(conn)

    @staticmethod
    def _version(conn: sa.Connection) -> int:
        # Every commit that changes data adds batches and none are deleted, so their count changes
        # exactly when the data do; unlike max(id), also when transactions commit out of id order.
        return conn.execute(sa.select(sa.func.count()).select_from(batches)).scalar_one()

    def load_dataset(self) -> schema.Dataset:
        """The active rows of every table, each conformed to its schema (one consistent snapshot)."""
        with self._reading() as conn:
            version = self._version(conn)
            cached = self._cache
            if cached is None or cached[0] != version:
                cached = (version, schema.Dataset(**{name: self._load(conn, name) for name in schema.TABLES}))
                self._cache = cached
        # Copy-on-write (pandas 3) keeps callers' changes to these shallow copies out of the cache.
        return schema.Dataset(**{name: cached[1].table(name).copy(deep=False) for name in schema.TABLES})

    def load_register(self) -> pd.DataFrame:
        """The active street register."""
        with self._reading() as conn:
            return self._load(conn, "register")

    @staticmethod
    def _load(conn: sa.Connection, name: str) -> pd.DataFrame:
        table, spec = DATA[name], schema.TABLES[name]
        scope = list(spec.scope)
        active = sa.select(batches.c.id).where(batches.c.table_name == name, batches.c.active)
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
        # The row tuples are made and dropped while the GC is paused, so it never scans them.
        cursor = conn.connection.driver_connection.cursor()
        try:
            cursor.execute(sql)
            with _gc_paused():
                columns = list(zip(*cursor.fetchall(), strict=True)) or [()] * (len(rest) + 1)
                at = pd.Index([u[0] for u in units]).get_indexer(np.asarray(columns.pop(0), dtype="int64"))
                arrays = {f.key: _column(columns.pop(0), f.dtype) for f in rest}
        finally:
            cursor.close()
        for i, key in enumerate(scope, start=1):
            arrays[key] = pd.array([u[i] for u in units], dtype=spec.dtypes[key]).take(at)
        return spec.conform(pd.DataFrame(arrays, copy=False))

    def history(self) -> pd.DataFrame:
        """The ingest log, newest first; ingested_at in UTC."""
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


@contextmanager
def _gc_paused() -> Iterator[None]:
    # Fetching 300k rows makes 300k tuples; the cyclic GC would rescan them again and again (~25% of load).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _column(values: tuple, dtype: str) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """One fetched column as a schema dtype (SQLite gives 0/1 for booleans and ISO text for datetimes)."""
    if dtype.startswith("datetime64"):
        return pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601").astype(dtype).array
    if dtype == "float64":
        return np.array(values, dtype="float64")
    return pd.array(values, dtype=dtype)
