"""执法情况 (issue 15 point 3, 一支队伍管执法): each street's enforcement figures per quarter, scored against the
targets of its district's 执法监管清单 (按时办结率目标, 纠错率上限) where the list states them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.schema import Dataset
from metrics.keys import KEY
from metrics.validate import check_not_negative

COUNTS = ["cases", "cases_on_time", "corrections", "joint_operations", "officers"]
TARGETS = ["on_time_target", "correction_ceiling"]
ENFORCEMENT_COLUMNS: list[str] = [
    *KEY,
    *COUNTS,
    "on_time_rate",
    "correction_rate",
    "cases_per_officer",
    "list_year",
    *TARGETS,
    "on_time_met",
    "correction_met",
    "on_time_attainment",
    "correction_attainment",
    "enforcement_score",
]

MEDIAN_COLUMNS = [
    "cases",
    "joint_operations",
    "officers",
    "on_time_rate",
    "correction_rate",
    "cases_per_officer",
    "enforcement_score",
]


def list_targets(list_items: pd.DataFrame) -> pd.DataFrame:
    """Per (district, year) 执法监管清单: its items and the weighted mean of the targets its items state (NaN: none)."""
    enf = list_items.loc[list_items["list_type"].eq("enforcement").fillna(False).to_numpy(dtype=bool)]
    weight = enf["weight"].astype("float64").fillna(1.0)
    frame = pd.DataFrame({"district": enf["district"].astype("string"), "year": enf["year"].astype("Int64")})
    for col in TARGETS:
        value = enf[col].astype("float64")
        frame[f"{col}_w"] = (value * weight).where(value.notna(), 0.0)
        frame[f"{col}_n"] = weight.where(value.notna(), 0.0)
    sums = frame.groupby(["district", "year"], sort=True).sum().reset_index()
    sizes = frame.groupby(["district", "year"], sort=True).size().rename("items").reset_index()
    out = sizes.merge(sums, on=["district", "year"], how="left")
    for col in TARGETS:
        n = out[f"{col}_n"].to_numpy(dtype="float64")
        with np.errstate(invalid="ignore", divide="ignore"):
            out[col] = np.where(n > 0, out[f"{col}_w"].to_numpy(dtype="float64") / n, np.nan)
    return out[["district", "year", "items", *TARGETS]]


def _list_in_force(keys: pd.DataFrame, lists: pd.DataFrame) -> pd.DataFrame:
    """For each row of keys, the year and targets of its district's list for the period's year, else the latest
    earlier year's (as the duty list falls back, FORMATS.md §4)."""
    year = keys["period"].str.slice(0, 4).astype("Int64")
    probe = pd.DataFrame({"_row": np.arange(len(keys)), "district": keys["district"].astype("string"), "_y": year})
    probe = probe.dropna(subset=["_y"]).astype({"_y": "int64"}).sort_values("_y", kind="stable")
    table = lists.rename(columns={"year": "list_year"}).dropna(subset=["list_year"])
    table = table.assign(_y=table["list_year"].astype("int64")).sort_values("_y", kind="stable")
    found = pd.merge_asof(probe, table, on="_y", by="district", direction="backward")
    found = found.set_index("_row").reindex(np.arange(len(keys)))
    return pd.DataFrame(
        {"list_year": found["list_year"].astype("Int64").to_numpy(), **{c: found[c].astype("float64") for c in TARGETS}}
    ).reset_index(drop=True)


def _ratio(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(whole > 0, part / whole, np.nan)


def attainment_on_time(rate: np.ndarray, target: np.ndarray) -> np.ndarray:
    """min(1, rate / target); a target of 0 is always met; NaN without rate or target."""
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(target > 0, np.minimum(1.0, rate / target), 1.0)
    return np.where(np.isnan(rate) | np.isnan(target), np.nan, out)


def attainment_correction(rate: np.ndarray, ceiling: np.ndarray) -> np.ndarray:
    """1 when the correction rate is within its ceiling, else ceiling / rate (a 反向 item, FORMATS.md §6)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(rate <= ceiling, 1.0, np.where(ceiling > 0, ceiling / rate, 0.0))
    return np.where(np.isnan(rate) | np.isnan(ceiling), np.nan, out)


def enforcement_scores(ds: Dataset) -> pd.DataFrame:
    """One row per 执法情况 report: the figures, their rates, the list's targets and the enforcement score (0–100,
    the mean attainment of the targets that apply; NaN when the list states none or there were no cases)."""
    enf = ds.enforcement
    check_not_negative(enf, COUNTS, "执法情况")
    if enf.duplicated(KEY).any():
        row = enf.loc[enf.duplicated(KEY)].iloc[0]
        where = f"{row['district']} {row['street']} {row['period']}"
        raise ValueError(f"执法情况同一街道同一报告期有多行：{where} / enforcement reported twice: {where}")
    out = enf[KEY + COUNTS].astype({k: "string" for k in KEY}).reset_index(drop=True)
    x = {k: out[k].to_numpy(dtype="float64", na_value=np.nan) for k in COUNTS}
    out["on_time_rate"] = _ratio(x["cases_on_time"], x["cases"])
    out["correction_rate"] = _ratio(x["corrections"], x["cases"])
    out["cases_per_officer"] = _ratio(x["cases"], x["officers"])
    targets = _list_in_force(out, list_targets(ds.list_items))
    out = pd.concat([out, targets], axis=1)
    on_time = attainment_on_time(out["on_time_rate"].to_numpy(), out["on_time_target"].to_numpy())
    correction = attainment_correction(out["correction_rate"].to_numpy(), out["correction_ceiling"].to_numpy())
    out["on_time_met"] = pd.array(np.where(np.isnan(on_time), None, on_time >= 1.0), dtype="boolean")
    out["correction_met"] = pd.array(np.where(np.isnan(correction), None, correction >= 1.0), dtype="boolean")
    out["on_time_attainment"] = on_time
    out["correction_attainment"] = correction
    with np.errstate(invalid="ignore"):
        both = np.column_stack([on_time, correction])
        known = (~np.isnan(both)).sum(axis=1)
        out["enforcement_score"] = np.where(known > 0, 100 * np.nansum(both, axis=1) / np.maximum(known, 1), np.nan)
    return out.sort_values(KEY, ignore_index=True)[ENFORCEMENT_COLUMNS]


def district_medians(scores: pd.DataFrame) -> pd.DataFrame:
    """Per (district, period): the streets' median figures, rates and score, the benchmark each street is shown
    beside."""
    cols = MEDIAN_COLUMNS
    med = scores.groupby(["district", "period"], sort=True)[cols].median().reset_index()
    return med.rename(columns={c: f"{c}_median" for c in cols})
