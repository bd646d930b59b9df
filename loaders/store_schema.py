"""SQL tables of the store: the ingest log, batches, and one data table per canonical table."""

from __future__ import annotations

import sqlalchemy as sa

from loaders import schema
from loaders.store_peek import SCHEMA_VERSION as SCHEMA_VERSION  # defined there, read without SQLAlchemy
from loaders.store_peek import UPGRADABLE as UPGRADABLE

_SQL_TYPES: dict[str, type[sa.types.TypeEngine]] = {
    "string": sa.Text,
    "float64": sa.Float,
    "boolean": sa.Boolean,
    "Int64": sa.Integer,
}


def sql_type(dtype: str) -> sa.types.TypeEngine:
    """The SQL column type for a pandas dtype name of schema.py."""
    if dtype.startswith("datetime64"):
        return sa.DateTime()
    return _SQL_TYPES[dtype]()


metadata = sa.MetaData()

# SCHEMA_VERSION (the layout of these tables) and its history: loaders/store_peek.py, which reads it without
# SQLAlchemy. Raise it there with every change to these tables.

# The scope keys batches holds: a data table's rows leave them to their batch (a fifth less to store).
BATCH_SCOPE = ("district", "street", "period", "year")

# Facts about the store itself: schema_version.
store_meta = sa.Table(
    "store_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# One row per file offered to the store, whatever became of it.
ingests = sa.Table(
    "ingests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("ingested_at", sa.DateTime, nullable=False),  # UTC, stored naive for SQLite/PostgreSQL alike
    sa.Column("user_name", sa.Text),
    sa.Column("outcome", sa.String(16), nullable=False),  # ingested / duplicate / refused / skipped
    sa.Column("rows_read", sa.Integer, nullable=False),
    sa.Column("rows_used", sa.Integer, nullable=False),
    sa.Column("rows_skipped", sa.Integer, nullable=False),
    sa.Column("n_errors", sa.Integer, nullable=False),
    sa.Column("n_warnings", sa.Integer, nullable=False),
    sa.Column("findings", sa.Text, nullable=False),  # JSON list of Finding.as_dict, capped
    sa.Column("summary", sa.Text, nullable=False),  # JSON: units added / superseded, rows per table
    sa.Index("ix_ingests_sha256", "sha256"),
    # Two workers ingesting the same file at once: the second one fails here and retries as a duplicate.
    sa.Index(
        "ux_ingests_sha256_ingested",
        "sha256",
        unique=True,
        sqlite_where=sa.text("outcome = 'ingested'"),
        postgresql_where=sa.text("outcome = 'ingested'"),
    ),
)

# One row per (table, scope unit) a file delivered; `active` marks the copy the dashboard reads.
batches = sa.Table(
    "batches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("ingest_id", sa.Integer, sa.ForeignKey("ingests.id"), nullable=False),
    sa.Column("table_name", sa.String(32), nullable=False),
    # JSON list of the scope-key values: one NOT NULL column to make "one active batch per unit" an index.
    sa.Column("unit_key", sa.Text, nullable=False),
    sa.Column("district", sa.Text),
    sa.Column("street", sa.Text),
    sa.Column("period", sa.Text),
    sa.Column("year", sa.Integer),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("superseded_by", sa.Integer, sa.ForeignKey("ingests.id")),
    sa.Column("row_count", sa.Integer, nullable=False),
    sa.Index("ix_batches_table_active", "table_name", "active"),
    sa.Index(
        "ux_batches_active_unit",
        "table_name",
        "unit_key",
        unique=True,
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    ),
)


def stored_fields(table: schema.Table) -> list[schema.Field]:
    """The fields a data table's rows hold: all but the scope values their batch holds."""
    return [f for f in table.fields if not (f.key in table.scope and f.key in BATCH_SCOPE)]


def data_table(table: schema.Table) -> sa.Table:
    """The SQL table holding every delivered copy of one canonical table, each row tagged with its batch."""
    return sa.Table(
        table.name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        # No FOREIGN KEY to batches on purpose: PostgreSQL checks one per row by trigger, which tripled
        # the time to store 300k rows. Rows are only written with batch ids made in the same transaction.
        sa.Column("batch_id", sa.Integer, nullable=False, index=True),
        *(sa.Column(f.key, sql_type(f.dtype), nullable=not f.required) for f in stored_fields(table)),
    )


DATA: dict[str, sa.Table] = {name: data_table(t) for name, t in schema.TABLES.items()}


# Computed results (metrics.results): one run per results key (data, rules and code digests), its frames below.
# state: computing (claimed by one process; claimed_at tells a stale claim) / ready / failed.
result_runs = sa.Table(
    "result_runs",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("claimed_at", sa.DateTime, nullable=False),  # UTC, naive
    sa.Column("finished_at", sa.DateTime),
    sa.Column("batches", sa.Integer, nullable=False),  # the store's data_version the results were computed from
    sa.Column("seconds", sa.Float),
    sa.Column("worker", sa.Text, nullable=False),  # host:pid of the process that claimed it
    sa.Column("error", sa.Text),
)

# One serialised frame (or value) of a run: metrics.frames_codec bytes, never pickle.
result_frames = sa.Table(
    "result_frames",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("payload", sa.LargeBinary, nullable=False),
)

# Uploads checked in one web process and waiting for their uploader to confirm in any process (or host).
pending_uploads = sa.Table(
    "pending_uploads",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("token", sa.String(64), nullable=False, index=True),
    sa.Column("owner", sa.Text, nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),  # UTC, naive
)
