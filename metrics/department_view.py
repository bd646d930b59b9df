"""The department ranking as the screen and the export show it (issue 15, 考核权): one period, some districts, best
first, with the rank band and the interval written out ("too few ratings" where there is none)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from loaders.vocab import vocabulary
from metrics.department_labels import TOO_FEW
from metrics.departments import MIN_RATINGS

ADOPTED_EN = ("Adopted", "Partly adopted", "Not adopted")  # in maps/values.csv order of the 是否采纳 answers


def _cut(df: pd.DataFrame, districts: Sequence[str] | None, period: str | None = None) -> pd.DataFrame:
    mask = pd.Series(True, index=df.index)
    if period is not None:
        mask &= df["period"].eq(period).fillna(False)
    if districts:
        mask &= df["district"].isin(list(districts))
    return df.loc[mask.to_numpy(dtype=bool)]


def _span(a: object, b: object, fmt: str) -> str:
    if pd.isna(a) or pd.isna(b):
        return ""
    return format(a, fmt) if a == b else f"{format(a, fmt)}–{format(b, fmt)}"


def ranking_table(departments: pd.DataFrame, period: str | None, districts: Sequence[str] | None, lang: str):
    """Departments of the period and districts (all when none), ranked ones first by rank, then the others by their
    mean and their tasks; with `band` (best–worst rank) and `interval` (low–high, or why there is none)."""
    df = _cut(departments, districts, period).copy()
    too_few = TOO_FEW[1 if lang == "en" else 0].format(n=MIN_RATINGS)
    df["band"] = [_span(a, b, "d") for a, b in zip(df["rank_best"], df["rank_worst"], strict=True)]
    df["interval"] = [
        _span(lo, hi, ".1f") if ok else (too_few if n > 0 else "")
        for lo, hi, ok, n in zip(df["low"], df["high"], df["enough"], df["n_streets"], strict=True)
    ]
    df["_unranked"] = df["rank"].isna()
    df = df.sort_values(
        ["district", "_unranked", "rank", "overall", "unlisted_tasks"],
        ascending=[True, True, True, False, False],
        na_position="last",
    )
    return df.drop(columns="_unranked").reset_index(drop=True)


def department_history(departments: pd.DataFrame, district: str, department: str) -> pd.DataFrame:
    """One department's rows over the periods, oldest first (the trend)."""
    mask = departments["district"].eq(district).fillna(False) & departments["department"].eq(department).fillna(False)
    return departments.loc[mask.to_numpy(dtype=bool)].sort_values("period", ignore_index=True)


def advice_shown(advice: pd.DataFrame, districts: Sequence[str] | None, lang: str) -> pd.DataFrame:
    """The 建议权 record of the districts, the date as text and the answer in lang."""
    df = _cut(advice, districts).copy()
    df["consulted_date"] = pd.to_datetime(df["consulted_date"]).dt.strftime("%Y-%m-%d")
    if lang == "en":
        words = dict(zip(dict.fromkeys(vocabulary("adopted").values()), ADOPTED_EN, strict=True))
        df["adopted"] = df["adopted"].map(lambda a: words.get(a, a) if isinstance(a, str) else a)
    return df.reset_index(drop=True)
