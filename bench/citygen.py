"""City-scale synthetic workbooks for benchmarks: 23 districts, ~260 streets, 2 list years, 8 quarters.

    python bench/citygen.py [OUTDIR] [--seed N] [--districts N] [--workers N]   (OUTDIR: bench/out/city)

Writes OUTDIR/00_街道名册.xlsx, one list workbook per district and year (职责任务清单 + 便民服务清单 +
执法监管清单) and one consolidated report per district and quarter (履职情况 + 便民服务 + 清单外事项 + 部门评价).
执法监管清单) and one consolidated report per district and quarter (履职情况 + 便民服务 + 清单外事项 + 执法情况).
Layouts are mostly clean (some title lines), so the files measure reading speed rather than quirks.
All content is synthetic (示例数据，合成).
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from data import department_ratings, names, pilots
from data.affairs import affairs_sheets, scored_items, with_affairs
from data.enforcement import enforcement_sheet, simulate_enforcement, with_targets
from data.layouts import ListStyle, ReportStyle, list_sheets, register_sheet, report_sheets
from data.offices import offices_sheet
from data.world import (
    PERIODS,
    Adjustment,
    District,
    Item,
    ListSpec,
    Profile,
    Street,
    adjust_list,
    build_duty_list,
    build_side_list,
    rng_for,
    simulate_performance,
    simulate_service,
    simulate_unlisted,
)
from data.xlsx import write_workbook_fast as write_workbook

# (name, kind): kind sets the mix of street types (urban: streets only; suburb: streets and towns; rural: mostly towns).
CITY: tuple[tuple[str, str], ...] = (
    ("锦江区", "urban"),
    ("青羊区", "urban"),
    ("金牛区", "urban"),
    ("武侯区", "urban"),
    ("成华区", "urban"),
    ("龙泉驿区", "suburb"),
    ("青白江区", "suburb"),
    ("新都区", "suburb"),
    ("温江区", "suburb"),
    ("双流区", "suburb"),
    ("郫都区", "suburb"),
    ("新津区", "suburb"),
    ("简阳市", "rural"),
    ("都江堰市", "rural"),
    ("彭州市", "rural"),
    ("邛崃市", "rural"),
    ("崇州市", "rural"),
    ("金堂县", "rural"),
    ("大邑县", "rural"),
    ("蒲江县", "rural"),
    ("高新区", "urban"),
    ("天府新区", "suburb"),
    ("东部新区", "rural"),
)
TARGET_STREETS = 260
# Districts scored on a 事务清单 of this many items, with its 清单对照 (issue 15, several scored lists).
CITY_AFFAIRS = {"邛崃市": 118, "崇州市": 100}
TYPE_MIX = {"urban": (0.9, 0.1, 0.0), "suburb": (0.45, 0.25, 0.3), "rural": (0.2, 0.2, 0.6)}

CITY_STYLES = (
    ReportStyle(
        "CT",
        title="{district}街道履职情况季度汇总表",
        street_in="column",
        pct="text",
        footers=("signers",),
    ),
    ReportStyle("CP", title=None, street_in="column", period_in="column", pct="fraction", synthetic="footer"),
    ReportStyle("CF", title=None, street_in="column", period_in="column", pct="formatted", period_fmt="cn"),
)
CITY_LIST_STYLES = (ListStyle(labels="full", meta="line"), ListStyle(labels="full", meta="columns", seq=False))


def _street_counts(rng: np.random.Generator, fixed: dict[str, int]) -> list[int]:
    free = [k for k, (name, _) in enumerate(CITY) if name not in fixed]
    counts = [fixed.get(name, 0) for name, _ in CITY]
    draws = rng.integers(8, 16, len(free))
    remaining = TARGET_STREETS - sum(fixed.values())
    scaled = np.maximum(5, np.round(draws * remaining / draws.sum())).astype(int)
    scaled[-1] += remaining - scaled.sum()
    for k, n in zip(free, scaled, strict=True):
        counts[k] = int(n)
    return counts


def city_districts(seed: int) -> list[District]:
    """The 23 districts; the four pilot districts keep their real streets, the others get invented names."""
    rng = rng_for(seed, "city")
    real = {d.name: d for d in pilots.districts()}
    counts = _street_counts(rng, {name: len(d.streets) for name, d in real.items()})
    stems = [a + b for a in names.PLACE_FIRST for b in names.PLACE_SECOND]
    order = rng.permutation(len(stems))
    used = 0
    out = []
    for k, ((name, kind), n) in enumerate(zip(CITY, counts, strict=True)):
        if name in real:
            out.append(real[name])
            continue
        types = rng.choice(["城区街道", "涉农街道", "镇"], size=n, p=TYPE_MIX[kind])
        streets = []
        for t in sorted(types.tolist(), key=["城区街道", "涉农街道", "镇"].index):
            stem = stems[order[used]]
            used += 1
            low, high = {"城区街道": (50, 180), "涉农街道": (30, 90), "镇": (10, 60)}[t]
            population = int(rng.integers(low, high)) * 1000
            streets.append(Street(name, stem + ("镇" if t == "镇" else "街道"), t, population))
        out.append(District(name, f"C{k + 1:02d}", tuple(streets)))
    return out


def _lists(seed: int, district: District, k: int) -> dict[int, dict[str, list[Item]]]:
    rng = rng_for(seed, "city-list", district.name)
    prefix = f"C{k + 1:02d}"
    economic = ()
    if k % 4 == 1:
        economic = (
            ("investment_attraction", "重点项目招商引资服务", "经济服务"),
            ("tax_assistance", "协税护税任务", "经济服务"),
        )
    size = int(rng.integers(140, 161))
    spec = ListSpec(
        size,
        lambda c: f"{prefix}-{c.seq:03d}",
        delegated=float(rng.uniform(0.2, 0.45)),
        economic=economic,
        economic_code=lambda n: f"{prefix}-J{n:02d}",
    )
    duty_2019 = build_duty_list(seed, district, spec)
    adj = Adjustment(int(rng.integers(2, 6)), int(rng.integers(1, 5)), 10, 1, lambda t, n: f"{prefix}-{500 + n:03d}")
    duty_2020 = adjust_list(seed, district, duty_2019, adj)
    side = {
        "service": build_side_list(
            seed, district, "service", int(rng.integers(14, 23)), lambda n: f"{prefix}-FW{n:02d}"
        ),
        "enforcement": build_side_list(
            seed, district, "enforcement", int(rng.integers(10, 17)), lambda n: f"{prefix}-ZF{n:02d}"
        ),
    }
    return {2019: {"duty": duty_2019, **side}, 2020: {"duty": duty_2020, **side}}


def write_district(args: tuple[int, int, District, str]) -> list[Path]:
    """Write one district's list and report workbooks; returns the paths."""
    seed, k, district, outdir = args
    out = Path(outdir)
    rng = rng_for(seed, "city-profiles", district.name)
    profiles = {
        s.name: Profile(base=float(rng.uniform(0.76, 0.93)), trend=float(rng.normal(0, 0.01))) for s in district.streets
    }
    rate = float(rng.uniform(0.3, 3.0))
    online = float(rng.uniform(0.3, 0.72))
    affairs_size = CITY_AFFAIRS.get(district.name)
    lists = with_targets(with_affairs(seed, district, _lists(seed, district, k), affairs_size))
    streets = {s.name: s for s in district.streets}
    written = []
    list_style = CITY_LIST_STYLES[k % len(CITY_LIST_STYLES)]
    for year, year_lists in lists.items():
        path = out / f"10_清单_{district.name}_{year}年.xlsx"
        sheets = list_sheets(list_style, district, year, year_lists)
        sheets += affairs_sheets(seed, district, year, lists, affairs_size)
        written.append(write_workbook(path, sheets))
    # 机构设置 (issue 15 point 4): a small district-level workbook of its streets' offices
    written.append(write_workbook(out / f"05_机构设置_{district.name}.xlsx", [offices_sheet(seed, [district])]))
    style = CITY_STYLES[k % len(CITY_STYLES)]
    for period in PERIODS:
        year = int(period[:4])
        frames = {
            "perf": simulate_performance(seed, district, profiles, scored_items(lists[year]), period),
            "service": simulate_service(seed, district, period, online, 0.08),
            "unlisted": simulate_unlisted(seed, district, period, rate, 0.6, 0.5),
        }
        path = out / f"20_履职报表_{period}_{district.name}_汇总.xlsx"
        sheets = report_sheets(replace(style), district, period, frames, streets, rng_for(seed, path.name))
        sheets.append(department_ratings.ratings_sheet(seed, district, period))  # 考核权 (issue 15): every district
        sheets.append(enforcement_sheet(district, period, simulate_enforcement(seed, district, period)))
        written.append(write_workbook(path, sheets))
    return written


def generate(outdir: Path, seed: int = 2019, n_districts: int | None = None, workers: int = 2) -> list[Path]:
    """Write the city-scale workbooks into outdir (old .xlsx there are removed)."""
    outdir.mkdir(parents=True, exist_ok=True)
    for old in outdir.glob("*.xlsx"):
        old.unlink()
    districts = city_districts(seed)[:n_districts]
    title = "成都市街道（镇）名册 — 全市（基准测试数据）"
    written = [write_workbook(outdir / "00_街道名册.xlsx", [register_sheet(districts, title)])]
    jobs = [(seed, k, d, str(outdir)) for k, d in enumerate(districts)]
    # Largest districts first so the two workers finish together.
    jobs.sort(key=lambda j: -len(j[2].streets))
    return sorted(written + write_districts(jobs, workers))


def write_districts(jobs: list[tuple[int, int, District, str]], workers: int, chunksize: int = 1) -> list[Path]:
    """Every district's workbooks (write_district per job), in worker processes when workers > 1."""
    if workers <= 1:
        return [path for job in jobs for path in write_district(job)]
    with ProcessPoolExecutor(workers) as pool:
        return [path for paths in pool.map(write_district, jobs, chunksize=chunksize) for path in paths]


def main(argv: list[str] | None = None) -> int:
    """Command line: write the city-scale data and print a summary."""
    parser = argparse.ArgumentParser(description="Write city-scale synthetic workbooks for benchmarks.")
    parser.add_argument("outdir", type=Path, nargs="?", default=Path(__file__).resolve().parent / "out" / "city")
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--districts", type=int, default=None, help="only the first N districts")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    written = generate(args.outdir, args.seed, args.districts, args.workers)
    size = sum(p.stat().st_size for p in written)
    streets = sum(len(d.streets) for d in city_districts(args.seed)[: args.districts])
    print(
        f"{len(written)} workbooks, {streets} streets, {size / 1e6:.1f} MB, "
        f"{time.perf_counter() - start:.1f} s → {args.outdir}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
