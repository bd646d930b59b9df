"""The removed-indicator rule (docs/FORMATS.md §4 rule 1): the one place that decides it."""

from __future__ import annotations

import re

import pandas as pd

from metrics.config import Config


def is_removed(function: pd.Series, name: pd.Series, config: Config) -> pd.Series:
    """True where an item is removed: its function is a removed category or its name has a keyword.

    `function` may be all NA (a report row not on the list is judged by its name alone).
    优化营商环境 and names that merely contain 税 or 经济 are kept: only the configured words count; names
    listed under [[removed.keep]] are kept too.
    """
    by_function = function.isin(config.removed_categories).fillna(False).astype(bool)
    pattern = "|".join(re.escape(k) for k in config.removed_keywords)
    by_name = name.astype("string").str.contains(pattern, regex=True).fillna(False).astype(bool)
    if config.keep:  # names kept in the rules file, each with its written reason
        by_name &= ~name.astype("string").str.strip().isin(list(config.keep)).fillna(False).astype(bool)
    return pd.Series(by_function.to_numpy() | by_name.to_numpy(), index=function.index, name="removed")
