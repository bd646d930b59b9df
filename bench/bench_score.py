"""Time score_streets and evaluate on city-scale data (median of 5) and report peak memory.

python bench/bench_score.py [--districts 23] [--streets 260] [--items 150] [--quarters 8] [--repeat 5]
python bench/bench_score.py --citygen bench/out/city   # the workbooks of bench/citygen.py (written if absent)
python bench/bench_score.py --cli sqlite:////tmp/city.db [--repeat 5]   # `python -m metrics score --db` end to end

Data: synthetic frames built here (every street reports every item of its list each quarter, 5% missing),
or the city-scale workbooks of bench/citygen.py read through loaders.read_files (reading is not timed).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loaders.schema import LIST_ITEMS, PERFORMANCE, REGISTER, SERVICE, UNLISTED, Dataset
from metrics import evaluate, load_config, score_streets
from metrics.config import FUNCTIONS

STATUSES = np.array(["已完成", "进行中", "未开始", "未完成"], dtype=object)


def synthetic_city(districts: int, streets: int, items: int, quarters: int, seed: int = 7) -> Dataset:
    """A city: `streets` over `districts`, a duty list of `items` per district and year, all quarters reported."""
    rng = np.random.default_rng(seed)
    d_names = [f"区{i:02d}" for i in range(districts)]
    st_district = np.array([d_names[i % districts] for i in range(streets)], dtype=object)
    st_names = np.array([f"街道{i:03d}" for i in range(streets)], dtype=object)
    register = REGISTER.conform(
        pd.DataFrame(
            {
                "district": st_district,
                "street": st_names,
                "street_type": rng.choice(["城区街道", "涉农街道", "镇"], streets),
                "population": rng.integers(20_000, 120_000, streets),
                "pilot": rng.random(streets) < 0.1,
            }
        )
    )
    periods = [f"{2019 + q // 4}Q{q % 4 + 1}" for q in range(quarters)]
    years = sorted({int(p[:4]) for p in periods})
    fn = np.array([*FUNCTIONS, "investment_attraction"], dtype=object)
    lists = []
    for d in d_names:
        for y in years:
            codes = np.array([f"{d}-{i:03d}" for i in range(items)], dtype=object)
            functions = fn[rng.integers(0, len(fn), items)]
            lists.append(
                pd.DataFrame(
                    {
                        "district": d,
                        "year": y,
                        "list_type": "duty",
                        "item_code": codes,
                        "function": functions,
                        "item_name": [f"事项{i}" for i in range(items)],
                        "weight": rng.choice([1.0, 2.0, 3.0, np.nan], items),
                        "source_department": np.where(rng.random(items) < 0.4, "区民政局", None),
                        "access_approved": rng.random(items) < 0.8,
                        "funds_matched": rng.random(items) < 0.6,
                    }
                )
            )
    list_items = LIST_ITEMS.conform(pd.concat(lists, ignore_index=True))
    # every street reports every item of its district's list in every quarter, 5% left out
    per_street = np.repeat(np.arange(streets), items)
    item_idx = np.tile(np.arange(items), streets)
    frames = []
    for p in periods:
        keep = rng.random(len(per_street)) > 0.05
        s, i = per_street[keep], item_idx[keep]
        n = len(s)
        target = np.where(rng.random(n) < 0.5, rng.integers(1, 100, n).astype(float), np.nan)
        frames.append(
            pd.DataFrame(
                {
                    "district": st_district[s],
                    "street": st_names[s],
                    "period": p,
                    "item_code": [f"{d}-{k:03d}" for d, k in zip(st_district[s], i, strict=True)],
                    "target": target,
                    "actual": np.where(np.isnan(target), np.nan, target * rng.uniform(0.3, 1.3, n)),
                    "completion": np.where(rng.random(n) < 0.5, rng.uniform(0, 1.2, n), np.nan),
                    "status": STATUSES[rng.integers(0, 4, n)],
                    "on_time": rng.random(n) < 0.85,
                }
            )
        )
    performance = PERFORMANCE.conform(pd.concat(frames, ignore_index=True))
    sp = pd.MultiIndex.from_product([range(streets), periods]).to_frame(index=False, name=["s", "period"])
    cases = rng.integers(100, 3000, len(sp)).astype(float)
    service = SERVICE.conform(
        pd.DataFrame(
            {
                "district": st_district[sp["s"]],
                "street": st_names[sp["s"]],
                "period": sp["period"],
                "cases": cases,
                "online_cases": np.floor(cases * rng.uniform(0.3, 0.9, len(sp))),
                "one_visit_cases": np.floor(cases * rng.uniform(0.5, 1.0, len(sp))),
                "no_visit_approvals": rng.integers(0, 50, len(sp)).astype(float),
                "satisfaction": rng.uniform(0.8, 1.0, len(sp)),
            }
        )
    )
    tasks = sp.loc[np.repeat(sp.index, rng.integers(0, 6, len(sp)))]
    unlisted = UNLISTED.conform(
        pd.DataFrame(
            {
                "district": st_district[tasks["s"]],
                "street": st_names[tasks["s"]],
                "period": tasks["period"].to_numpy(),
                "task_name": "临时任务",
                "assigning_department": rng.choice(["区住建局", "区城管局", "区卫健局", "区应急局"], len(tasks)),
                "access_approved": rng.random(len(tasks)) < 0.3,
                "funds_matched": rng.random(len(tasks)) < 0.2,
                "workdays": rng.integers(1, 10, len(tasks)).astype(float),
            }
        )
    )
    return Dataset(register, list_items, performance, service, unlisted)


def _load_dataset(args: argparse.Namespace) -> tuple[Dataset, str]:
    if args.citygen:
        from loaders import read_files

        folder = Path(args.citygen)
        files = sorted(folder.glob("*.xlsx"))
        if not files:
            from bench import citygen

            files = citygen.generate(folder)
        result = read_files(files)
        errors = [f for f in result.findings if f.level == "error"]
        if errors:
            raise SystemExit(f"citygen workbooks have errors: {errors[0].text()}")
        return result.dataset, f"bench/citygen.py workbooks in {folder} ({len(files)} files)"
    ds = synthetic_city(args.districts, args.streets, args.items, args.quarters)
    return ds, "synthetic (bench/bench_score.py)"


def _median_time(fn, repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def bench_cli(url: str, repeat: int) -> int:
    """`python -m metrics score --db url --out s.csv` as a fresh process each time: wall, CPU, peak RSS, load."""
    repo = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "s.csv"
        command = [sys.executable, "-m", "metrics", "score", "--db", url, "--out", str(out)]
        subprocess.run(command, cwd=repo, check=True)  # computes the results once when none are kept
        walls, cpus, peaks = [], [], []
        for _ in range(repeat):
            # /usr/bin/time for the peak: a forked child's ru_maxrss counts this (pandas-sized) process before exec
            t0 = time.perf_counter()
            timed = ["/usr/bin/time", "-f", "%U %S %M", *command]
            done = subprocess.run(timed, cwd=repo, capture_output=True, text=True)
            walls.append(time.perf_counter() - t0)
            if done.returncode:
                raise SystemExit(f"score failed: {done.stderr}")
            user, system, peak_kb = done.stderr.split()[-3:]
            cpus.append(float(user) + float(system))
            peaks.append(int(peak_kb) / 1024)
        size = out.stat().st_size
    print(f"python -m metrics score --db {url} --out s.csv ({size:,} bytes), {repeat} runs")
    print(f"  wall: median {statistics.median(walls):.2f} s ({', '.join(f'{t:.2f}' for t in walls)})")
    print(f"  CPU:  median {statistics.median(cpus):.2f} s ({', '.join(f'{t:.2f}' for t in cpus)})")
    print(f"  peak RSS {max(peaks):.0f} MiB; load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--districts", type=int, default=23)
    p.add_argument("--streets", type=int, default=260)
    p.add_argument("--items", type=int, default=150)
    p.add_argument("--quarters", type=int, default=8)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--citygen", metavar="DIR", help="score bench/citygen.py workbooks in DIR instead")
    p.add_argument("--cli", metavar="URL", help="time `python -m metrics score --db URL` as a process instead")
    args = p.parse_args(argv)
    if args.cli:
        return bench_cli(args.cli, args.repeat)
    ds, source = _load_dataset(args)
    config = load_config()
    print(f"data: {source}")
    print(
        f"  register {len(ds.register)} streets, duty items {len(ds.list_items)}, "
        f"performance {len(ds.performance):,} rows, service {len(ds.service)}, unlisted {len(ds.unlisted)}"
    )
    t_score, all_score = _median_time(lambda: score_streets(ds, config), args.repeat)
    t_eval, all_eval = _median_time(lambda: evaluate(ds, config), args.repeat)
    tracemalloc.start()
    ev = evaluate(ds, config)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  scores {len(ev.scores)} rows, item detail {len(ev.items):,} rows")
    print(f"score_streets: median {t_score:.3f} s of {args.repeat} ({', '.join(f'{t:.3f}' for t in all_score)})")
    print(f"evaluate:      median {t_eval:.3f} s of {args.repeat} ({', '.join(f'{t:.3f}' for t in all_eval)})")
    print(f"evaluate peak traced memory: {peak / 2**20:.1f} MiB (Python allocations during one evaluate)")
    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB (data included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
