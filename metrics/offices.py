"""机构设置 (issue 15 point 4, the 5+X model): each street's offices and staff, the list items and unlisted tasks
each office carries (matched by 责任科室 / 承办科室), the items no office of the street carries, and whether the
street follows 5+X (all five standard offices, an X count within the rules' [offices] range)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.office_values import STANDARD, UNIT, match_key
from loaders.schema import Dataset
from metrics.config import Config

# The lists whose items an office carries: the three lists (a declared 事务清单 re-scores the duties, FORMATS.md §4).
OFFICE_LISTS = ("duty", "service", "enforcement")
OFFICE_COLUMNS: list[str] = [
    "district",
    "street",
    "office",
    "office_category",  # standard / x / unit
    "standard_office",  # general … livelihood, NA for X offices and units
    "posts",
    "staff",
    "list_year",
    "items",
    "item_weight",
    "unlisted_tasks",
]
UNMATCHED_COLUMNS: list[str] = [
    "district",
    "street",
    "list_year",
    "list_type",
    "item_code",
    "item_name",
    "office_named",  # the item's 责任科室 as the list writes it (NA: empty)
    "office_reason",  # empty / no_office
]
MODEL_COLUMNS: list[str] = [
    "district",
    "street",
    "street_type",
    "offices",
    "standard_present",
    "standard_missing",  # the missing standard offices' keys, joined by ','
    "x_offices",
    "units",
    "posts",
    "staff",
    "list_year",
    "items",
    "items_unmatched",
    "unlisted_tasks",
    "unlisted_unassigned",
    "follows_5x",
    "office_verdict",  # follows / missing_standard / too_few_x / too_many_x / not_reported
]
VERDICTS = ("follows", "missing_standard", "too_few_x", "too_many_x", "not_reported")


def _keys(names: pd.Series) -> pd.Series:
    """match_key of every name ('' for NA), memoised per distinct name."""
    text = names.astype("string")
    distinct = {n: match_key(n) for n in text.dropna().unique()}
    keys = [distinct.get(n, "") if isinstance(n, str) else "" for n in text.astype(object)]
    return pd.Series(keys, index=names.index, dtype=object)


def _applies(street_type: pd.Series, applies_to: pd.Series) -> np.ndarray:
    """True where the item applies to the street's type (applies_to NA = every type)."""
    applies = applies_to.astype("string")
    wrapped = "、" + applies + "、"
    has = [
        bool(pd.isna(a)) or (isinstance(t, str) and f"、{t}、" in a)
        for a, t in zip(wrapped.astype(object), street_type.astype(object), strict=True)
    ]
    return np.asarray(has, dtype=bool) | applies.isna().to_numpy(dtype=bool)


def _items(ds: Dataset, districts: pd.Index) -> pd.DataFrame:
    """The items of each district's latest year of the three lists (the offices are of now, not of a past year)."""
    li = ds.list_items
    mask = li["list_type"].isin(OFFICE_LISTS).fillna(False) & li["district"].isin(districts).fillna(False)
    li = li.loc[mask.to_numpy(dtype=bool)]
    if li.empty:
        return li.assign(list_year=pd.Series(dtype="Int64"))
    latest = li.groupby("district")["year"].transform("max")
    li = li.loc[li["year"].eq(latest).fillna(False).to_numpy(dtype=bool)]
    return li.rename(columns={"year": "list_year"})


def _empty() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return (
        pd.DataFrame(columns=OFFICE_COLUMNS),
        pd.DataFrame(columns=UNMATCHED_COLUMNS),
        pd.DataFrame(columns=MODEL_COLUMNS),
    )


def office_frames(ds: Dataset, cfg: Config) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(offices with their workload, list items no office of their street carries, the 5+X verdict per street);
    only districts that sent a 机构设置 sheet appear."""
    off = ds.offices
    if off.empty:
        return _empty()
    off = off.rename(columns={"category": "office_category"}).reset_index(drop=True)
    off["_key"] = _keys(off["office"])
    districts = pd.Index(off["district"].dropna().unique())
    reg = ds.register.loc[ds.register["district"].isin(districts).fillna(False).to_numpy(dtype=bool)]
    streets = pd.concat([reg[["district", "street"]], off[["district", "street"]]]).drop_duplicates()
    streets = streets.merge(reg[["district", "street", "street_type"]], on=["district", "street"], how="left")
    reported = off[["district", "street"]].drop_duplicates().assign(_reported=True)
    streets = streets.merge(reported, on=["district", "street"], how="left")
    streets["_reported"] = streets["_reported"].fillna(False).astype(bool)

    items = _items(ds, districts)
    pairs = streets.merge(items, on="district", how="inner")
    pairs = pairs.loc[_applies(pairs["street_type"], pairs["applies_to"]) & pairs["_reported"].to_numpy(dtype=bool)]
    pairs = pairs.assign(_key=_keys(pairs["office"]), weight=pairs["weight"].astype("float64").fillna(1.0))
    offices_by_key = off[["district", "street", "_key", "office"]].rename(columns={"office": "_matched"})
    pairs = pairs.merge(offices_by_key, on=["district", "street", "_key"], how="left")
    matched = pairs.loc[pairs["_matched"].notna().to_numpy(dtype=bool)]
    load = (
        matched.groupby(["district", "street", "_matched"])
        .agg(items=("item_code", "size"), item_weight=("weight", "sum"))
        .reset_index()
        .rename(columns={"_matched": "office"})
    )
    unmatched = pairs.loc[pairs["_matched"].isna().to_numpy(dtype=bool)]
    flagged = pd.DataFrame(
        {
            "district": unmatched["district"],
            "street": unmatched["street"],
            "list_year": unmatched["list_year"].astype("Int64"),
            "list_type": unmatched["list_type"],
            "item_code": unmatched["item_code"],
            "item_name": unmatched["item_name"],
            "office_named": unmatched["office"].astype("string"),
            "office_reason": np.where(unmatched["_key"].eq("").to_numpy(dtype=bool), "empty", "no_office"),
        }
    ).sort_values(["district", "street", "list_type", "item_code"], kind="stable")

    years = items.groupby("district")["list_year"].max() if not items.empty else pd.Series(dtype="Int64")
    tasks = _tasks(ds, districts, years, off)
    task_load = tasks.dropna(subset=["_matched"]).groupby(["district", "street", "_matched"]).size()
    task_load = task_load.rename("unlisted_tasks").reset_index().rename(columns={"_matched": "office"})

    out = off.merge(load, on=["district", "street", "office"], how="left")
    out = out.merge(task_load, on=["district", "street", "office"], how="left")
    out["list_year"] = out["district"].map(years).astype("Int64")
    for col in ("items", "unlisted_tasks"):
        out[col] = out[col].fillna(0).astype("int64")
    out["item_weight"] = out["item_weight"].astype("float64").fillna(0.0)
    out = out[OFFICE_COLUMNS].sort_values(["district", "street"], kind="stable").reset_index(drop=True)
    model = _model(streets, out, pairs, tasks, years, cfg)
    return out, flagged[UNMATCHED_COLUMNS].reset_index(drop=True), model


def _tasks(ds: Dataset, districts: pd.Index, years: pd.Series, off: pd.DataFrame) -> pd.DataFrame:
    """The unlisted tasks of each district's list year, with the office of the street each names (NA: none)."""
    un = ds.unlisted
    year = un["period"].astype("string").str.slice(0, 4)
    wanted = un["district"].map(years).astype("string")
    mask = un["district"].isin(districts).fillna(False) & year.eq(wanted).fillna(False)
    un = un.loc[mask.to_numpy(dtype=bool), ["district", "street", "office"]]
    un = un.assign(_key=_keys(un["office"]))
    offices_by_key = off[["district", "street", "_key", "office"]].rename(columns={"office": "_matched"})
    return un.merge(offices_by_key, on=["district", "street", "_key"], how="left")


def _model(
    streets: pd.DataFrame,
    offices: pd.DataFrame,
    pairs: pd.DataFrame,
    tasks: pd.DataFrame,
    years: pd.Series,
    cfg: Config,
) -> pd.DataFrame:
    """One row per street of a district with a 机构设置: its offices by kind, staff, workload and 5+X verdict."""
    low, high = cfg.office_x
    rows = []
    by_street = {k: g for k, g in offices.groupby(["district", "street"], sort=False)}
    n_items = pairs.groupby(["district", "street"]).size()
    n_unmatched = pairs.loc[pairs["_matched"].isna().to_numpy(dtype=bool)].groupby(["district", "street"]).size()
    n_tasks = tasks.groupby(["district", "street"]).size()
    n_unassigned = tasks.loc[tasks["_matched"].isna().to_numpy(dtype=bool)].groupby(["district", "street"]).size()
    for s in streets.itertuples(index=False):
        k = (s.district, s.street)
        g = by_street.get(k)
        present = set() if g is None else set(g["standard_office"].dropna())
        missing = [o for o in STANDARD if o not in present]
        x = 0 if g is None else int(g["office_category"].eq("x").sum())
        units = 0 if g is None else int(g["office_category"].eq(UNIT).sum())
        if g is None:
            verdict = "not_reported"
        elif missing:
            verdict = "missing_standard"
        elif x < low:
            verdict = "too_few_x"
        elif x > high:
            verdict = "too_many_x"
        else:
            verdict = "follows"
        rows.append(
            {
                "district": s.district,
                "street": s.street,
                "street_type": s.street_type,
                "offices": 0 if g is None else len(g),
                "standard_present": len(present),
                "standard_missing": ",".join(missing),
                "x_offices": x,
                "units": units,
                "posts": np.nan if g is None else g["posts"].sum(min_count=1),
                "staff": np.nan if g is None else g["staff"].sum(min_count=1),
                "list_year": years.get(s.district, pd.NA),
                "items": int(n_items.get(k, 0)),
                "items_unmatched": int(n_unmatched.get(k, 0)),
                "unlisted_tasks": int(n_tasks.get(k, 0)),
                "unlisted_unassigned": int(n_unassigned.get(k, 0)),
                "follows_5x": verdict == "follows",
                "office_verdict": verdict,
            }
        )
    model = pd.DataFrame(rows, columns=MODEL_COLUMNS)
    model = model.astype({"list_year": "Int64", "posts": "float64", "staff": "float64", "follows_5x": bool})
    return model.sort_values(["district", "street"], kind="stable").reset_index(drop=True)


def district_compliance(model: pd.DataFrame) -> pd.DataFrame:
    """Per district: streets with a 机构设置, how many follow 5+X, and the streets that do not (names joined by 、)."""
    cols = ["district", "streets", "reported", "follows", "share", "not_following"]
    if model.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for d, g in model.groupby("district", sort=True):
        rep = g.loc[g["office_verdict"].ne("not_reported")]
        follows = int(rep["follows_5x"].sum())
        rows.append(
            {
                "district": d,
                "streets": len(g),
                "reported": len(rep),
                "follows": follows,
                "share": follows / len(rep) if len(rep) else np.nan,
                "not_following": "、".join(rep.loc[~rep["follows_5x"], "street"].astype(str)),
            }
        )
    return pd.DataFrame(rows, columns=cols)
