"""Sensitivity of the ranks: which scoring choice moves them most (first- and total-order shares, per period).

Public:
- `variance_shares(y, factors, bins=5)` → dict of first-order shares from arrays (pure).
- `sensitivity_indices(y, factors, variants, bootstrap=200, seed=0)` → first/total-order shares with intervals.
- `sensitivity_from(sim)` → SENSITIVITY_COLUMNS for one simulated period.
- `sensitivity(ev, period=None, settings=None)` → the same for one or every period.

Y is each street's city rank in each scenario of metrics.uncertainty, pooled over streets.
First order, S_X = Σ_streets Var_X(E[Y | X]) / Σ_streets Var(Y): from the between-level sum of squares (the status
value cut into `bins` equal-width bins) with the small-sample correction of ε² (SSB − (k−1)·MSW), clipped to [0, 1].
Total order, S_T,X = Σ_streets E[(Y − Y_X)²] / (2 Σ_streets Var(Y)) (Jansen 1999), where Y_X is the rank in the
same scenario with only X redrawn from an independent sample (metrics.uncertainty `Simulation.variants`): the share
of the variance X takes part in, alone or through interactions. The item-weight noise is hundreds of numbers, so it
has a total-order share only. Intervals: 5th and 95th percentile over `bootstrap` resamples of the scenarios (as
COINr's get_sensitivity reports them). The legacy column `share` keeps the additive split: the named factors'
first-order shares, `interactions` = S_closed − Σ S_X, and `weight_noise` = 1 − S_closed (they add up to 1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.labels import label
from metrics.uncertainty import Settings, Simulation, simulate

SENSITIVITY_COLUMNS: list[str] = [
    "period",
    "factor",
    "label_zh",
    "label_en",
    "share",
    "kind",
    "rank_variance",
    "first_order",
    "first_low",
    "first_high",
    "total_order",
    "total_low",
    "total_high",
]
FACTORS: dict[str, tuple[str, str, str]] = {
    "weight_scheme": ("权重方案（清单权重/等权）", "weight scheme (list / equal)", "first_order"),
    "aggregation": ("汇总方式（算术/几何平均）", "aggregation (arithmetic / geometric)", "first_order"),
    "status_mapping": ("“{status}”折算值（{low:g}–{high:g}）", "value of '{status}' ({low:g}–{high:g})", "first_order"),
    "missing_treatment": (
        "未报送事项计 0 / 按本街道均值",
        "unreported items at 0 / at the street's own mean",
        "first_order",
    ),
    "interactions": ("以上四项的交互作用", "interactions of the four above", "interaction"),
    "weight_noise": ("事项权重扰动（含交互）", "item weight noise (with its interactions)", "total"),
}
NAMED = ("weight_scheme", "aggregation", "status_mapping", "missing_treatment")


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


def _levels(values: np.ndarray, bins: int = 5) -> np.ndarray:
    values = np.asarray(values)
    if values.dtype.kind == "f":
        lo, hi = float(values.min()), float(values.max())
        values = np.searchsorted(np.linspace(lo, hi, bins + 1)[1:-1], values, side="right")
    return pd.factorize(values.astype("int64"))[0]


def _first_order_boot(y: np.ndarray, codes: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Corrected between-level share for each row of bootstrap counts (B, scenarios); y (scenarios, streets)."""
    n_total = counts.sum(axis=1)
    sy = counts @ y
    sst = counts @ (y**2).sum(axis=1) - (sy**2).sum(axis=1) / n_total
    k = int(codes.max()) + 1 if len(codes) else 0
    ssb = -(sy**2).sum(axis=1) / n_total
    present = np.zeros(len(counts))
    for level in range(k):
        rows = codes == level
        w = counts[:, rows]
        n_l = w.sum(axis=1)
        s_l = w @ y[rows]
        with np.errstate(invalid="ignore", divide="ignore"):
            ssb += np.where(n_l > 0, (s_l**2).sum(axis=1) / np.where(n_l > 0, n_l, 1.0), 0.0)
        present += n_l > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        msw = (sst - ssb) / (n_total - present)
        share = (ssb - (present - 1) * msw) / sst
    return np.where((sst > 0) & (present > 1), np.clip(share, 0.0, 1.0), 0.0)


def sensitivity_indices(
    y: np.ndarray, factors: dict[str, np.ndarray], variants: dict[str, np.ndarray], bootstrap: int = 200, seed: int = 0
) -> pd.DataFrame:
    """factor, first_order, first_low, first_high, total_order, total_low, total_high (NaN where not estimable).

    y (scenarios, streets); factors: name → (scenarios,) levels; variants: name → y with only that factor redrawn.
    """
    n = len(y)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, max(n, 1), size=(bootstrap, n)) + (max(n, 1) * np.arange(bootstrap))[:, None]
    resampled = np.bincount(draws.reshape(-1), minlength=bootstrap * n).reshape(bootstrap, n)
    counts = np.vstack([np.ones(n), resampled]).astype("float64")  # row 0: the estimate itself
    n_total = counts.sum(axis=1)
    sst = counts @ (y**2).sum(axis=1) - ((counts @ y) ** 2).sum(axis=1) / n_total if n else np.zeros(1)
    rows = []
    for name in dict.fromkeys([*factors, *variants]):
        first = _first_order_boot(y, _levels(factors[name]), counts) if name in factors and n else np.full(1, np.nan)
        if name in variants and n:
            d = ((y - variants[name]) ** 2).sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                total = np.where(sst > 0, np.clip((counts @ d) / (2.0 * sst), 0.0, 1.0), 0.0)
        else:
            total = np.full(1, np.nan)
        rows.append(
            {
                "factor": name,
                "first_order": first[0],
                "first_low": np.quantile(first[1:], 0.05) if len(first) > 1 else np.nan,
                "first_high": np.quantile(first[1:], 0.95) if len(first) > 1 else np.nan,
                "total_order": total[0],
                "total_low": np.quantile(total[1:], 0.05) if len(total) > 1 else np.nan,
                "total_high": np.quantile(total[1:], 0.95) if len(total) > 1 else np.nan,
            }
        )
    return pd.DataFrame(rows)


def sensitivity_from(sim: Simulation) -> pd.DataFrame:
    """SENSITIVITY_COLUMNS for one simulated period (city ranks)."""
    factors = {
        "weight_scheme": sim.equal_weights,
        "aggregation": sim.geometric,
        "status_mapping": sim.status_value,
    }
    if sim.missing_mean is not None:
        factors["missing_treatment"] = sim.missing_mean
    ranked = ~np.all(np.isnan(sim.rank_city), axis=0)
    y = sim.rank_city[:, ranked]
    shares = variance_shares(y, factors)
    rank_variance = float(np.mean(np.var(y, axis=0))) if y.size else 0.0
    if rank_variance == 0.0:
        shares = dict.fromkeys(shares, 0.0)  # nothing moves: no choice explains anything
    variants = {k: v[:, ranked] for k, v in sim.variant_ranks().items()}
    indices = sensitivity_indices(y, factors, variants, sim.settings.bootstrap, sim.settings.seed)
    names = [k for k in FACTORS if k in shares]
    status = sim.varied_status or "—"
    words = {"status": status, "low": sim.settings.status_low, "high": sim.settings.status_high}
    words_en = words | {"status": label("status", status, "en")}
    out = pd.DataFrame(
        {
            "period": sim.period,
            "factor": names,
            "label_zh": [FACTORS[k][0].format(**words) for k in names],
            "label_en": [FACTORS[k][1].format(**words_en) for k in names],
            "share": [shares[k] for k in names],
            "kind": [FACTORS[k][2] for k in names],
            "rank_variance": rank_variance,
        }
    ).merge(indices, on="factor", how="left")
    if rank_variance == 0.0:
        out[SENSITIVITY_COLUMNS[7:]] = out[SENSITIVITY_COLUMNS[7:]].where(out[SENSITIVITY_COLUMNS[7:]].isna(), 0.0)
    return out[SENSITIVITY_COLUMNS].astype({c: "string" for c in ("period", "factor", "label_zh", "label_en", "kind")})


def sensitivity(ev, period: str | None = None, settings: Settings | None = None) -> pd.DataFrame:
    """SENSITIVITY_COLUMNS for one period, or every period of the Evaluation when period is None."""
    periods = [period] if period is not None else list(ev.periods)
    frames = [sensitivity_from(simulate(ev, p, settings)) for p in periods]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=SENSITIVITY_COLUMNS)
