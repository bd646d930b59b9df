"""Ingesting workbooks into the store: read them (in parallel), then store one file per transaction."""

from __future__ import annotations

import os
from collections.abc import Sequence

from loaders.read import read_files
from loaders.store import IngestOutcome, Store


def ingest_paths(
    store: Store, paths: Sequence[str | os.PathLike], user: str | None = None, workers: int | None = None
) -> list[IngestOutcome]:
    """Store each workbook; files carrying a street register go first so the others resolve against it."""
    result = read_files(paths, register=store.load_register(), workers=workers)
    with_register = [p for p in result.files if "register" in p.tables]
    others = [p for p in result.files if "register" not in p.tables]
    outcomes = [store.ingest(p, user) for p in with_register]
    if any(o.outcome == "refused" for o in outcomes) and others:
        # They were resolved against a register that did not make it into the store: read them again.
        others = read_files([p.path for p in others], register=store.load_register(), workers=workers).files
    outcomes += [store.ingest(p, user) for p in others]
    order = {p.path: i for i, p in enumerate(result.files)}
    paired = sorted(zip([*with_register, *others], outcomes, strict=True), key=lambda po: order[po[0].path])
    return [o for _, o in paired]
