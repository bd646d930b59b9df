"""The one place data are cut to a user's districts: a scoped Evaluation, Dataset and ingest history."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from loaders.schema import TABLES, Dataset

# Frames of city-wide statistics that name no district or street (Cronbach's alpha, correlations per period):
# served whole to every scope, like the sensitivity shares. Listing one here is a decision; the check below
# refuses it if it ever gains a district or street column.
CITY_WIDE = frozenset({"coherence", "validity"})
NAMING = ("district", "street")


def district_frames(ev: Any) -> tuple[str, ...]:
    """The names of ev's DataFrame fields to cut, each by its `district` column.

    Read from the dataclass itself, so a frame added to the Evaluation is cut without anyone listing it;
    a frame without a district column is refused rather than passed through whole, unless declared CITY_WIDE.
    """
    frames = {f.name: v for f in dataclasses.fields(ev) if isinstance(v := getattr(ev, f.name), pd.DataFrame)}
    bare = [n for n, df in frames.items() if "district" not in df.columns and n not in CITY_WIDE]
    named = [n for n in CITY_WIDE & set(frames) if any(c in frames[n].columns for c in NAMING)]
    if bare or named:
        raise TypeError(
            f"Evaluation frames that cannot be scoped (no district column, or city-wide naming one): {bare + named}"
        )
    return tuple(n for n in frames if n not in CITY_WIDE)


def _in_districts(column: pd.Series, districts: frozenset[str]) -> np.ndarray:
    """A boolean mask of the rows of column (district names) in districts; a category column by its codes
    (the items frame of a province has millions of rows and ~180 districts: no string per row is made)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        allowed = pd.Index(column.cat.categories).astype("string").isin(list(districts))
        return np.append(np.asarray(allowed, dtype=bool), False)[column.cat.codes.to_numpy()]  # code -1 (NA): False
    return column.astype("string").isin(list(districts)).to_numpy(dtype=bool, na_value=False)


def _keep(df: pd.DataFrame, districts: frozenset[str]) -> pd.DataFrame:
    if df is None or "district" not in df:
        return df
    out = df.loc[_in_districts(df["district"], districts)]
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

    frames = {name: _keep(getattr(ev, name), districts) for name in district_frames(ev)}
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
