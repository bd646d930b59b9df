"""What confirming checked uploads would change, computed on a copy of the stored data (the store is not touched).

Public:
- `apply_files(ds, tables)` → the Dataset as it would be after storing the files' tables, and the units they cover.
- `replaced(history, units)` → REPLACED_COLUMNS: the stored batches the files would supersede (file, by whom, when).
- `preview_upload(ds, tables, history, old)` → Preview: all of the above; `preview_store(url, tables)` reads the store.
- `score_changes(old, new, tiers_old, tiers_new)` → CHANGE_COLUMNS: each street-period whose score or grade would
  change, with its city rank and city tier before → after; and the count of others that only move in rank.

The supersede rule is the store's (loaders/schema.py `scope`): a table's rows of one unit replace that unit's rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from loaders.schema import TABLES, Dataset
from metrics.config import Config
from metrics.evaluation import Evaluation
from metrics.keys import KEY

REPLACED_COLUMNS = ["table_name", "district", "street", "period", "year", "file_name", "user_name", "ingested_at"]
CHANGE_COLUMNS = [
    *KEY,
    "overall_old",
    "overall_new",
    "grade_old",
    "grade_new",
    "rank_city_old",
    "rank_city_new",
    "tier_city_old",
    "tier_city_new",
]
MAX_TIER_PERIODS = 2  # the tiers take a Monte Carlo per period (~1 s at city scale): only for the few periods touched


@dataclass(frozen=True)
class Covered:
    """The units (table, scope values) the files' rows cover: what a confirm would replace."""

    units: pd.DataFrame  # table_name + every scope column of any table (NA where a table has no such key)


def _scope_keys(frame: pd.DataFrame, scope: tuple[str, ...]) -> pd.MultiIndex:
    return pd.MultiIndex.from_frame(frame[list(scope)].astype("object").where(frame[list(scope)].notna(), None))


def apply_files(ds: Dataset, tables: Iterable[Mapping[str, pd.DataFrame]]) -> tuple[Dataset, Covered]:
    """ds with each file's tables stored in turn (newer units replace older ones), and the units covered."""
    frames = {name: ds.table(name) for name in TABLES}
    units = []
    for file_tables in tables:
        for name, new in file_tables.items():
            if name not in TABLES or new is None or new.empty:
                continue
            scope = TABLES[name].scope
            old = frames[name]
            gone = _scope_keys(old, scope).isin(_scope_keys(new, scope)) if len(old) else []
            kept = old.loc[~pd.Series(gone, index=old.index, dtype=bool)] if len(old) else old
            frames[name] = pd.concat([kept, new[[c for c in old.columns if c in new.columns]]], ignore_index=True)
            units.append(new[list(scope)].drop_duplicates().assign(table_name=name))
    covered = pd.concat(units, ignore_index=True) if units else pd.DataFrame(columns=["table_name"])
    for col in ("district", "street", "period", "year", "list_type"):
        if col not in covered.columns:
            covered[col] = pd.NA
    return Dataset(**frames), Covered(covered)


def replaced(history: pd.DataFrame, covered: Covered) -> pd.DataFrame:
    """The active stored batches of the covered units (Store.batches_history rows): what a confirm supersedes."""
    active = history[history["active"].astype(bool)]
    out = []
    for name, units in covered.units.groupby("table_name", sort=False):
        scope = [k for k in TABLES[name].scope if k != "list_type"]  # batches keep list_type inside unit_key only
        mine = active[active["table_name"].eq(name).to_numpy(dtype=bool)]
        keys = units[scope].drop_duplicates().astype("object")
        out.append(mine.astype({k: "object" for k in scope}).merge(keys, on=scope))
    if not out:
        return pd.DataFrame(columns=REPLACED_COLUMNS)
    return pd.concat(out, ignore_index=True).reindex(columns=REPLACED_COLUMNS)


def score_changes(
    old: Evaluation | None,
    new: Evaluation | None,
    tiers_old: Mapping[str, pd.DataFrame] | None = None,
    tiers_new: Mapping[str, pd.DataFrame] | None = None,
) -> tuple[pd.DataFrame, int]:
    """CHANGE_COLUMNS for every street-period whose score or grade would change; and how many other street-periods
    only move in the city ranking (their own score unchanged)."""
    cols = ["overall", "grade", "rank_city"]
    empty = pd.DataFrame(columns=[*KEY, *cols])
    after = new.scores[[*KEY, *cols]] if new is not None else empty
    before = old.scores[[*KEY, *cols]] if old is not None else empty
    both = after.merge(before, on=KEY, how="outer", suffixes=("_new", "_old"))
    new_score, old_score = (both[f"overall_{s}"].astype("Float64").round(6) for s in ("new", "old"))
    scored = new_score.ne(old_score).fillna(False) | new_score.isna().ne(old_score.isna())
    graded = both["grade_new"].astype("string").ne(both["grade_old"].astype("string")).fillna(False)
    changed = (scored | graded).to_numpy(dtype=bool)
    moved = both["rank_city_new"].astype("Int64").ne(both["rank_city_old"].astype("Int64")).fillna(False)
    out = both.loc[changed].copy()
    for side, tiers in (("old", tiers_old), ("new", tiers_new)):
        out[f"tier_city_{side}"] = pd.array([pd.NA] * len(out), dtype="Int64")
        for period, frame in (tiers or {}).items():
            if frame is None or frame.empty or "tier_city" not in frame.columns:
                continue
            got = out[KEY].merge(frame[[*KEY, "tier_city"]], on=KEY, how="left")["tier_city"].astype("Int64")
            at = out["period"].eq(period).to_numpy(dtype=bool)
            out.loc[at, f"tier_city_{side}"] = got.to_numpy()[at]
    others = int((moved.to_numpy(dtype=bool) & ~changed).sum())
    return out.reindex(columns=CHANGE_COLUMNS).sort_values(KEY, ignore_index=True), others


def periods_to_rank(changes: pd.DataFrame) -> list[str]:
    """The periods whose tiers are worth simulating for the preview (at most MAX_TIER_PERIODS; else none)."""
    periods = sorted(changes["period"].dropna().astype(str).unique(), reverse=True)
    return periods if len(periods) <= MAX_TIER_PERIODS else []


@dataclass(frozen=True)
class Preview:
    """What confirming would do: the stored batches replaced, the scores changed, how many others move in rank."""

    replaced: pd.DataFrame  # REPLACED_COLUMNS
    changes: pd.DataFrame  # CHANGE_COLUMNS
    others_moved: int
    tiers_shown: bool  # False when too many periods are touched to simulate their tiers here


def preview_upload(
    ds: Dataset,
    tables: Iterable[Mapping[str, pd.DataFrame]],
    history: pd.DataFrame,
    old: Evaluation | None = None,
    config: Config | None = None,
    old_bands: Mapping[str, pd.DataFrame] | None = None,
) -> Preview:
    """The Preview of storing the files' tables over ds (old: ds's Evaluation, old_bands: its rank bands per period,
    when the caller holds them)."""
    from metrics.evaluation import evaluate
    from metrics.uncertainty import for_period

    new_ds, covered = apply_files(ds, tables)
    old = old if old is not None else (None if ds.performance.empty else evaluate(ds, config))
    new = None if new_ds.performance.empty else evaluate(new_ds, config)
    changes, others = score_changes(old, new)
    periods = periods_to_rank(changes)
    if periods:
        kept = old_bands or {}
        tiers_old = {
            p: kept[p] if p in kept else for_period(old, p).bands
            for p in periods
            if old is not None and p in old.periods
        }
        tiers_new = {p: for_period(new, p).bands for p in periods if new is not None and p in new.periods}
        changes, others = score_changes(old, new, tiers_old, tiers_new)
    return Preview(replaced(history, covered), changes, others, bool(periods) or changes.empty)


def preview_store(url: str, tables: list[Mapping[str, pd.DataFrame]]) -> Preview:
    """The Preview of storing tables into the store at url (its kept results serve as the old state when current)."""
    from loaders.store import Store
    from metrics import results

    with Store(url) as store:
        kept = results.load(store, results.current_key(store))
        old = kept.evaluation if kept is not None else None
        bands = {p: r.bands for p, r in kept.bands.items()} if kept is not None else None
        return preview_upload(store.load_dataset(), tables, store.batches_history(), old, old_bands=bands)
