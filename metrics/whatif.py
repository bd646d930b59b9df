"""What-if weights: the ranking under officer-chosen weights of the five functions, beside the official one.

Public:
- `whatif_ranking(scores, weights, scope="city")` → WHATIF_COLUMNS (a new frame; `scores` is never changed).
- `list_function_weights(ev, period)` → each function's share of the duty-list weights (what the official
  score implicitly uses), to start the sliders from.

what-if score = Σ_f v_f · s_f / Σ_f v_f over the functions the street has a score for (an empty function is
left out and the weights of the others are renormalised). Ranks as the official ones: 1 = best, ties share
the lowest rank, within each period (and district when scope="district"). rank_change = official rank −
what-if rank (positive = moves up). The official overall is the item-weighted mean, which equals these
function scores weighted by each function's total item weight — not by the officer's weights.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from metrics.config import FUNCTIONS
from metrics.keys import KEY

WHATIF_COLUMNS: list[str] = [
    "district",
    "street",
    "period",
    "overall",
    "rank_official",
    "whatif_score",
    "whatif_rank",
    "rank_change",
    "items_reported",
    "items_listed",
    "completeness",
]


def check_weights(weights: Mapping[str, float]) -> np.ndarray:
    """The five weights in FUNCTIONS order; refuses unknown keys, negative or non-finite values, all zero."""
    unknown = sorted(set(weights) - set(FUNCTIONS))
    if unknown:
        raise ValueError(f"未知的职能：{unknown} / unknown functions: {unknown}")
    v = np.array([float(weights.get(f, 0.0)) for f in FUNCTIONS])
    if not np.all(np.isfinite(v)) or np.any(v < 0):
        raise ValueError("职能权重须为非负数 / function weights must be finite and ≥ 0")
    if not v.sum() > 0:
        raise ValueError("至少一个职能权重须大于 0 / at least one function weight must be > 0")
    return v


def whatif_ranking(scores: pd.DataFrame, weights: Mapping[str, float], scope: str = "city") -> pd.DataFrame:
    """WHATIF_COLUMNS for every scored row of scores (Evaluation.scores or a slice), best what-if rank first."""
    if scope not in ("city", "district"):
        raise ValueError(f"scope must be 'city' or 'district', not {scope!r}")
    v = check_weights(weights)
    s = scores.loc[scores["overall"].notna().to_numpy(dtype=bool)]
    f = s[list(FUNCTIONS)].to_numpy(dtype="float64", na_value=np.nan)
    has = ~np.isnan(f)
    used = np.where(has, v[None, :], 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(used > 0, np.where(has, f * v[None, :], 0.0).sum(axis=1) / used, np.nan)
    official = "rank_city" if scope == "city" else "rank_district"
    out = pd.DataFrame(
        {
            **{k: s[k].to_numpy() for k in KEY},
            "overall": s["overall"].to_numpy(),
            "rank_official": s[official].to_numpy(),
            "whatif_score": score,
            "items_reported": s["items_reported"].to_numpy(),
            "items_listed": s["items_listed"].to_numpy(),
            "completeness": s["completeness"].to_numpy(),
        }
    )
    by = ["period"] if scope == "city" else ["period", "district"]
    out["whatif_rank"] = out.groupby(by, sort=False)["whatif_score"].rank(ascending=False, method="min").astype("Int64")
    out["rank_official"] = out["rank_official"].astype("Int64")
    out["rank_change"] = out["rank_official"] - out["whatif_rank"]
    out = out.sort_values([*by, "whatif_rank", "rank_official"], kind="stable", ignore_index=True)
    return out[WHATIF_COLUMNS]


def list_function_weights(ev, period: str) -> dict[str, float]:
    """Each function's share of the included item weights over the period's scored streets (sums to 1)."""
    items = ev.items
    mask = items["period"].eq(period).to_numpy(dtype=bool, na_value=False) & items["included"].to_numpy(dtype=bool)
    rows = items.loc[mask, ["function", "weight"]]
    totals = rows.groupby("function", observed=True)["weight"].sum()
    totals = totals.reindex(list(FUNCTIONS), fill_value=0.0)
    whole = float(totals.sum())
    return {f: (float(totals[f]) / whole if whole > 0 else 1.0 / len(FUNCTIONS)) for f in FUNCTIONS}
