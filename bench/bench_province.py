"""Province scale, step by step, each step a process of its own: wall time and peak resident memory per process.

    python bench/bench_province.py --dir bench/out/province [--db URL] [--json out.json]
    python bench/bench_province.py --ingested sqlite:////tmp/province.sqlite   # reuse a store ingested before

Steps: `python -m loaders ingest --no-results` (and bare calamine reading the same files, for the ratio),
`python -m metrics results` (the full recomputation, rank bands included), `python -m metrics score --db`
(reading the kept results), and one web worker: create_app on the store (loads the kept results), the first
page (overview layout and its callback) and every callback of bench/bench_callbacks.py, server-side.
--db defaults to a fresh SQLite file in a temporary folder; a PostgreSQL URL must name an EMPTY database.
Write the data first with bench/provincegen.py. The machine is shared: quote `uptime` with the figures.
--ingested URL skips the bare read and the ingest (minutes each) and runs the other steps on a store that
already holds the province (its results are computed again only when the code or rules changed).
The worker also reports its resident memory once the results are loaded and after every callback, the
first (uncached) call of each callback beside the median, and the CPU seconds of each (median of the timed calls,
and the first call's): on a shared machine the wall times follow the load, the CPU times much less.
"""

from __future__ import annotations

import argparse
import json
import os
import resource  # noqa: F401 (the worker script uses it)
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORKER = r"""
import json, resource, sys, time
sys.path.insert(0, {repo!r}); sys.path.insert(0, {bench!r})
start = time.perf_counter()
from dashboard.app import create_app
from dashboard import data as appdata
import bench_callbacks as bc
app = create_app({url!r}, seed=False)
data = app.server.extensions[appdata.EXTENSION_KEY]
data.warming.join()
loaded = time.perf_counter() - start
from dashboard import heap
cpu = {{}}
def as_request(name, fn):
    def call():
        t, c = time.perf_counter(), time.process_time(); fn()
        cpu.setdefault(name, []).append(time.process_time() - c)  # the call's CPU, whatever else the machine runs
        if time.perf_counter() - t >= heap.HEAVY_SECONDS:
            heap.trim()  # what the app's teardown_request hook does after a heavy request (dashboard.request_count)
    return call
def rss_now():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmRSS"))
rss_loaded = rss_now()
ev = data.evaluation
overview = bc.page("overview")
with app.server.test_request_context("/"):
    t = time.perf_counter(); overview.layout(); overview.update(ev, ev.periods[-1], [], "", "overall", "zh")
    first_page = time.perf_counter() - t
    calls = bc.calls_for(ev, data.dataset, None, None) | bc.analysis_calls(data)
    calls = {{name: as_request(name, fn) for name, fn in calls.items()}}
    first = {{}}
    for name, fn in calls.items():
        t = time.perf_counter(); fn(); first[name] = (time.perf_counter() - t) * 1000
    times = bc.time_calls(calls, 3)
import statistics
cpu_ms = {{name: statistics.median(runs[-3:]) * 1000 for name, runs in cpu.items()}}
print(json.dumps({{"start_s": loaded, "first_page_s": first_page, "callbacks_ms": times, "first_call_ms": first,
                  "callbacks_cpu_ms": cpu_ms, "first_call_cpu_ms": {{n: r[0] * 1000 for n, r in cpu.items()}},
                  "rss_loaded_mb": rss_loaded, "rss_end_mb": rss_now(),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "cpu_s": time.process_time()}}))
"""
CALAMINE = r"""
import sys, python_calamine
for path in sys.argv[1:]:
    wb = python_calamine.CalamineWorkbook.from_path(path)
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()
"""


def timed(command: list[str], env: dict | None = None) -> dict:
    """Run command under /usr/bin/time; its wall and CPU seconds, peak RSS of that process (MB) and output."""
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M %U %S", *command], cwd=REPO, env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{command[:4]} failed: {done.stderr[-2000:]}")
    peak_kb, user, system = done.stderr.strip().splitlines()[-1].split()
    return {
        "seconds": round(seconds, 2),
        "cpu_s": round(float(user) + float(system), 1),
        "peak_mb": round(int(peak_kb) / 1024),
        "out": done.stdout,
    }


def main(argv: list[str] | None = None) -> int:
    """Run every step once and print what each took."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dir", type=Path, default=REPO / "bench" / "out" / "province")
    p.add_argument("--db", default=None)
    p.add_argument("--json", type=Path, default=None)
    p.add_argument("--ingested", default=None, help="a store holding the province already: skip reading and ingest")
    args = p.parse_args(argv)
    files = sorted(str(f) for f in args.dir.glob("*.xlsx"))
    tmp = tempfile.mkdtemp(prefix="province_")
    url = args.ingested or args.db or f"sqlite:///{tmp}/province.sqlite"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    py = sys.executable
    report: dict = {"files": len(files), "db": url.split("@")[-1], "load_before": os.getloadavg()}
    steps = [
        ("calamine", [py, "-c", CALAMINE, *files]),
        ("ingest", [py, "-m", "loaders", "ingest", *files, "--db", url, "--no-results", "--user", "bench"]),
        ("results", [py, "-m", "metrics", "results", "--db", url]),
        ("score_db", [py, "-m", "metrics", "score", "--db", url, "--format", "csv", "--out", os.devnull]),
    ]
    if args.ingested:
        steps = steps[2:]
    for name, command in steps:
        report[name] = timed(command, env)
        print(name, {k: v for k, v in report[name].items() if k != "out"}, flush=True)
    report["results"]["said"] = report["results"]["out"].strip().splitlines()[-1]
    worker = WORKER.format(repo=str(REPO), bench=str(REPO / "bench"), url=url)
    done = timed([py, "-c", worker], env)
    report["worker"] = json.loads(done["out"].strip().splitlines()[-1])
    if not args.ingested:
        report["ingest_ratio"] = round(report["calamine"]["seconds"] / report["ingest"]["seconds"], 2)
    report["load_after"] = os.getloadavg()
    for step in steps:
        report[step[0]].pop("out", None)
    slow = sorted(report["worker"]["callbacks_ms"].items(), key=lambda kv: -kv[1])
    print(json.dumps({k: v for k, v in report.items() if k != "worker"}, ensure_ascii=False, indent=1))
    w = report["worker"]
    print(
        f"worker: start {w['start_s']:.1f} s, first page {w['first_page_s']:.2f} s,"
        f" resident {w['rss_loaded_mb']:.0f} MB loaded, {w['rss_end_mb']:.0f} MB after every callback,"
        f" peak {w['rss_mb']:.0f} MB, CPU {w['cpu_s']:.1f} s"
    )
    for name, ms in slow:
        first = f"first call {w['first_call_ms'][name]:7.1f} ms, CPU {w['first_call_cpu_ms'][name]:7.1f}"
        print(f"  {ms:8.1f} ms, CPU {w['callbacks_cpu_ms'][name]:7.1f} ({first})  {name}")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
