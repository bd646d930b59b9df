"""Why the store writes its ingest statements through the driver cursor (loaders.store._Cursor), not SQLAlchemy.

    python bench/bench_store_sql.py [--tables 600] [--repeat 5]

An ingest runs a handful of small statements per table it stores (look up the file, retire the units' active
batches, add the new batches, …). This times the same statements on a new SQLite store both ways, in one write
transaction: the driver cursor with `?` parameters (what Store does), and SQLAlchemy Core statements
(`conn.execute(batches.update()…)`), and reports the time per statement and for a city's number of tables.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from loaders.store import Store, _Cursor
from loaders.store_schema import batches, ingests

STATEMENTS_PER_TABLE = 4


def _ingest_row(conn: sa.Connection) -> int:
    row = {
        "file_name": "bench.xlsx",
        "sha256": "0" * 64,
        "ingested_at": sa.func.current_timestamp(),
        "outcome": "ingested",
        "rows_read": 0,
        "rows_used": 0,
        "rows_skipped": 0,
        "n_errors": 0,
        "n_warnings": 0,
        "findings": "[]",
        "summary": "{}",
    }
    return conn.execute(ingests.insert().values(**row).returning(ingests.c.id)).scalar_one()


def by_cursor(conn: sa.Connection, ingest_id: int, tables: int) -> None:
    """The statements as Store runs them: SQL text with `?` on the driver cursor."""
    with _Cursor(conn) as cur:
        for t in range(tables):
            key = f'["区{t % 23}", "街道{t}", "2020Q4"]'
            cur.run("SELECT 1 FROM batches WHERE ingest_id = ? AND NOT active LIMIT 1", (ingest_id,))
            cur.run(
                "UPDATE batches SET active = ?, superseded_by = ? WHERE table_name = ? AND active AND unit_key = ?",
                (False, ingest_id, "performance", key),
            )
            cur.insert(batches, ["ingest_id", "table_name", "unit_key", "active", "row_count"],
                       [(ingest_id, "performance", key, True, 150)], "id")  # fmt: skip
            cur.run("UPDATE ingests SET summary = ? WHERE id = ?", ("{}", ingest_id))


def by_core(conn: sa.Connection, ingest_id: int, tables: int) -> None:
    """The same statements as SQLAlchemy Core constructs."""
    for t in range(tables):
        key = f'["区{t % 23}", "街道{t}", "2020Q4"]'
        conn.execute(sa.select(sa.literal(1)).where(batches.c.ingest_id == ingest_id, ~batches.c.active).limit(1))
        conn.execute(
            batches.update()
            .where(batches.c.table_name == "performance", batches.c.active, batches.c.unit_key == key)
            .values(active=False, superseded_by=ingest_id)
        )
        conn.execute(
            batches.insert()
            .values(ingest_id=ingest_id, table_name="performance", unit_key=key, active=True, row_count=150)
            .returning(batches.c.id)
        )
        conn.execute(ingests.update().where(ingests.c.id == ingest_id).values(summary="{}"))


def timed(way, tables: int) -> float:
    """Seconds to run way's statements for tables tables in one write transaction of a new store."""
    with (
        tempfile.TemporaryDirectory() as tmp,
        Store(f"sqlite:///{tmp}/bench.sqlite") as store,
        store.writing() as conn,
    ):
        ingest_id = _ingest_row(conn)
        start = time.perf_counter()
        way(conn, ingest_id, tables)
        return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tables", type=int, default=600)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args(argv)
    timed(by_core, 50), timed(by_cursor, 50)  # warm: SQLAlchemy's statement cache, imports
    n = args.tables * STATEMENTS_PER_TABLE
    for name, way in (("driver cursor (Store)", by_cursor), ("SQLAlchemy Core", by_core)):
        runs = [timed(way, args.tables) for _ in range(args.repeat)]
        best = statistics.median(runs)
        print(f"{name:24s} {args.tables} tables, {n} statements: median {best:.3f} s, {1e6 * best / n:.0f} µs each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
