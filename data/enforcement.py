"""Sample 执法情况 (issue 15 point 3): 彭州 handed its 20 enforcement squadrons to the towns (DOMAIN.md), so its towns
report their cases quarter by quarter, and its 执法监管清单 states the targets they are scored against."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from data import names
from data.layouts import Column, table_sheet
from data.layouts import period_text as _period_text
from data.world import PERIODS, District, Item, Street, rng_for
from data.xlsx import Sheet

# Districts whose streets report 执法情况, and the targets their 执法监管清单 states: (按时办结率目标, 纠错率上限) by
# item; every third item states none (a list need not give a target for every matter).
REPORTING = ("彭州市",)
TARGETS = ((0.95, 0.05), (0.9, 0.03), (0.92, None))
# Officers of the unified team per street type: 彭州's 20 squadrons, about 4–5 officers each, spread over its towns.
OFFICERS = {"城区街道": (16, 22), "涉农街道": (10, 14), "镇": (8, 13)}
CASES_PER_OFFICER = {"城区街道": (3.5, 5.0), "涉农街道": (2.5, 4.0), "镇": (2.0, 3.5)}
HEADERS = ("序号", "街道(镇)", "案件数", "按时办结数", "复议/诉讼纠错数", "联合执法次数", "执法人员数")
KEYS = ("seq", "street", "cases", "on_time", "corrections", "joint", "officers")


def with_targets(lists: dict[int, dict[str, list[Item]]]) -> dict[int, dict[str, list[Item]]]:
    """A district's lists with targets on its 执法监管清单 items."""
    out = {}
    for year, year_lists in lists.items():
        items = year_lists.get("enforcement", [])
        targeted = [
            replace(it, on_time_target=TARGETS[k % 3][0], correction_ceiling=TARGETS[k % 3][1])
            for k, it in enumerate(items)
        ]
        out[year] = {**year_lists, **({"enforcement": targeted} if items else {})}
    return out


COLUMNS = ["street", "cases", "on_time", "corrections", "joint", "officers"]


def simulate_enforcement(seed: int, district: District, period: str) -> pd.DataFrame:
    """Quarterly 执法情况 of every street of a district."""
    rng = rng_for(seed, "enforcement", district.name, period)
    t = PERIODS.index(period) if period in PERIODS else 0
    rows = []
    for street in district.streets:
        # a team's size holds over the quarters; its cases do not
        officers = int(rng_for(seed, "officers", district.name, street.name).integers(*OFFICERS[street.street_type]))
        cases = int(officers * rng.uniform(*CASES_PER_OFFICER[street.street_type]))
        on_time = min(cases, round(cases * float(np.clip(rng.normal(0.87 + 0.005 * t, 0.05), 0.6, 1.0))))
        corrections = min(cases, int(rng.poisson(cases * 0.035)))
        joint = int(rng.poisson(3 if street.street_type == "城区街道" else 2))
        rows.append((street.name, cases, on_time, corrections, joint, officers))
    return pd.DataFrame(rows, columns=COLUMNS)


def enforcement_sheet(district: District, period: str, frame: pd.DataFrame, street: Street | None = None) -> Sheet:
    """The 执法情况 sheet: title, a line with 区(市)县 and 报告期, one row per street, a 合计 row."""
    columns = [Column(k, h, width=14 if k == "street" else 12) for k, h in zip(KEYS, HEADERS, strict=True)]
    rows: list[list[object] | None] = []
    for seq, rec in enumerate(frame.to_dict("records"), start=1):
        rows.append([seq, rec["street"], *(int(rec[k]) for k in KEYS[2:])])
    total: list[object] = ["合计", None, *(int(frame[k].sum()) for k in KEYS[2:])]
    who = street.name if street is not None else district.name
    return table_sheet(
        "执法情况",
        columns,
        rows,
        title=f"{who}综合行政执法情况季度报表",
        meta=(("区(市)县", district.name), ("报告期", _period_text(period, "cn"))),
        footers=(total, [f"注：{names.SYNTHETIC_NOTE}"]),
    )
