"""How the value of 进行中 moves streets whose evidence is mostly a status word against the others.

Public:
- `status_effect(items, scores, config)` → STATUS_EFFECT_COLUMNS: each scored street-quarter's overall and city rank
  with 进行中 counted at the low and the high end of its range ([uncertainty] status_low / status_high in the rules
  file) instead of its official value.
- `status_effect_summary(effect)` → SUMMARY_COLUMNS: per period and evidence class, the streets and their median city
  rank at the low, official and high value.

The overall is 100 · Σ w c / Σ w over the included items (FORMATS.md §4), so changing the value of 进行中 from m to v
moves it by 100 · (v − m) · W / Σ w, W the weight of the street's items whose c came from 进行中.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.config import Config
from metrics.keys import KEY

STATUS_EFFECT_COLUMNS = [
    *KEY,
    "evidence_class",
    "overall_low",
    "overall",
    "overall_high",
    "rank_city_low",
    "rank_city",
    "rank_city_high",
]
SUMMARY_COLUMNS = ["period", "evidence_class", "n_streets", "median_rank_low", "median_rank", "median_rank_high"]


def status_effect(items: pd.DataFrame, scores: pd.DataFrame, config: Config) -> pd.DataFrame:
    """STATUS_EFFECT_COLUMNS for every street-quarter with an official score (scores: Evaluation.scores)."""
    varied = config.varied_status
    official = float(config.status[varied]) if varied else 0.0
    low, high = config.uncertainty["status_low"], config.uncertainty["status_high"]
    rows = items.loc[items["included"].to_numpy(dtype=bool)]
    w = rows["weight"].to_numpy(dtype="float64")
    progress = (
        rows["c_source"].astype("string").eq("status").to_numpy(dtype=bool, na_value=False)
        & rows["status"].astype("string").eq(varied or "").to_numpy(dtype=bool, na_value=False)
        & rows["category"].astype("string").eq("scored").to_numpy(dtype=bool, na_value=False)
    )
    keys = rows[KEY].astype("string").assign(w=w, w_progress=np.where(progress, w, 0.0))
    sums = keys.groupby(KEY, sort=False, as_index=False)[["w", "w_progress"]].sum()
    base = scores.loc[scores["overall"].notna().to_numpy(dtype=bool), [*KEY, "overall", "evidence_class"]]
    out = base.astype({k: "string" for k in KEY}).merge(sums, on=KEY, how="left")
    share = (out["w_progress"] / out["w"]).fillna(0.0).to_numpy(dtype="float64")
    for name, value in (("overall_low", low), ("overall_high", high)):
        out[name] = out["overall"].to_numpy(dtype="float64") + 100.0 * (value - official) * share
    for score, rank in (("overall_low", "rank_city_low"), ("overall", "rank_city"), ("overall_high", "rank_city_high")):
        out[rank] = out.groupby("period", sort=False)[score].rank(ascending=False, method="min").astype("Int64")
    return out[STATUS_EFFECT_COLUMNS].sort_values(KEY, ignore_index=True)


def status_effect_summary(effect: pd.DataFrame) -> pd.DataFrame:
    """SUMMARY_COLUMNS: the median city rank of each evidence class at the three values of 进行中, per period."""
    known = effect[effect["evidence_class"].notna().to_numpy(dtype=bool)]
    g = known.groupby(["period", "evidence_class"], sort=True)
    out = g.agg(
        n_streets=("street", "size"),
        median_rank_low=("rank_city_low", "median"),
        median_rank=("rank_city", "median"),
        median_rank_high=("rank_city_high", "median"),
    ).reset_index()
    return out[SUMMARY_COLUMNS]
