"""Statistical coherence and external validity (OECD/JRC Handbook steps 4 and 10), per period.

Public:
- `function_correlations(scores, period)` → the 5 × 5 Pearson correlations of the function scores.
- `cronbach_alpha(scores, period)` → alpha of the five function scores over the period's scored streets.
- `coherence(scores)` → COHERENCE_COLUMNS per period: n streets, alpha, mean off-diagonal correlation.
- `external_validity(scores)` → VALIDITY_COLUMNS per period: overall vs satisfaction and vs online_rate.
Streets without a score (未报送) and function scores missing on a street are left out (complete cases only).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.config import FUNCTIONS

COHERENCE_COLUMNS: list[str] = ["period", "n_streets", "alpha", "mean_correlation"]
VALIDITY_COLUMNS: list[str] = ["period", "against", "n_streets", "pearson", "spearman"]
AGAINST = ("satisfaction", "online_rate")


def _complete(scores: pd.DataFrame, period: str, columns: list[str]) -> np.ndarray:
    rows = scores.loc[scores["period"].eq(period).to_numpy(dtype=bool, na_value=False), columns]
    values = rows.to_numpy(dtype="float64", na_value=np.nan)
    return values[~np.isnan(values).any(axis=1)]


def function_correlations(scores: pd.DataFrame, period: str) -> pd.DataFrame:
    """Pearson correlations between the five function scores (complete cases of the period)."""
    x = _complete(scores, period, list(FUNCTIONS))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = np.corrcoef(x, rowvar=False) if len(x) > 2 else np.full((len(FUNCTIONS),) * 2, np.nan)
    return pd.DataFrame(corr, index=list(FUNCTIONS), columns=list(FUNCTIONS))


def cronbach_alpha(scores: pd.DataFrame, period: str) -> float:
    """alpha = k/(k−1) · (1 − Σ var(item) / var(Σ items)) over the five function scores; NaN with < 3 streets."""
    x = _complete(scores, period, list(FUNCTIONS))
    k = x.shape[1]
    if len(x) < 3:
        return float("nan")
    total = x.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total)) if total > 0 else float("nan")


def coherence(scores: pd.DataFrame) -> pd.DataFrame:
    """COHERENCE_COLUMNS, one row per period."""
    rows = []
    for period in sorted(scores["period"].dropna().unique()):
        corr = function_correlations(scores, period).to_numpy()
        off = corr[~np.eye(len(FUNCTIONS), dtype=bool)]
        n = len(_complete(scores, period, list(FUNCTIONS)))
        mean = float(np.nanmean(off)) if np.isfinite(off).any() else float("nan")
        rows.append((period, n, cronbach_alpha(scores, period), mean))
    return pd.DataFrame(rows, columns=COHERENCE_COLUMNS)


def external_validity(scores: pd.DataFrame) -> pd.DataFrame:
    """VALIDITY_COLUMNS: per period, the correlation of overall with 群众满意度 and with 网上办理率."""
    rows = []
    for period in sorted(scores["period"].dropna().unique()):
        for other in AGAINST:
            x = _complete(scores, period, ["overall", other])
            if len(x) < 3 or np.ptp(x[:, 0]) == 0 or np.ptp(x[:, 1]) == 0:
                rows.append((period, other, len(x), np.nan, np.nan))
                continue
            ranks = pd.DataFrame(x).rank().to_numpy()
            rows.append((period, other, len(x), float(np.corrcoef(x.T)[0, 1]), float(np.corrcoef(ranks.T)[0, 1])))
    return pd.DataFrame(rows, columns=VALIDITY_COLUMNS)
