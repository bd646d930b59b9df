"""The removed-indicator rule (docs/FORMATS.md §4 rule 1): the one place that decides it."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from metrics.config import Config


def is_removed(function: pd.Series, name: pd.Series, config: Config) -> pd.Series:
    """True where an item is removed: its function is a removed category or its name has a keyword.

    `function` may be all NA (a report row not on the list is judged by its name alone).
    优化营商环境 and names that merely contain 税 or 经济 are kept: only the configured words count; names
    listed under [[removed.keep]] are kept too.
    """
    pattern = "|".join(re.escape(k) for k in config.removed_keywords)

    def by_name(names: pd.Series) -> pd.Series:
        text = names.astype("string")
        out = text.str.contains(pattern, regex=True).fillna(False).astype(bool)
        if config.keep:  # names kept in the rules file, each with its written reason
            out &= ~text.str.strip().isin(list(config.keep)).fillna(False).astype(bool)
        return out

    def by_function(functions: pd.Series) -> pd.Series:
        return functions.isin(config.removed_categories).fillna(False).astype(bool)

    removed = _each_distinct(function, by_function) | _each_distinct(name, by_name)
    return pd.Series(removed, index=function.index, name="removed")


def _each_distinct(values: pd.Series, judge: Callable[[pd.Series], pd.Series]) -> np.ndarray:
    """judge(values) as a boolean array, judging each distinct value once (a province's report rows repeat ~150
    item names 3.7 M times); a missing value is judged False, as judge's fillna(False) does."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    verdict = judge(pd.Series(np.asarray(distinct, dtype=object), dtype=object)).to_numpy(dtype=bool)
    return np.append(verdict, False)[codes]
