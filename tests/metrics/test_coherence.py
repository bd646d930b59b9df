"""Cronbach's alpha, function correlations and external validity on hand-computed examples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from metrics.coherence import coherence, cronbach_alpha, external_validity, function_correlations
from metrics.config import FUNCTIONS


def _scores(values, extra=None):
    df = pd.DataFrame(values, columns=list(FUNCTIONS)).assign(period="2019Q2")
    df["overall"] = df[list(FUNCTIONS)].mean(axis=1)
    for k, v in (extra or {}).items():
        df[k] = v
    return df


def test_alpha_of_identical_functions_is_one_and_of_a_hand_example():
    same = _scores([[v] * 5 for v in (50, 60, 70, 90)])
    assert cronbach_alpha(same, "2019Q2") == pytest.approx(1.0)
    # two "items" only matter through variances: items a = (1,2,3), b = (1,3,2), the other three constant 0
    x = _scores([[1, 1, 0, 0, 0], [2, 3, 0, 0, 0], [3, 2, 0, 0, 0]])
    # var a = var b = 1, var(a + b) = var(2, 5, 5) = 3 → alpha = 5/4 · (1 − 2/3) = 0.41666…
    assert cronbach_alpha(x, "2019Q2") == pytest.approx(5 / 4 * (1 - 2 / 3))


def test_unscored_streets_are_left_out_and_correlations_are_symmetric():
    rows = [[50, 52, 48, 51, 49], [70, 69, 72, 70, 71], [90, 91, 88, 89, 92], [np.nan] * 5]
    s = _scores(rows)
    corr = function_correlations(s, "2019Q2")
    assert np.allclose(corr.to_numpy(), corr.to_numpy().T) and (corr.to_numpy() > 0.98).all()
    row = coherence(s).iloc[0]
    assert row["n_streets"] == 3 and row["alpha"] > 0.99


def test_external_validity_pearson_and_spearman():
    s = _scores(
        [[v] * 5 for v in (50, 60, 70, 80)], {"satisfaction": [0.7, 0.8, 0.9, 1.0], "online_rate": [0.9, 0.1, 0.5, 0.2]}
    )
    v = external_validity(s).set_index("against")
    assert v.loc["satisfaction", "pearson"] == pytest.approx(1.0) and v.loc[
        "satisfaction", "spearman"
    ] == pytest.approx(1.0)
    assert v.loc["online_rate", "spearman"] == pytest.approx(np.corrcoef([1, 2, 3, 4], [4, 1, 3, 2])[0, 1])
