"""Ranks (rank 1 = best, ties share the lowest rank), percentile, peer group, and change over time."""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.keys import KEY, period_ordinal

RANK_COLUMNS: list[str] = [
    "rank_district",
    "n_district",
    "rank_city",
    "n_city",
    "percentile_city",
    "peer_group",
    "rank_peer",
    "n_peer",
]
CHANGE_COLUMNS: list[str] = [
    "overall_prev_quarter",
    "change_prev_quarter",
    "overall_year_ago",
    "change_year_ago",
]
NO_PEER = "（未分类）"


def _rank(df: pd.DataFrame, by: list[str]) -> tuple[pd.Series, pd.Series]:
    g = df.groupby(by, sort=False, dropna=False)["overall"]
    return g.rank(ascending=False, method="min").astype("Int64"), g.transform("count").astype("int64")


def rank_scores(scores: pd.DataFrame) -> pd.DataFrame:
    """KEY + RANK_COLUMNS for each scored row; streets without a score get no rank (NA)."""
    df = scores[[*KEY, "overall"]].copy()
    df["peer_group"] = scores["street_type"].astype("string").fillna(NO_PEER)
    df["rank_district"], df["n_district"] = _rank(df, ["district", "period"])
    df["rank_city"], df["n_city"] = _rank(df, ["period"])
    # share of the city's scored streets that period at or below this score (best = 100)
    df["percentile_city"] = 100.0 * df.groupby("period", sort=False)["overall"].rank(method="max", pct=True)
    df["rank_peer"], df["n_peer"] = _rank(df, ["period", "peer_group"])
    return df[[*KEY, *RANK_COLUMNS]]


def score_changes(scores: pd.DataFrame) -> pd.DataFrame:
    """KEY + CHANGE_COLUMNS: overall one and four quarters earlier (same street), and the differences."""
    df = scores[[*KEY, "overall"]].copy()
    df["_ord"] = period_ordinal(df["period"])
    past = df[["district", "street", "_ord", "overall"]]
    for lag, level, change in (
        (1, "overall_prev_quarter", "change_prev_quarter"),
        (4, "overall_year_ago", "change_year_ago"),
    ):
        shifted = past.assign(_ord=past["_ord"] + lag).rename(columns={"overall": level})
        df = df.merge(shifted, on=["district", "street", "_ord"], how="left")
        df[change] = df["overall"].to_numpy() - df[level].to_numpy(dtype="float64", na_value=np.nan)
    return df[[*KEY, *CHANGE_COLUMNS]]
