"""Ingesting workbooks into the store: read them in worker processes while the main process stores them,
one file per transaction."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from loaders.crosscheck import ListIndex, check_report
from loaders.diskfull import is_disk_full
from loaders.findings import ParsedFile
from loaders.parse import Prepared
from loaders.read import Reader, gc_paused
from loaders.schema import TABLES

if TYPE_CHECKING:  # the store (SQLAlchemy) is imported by whoever opens one: see cmd_ingest
    import pandas as pd

    from loaders.store import IngestOutcome, Store


def ingest_paths(
    store: Store | Callable[[], Store],
    paths: Sequence[str | os.PathLike],
    user: str | None = None,
    workers: int | None = None,
    register: pd.DataFrame | Prepared | None = None,
) -> list[IngestOutcome]:
    """Store each workbook; files carrying a street register go first so the others resolve against it.

    `store` may be a function that opens it, and `register` the store's register read beforehand
    (store_peek.peek_register; a frame or a Prepared table): the workbooks are then read while the store opens.
    """
    with Reader(workers, len(paths)) as reader, ThreadPoolExecutor(1) as opener:
        started = reader.start_open(paths)
        if register is None:
            store = store() if callable(store) else store
            register = store.load_register()
        if callable(store):
            # Opened in a thread during the first pass (this thread only waits for the workers then): importing
            # SQLAlchemy and opening the store take the core the short first-pass jobs leave idle.
            store = opener.submit(store)
        opened, register = reader.finish_open(started, register)
        first = [i for i, o in enumerate(opened) if o.has_register]
        # Lists before reports (each kept in the order given): a report is checked against the lists.
        rest = sorted((i for i, o in enumerate(opened) if not o.has_register), key=lambda i: not opened[i].has_lists)
        outcomes: dict[int, IngestOutcome] = {}
        # Files arrive in this order as soon as they are read; later ones are read while earlier ones are stored.
        files = reader.read_prepared([opened[i] for i in first + rest], register)
        if isinstance(store, Future):
            store = store.result()
        lists = store.list_index()
        # Rows arrive and are stored as lists of hundreds of values each: the cyclic GC would rescan them
        # again and again (what little cyclic garbage the transactions leave is collected afterwards).
        with gc_paused():
            try:
                for i in first:
                    outcomes[i] = _store(store, next(files), user, lists)
                if rest and any(outcomes[i].outcome == "refused" for i in first):
                    # They were resolved against a register that did not make it into the store: read them again.
                    files.close()
                    files = reader.read_prepared([opened[i] for i in rest], store.load_register())
                for i in rest:
                    outcomes[i] = _store(store, next(files), user, lists)
            finally:
                files.close()
    return [outcomes[i] for i in range(len(opened))]


def _store(store: Store, read: tuple[ParsedFile, list[Prepared]], user: str | None, lists: ListIndex) -> IngestOutcome:
    """Store one workbook as the reader delivered it: its report checked against the duty lists stored so far,
    and its own duty lists added to them once stored; a full disk fails this file, not the whole run."""
    parsed, prepared = read
    tables = {p.table: dict(zip(TABLES[p.table].columns, p.columns, strict=True)) for p in prepared}
    if parsed.ok and "performance" in tables:
        check_report(parsed, tables["performance"], lists)  # item codes matched as numbers: rewritten in place
    try:
        outcome = store.ingest(parsed, user, prepared)
    except Exception as exc:
        if not is_disk_full(exc):
            raise
        from loaders.store import IngestOutcome

        return IngestOutcome("failed", 0, parsed.name)
    if outcome.outcome in ("ingested", "reactivated") and "list_items" in tables:
        t = tables["list_items"]
        lists.replace(zip(t["district"], t["year"], t["list_type"], t["item_code"], strict=True))
    return outcome
