"""Where the command line gets its data: the given workbooks (no store touched), or the store."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from loaders.schema import Dataset


def period_arg(text: str) -> str:
    """A --period argument as `2019Q2` (any form the loaders read: 2019年第二季度, 2019-Q2 …)."""
    from loaders.values import BadValue, parse_period

    try:
        period = parse_period(text)
    except BadValue as exc:
        raise argparse.ArgumentTypeError(f"{exc.zh}（{exc.en}）") from exc
    if period is None:
        raise argparse.ArgumentTypeError(f"无法识别的报告期 {text!r}（period not understood; e.g. 2019Q2）")
    return period


def load_dataset(files: Sequence[str], db: str | None, nothing_done: str) -> Dataset | None:
    """The workbooks' dataset, or the store's when no file is given; None (errors printed) if a workbook is refused.

    Workbooks are resolved as an ingest would store them (loaders/resolve.py): a later file for the same unit
    supersedes the earlier one, identical content counts once; what superseded what is printed on stderr."""
    if not files:
        from loaders.store import Store

        return Store(db).load_dataset()
    from loaders import read_files

    result = read_files(files)
    if result.ok:
        for p in result.files:
            if p.skipped:
                print(f"· [{p.name}] {p.findings[0].zh}（{p.findings[0].en}）", file=sys.stderr)
        for note in result.resolution.notes:
            print(note, file=sys.stderr)
        return result.dataset
    for f in result.findings:
        if f.level == "error":
            print(f"✘ [{f.location}] {f.zh}（{f.en}）", file=sys.stderr)
    print(nothing_done, file=sys.stderr)
    return None
