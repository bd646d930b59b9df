"""Selections from the Evaluation (metrics.evaluation) for each view: filtering only, never scoring.

Every column name the dashboard reads from metrics appears here or in the figure builders, so a
renamed column in metrics is a change in few places.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from dashboard.constants import FUNCTIONS, PILOT_DISTRICTS


def _mask(series: pd.Series, values: Sequence[str] | str) -> np.ndarray:
    if isinstance(values, str):
        return series.eq(values).to_numpy(dtype=bool, na_value=False)
    return series.isin(list(values)).to_numpy(dtype=bool, na_value=False)


def periods(ev: Any) -> list[str]:
    """Periods with scores, oldest first."""
    return list(ev.periods) if ev is not None else []


def districts(ev: Any) -> list[str]:
    """Districts: pilots first in their seed order, then the others by name."""
    if ev is None:
        return []
    present = list(ev.districts)
    pilots = [d for d in PILOT_DISTRICTS if d in present]
    return pilots + [d for d in present if d not in pilots]


def default_districts(ev: Any) -> list[str]:
    """The four pilots when present, else the first four districts."""
    present = districts(ev)
    pilots = [d for d in PILOT_DISTRICTS if d in present]
    return pilots or present[:4]


def street_options(ev: Any) -> pd.DataFrame:
    """district, street, street_type of every known street."""
    if ev is None:
        return pd.DataFrame(columns=["district", "street", "street_type"])
    return ev.streets[["district", "street", "street_type"]]


def find_street(ev: Any, street: str | None, district: str | None = None) -> tuple[str, str] | None:
    """(district, street) for a street name (and district when names repeat across districts)."""
    if ev is None or not street:
        return None
    known = ev.streets
    hit = known[_mask(known["street"], street)]
    if district:
        hit = hit[_mask(hit["district"], district)] if _mask(hit["district"], district).any() else hit
    if hit.empty:
        return None
    return str(hit["district"].iloc[0]), str(hit["street"].iloc[0])


def previous_period(period: str) -> str:
    """The quarter before period: 2020Q1 → 2019Q4."""
    year, q = int(period[:4]), int(period[-1])
    return f"{year - 1}Q4" if q == 1 else f"{year}Q{q - 1}"


def filter_rows(
    df: pd.DataFrame,
    period: str | None = None,
    district_list: Sequence[str] | None = None,
    street_type: str | None = None,
) -> pd.DataFrame:
    """Rows of df for the period, districts and street type given (None or empty: no filter on it)."""
    if df.empty:
        return df
    mask = np.ones(len(df), dtype=bool)
    if period and "period" in df:
        mask &= _mask(df["period"], period)
    if district_list and "district" in df:
        mask &= _mask(df["district"], district_list)
    if street_type and "street_type" in df:
        mask &= _mask(df["street_type"], street_type)
    return df.loc[mask]


def scores(
    ev: Any,
    period: str | None,
    district_list: Sequence[str] | None = None,
    street_type: str | None = None,
) -> pd.DataFrame:
    """Street scores of one period within the filters, best first."""
    if ev is None:
        return pd.DataFrame()
    df = filter_rows(ev.scores_for(period) if period else ev.scores, None, district_list, street_type)
    return df.sort_values(["overall", "district", "street"], ascending=[False, True, True], na_position="last")


def district_summary(ev: Any, period: str | None, district_list: Sequence[str]) -> pd.DataFrame:
    """metrics' district aggregates for the period, in the order of district_list."""
    df = filter_rows(ev.district_summary, period, district_list)
    order = {d: i for i, d in enumerate(district_list)}
    return df.assign(_o=df["district"].map(order)).sort_values("_o").drop(columns="_o")


def service(ev: Any, period: str | None, district_list: Sequence[str] | None, street_type: str | None) -> pd.DataFrame:
    """Service efficiency rows of the scored streets in the filters (rates as fractions)."""
    return scores(ev, period, district_list, street_type)[
        [
            "district",
            "street",
            "street_type",
            "cases",
            "online_rate",
            "one_visit_rate",
            "no_visit_approvals",
            "satisfaction",
        ]
    ]


def street_history(ev: Any, district: str, street: str) -> pd.DataFrame:
    """All periods of one street's scores, oldest first."""
    return ev.street_history(district, street)


def district_medians_over_time(ev: Any, district: str) -> pd.DataFrame:
    """period, overall (the district median) for every period."""
    df = ev.district_summary[_mask(ev.district_summary["district"], district)]
    return df[["period", "median"]].rename(columns={"median": "overall"}).sort_values("period")


def district_medians(ev: Any, district: str, period: str) -> pd.Series:
    """The district's median overall and function scores in one period, keyed like score columns."""
    df = filter_rows(ev.district_summary, period, [district])
    if df.empty:
        return pd.Series(dtype="float64")
    row = df.iloc[0]
    return pd.Series({"overall": row["median"], **{f: row[f"median_{f}"] for f in FUNCTIONS}})


def items(ev: Any, district: str, street: str, period: str) -> pd.DataFrame:
    """Item detail of one street and period."""
    return ev.items_for(district, street, period)


def unlisted_tasks(dataset: Any, district: str, street: str, period: str) -> pd.DataFrame:
    """The 清单外事项 rows of one street and period from the stored dataset."""
    df = getattr(dataset, "unlisted", None)
    if df is None or df.empty:
        return pd.DataFrame()
    mask = _mask(df["district"], district) & _mask(df["street"], street) & _mask(df["period"], period)
    return df.loc[mask]


def burden_streets(ev: Any, period: str | None, district_list: Sequence[str] | None) -> pd.DataFrame:
    """Burden per street in the filters (every scored street, 0 tasks where none)."""
    return filter_rows(ev.burden_by_street, period, district_list)


def burden_departments(ev: Any, period: str | None, district_list: Sequence[str] | None) -> pd.DataFrame:
    """Unlisted tasks by assigning department (per district) in the filters."""
    return filter_rows(ev.burden_by_department, period, district_list)


def list_years(ev: Any, district: str) -> list[int]:
    """The duty-list years a district has, oldest first."""
    df = ev.list_years
    return sorted(int(y) for y in df.loc[_mask(df["district"], district), "year"].dropna())


def list_changes(ev: Any, district: str, year_from: int | None, year_to: int | None) -> pd.DataFrame:
    """Changed items of a district's list between two years (consecutive years as metrics gives them)."""
    df = ev.list_changes
    mask = _mask(df["district"], district)
    if year_from is not None:
        mask &= df["year_from"].eq(year_from).to_numpy(dtype=bool, na_value=False)
    if year_to is not None:
        mask &= df["year_to"].eq(year_to).to_numpy(dtype=bool, na_value=False)
    return df.loc[mask]


BAND_FIELDS = ("band_city", "n_overlap_city", "tier_city", "n_unclear_city")


def with_bands(df: pd.DataFrame, bands: pd.DataFrame | None) -> pd.DataFrame:
    """df plus metrics' city rank band as text (band_city), n_overlap_city, the city tier (tier_city) and the number
    of streets not clearly different (n_unclear_city, metrics.pairwise), matched by street and period."""
    from metrics.uncertainty import band_text

    if bands is None or bands.empty or df.empty:
        return df.assign(**dict.fromkeys(BAND_FIELDS, pd.NA))
    fields = ["district", "street", "period", "n_overlap_city", "tier_city", "n_unclear_city"]
    extra = bands[[f for f in fields if f in bands]].assign(band_city=band_text(bands, "city"))
    key = ["district", "street", "period"]
    return df.drop(columns=[c for c in BAND_FIELDS if c in df]).merge(extra, on=key, how="left").set_axis(df.index)
