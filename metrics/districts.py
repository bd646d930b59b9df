"""District aggregates for side-by-side comparison (every score is a share of the street's own list)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.config import FUNCTIONS, Config, load_config
from metrics.output_plain import SPREAD_COLUMNS  # rounded as scores on output

DISTRICT_COLUMNS: list[str] = [
    "district",
    "period",
    "n_streets",
    "n_scored",
    "n_unsubmitted",
    *SPREAD_COLUMNS,
    *[f"median_{f}" for f in FUNCTIONS],
]


def grade_share_columns(config: Config) -> list[str]:
    """The per-grade columns of district_summary: n_<grade> and share_<grade>, in band order."""
    return [f"{p}_{g}" for g in config.grade_names for p in ("n", "share")]


def district_summary(scores: pd.DataFrame, config: Config | None = None) -> pd.DataFrame:
    """Per (district, period): streets, 未报送, quartiles of overall, function medians, count and share per grade."""
    config = config or load_config()
    g = scores.groupby(["district", "period"], sort=True)
    out = g["overall"].agg(
        n_streets="size",
        n_scored="count",
        mean="mean",
        median="median",
        min="min",
        max="max",
    )
    # 未报送 (FORMATS.md §6) streets have no score, so every statistic above leaves them out; count them apart
    late = ~scores["submitted"].to_numpy(dtype=bool) if "submitted" in scores.columns else np.zeros(len(scores), bool)
    out["n_unsubmitted"] = pd.Series(late, index=scores.index).groupby([scores["district"], scores["period"]]).sum()
    out["n_unsubmitted"] = out["n_unsubmitted"].astype("int64")
    out["q1"] = g["overall"].quantile(0.25)
    out["q3"] = g["overall"].quantile(0.75)
    for f in FUNCTIONS:
        out[f"median_{f}"] = g[f].median()
    counts = pd.crosstab([scores["district"], scores["period"]], scores["grade"])
    for name in config.grade_names:
        n = counts[name] if name in counts.columns else 0
        out[f"n_{name}"] = pd.Series(n, index=counts.index).reindex(out.index).fillna(0).astype("int64")
        out[f"share_{name}"] = out[f"n_{name}"] / out["n_scored"].where(out["n_scored"] > 0)
    return out.reset_index()[DISTRICT_COLUMNS + grade_share_columns(config)]
