"""未报送 streets (FORMATS.md §6): which streets sent nothing for a period, and the line every page and export shows."""

from __future__ import annotations

import pandas as pd

UNSUBMITTED_ZH = "未报送"
UNSUBMITTED_EN = "Not submitted"


def unsubmitted(scores: pd.DataFrame, period: str | None = None, district: str | None = None) -> pd.DataFrame:
    """district, street, period of the 未报送 rows of scores (of one period and/or district when given), sorted."""
    if "submitted" not in scores.columns or scores.empty:
        return pd.DataFrame({k: pd.Series(dtype="string") for k in ("district", "street", "period")})
    mask = ~scores["submitted"].to_numpy(dtype=bool)
    if period is not None:
        mask &= scores["period"].eq(period).to_numpy(dtype=bool, na_value=False)
    if district is not None:
        mask &= scores["district"].eq(district).to_numpy(dtype=bool, na_value=False)
    out = scores.loc[mask, ["district", "street", "period"]]
    return out.sort_values(["district", "street", "period"], ignore_index=True)


def unsubmitted_text(
    scores: pd.DataFrame, period: str | None = None, district: str | None = None, lang: str = "zh"
) -> str:
    """'未报送 n 个：区 街道、…' (en: 'Not submitted: n (…)'); '' when every street reported."""
    late = unsubmitted(scores, period, district)
    if late.empty:
        return ""
    names = late["district"].astype(str) + " " + late["street"].astype(str)
    if period is None:  # several periods: each name says which
        names = names + " " + late["period"].astype(str)
    names = names.tolist()
    if lang == "en":
        return f"{UNSUBMITTED_EN}: {len(names)} ({', '.join(names)})"
    return f"{UNSUBMITTED_ZH} {len(names)} 个：{'、'.join(names)}"
