"""The common core: duty items that mean the same thing in every district, matched by a crosswalk kept as data.

Public:
- `load_crosswalk(path=None)` → CROSSWALK_COLUMNS from data/common_core.csv (or $STREETS_CROSSWALK); a bad file is
  refused with a CrosswalkError naming the line.
- `seed_crosswalk(list_items)` → CROSSWALK_COLUMNS: duty items whose name is the same in every district's lists.
- `core_scores(ds, crosswalk, config)` → CORE_COLUMNS: the §4 score on the core items only, and its city rank.
- `core_coverage(ds, crosswalk)` → COVERAGE_COLUMNS: per district and list year, the share of the duty list's weight
  (and items) in the core; `coverage_text(coverage, districts, period)` says it for the lists in force.
"""

from __future__ import annotations

import csv
import os
from dataclasses import replace
from pathlib import Path

import pandas as pd

from loaders.schema import Dataset
from metrics.config import Config, load_config
from metrics.eval_lists import evaluating
from metrics.keys import KEY
from metrics.results_peek import crosswalk_path

CROSSWALK_COLUMNS = ["common_code", "common_name", "district", "item_code"]
CORE_COLUMNS = [*KEY, "overall_core", "rank_city_core", "n_city_core"]
COVERAGE_COLUMNS = ["district", "year", "items", "items_core", "weight_share_core"]


class CrosswalkError(ValueError):
    """A crosswalk file that cannot be used; zh and en message naming the file and line."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


def load_crosswalk(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """CROSSWALK_COLUMNS from the file (an absent file: an empty crosswalk, so no common-core view)."""
    path = Path(path) if path is not None else crosswalk_path()
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype="string") for c in CROSSWALK_COLUMNS})
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in CROSSWALK_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CrosswalkError(f"{path.name} 缺少列 {missing}", f"{path.name} lacks the columns {missing}")
        rows, seen = [], {}
        for line, row in enumerate(reader, start=2):
            values = {c: (row.get(c) or "").strip() for c in CROSSWALK_COLUMNS}
            blank = [c for c in ("common_code", "district", "item_code") if not values[c]]
            if blank:
                raise CrosswalkError(
                    f"{path.name} 第 {line} 行：{blank} 为空", f"{path.name} line {line}: {blank} empty"
                )
            key = (values["district"], values["item_code"])
            if key in seen:
                raise CrosswalkError(
                    f"{path.name} 第 {line} 行：{key[0]} 的事项 {key[1]} 已在第 {seen[key]} 行对应过",
                    f"{path.name} line {line}: {key[0]} item {key[1]} is already matched on line {seen[key]}",
                )
            seen[key] = line
            rows.append(values)
    return pd.DataFrame(rows, columns=CROSSWALK_COLUMNS).astype("string")


def seed_crosswalk(list_items: pd.DataFrame) -> pd.DataFrame:
    """The duty items whose exact name is in every district's duty lists, numbered C001… in the first list's order."""
    duty = list_items[list_items["list_type"].eq("duty").to_numpy(dtype=bool, na_value=False)]
    duty = duty[["district", "item_code", "item_name"]].dropna().drop_duplicates()
    districts = duty["district"].nunique()
    everywhere = duty.groupby("item_name", sort=False)["district"].nunique()
    names = [n for n in duty["item_name"].drop_duplicates() if everywhere[n] == districts]
    codes = {name: f"C{i:03d}" for i, name in enumerate(names, start=1)}
    out = duty[duty["item_name"].isin(names)].drop_duplicates(["district", "item_code"])
    out = out.assign(common_code=out["item_name"].map(codes), common_name=out["item_name"])
    return out[CROSSWALK_COLUMNS].sort_values(["common_code", "district"], ignore_index=True).astype("string")


def _in_core(frame: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.Series:
    keys = pd.MultiIndex.from_frame(crosswalk[["district", "item_code"]].astype("object"))
    here = pd.MultiIndex.from_frame(frame[["district", "item_code"]].astype("object"))
    return pd.Series(here.isin(keys), index=frame.index)


def core_scores(ds: Dataset, crosswalk: pd.DataFrame, config: Config | None = None) -> pd.DataFrame:
    """CORE_COLUMNS: every street scored by §4 on the duty items of its list that are in the crosswalk."""
    from metrics.score import score_streets

    if crosswalk.empty or ds.performance.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in CORE_COLUMNS})
    items = ds.list_items
    duty = items["list_type"].eq("duty").to_numpy(dtype=bool, na_value=False)
    core = duty & _in_core(items, crosswalk).to_numpy(dtype=bool)
    affairs = items["list_type"].eq("affairs").to_numpy(dtype=bool, na_value=False)
    # a district scored on its 事务清单 (issue 15): the 事务 that evaluate core duties, through its 清单对照
    keep = (~duty & ~affairs) | core | evaluating(items, ds.crosswalk, core)
    core_ds = replace(ds, list_items=items[keep])
    scores = score_streets(core_ds, config or load_config())
    out = scores[[*KEY, "overall"]].rename(columns={"overall": "overall_core"})
    ranked = out["overall_core"].notna().to_numpy()
    rank = out[ranked].groupby("period", sort=False)["overall_core"].rank(method="min", ascending=False)
    out["rank_city_core"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out.loc[ranked, "rank_city_core"] = rank.astype("int64").to_numpy()
    out["n_city_core"] = out.groupby("period", sort=False)["overall_core"].transform("count").astype("Int64")
    return out[CORE_COLUMNS]


def core_coverage(ds: Dataset, crosswalk: pd.DataFrame, config: Config | None = None) -> pd.DataFrame:
    """COVERAGE_COLUMNS: how much of each district's scored duty list (by weight, and by count) the core covers."""
    from metrics.removed import is_removed

    items = ds.list_items
    duty = items[items["list_type"].eq("duty").to_numpy(dtype=bool, na_value=False)]
    duty = duty[~is_removed(duty["function"], duty["item_name"], config or load_config()).to_numpy(dtype=bool)]
    if duty.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COVERAGE_COLUMNS})
    weight = pd.to_numeric(duty["weight"], errors="coerce").fillna(1.0)
    core = _in_core(duty, crosswalk) if not crosswalk.empty else pd.Series(False, index=duty.index)
    df = pd.DataFrame(
        {
            "district": duty["district"],
            "year": duty["year"],
            "w": weight,
            "w_core": weight.where(core, 0.0),
            "core": core.astype("int64"),
        }
    )
    g = df.groupby(["district", "year"], as_index=False, sort=True)
    out = g.agg(items=("w", "size"), items_core=("core", "sum"), w=("w", "sum"), w_core=("w_core", "sum"))
    out["weight_share_core"] = out["w_core"] / out["w"]
    return out[COVERAGE_COLUMNS]


def coverage_in_force(coverage: pd.DataFrame, districts: list[str], period: str) -> pd.DataFrame:
    """COVERAGE_COLUMNS rows of the districts for the list in force in period (that year's, else the latest earlier)."""
    year = int(str(period)[:4])
    mine = coverage.loc[
        coverage["district"].isin(list(districts)).to_numpy(dtype=bool) & (coverage["year"].astype(int) <= year)
    ]
    return mine.sort_values("year").groupby("district", sort=False).tail(1)


def coverage_text(coverage: pd.DataFrame, districts: list[str], period: str, sep: str = "，") -> str:
    """`武侯区 30%，彭州市 39%`: the core's share of each district's list weight in force in period."""
    rows = coverage_in_force(coverage, districts, period)
    return sep.join(f"{r['district']} {r['weight_share_core']:.0%}" for _, r in rows.iterrows())
