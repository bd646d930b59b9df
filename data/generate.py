"""Write the synthetic sample workbooks of the four pilot districts (python data/generate.py [OUTDIR])."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd

from data import department_ratings, enforcement, offices, pilots
from data.affairs import affairs_sheets, scored_items, with_affairs
from data.layouts import ReportStyle, list_sheets, register_sheet, report_sheets
from data.world import (
    PERIODS,
    District,
    Item,
    Street,
    adjust_list,
    build_duty_list,
    build_side_list,
    rng_for,
    simulate_performance,
    simulate_service,
    simulate_unlisted,
)
from data.xlsx import Sheet, write_workbook

SAMPLES = Path(__file__).resolve().parent / "samples"


# FORMATS.md §6 in the samples: two 反向 items on every duty list (one with target 0), and 涉农 duties that apply
# to 涉农街道 and towns only.
REVERSE_ITEMS = (
    ("community_safety", "安全生产", "较大及以上安全生产事故起数", "综合办公室", 3.0, 0),
    ("community_safety", "矛盾调解", "群众重复信访件次", "社区治理办公室", 2.0, 6),
)
RURAL_MAJORS = ("农业农村",)
RURAL_TYPES = "涉农街道、镇"


def with_item_semantics(items: list[Item]) -> list[Item]:
    """The duty list with 适用类型 on its 涉农 items, and its last two 社区平安 items made the 反向 ones (codes kept,
    so the list keeps the seed's length)."""
    out = [replace(it, applies_to=RURAL_TYPES) if it.major in RURAL_MAJORS else it for it in items]
    safety = [k for k, it in enumerate(out) if it.function == "community_safety"][-len(REVERSE_ITEMS) :]
    for k, (fn, major, name, office, weight, target) in zip(safety, REVERSE_ITEMS, strict=True):
        out[k] = replace(
            out[k], function=fn, major=major, name=name, office=office, weight=weight, measure="quant",
            target=target, direction="反向", applies_to="",
        )  # fmt: skip
    return out


def with_funds_amounts(seed: int, district: District, year: int, items: list[Item]) -> list[Item]:
    """下放经费 (万元) on the delegated items: an amount where funds went with the duty, 0 where they did not
    (issue 15, 事权财权匹配). A generator of its own, so the lists themselves stay as they were drawn."""
    rng = rng_for(seed, "funds_wan", district.name, year)
    low, high = pilots.FUNDS_WAN[district.name]
    return [
        replace(it, funds_wan=round(float(rng.uniform(low, high)), 1) if it.funds else 0.0) if it.delegated else it
        for it in items
    ]


def build_lists(seed: int, district: District) -> dict[int, dict[str, list[Item]]]:
    """The duty and side lists of a district for 2019 and 2020."""
    duty_2019 = with_item_semantics(build_duty_list(seed, district, pilots.LIST_SPECS[district.name]))
    duty_2019 = offices.with_office_gaps(district, duty_2019)  # 责任科室 no street has, or none (机构设置)
    duty_2020 = adjust_list(seed, district, duty_2019, pilots.ADJUSTMENTS[district.name])
    side = {t: build_side_list(seed, district, t, n, code) for t, n, code in pilots.SIDE_LISTS[district.name]}
    return {
        year: {t: with_funds_amounts(seed, district, year, items) for t, items in lists.items()}
        for year, lists in ((2019, {"duty": duty_2019, **side}), (2020, {"duty": duty_2020, **side}))
    }


def _extra_rows(district: District, period: str, perf: pd.DataFrame) -> pd.DataFrame:
    """Report rows whose codes are not on the list: economic tasks and a campaign some streets still report."""
    rows = []
    streets = [s.name for s in district.streets]
    if district.name == "龙泉驿区":
        reporting = streets[::2] if period.startswith("2019") else streets[:2] if period == "2020Q1" else []
        extra = pilots.LQ_EXTRA_ROWS if period.startswith("2019") else pilots.LQ_EXTRA_ROWS[1:]
        for street in reporting:
            rows += [(street, code, name, fn) for code, name, fn in extra]
        if period == "2019Q3":
            rows += [(street, *pilots.LQ_OTHER_ROW) for street in streets[1:4]]
    if district.name == "武侯区" and period == "2020Q1":
        rows.append(("石羊街道", "WHZZ146", "协税护税任务", "tax_assistance"))
    if not rows:
        return perf
    extra = pd.DataFrame(rows, columns=["street", "code", "name", "function"]).assign(
        measure="quant", target=4, actual=3, completion=0.75, status="进行中", on_time=True, evidence="", note=""
    )
    order = {s: k for k, s in enumerate(streets)}
    out = pd.concat([perf, extra], ignore_index=True)
    return out.sort_values("street", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def simulate_district(seed: int, district: District, lists: dict[int, dict[str, list[Item]]]) -> dict:
    """Per period: the perf, service and unlisted frames of every street of the district."""
    draws = rng_for(seed, "profiles", district.name).random(len(district.streets))
    profiles = {s.name: pilots.profile(s, float(d)) for s, d in zip(district.streets, draws, strict=True)}
    rate19, rate20, approved, funds = pilots.UNLISTED_RATES[district.name]
    online, no_visit = pilots.SERVICE_SHARES[district.name]
    out = {}
    for period in PERIODS:
        year = int(period[:4])
        perf = simulate_performance(seed, district, profiles, scored_items(lists[year]), period)
        out[period] = {
            "perf": _extra_rows(district, period, perf),
            "service": simulate_service(seed, district, period, online, no_visit),
            "unlisted": offices.with_task_offices(
                seed,
                district,
                period,
                simulate_unlisted(seed, district, period, rate19 if year == 2019 else rate20, approved, funds),
            ),
            "enforcement": enforcement.simulate_enforcement(seed, district, period)
            if district.name in enforcement.REPORTING
            else pd.DataFrame(columns=enforcement.COLUMNS),
        }
    return out


# One street that sent nothing for the latest quarter (未报送, FORMATS.md §6), so every page shows one.
LATE_REPORT = ("彭州市", "丹景山镇", PERIODS[-1])


def _report_plan(district: District, period: str) -> list[tuple[ReportStyle, Street | None]]:
    """Which report workbooks a district sends for a period: per street, or one consolidated."""
    name = district.name
    if name == "武侯区" and period.startswith("2019"):
        return [(pilots.wuhou_style(k, period), s) for k, s in enumerate(district.streets)]
    if name == "武侯区":
        return [(pilots.WUHOU_2020, None)]
    if name == "龙泉驿区":
        return [(pilots.LONGQUANYI, None)]
    if name == "邛崃市":
        return [(pilots.QIONGLAI, None)]
    return [(pilots.PENGZHOU[s.name], s) for s in district.streets]


def _street_frames(frames: dict[str, pd.DataFrame], street: Street | None) -> dict[str, pd.DataFrame]:
    if street is None:
        return frames
    return {k: df[df["street"] == street.name].reset_index(drop=True) for k, df in frames.items()}


def write_samples(
    out: Path = SAMPLES, seed: int = pilots.SEED, only: tuple[str, ...] | None = None
) -> list[tuple[Path, str]]:
    """Write the sample workbooks into out (old .xlsx there are removed); returns (path, style) pairs.

    only: write just these districts (the register still lists all four).
    """
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.xlsx"):
        old.unlink()
    districts = pilots.districts()
    streets = {s.name: s for d in districts for s in d.streets}
    written: list[tuple[Path, str]] = []
    title = "成都市街道（镇）名册 — 试点区（市）县"
    register = [register_sheet(districts, title), offices.offices_sheet(seed, districts)]  # 机构设置 travels with it
    written.append((write_workbook(out / "00_街道名册.xlsx", register), "register"))
    for district in districts:
        if only is not None and district.name not in only:
            continue
        lists = with_affairs(seed, district, build_lists(seed, district))
        lists = enforcement.with_targets(lists) if district.name in enforcement.REPORTING else lists
        style = pilots.LIST_STYLES[district.name]
        for year, year_lists in lists.items():
            path = out / f"10_清单_{district.name}_{year}年.xlsx"
            sheets = [*list_sheets(style, district, year, year_lists), *affairs_sheets(seed, district, year, lists)]
            written.append((write_workbook(path, sheets), "list"))
        sims = simulate_district(seed, district, lists)
        for period in PERIODS:
            for style, street in _report_plan(district, period):
                if street is not None and (district.name, street.name, period) == LATE_REPORT:
                    continue  # 未报送: this street sent nothing for the quarter
                who = street.name if street else "汇总"
                path = out / f"20_履职报表_{period}_{district.name}_{who}.xlsx"
                rng = rng_for(seed, "layout", path.name)
                frames = _street_frames(sims[period], street)
                sheets: list[Sheet] = report_sheets(style, district, period, frames, streets, rng, street)
                if not frames["enforcement"].empty:
                    sheets.append(enforcement.enforcement_sheet(district, period, frames["enforcement"], street))
                written.append((write_workbook(path, sheets), style.name))
    written += write_department_ratings(out, seed, [d for d in districts if only is None or d.name in only])
    return written


def write_department_ratings(out: Path, seed: int, districts: list[District]) -> list[tuple[Path, str]]:
    """考核权 (issue 15): a 部门评价 workbook per quarter and a 建议权 workbook of each district whose streets rate
    its departments (龙泉驿区)."""
    written: list[tuple[Path, str]] = []
    for district in districts:
        if district.name not in department_ratings.RATING_DISTRICTS:
            continue
        for period in PERIODS:
            sheet = department_ratings.ratings_sheet(seed, district, period)
            path = out / f"30_部门评价_{period}_{district.name}.xlsx"
            written.append((write_workbook(path, [sheet]), "dept_ratings"))
        path = out / f"31_建议权_{district.name}.xlsx"
        written.append((write_workbook(path, [department_ratings.advice_sheet(seed, district)]), "advice"))
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: write the samples and print a summary."""
    parser = argparse.ArgumentParser(description="Write the synthetic sample workbooks (示例数据，合成).")
    parser.add_argument("outdir", nargs="?", type=Path, default=SAMPLES)
    parser.add_argument("--seed", type=int, default=pilots.SEED)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    written = write_samples(args.outdir, args.seed)
    size = sum(p.stat().st_size for p, _ in written)
    print(f"{len(written)} workbooks, {size / 1e6:.2f} MB, {time.perf_counter() - start:.1f} s → {args.outdir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
