"""A PostgreSQL schema of a test's own on the database of $STREETS_TEST_PG_URL, dropped afterwards.

Every PostgreSQL test works in a schema of its own, so tests on parallel workers share the database safely."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

PG_URL = os.environ.get("STREETS_TEST_PG_URL")


@contextmanager
def pg_schema(prefix: str) -> Iterator[str]:
    """The URL of a new schema named prefix_<random> (tests share the database, never a schema)."""
    assert PG_URL, "STREETS_TEST_PG_URL is not set"
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    try:
        yield sa.make_url(PG_URL).update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
        admin.dispose()


@contextmanager
def store_url(kind: str, folder: Path, prefix: str) -> Iterator[str]:
    """A fresh, empty store: a SQLite file in folder ("sqlite"), or a new PostgreSQL schema ("postgresql", skipped
    with the reason when STREETS_TEST_PG_URL is unset)."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'streets.sqlite'}"
        return
    if not PG_URL:
        pytest.skip("set STREETS_TEST_PG_URL to run the store tests on PostgreSQL (.ci/run sets it)")
    with pg_schema(prefix) as url:
        yield url
