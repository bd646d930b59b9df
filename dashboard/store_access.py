"""Opening the store, seeding an empty one with the samples, and reading uploads against its register."""

from __future__ import annotations

import glob
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from loaders.findings import ParsedFile
from loaders.store import SAMPLE_USER, Store
from loaders.store_schema import batches

log = logging.getLogger(__name__)

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "data" / "samples"


def open_store(db_url: str | None) -> Store:
    """The loaders' store at db_url (None: STREETS_DB or the default SQLite file)."""
    return Store(db_url or os.environ.get("STREETS_DB") or None)


def is_default_store(db_url: str | None) -> bool:
    """True when neither db_url nor STREETS_DB names a store: the default SQLite file, the only one seeded."""
    return not (db_url or os.environ.get("STREETS_DB"))


@contextmanager
def seeding_lock(url: str) -> Iterator[None]:
    """An exclusive lock between processes on this machine for seeding the store at url."""
    import fcntl

    path = Path(tempfile.gettempdir()) / f"street_scorecard_seed_{hashlib.sha256(url.encode()).hexdigest()[:16]}.lock"
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def store_is_empty(store: Store) -> bool:
    """True when the store holds no performance reports and no register (a count, not a load)."""
    stmt = sa.select(sa.func.count()).where(batches.c.active, batches.c.table_name.in_(["performance", "register"]))
    with store.engine.connect() as conn:
        return conn.execute(stmt).scalar_one() == 0


def sample_files(folder: Path = SAMPLES_DIR) -> list[str]:
    """The shipped sample workbooks, register and lists first so reports resolve their streets."""
    files = sorted(glob.glob(str(folder / "**" / "*.xlsx"), recursive=True))
    return sorted(files, key=lambda p: (_sample_rank(Path(p).name), p))


def _sample_rank(name: str) -> int:
    # The register and lists must be in the store before reports name their streets.
    if "名册" in name or "register" in name.lower():
        return 0
    if "清单" in name or "list" in name.lower():
        return 1
    return 2


def seed_samples(store: Store, folder: Path = SAMPLES_DIR) -> int:
    """Ingest the sample workbooks into an empty store; return how many files were stored."""
    from loaders import read_files

    files = sample_files(folder)
    if not files:
        return 0
    result = read_files(files, register=store.load_register())
    stored = 0
    for parsed in result.files:
        if parsed.ok:
            store.ingest(parsed, user=SAMPLE_USER)
            stored += 1
        else:
            log.warning("sample %s refused: %s", parsed.name, "; ".join(f.text() for f in parsed.errors[:3]))
    return stored


def check_files(store: Store, paths: list[str], districts: frozenset[str] | None = None) -> list[ParsedFile]:
    """Read uploaded workbooks against the stored register (of districts only, None: all) and duty lists;
    nothing is stored (ParsedFile each)."""
    from dashboard.upload_guard import read_isolated, scoped_register

    # In a child process with memory and time limits: no workbook can take this worker down.
    return read_isolated(paths, scoped_register(store.load_register(), districts), store.list_index())
