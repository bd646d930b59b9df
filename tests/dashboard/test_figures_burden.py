"""The burden trend: one line per district, the same traces as a mask per district gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.figures import burden
from dashboard.figures.base import escape_markup, trace
from dashboard.figures.scores import district_colours
from dashboard.i18n import colon


def by_period(n_districts: int, seed: int) -> pd.DataFrame:
    """Pooled burden per period and district as burden.update gives it (periods ascending, districts mixed)."""
    rng = np.random.default_rng(seed)
    names = [f"区<{i}>&" if i % 7 == 0 else f"县{i:03d}" for i in range(n_districts)]
    rows = [
        {"period": p, "district": d, "unlisted_tasks": int(rng.integers(1, 30))}
        for p in ("2019Q3", "2019Q4", "2020Q1")
        for d in rng.permutation(names)
        if rng.random() < 0.8
    ]
    return pd.DataFrame(rows).astype({"period": "string", "district": "string"})


def masked_traces(df: pd.DataFrame, lang: str) -> list[dict]:
    """The traces as built before: one boolean mask over the frame per district."""
    districts = list(dict.fromkeys(df["district"].astype(str)))
    colours = district_colours(districts)
    return [
        trace(
            "scatter",
            name=d,
            x=part["period"],
            y=part["unlisted_tasks"],
            mode="lines+markers",
            line={"color": colours[d]},
            hovertemplate=escape_markup(d) + " %{x}" + colon(lang) + "%{y}<extra></extra>",
        )
        for d, part in ((d, df[df["district"].astype(str) == d]) for d in districts)
    ]


@pytest.mark.parametrize(("n", "seed", "lang"), [(1, 0, "zh"), (12, 1, "en"), (180, 2, "zh")])
def test_trend_has_one_line_per_district_as_masks_give(n: int, seed: int, lang: str):
    df = by_period(n, seed)
    assert burden.trend(df, lang)["data"] == masked_traces(df, lang)
