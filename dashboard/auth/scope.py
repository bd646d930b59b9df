"""The one place data are cut to a user's districts: a scoped Evaluation, Dataset and ingest history."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from loaders.schema import TABLES, Dataset

EV_FRAMES = (
    "scores",
    "items",
    "service",
    "burden_by_street",
    "burden_by_department",
    "funds",
    "funds_by_department",
    "fund_match",
    "fund_match_by_department",
    "access_ledger",
    "no_entry",
    "major_scores",
    "major_district",
    "district_summary",
    "list_changes",
    "streets",
    "list_years",
    "views",
    "core_coverage",
    "status_effect",
)


def _keep(df: pd.DataFrame, districts: frozenset[str]) -> pd.DataFrame:
    if df is None or "district" not in df:
        return df
    mask = df["district"].astype("string").isin(list(districts)).to_numpy(dtype=bool, na_value=False)
    out = df.loc[mask]
    # Unused categories would still name other districts' streets and items.
    cats = [c for c in out.columns if isinstance(out[c].dtype, pd.CategoricalDtype)]
    if cats:
        out = out.assign(**{c: out[c].cat.remove_unused_categories() for c in cats})
    return out


def scoped_evaluation(ev: Any, districts: frozenset[str]) -> Any:
    """ev with every frame cut to districts; ranks stay the city's (they are facts about the street)."""
    if ev is None:
        return None
    from metrics.evaluation import _slices

    frames = {name: _keep(getattr(ev, name), districts) for name in EV_FRAMES}
    items = frames["items"].reset_index(drop=True)
    frames["items"] = items
    scores = frames["scores"]
    periods = tuple(sorted(scores["period"].dropna().unique().tolist())) if not scores.empty else ()
    return dataclasses.replace(
        ev,
        **frames,
        periods=periods,
        districts=tuple(d for d in ev.districts if d in districts),
        _item_slices=_slices(items),
    )


def scoped_dataset(ds: Any, districts: frozenset[str]) -> Any:
    """Every canonical table of ds cut to districts."""
    if ds is None:
        return None
    return Dataset(**{name: _keep(ds.table(name), districts) for name in TABLES})


def file_districts(parsed: Any) -> set[str | None]:
    """The districts a parsed upload would write (None for rows without one)."""
    found: set[str | None] = set()
    for df in parsed.tables.values():
        if df is None or df.empty:
            continue
        if "district" not in df:
            found.add(None)
            continue
        values = df["district"].astype("string")
        found.update(None if pd.isna(v) else str(v) for v in values.unique())
    return found


def outside(parsed: Any, districts: Iterable[str] | None) -> list[str]:
    """Districts the upload touches beyond districts (None: no limit); '—' for rows without a district."""
    if districts is None:
        return []
    allowed = set(districts)
    return sorted("—" if d is None else d for d in file_districts(parsed) if d not in allowed)


def scoped_batches(df: pd.DataFrame, districts: frozenset[str] | None) -> pd.DataFrame:
    """Stored batches of districts only (None: all)."""
    if districts is None or df.empty:
        return df
    mask = df["district"].astype("string").isin(list(districts)).to_numpy(dtype=bool, na_value=False)
    return df.loc[np.asarray(mask)]
