"""Which (district, street, period) rows are scored, and which year's duty list each one uses."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.schema import Dataset

KEY = ["district", "street", "period"]


def unique_rows(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Distinct rows of frame[columns] and, for every row, the position of its distinct row."""
    if frame.empty:
        return np.zeros(0, dtype="int64"), frame[columns].astype("string").reset_index(drop=True)
    codes, uniques = [], []
    for col in columns:
        c, u = pd.factorize(frame[col].to_numpy(dtype=object), use_na_sentinel=False)
        codes.append(c.astype("int64"))
        uniques.append(np.asarray(u, dtype=object))
    combined = codes[0]
    for c, u in zip(codes[1:], uniques[1:], strict=True):
        combined = combined * len(u) + c
    distinct, inverse = np.unique(combined, return_inverse=True)
    parts, rest = [], distinct
    for u in reversed(uniques[1:]):
        parts.append(rest % len(u))
        rest = rest // len(u)
    parts.append(rest)
    table = pd.DataFrame(
        {col: pd.array(u[p], dtype="string") for col, u, p in zip(columns, uniques, reversed(parts), strict=True)}
    )
    return inverse.astype("int64"), table


def scoring_keys(ds: Dataset, perf_keys: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every (district, street, period) to score: report keys ∪ register streets × their district's periods.

    perf_keys: the distinct KEY rows of ds.performance when the caller has them already.
    A period "appears for a district" when any street of that district sent any report row for it
    (履职情况, 便民服务 or 清单外事项). A registered street that sent nothing then scores 0 for it.
    """
    if perf_keys is None:
        perf_keys = unique_rows(ds.performance, KEY)[1]
    parts = [perf_keys[KEY], ds.service[KEY], ds.unlisted[KEY]]
    reported = pd.concat([p.astype("string") for p in parts], ignore_index=True).drop_duplicates()
    periods = reported[["district", "period"]].drop_duplicates()
    registered = ds.register[["district", "street"]].drop_duplicates()
    silent = registered.merge(periods, on="district", how="inner")[KEY]
    keys = pd.concat([reported, silent], ignore_index=True).drop_duplicates()
    keys = keys.astype({k: "string" for k in KEY})
    return keys.sort_values(KEY, kind="stable", ignore_index=True)


def period_year(period: pd.Series) -> np.ndarray:
    """The year of periods written 2019Q2, as int64."""
    return period.str.slice(0, 4).astype("int64").to_numpy()


def period_ordinal(period: pd.Series) -> np.ndarray:
    """Quarters counted from year 0 (2019Q2 → 2019·4 + 1), so the previous quarter is ordinal − 1."""
    return period_year(period) * 4 + period.str.slice(5, 6).astype("int64").to_numpy() - 1


def ordinal_period(ordinal: np.ndarray) -> list[str]:
    """The inverse of period_ordinal."""
    return [f"{o // 4}Q{o % 4 + 1}" for o in ordinal]


def attach_list_year(keys: pd.DataFrame, duty: pd.DataFrame) -> pd.DataFrame:
    """Add `year`, `list_year` (the duty list used: the period's year, else the latest earlier year) and
    `list_fallback` (True when list_year is not the period's year). No list at all → list_year NA."""
    out = keys.copy()
    out["year"] = period_year(out["period"])
    years = (
        duty[["district", "year"]]
        .drop_duplicates()
        .astype({"district": "string", "year": "int64"})
        .rename(columns={"year": "list_year"})
        .sort_values("list_year")
    )
    out["_order"] = np.arange(len(out))
    joined = pd.merge_asof(
        out.sort_values("year"),
        years,
        left_on="year",
        right_on="list_year",
        by="district",
        direction="backward",
    ).sort_values("_order")
    out["list_year"] = pd.array(joined["list_year"].to_numpy(), dtype="Int64")
    out["list_fallback"] = (out["list_year"].notna() & out["list_year"].ne(out["year"])).fillna(False)
    out["list_fallback"] = out["list_fallback"].astype(bool)
    return out.drop(columns="_order")
