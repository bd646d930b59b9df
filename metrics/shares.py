"""Shares over the rows where a yes/no flag was filled: the one formula behind every 'share of …' column."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd


def add_shares(df: pd.DataFrame, shares: Iterable[tuple[str, str, str]]) -> pd.DataFrame:
    """Set each (share, part, known) column to part / known, NaN where nothing is known (not 0)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        for share, part, known in shares:
            k = df[known].to_numpy(dtype="float64")
            df[share] = np.where(k > 0, df[part].to_numpy(dtype="float64") / k, np.nan)
    return df
