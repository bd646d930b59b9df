"""The completion rule (docs/FORMATS.md §4 rule 2): which c_i in [0, 1] a report row gives."""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.config import Config

# Where c came from, for the item detail: 目标/完成值, 完成率, 完成状态, or nothing usable.
SOURCES = ("ratio", "completion", "status", "none")


def completion_used(
    perf: pd.DataFrame, config: Config, reverse: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """c for every performance row (capped to [0, 1]) and the index into SOURCES of the rule that gave it.

    target and actual given → the ratio rule (FORMATS.md §4 rule 2 with §6): 正向 actual / target, and 1 when
    the target is 0; 反向 (reverse[i] True) 1 when actual ≤ target, else target / actual, and with target 0,
    1 iff actual is 0. Else completion (a fraction, as the loader gives it); else status through the configured
    mapping; else 0 (a row with nothing usable counts as not done).
    """
    target = perf["target"].to_numpy(dtype="float64", na_value=np.nan)
    actual = perf["actual"].to_numpy(dtype="float64", na_value=np.nan)
    completion = perf["completion"].to_numpy(dtype="float64", na_value=np.nan)
    # factorize first: mapping a few distinct statuses is much cheaper than mapping every row
    codes, uniques = pd.factorize(perf["status"].to_numpy(dtype=object))
    unknown = [u for u in uniques if u not in config.status]
    if unknown:
        raise ValueError(f"未知的完成状态 {sorted(unknown)} / unknown status values {sorted(unknown)}")
    values = np.append(np.array([config.status[u] for u in uniques], dtype="float64"), np.nan)
    by_status = values[codes]  # code -1 (NA) picks the appended NaN

    use_ratio = ~np.isnan(target) & ~np.isnan(actual)
    use_completion = ~use_ratio & ~np.isnan(completion)
    use_status = ~use_ratio & ~use_completion & ~np.isnan(by_status)
    reverse = np.zeros(len(perf), dtype=bool) if reverse is None else np.asarray(reverse, dtype=bool)
    ratio = ratio_completion(target, actual, reverse)
    raw = np.select([use_ratio, use_completion, use_status], [ratio, completion, by_status], default=0.0)
    source = np.select([use_ratio, use_completion, use_status], [0, 1, 2], default=3).astype("int8")
    return np.clip(raw, 0.0, 1.0), source


def ratio_completion(target: np.ndarray, actual: np.ndarray, reverse: np.ndarray) -> np.ndarray:
    """c from target and actual (uncapped for 正向): FORMATS.md §6 direction and target-0 rules."""
    with np.errstate(divide="ignore", invalid="ignore"):
        forward = np.where(target > 0, actual / target, 1.0)
        backward = np.where(actual <= target, 1.0, np.where(target > 0, target / actual, 0.0))
    return np.where(reverse, backward, forward)
