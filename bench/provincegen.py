"""Province-scale synthetic workbooks for benchmarks: ~180 districts, ~3,100 township-level units, 8 quarters.

    python bench/provincegen.py [OUTDIR] [--seed N] [--districts 180] [--units 3100] [--workers N]
    (OUTDIR: bench/out/province)

A scaled bench/citygen.py (四川 has ~3,100 township-level units in ~180 county-level districts): the same
workbooks per district — a list workbook per year (~150 duty items) and one consolidated report per quarter —
so ~3.7 M 履职情况 rows in ~1,800 workbooks. All content is synthetic (示例数据，合成).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from bench.citygen import TYPE_MIX, write_districts
from data import names
from data.layouts import register_sheet
from data.world import District, Street, rng_for
from data.xlsx import write_workbook_fast as write_workbook

KINDS = ("urban", "suburb", "rural", "rural")  # most county-level districts of a province are rural


def province_districts(seed: int, n_districts: int = 180, n_units: int = 3100) -> list[District]:
    """n_districts districts of 8–26 units (n_units in all), named from the place-name stems."""
    rng = rng_for(seed, "province")
    # Unit names unique across the province (reports naming only the unit must resolve): 962 stems × 4 variants.
    stems = [v + a + b for v in ("", "新", "上", "下") for a in names.PLACE_FIRST for b in names.PLACE_SECOND]
    pool = rng.permutation(len(stems))
    draws = rng.integers(8, 27, n_districts)
    counts = np.maximum(5, np.round(draws * n_units / draws.sum())).astype(int)
    counts[-1] += n_units - counts.sum()
    out, used = [], 0
    for k, n in enumerate(counts.tolist()):
        kind = KINDS[k % len(KINDS)]
        types = sorted(rng.choice(["城区街道", "涉农街道", "镇"], size=n, p=TYPE_MIX[kind]).tolist(),
                       key=["城区街道", "涉农街道", "镇"].index)  # fmt: skip
        name = f"{stems[(k * 7) % 962]}{k:03d}{'区' if kind == 'urban' else '县'}"
        streets = []
        for j, t in enumerate(types):
            low, high = {"城区街道": (50, 180), "涉农街道": (30, 90), "镇": (10, 60)}[t]
            population = int(rng.integers(low, high)) * 1000
            unit = stems[pool[used + j]] + ("镇" if t == "镇" else "街道")
            streets.append(Street(name, unit, t, population))
        used += n
        out.append(District(name, f"P{k + 1:03d}", tuple(streets)))
    return out


def generate(
    outdir: Path, seed: int = 2019, n_districts: int = 180, n_units: int = 3100, workers: int = 2
) -> list[Path]:
    """Write the province-scale workbooks into outdir (old .xlsx there are removed)."""
    outdir.mkdir(parents=True, exist_ok=True)
    for old in outdir.glob("*.xlsx"):
        old.unlink()
    districts = province_districts(seed, n_districts, n_units)
    title = "四川省乡镇（街道）名册 — 全省（基准测试数据）"
    written = [write_workbook(outdir / "00_街道名册.xlsx", [register_sheet(districts, title)])]
    jobs = [(seed, k, d, str(outdir)) for k, d in enumerate(districts)]
    return sorted(written + write_districts(jobs, workers, chunksize=4))


def main(argv: list[str] | None = None) -> int:
    """Command line: write the province-scale data and print a summary."""
    parser = argparse.ArgumentParser(description="Write province-scale synthetic workbooks for benchmarks.")
    parser.add_argument("outdir", type=Path, nargs="?", default=Path(__file__).resolve().parent / "out" / "province")
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--districts", type=int, default=180)
    parser.add_argument("--units", type=int, default=3100)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    written = generate(args.outdir, args.seed, args.districts, args.units, args.workers)
    size = sum(p.stat().st_size for p in written)
    print(
        f"{len(written)} workbooks, {args.units} units in {args.districts} districts, {size / 1e6:.1f} MB, "
        f"{time.perf_counter() - start:.1f} s → {args.outdir}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
