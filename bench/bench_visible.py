"""How long after an upload is confirmed a web process serves the new results (city scale, one sample).

    python bench/bench_visible.py --db sqlite:///bench/out/city.sqlite [--repeat 3]

The store must hold data already (e.g. bench/citygen.py ingested with `python -m loaders ingest`). Each round
supersedes one report (one street, the latest quarter, completions changed) as the confirm callback does —
store.ingest, then AppData.refresh(), which starts `python -m metrics results` — and polls as requests do
(refresh_if_stale every 0.1 s here) until the new results are served. Also times `python -m metrics results`
(rank bands included) and `python -m metrics score --db` from process start.

    python bench/bench_visible.py --db URL --steps [--repeat 2]

times, in this process, the steps the results process (`metrics results --follow`) takes per round after its
first: the store read (only the new batches), evaluate, encoding, writing, and a worker's load — wall and CPU
seconds each, since on a shared machine the wall figures mostly measure the load.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dashboard import data as appdata  # noqa: E402
from loaders.findings import ParsedFile  # noqa: E402
from loaders.store import Store  # noqa: E402


def supersede(store: Store, round_: int) -> None:
    """A newer report of the first street's latest quarter, its completions shifted."""
    perf = store.load_dataset().performance
    latest = perf["period"].max()
    first = perf["street"].iloc[0]
    rows = perf.loc[(perf["street"] == first) & (perf["period"] == latest)].copy()
    rows["completion"] = (rows["completion"].fillna(0.5) * 0.9 + 0.01 * round_).clip(0, 1)
    store.ingest(ParsedFile(path="b.xlsx", name=f"bench_{round_}.xlsx", sha256=f"bench-{time.time()}",
                            tables={"performance": rows}), user="bench")  # fmt: skip


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=REPO, check=True, capture_output=True, env=dict(os.environ, PYTHONPATH=str(REPO)))
    return time.perf_counter() - start


def steps(url: str, repeat: int) -> None:
    """Wall and CPU seconds of each step of a round, as the long-lived results process runs them."""
    import pandas as pd

    from metrics.config import load_config
    from metrics.evaluation import evaluate

    pd.set_option("mode.string_storage", "python")  # as `metrics results` sets it
    mark = [time.perf_counter(), time.process_time()]

    def step(label: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        print(f"  {label:34s} wall {wall - mark[0]:6.2f} s  CPU {cpu - mark[1]:6.2f} s", flush=True)
        mark[:] = [wall, cpu]

    store, config = Store(url), load_config()
    store.snapshot()
    step("first snapshot (full store read)")
    for r in range(repeat):
        supersede(store, 1000 + r)
        step(f"round {r}: a report superseded")
        version, digest, ds = store.snapshot()
        step("store read (only the new batches)")
        key = appdata.results.results_key(digest)
        appdata.results.claim(store, key, version)
        ev = evaluate(ds, config)
        step("evaluate")
        payloads = appdata.results.evaluation_payloads(ev) | appdata.results.dataset_payloads(ds)
        step("encode payloads")
        appdata.results._write(store, key, payloads, 0.0)
        step("write (ready)")
        appdata.results.load(store, key, order=False)
        step("a worker loads them")
    print("load", os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    """Print the seconds from confirm to served, per round."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--steps", action="store_true", help="time each step of a round in this process instead")
    args = p.parse_args(argv)
    if args.steps:
        steps(args.db, args.repeat)
        return 0
    py = sys.executable
    print(f"metrics results (full, bands): {timed([py, '-m', 'metrics', 'results', '--db', args.db]):.2f} s")
    score = [py, "-m", "metrics", "score", "--db", args.db, "--format", "csv", "--out", os.devnull]
    print(f"metrics score --db (kept results): {min(timed(score) for _ in range(3)):.2f} s (best of 3)")
    data = appdata.AppData(store=Store(args.db))
    data.wait_current()
    for r in range(args.repeat):
        supersede(data.store, r)
        start = time.perf_counter()
        data.refresh()  # what the confirm callback does after storing
        while data.recomputing:
            data.refresh_if_stale(every=0.1)
            time.sleep(0.02)
        print(f"round {r}: new results served {time.perf_counter() - start:.2f} s after the confirm")
    print("load", os.getloadavg())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
