"""Ingest throughput at city scale, as a ratio to a bare python-calamine read of the same files.

    python bench/bench_ingest.py [--data bench/out/city] [--repeat 3]

Both sides run as fresh processes (process start included): the bare side opens every workbook and
turns every sheet into Python lists; our side runs `python -m loaders ingest` into a new SQLite file.
Ratio = bare time / ingest time (1.0 = as fast as the bare read; the target is ≥ 0.6).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = """
import sys, python_calamine as pc
rows = cells = 0
for f in sys.argv[1:]:
    book = pc.CalamineWorkbook.from_path(f)
    for name in book.sheet_names:
        grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        rows += len(grid)
        cells += sum(len(r) for r in grid)
print(rows, cells)
"""


def _run(cmd: list[str]) -> tuple[float, str, int]:
    """Wall time, stdout and the child's peak RSS (KiB) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    elapsed = time.perf_counter() - t0
    return elapsed, out, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT / "bench" / "out" / "city"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = Path(args.data)
    if not data.exists():
        print(f"generating city-scale workbooks into {data} …", file=sys.stderr)
        subprocess.run([sys.executable, "bench/citygen.py", str(data)], cwd=ROOT, check=True)
    files = sorted(str(p) for p in data.glob("*.xlsx"))
    size_mb = sum(Path(f).stat().st_size for f in files) / 2**20

    bare_times, ours_times, peak = [], [], 0
    rows = cells = 0
    for _ in range(args.repeat):
        t, out, _ = _run([sys.executable, "-c", BARE, *files])
        bare_times.append(t)
        rows, cells = map(int, out.split())
        with tempfile.TemporaryDirectory() as tmp:
            db = f"sqlite:///{tmp}/bench.sqlite"
            t, _, rss = _run([sys.executable, "-m", "loaders", "ingest", *files, "--db", db])
            ours_times.append(t)
            peak = max(peak, rss)
    bare, ours = statistics.median(bare_times), statistics.median(ours_times)
    result = {
        "files": len(files),
        "megabytes": round(size_mb, 1),
        "sheet_rows": rows,
        "cells": cells,
        "bare_calamine_s": round(bare, 2),
        "ingest_s": round(ours, 2),
        "ratio_bare_over_ingest": round(bare / ours, 2),
        "ingest_rows_per_s": round(rows / ours),
        "ingest_cells_per_s": round(cells / ours),
        "peak_rss_mib_max_of_children": round(peak / 1024, 1),
        "runs": args.repeat,
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
