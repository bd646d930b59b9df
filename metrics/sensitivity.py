"""Sensitivity of the ranks: which scoring choice moves them most (first-order variance shares, per period).

Public:
- `variance_shares(y, factors, bins=5)` → dict of shares from arrays (pure).
- `sensitivity_from(sim)` → SENSITIVITY_COLUMNS for one simulated period.
- `sensitivity(ev, period=None, settings=None)` → the same for one or every period.

Y is each street's city rank in each scenario of metrics.uncertainty. For a factor X with levels (the
status value is cut into `bins` equal-width bins), the first-order share is
    S_X = Σ_streets Var_X(E[Y | X]) / Σ_streets Var(Y),
estimated from the between-level sum of squares with the small-sample correction of ε² (SSB − (k−1)·MSW),
then clipped to [0, 1]. The named factors together explain the closed share S_c (their joint cells,
same estimator); `interactions` = S_c − Σ S_X, and `weight_noise` = 1 − S_c is what the item-weight noise
explains with all its interactions (the only other random input). The shares add up to 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.labels import STATUS_EN
from metrics.uncertainty import Settings, Simulation, simulate

SENSITIVITY_COLUMNS: list[str] = ["period", "factor", "label_zh", "label_en", "share", "kind", "rank_variance"]
FACTORS: dict[str, tuple[str, str, str]] = {
    "weight_scheme": ("权重方案（清单权重/等权）", "weight scheme (list / equal)", "first_order"),
    "aggregation": ("汇总方式（算术/几何平均）", "aggregation (arithmetic / geometric)", "first_order"),
    "status_mapping": ("“进行中”折算值（0.3–0.7）", f"value of '{STATUS_EN['进行中']}' (0.3–0.7)", "first_order"),
    "interactions": ("以上三项的交互作用", "interactions of the three above", "interaction"),
    "weight_noise": ("事项权重扰动（含交互）", "item weight noise (with its interactions)", "total"),
}


def _between_share(y: np.ndarray, levels: np.ndarray) -> float:
    """Corrected between-level share of the pooled variance of y (scenarios × streets)."""
    n = len(y)
    codes, uniques = pd.factorize(levels)
    k = len(uniques)
    if n <= k or k < 2:
        return 0.0
    centred = y - y.mean(axis=0)
    sst = float((centred**2).sum())
    if sst <= 0:
        return 0.0
    counts = np.bincount(codes, minlength=k).astype("float64")
    onehot = np.zeros((n, k))
    onehot[np.arange(n), codes] = 1.0
    group_means = (onehot.T @ centred) / counts[:, None]  # (k, streets)
    ssb = float((counts[:, None] * group_means**2).sum())
    msw = (sst - ssb) / (n - k)  # pooled over streets: per-street MSW summed
    return float(np.clip((ssb - (k - 1) * msw) / sst, 0.0, 1.0))


def variance_shares(y: np.ndarray, factors: dict[str, np.ndarray], bins: int = 5) -> dict[str, float]:
    """First-order share of each factor, `interactions` and the rest (`weight_noise`); all in [0, 1], sum 1.

    y: (scenarios, streets); factors: name → (scenarios,) levels (floats are cut into `bins` equal bins).
    """
    y = np.where(np.isnan(y), np.nanmean(y, axis=0) if len(y) else 0.0, y) if y.size else y
    coded = {}
    for name, values in factors.items():
        values = np.asarray(values)
        if values.dtype.kind == "f":
            lo, hi = float(values.min()), float(values.max())
            edges = np.linspace(lo, hi, bins + 1)[1:-1]
            values = np.searchsorted(edges, values, side="right")
        coded[name] = values.astype("int64")
    first = {name: _between_share(y, v) for name, v in coded.items()}
    total_first = sum(first.values())
    if total_first > 1.0:  # estimation noise only: keep the shares comparable
        first = {k: v / total_first for k, v in first.items()}
        total_first = 1.0
    joint = np.zeros(len(y), dtype="int64")
    for v in coded.values():
        joint = joint * (int(v.max()) + 1 if len(v) else 1) + v
    closed = min(max(_between_share(y, joint), total_first), 1.0)
    return {**first, "interactions": closed - total_first, "weight_noise": 1.0 - closed}


def sensitivity_from(sim: Simulation) -> pd.DataFrame:
    """SENSITIVITY_COLUMNS for one simulated period (city ranks)."""
    factors = {
        "weight_scheme": sim.equal_weights,
        "aggregation": sim.geometric,
        "status_mapping": sim.status_value,
    }
    ranked = ~np.all(np.isnan(sim.rank_city), axis=0)
    y = sim.rank_city[:, ranked]
    shares = variance_shares(y, factors)
    rank_variance = float(np.mean(np.var(y, axis=0))) if y.size else 0.0
    if rank_variance == 0.0:
        shares = dict.fromkeys(shares, 0.0)  # nothing moves: no choice explains anything
    out = pd.DataFrame(
        {
            "period": sim.period,
            "factor": list(FACTORS),
            "label_zh": [v[0] for v in FACTORS.values()],
            "label_en": [v[1] for v in FACTORS.values()],
            "share": [shares[k] for k in FACTORS],
            "kind": [v[2] for v in FACTORS.values()],
            "rank_variance": rank_variance,
        }
    )
    return out.astype({c: "string" for c in ("period", "factor", "label_zh", "label_en", "kind")})


def sensitivity(ev, period: str | None = None, settings: Settings | None = None) -> pd.DataFrame:
    """SENSITIVITY_COLUMNS for one period, or every period of the Evaluation when period is None."""
    periods = [period] if period is not None else list(ev.periods)
    frames = [sensitivity_from(simulate(ev, p, settings)) for p in periods]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=SENSITIVITY_COLUMNS)
