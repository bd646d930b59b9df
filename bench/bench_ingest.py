"""Ingest throughput at city scale, as a ratio to a bare python-calamine read of the same files.

    python bench/bench_ingest.py [--data bench/out/city] [--repeat 3] [--results]

Both sides run as fresh processes (process start included), back to back in each round: the bare side opens
every workbook and turns every sheet into Python lists; our side runs `python -m loaders ingest --no-results`
into a new SQLite file (reading, every FORMATS.md §5 check, storing). Computing the scores afterwards is
metrics' work, timed apart (`--results` times a plain `ingest`, which computes them, as a third figure).
Ratio = bare time / ingest time (1.0 = as fast as the bare read; the target is ≥ 0.6); the median of the
rounds' ratios is reported with the load average before and after (the machine may be shared).
"""

from __future__ import annotations

import argparse
import json
import os
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


CPU_SECONDS: list[float] = []  # CPU time (user + system, the command and its workers) of each _run, in order


def _run(cmd: list[str]) -> tuple[float, str, int]:
    """Wall time, stdout and the child's peak RSS (KiB) of one command (its CPU time goes to CPU_SECONDS)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU_SECONDS.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return elapsed, out, max(before.ru_maxrss, after.ru_maxrss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT / "bench" / "out" / "city"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--results", action="store_true", help="also time a plain ingest (computes results)")
    args = parser.parse_args()
    data = Path(args.data)
    if not data.exists():
        print(f"generating city-scale workbooks into {data} …", file=sys.stderr)
        subprocess.run([sys.executable, "bench/citygen.py", str(data)], cwd=ROOT, check=True)
    files = sorted(str(p) for p in data.glob("*.xlsx"))
    size_mb = sum(Path(f).stat().st_size for f in files) / 2**20

    bare_times, ours_times, ratios, with_results, peak = [], [], [], [], 0
    bare_cpu, ours_cpu = [], []
    rows = cells = 0
    load_before = os.getloadavg()
    for _ in range(args.repeat):
        t_bare, out, _ = _run([sys.executable, "-c", BARE, *files])
        bare_times.append(t_bare)
        bare_cpu.append(CPU_SECONDS[-1])
        rows, cells = map(int, out.split())
        with tempfile.TemporaryDirectory() as tmp:
            db = f"sqlite:///{tmp}/bench.sqlite"
            t, _, rss = _run([sys.executable, "-m", "loaders", "ingest", *files, "--db", db, "--no-results"])
            ours_times.append(t)
            ours_cpu.append(CPU_SECONDS[-1])
            ratios.append(t_bare / t)
            peak = max(peak, rss)
        if args.results:
            with tempfile.TemporaryDirectory() as tmp:
                db = f"sqlite:///{tmp}/bench.sqlite"
                with_results.append(_run([sys.executable, "-m", "loaders", "ingest", *files, "--db", db])[0])
    bare, ours = statistics.median(bare_times), statistics.median(ours_times)
    result = {
        "files": len(files),
        "megabytes": round(size_mb, 1),
        "sheet_rows": rows,
        "cells": cells,
        "bare_calamine_s": round(bare, 2),
        "ingest_s": round(ours, 2),
        "ratio_bare_over_ingest": round(statistics.median(ratios), 2),
        "ratios": [round(r, 2) for r in ratios],
        # CPU seconds vary less than wall time on a shared machine (the ingest's include its reading workers).
        "bare_calamine_cpu_s": round(statistics.median(bare_cpu), 2),
        "ingest_cpu_s": round(statistics.median(ours_cpu), 2),
        "ingest_rows_per_s": round(rows / ours),
        "ingest_cells_per_s": round(cells / ours),
        "peak_rss_mib_max_of_children": round(peak / 1024, 1),
        "runs": args.repeat,
        "load_average_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
    }
    if with_results:
        result["ingest_with_results_s"] = round(statistics.median(with_results), 2)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
