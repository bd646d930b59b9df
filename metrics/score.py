"""The core score of docs/FORMATS.md §4: one row per street and quarter, and the item-level detail behind it.

Public:
- `score_streets(ds, config=None)` → SCORE_COLUMNS (docs/FORMATS.md §4 keys, then §6's `submitted`) + SCORE_EXTRAS.
- `item_detail(ds, config=None)` → ITEM_COLUMNS, one row per (street, period, item).
- `compute(ds, config=None)` → `Scored`, both frames from one pass (what `evaluate` uses).
Scores are unrounded here; round on output only.

FORMATS.md §6: an item's direction (反向 scores "less is better") and target 0 decide c (metrics.completion);
an item whose 适用类型 leaves out the street's type is not among that street's items at all (an unknown street
type keeps every item); a street with no 履职情况 row in a period its district reported is 未报送
(`submitted` False): empty scores, hence no grade, rank or place in district statistics.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders.schema import Dataset
from loaders.vocab import street_types
from metrics.completion import SOURCES, completion_used
from metrics.config import FUNCTIONS, Config, load_config
from metrics.eval_lists import scored_list
from metrics.grades import grade_of
from metrics.keys import KEY, attach_list_year, scoring_keys, unique_rows
from metrics.removed import is_removed
from metrics.validate import check_duty_list, check_not_negative, check_periods, check_required

SCORE_COLUMNS: list[str] = [
    "district",
    "street",
    "period",
    "overall",
    *FUNCTIONS,
    "items_listed",
    "items_reported",
    "items_missing",
    "removed_indicators",
    "unlisted_items",
    "unlisted_tasks",
    "list_year",
    "submitted",
]
SCORE_EXTRAS: list[str] = ["list_fallback", "street_type", "grade"]
SCORE_FLOATS: list[str] = ["overall", *FUNCTIONS]

ITEM_COLUMNS: list[str] = [
    "district",
    "street",
    "period",
    "item_code",
    "item_name",
    "function",
    "weight",
    "target",
    "actual",
    "completion_reported",
    "status",
    "on_time",
    "evidence",
    "c",
    "included",
    "category",
    "c_source",
]
# category of an item row: counted in the score (reported or missing), or left out and why.
CATEGORIES = ("scored", "missing", "removed", "unlisted")
SCORED, MISSING, REMOVED, UNLISTED = range(4)


@dataclass(frozen=True)
class Scored:
    """Street scores and item detail computed in one pass."""

    scores: pd.DataFrame
    items: pd.DataFrame
    on_time: pd.DataFrame  # KEY + on_time_known, on_time_count over scored (included, reported) items


def score_streets(ds: Dataset, config: Config | None = None) -> pd.DataFrame:
    """One row per (district, street, period): docs/FORMATS.md §4 columns, then list_fallback, street_type, grade."""
    return compute(ds, config, with_items=False).scores


def item_detail(ds: Dataset, config: Config | None = None) -> pd.DataFrame:
    """One row per (street, period, item): listed items (reported or missing), off-list report rows."""
    return compute(ds, config).items


def compute(ds: Dataset, config: Config | None = None, with_items: bool = True) -> Scored:
    """Score every street and quarter; the item detail too unless with_items is False."""
    config = config or load_config()
    rows = _item_rows(ds, config)
    scores = _aggregate(rows, ds, config)
    items = _decode(rows) if with_items else pd.DataFrame(columns=ITEM_COLUMNS)
    return Scored(scores=scores, items=items, on_time=_on_time(rows))


def _on_time(rows: _Rows) -> pd.DataFrame:
    flags = rows.perf["on_time"].astype("boolean")
    # a trailing False stands for "no report row" (position -1)
    known = np.append(flags.notna().to_numpy(dtype=bool), False)
    yes = np.append(flags.fillna(False).to_numpy(dtype=bool), False)
    pos = rows.perf_row
    scored = rows.category == SCORED
    n = len(rows.keys)
    out = rows.keys[KEY].copy()
    out["on_time_known"] = np.bincount(rows.key[scored & known[pos]], minlength=n).astype("int64")
    out["on_time_count"] = np.bincount(rows.key[scored & known[pos] & yes[pos]], minlength=n).astype("int64")
    return out


@dataclass(frozen=True)
class _Rows:
    """Item rows as integer positions into keys, duty and perf; strings are decoded only on demand."""

    keys: pd.DataFrame  # KEY + year, list_year, list_fallback, street_type, submitted; position = key id
    duty: pd.DataFrame  # duty list items sorted by district, year, item_code
    perf: pd.DataFrame  # performance rows
    key: np.ndarray  # key id of each item row
    duty_row: np.ndarray  # -1 for report rows not on the list
    perf_row: np.ndarray  # -1 for listed items with no report row
    category: np.ndarray  # index into CATEGORIES
    c: np.ndarray
    c_source: np.ndarray  # index into SOURCES, -1 when there is no report row
    weight: np.ndarray
    fn: np.ndarray  # index into FUNCTIONS, -1 for removed categories and unlisted rows
    codes: np.ndarray  # item code of each row, as index into code_names
    code_names: np.ndarray


def _prepare(ds: Dataset, config: Config) -> tuple[pd.DataFrame, pd.DataFrame]:
    duty = scored_list(ds.list_items)  # the duty list, or the district–year's declared 事务清单 (issue 15)
    check_duty_list(duty, config)
    duty = duty.sort_values(["district", "year", "item_code"], kind="stable", ignore_index=True)
    perf = ds.performance.reset_index(drop=True)
    check_required(duty, ["district", "year", "item_code"], "职责任务清单")
    check_required(perf, ["district", "street", "item_code"], "履职情况")
    check_not_negative(duty, ["weight"], "职责任务清单")
    check_not_negative(perf, ["target", "actual", "completion"], "履职情况")
    for name in ("service", "unlisted"):
        check_periods(ds.table(name)["period"], name)
    return duty, perf


def _key_ids(frame: pd.DataFrame, keys: pd.DataFrame) -> np.ndarray:
    """Position in keys of every row of frame (by district, street, period)."""
    lookup = keys[KEY].assign(_key=np.arange(len(keys)))
    return frame[KEY].astype("string").merge(lookup, on=KEY, how="left")["_key"].to_numpy(dtype="int64")


def _expand_lists(keys: pd.DataFrame, duty: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(key id, duty row) for every item of the list in force of every key; duty is sorted by district, year."""
    # Each key gets every item of its list: repeat key ids by list length, walk the list's rows.
    list_id, list_index = pd.factorize(pd.MultiIndex.from_frame(duty[["district", "year"]].astype("object")))
    # a trailing empty pseudo-list (index -1) stands for "no list in force"
    starts = np.append(np.searchsorted(list_id, np.arange(len(list_index))), 0)
    counts = np.append(np.bincount(list_id, minlength=len(list_index)), 0)
    lookup = pd.MultiIndex.from_arrays([keys["district"].astype("object"), keys["list_year"].astype("object")])
    key_list = list_index.get_indexer(lookup) if len(list_index) else np.full(len(keys), -1)
    n_items = counts[key_list]
    listed_key = np.repeat(np.arange(len(keys)), n_items)
    offset = np.arange(len(listed_key)) - np.repeat(np.cumsum(n_items) - n_items, n_items)
    return listed_key, np.repeat(starts[key_list], n_items) + offset


STREET_TYPES = street_types()  # the register's types, in vocabulary order (loaders/maps/values.csv)


def _with_street_type(keys: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """keys + street_type from the register (NA when the street is not in it)."""
    register = ds.register[["district", "street", "street_type"]].drop_duplicates(["district", "street"])
    joined = keys[["district", "street"]].merge(register.astype("string"), how="left", on=["district", "street"])
    return keys.assign(street_type=joined["street_type"].astype("string").to_numpy())


def _applicable(duty: pd.DataFrame, keys: pd.DataFrame, listed_key: np.ndarray, listed_duty: np.ndarray) -> np.ndarray:
    """For each (key, duty row): does the item's 适用类型 include the street's type (blank or unknown type: yes)."""
    applies = "、" + duty["applies_to"].astype("string") + "、"
    fits = [applies.str.contains(f"、{t}、", regex=False).fillna(True).to_numpy(dtype=bool) for t in STREET_TYPES]
    fits = np.column_stack([*fits, np.ones(len(duty), dtype=bool)])  # last column: an unknown street type
    kind = pd.Index(STREET_TYPES).get_indexer(keys["street_type"].astype("object").fillna(""))
    kind = np.where(kind < 0, len(STREET_TYPES), kind)
    return fits[listed_duty, kind[listed_key]] if len(listed_key) else np.zeros(0, dtype=bool)


def _item_rows(ds: Dataset, config: Config) -> _Rows:
    duty, perf = _prepare(ds, config)
    perf_inverse, perf_keys = unique_rows(perf, KEY)
    check_periods(perf_keys["period"], "performance")
    keys = _with_street_type(attach_list_year(scoring_keys(ds, perf_keys), duty), ds)

    listed_key, listed_duty = _expand_lists(keys, duty)
    applicable = _applicable(duty, keys, listed_key, listed_duty)
    listed_key, listed_duty = listed_key[applicable], listed_duty[applicable]

    code_id, code_names = pd.factorize(
        np.concatenate([duty["item_code"].to_numpy(dtype=object), perf["item_code"].to_numpy(dtype=object)]),
        sort=True,
    )
    duty_code, perf_code = code_id[: len(duty)], code_id[len(duty) :]
    n_codes = max(len(code_names), 1)

    perf_key = _key_ids(perf_keys, keys)[perf_inverse]
    keys["submitted"] = np.bincount(perf_key, minlength=len(keys)) > 0
    perf_pair = perf_key * n_codes + perf_code
    if pd.Index(perf_pair).has_duplicates:
        dup = perf.loc[pd.Index(perf_pair).duplicated()].iloc[0]
        where = f"{dup['district']} {dup['street']} {dup['period']} {dup['item_code']}"
        raise ValueError(f"履职情况中同一事项重复：{where} / item reported twice: {where}")
    listed_pair = listed_key * n_codes + duty_code[listed_duty]
    listed_perf = pd.Index(perf_pair).get_indexer(listed_pair) if len(perf_pair) else np.full(len(listed_key), -1)
    off_list = pd.Index(listed_pair).get_indexer(perf_pair) < 0 if len(listed_pair) else np.ones(len(perf), dtype=bool)
    off_rows = np.flatnonzero(off_list)

    duty_removed = is_removed(duty["function"], duty["item_name"], config).to_numpy()
    off_removed = is_removed(
        pd.Series(pd.NA, index=off_rows, dtype="string"), perf["item_name"].iloc[off_rows], config
    ).to_numpy()

    duty_reverse = duty["direction"].eq("反向").to_numpy(dtype=bool, na_value=False)
    perf_reverse = np.zeros(len(perf), dtype=bool)
    has_row = listed_perf >= 0
    perf_reverse[listed_perf[has_row]] = duty_reverse[listed_duty[has_row]]
    c_perf, src_perf = completion_used(perf, config, perf_reverse)
    fn_of = {f: i for i, f in enumerate(FUNCTIONS)}
    duty_fn = duty["function"].map(fn_of).fillna(-1).to_numpy(dtype="int64")
    duty_w = duty["weight"].fillna(1.0).to_numpy(dtype="float64")

    listed_removed = duty_removed[listed_duty]
    listed_cat = np.where(listed_removed, REMOVED, np.where(listed_perf >= 0, SCORED, MISSING))
    has = listed_perf >= 0
    listed_c = np.where(has, c_perf[np.maximum(listed_perf, 0)] if len(c_perf) else 0.0, 0.0)
    listed_src = np.where(has, src_perf[np.maximum(listed_perf, 0)] if len(src_perf) else -1, -1)

    return _Rows(
        keys=keys,
        duty=duty,
        perf=perf,
        key=np.concatenate([listed_key, perf_key[off_rows]]),
        duty_row=np.concatenate([listed_duty, np.full(len(off_rows), -1)]),
        perf_row=np.concatenate([listed_perf, off_rows]),
        category=np.concatenate([listed_cat, np.where(off_removed, REMOVED, UNLISTED)]).astype("int8"),
        c=np.concatenate([listed_c, c_perf[off_rows]]),
        c_source=np.concatenate([listed_src, src_perf[off_rows]]).astype("int8"),
        weight=np.concatenate([duty_w[listed_duty], np.full(len(off_rows), np.nan)]),
        fn=np.concatenate([np.where(listed_removed, -1, duty_fn[listed_duty]), np.full(len(off_rows), -1)]),
        codes=np.concatenate([duty_code[listed_duty], perf_code[off_rows]]),
        code_names=np.asarray(code_names, dtype=object),
    )


def _aggregate(rows: _Rows, ds: Dataset, config: Config) -> pd.DataFrame:
    keys, n = rows.keys, len(rows.keys)
    inc = (rows.category == SCORED) | (rows.category == MISSING)
    k, w, c = rows.key[inc], rows.weight[inc], rows.c[inc]
    out = keys[KEY].copy()
    sent = keys["submitted"].to_numpy(dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        w_sum = np.bincount(k, w, minlength=n)
        out["overall"] = np.where(sent & (w_sum > 0), 100.0 * np.bincount(k, w * c, minlength=n) / w_sum, np.nan)
        cell = k * len(FUNCTIONS) + rows.fn[inc]
        fw = np.bincount(cell, w, minlength=n * len(FUNCTIONS)).reshape(n, len(FUNCTIONS))
        fwc = np.bincount(cell, w * c, minlength=n * len(FUNCTIONS)).reshape(n, len(FUNCTIONS))
        for i, f in enumerate(FUNCTIONS):
            out[f] = np.where(sent & (fw[:, i] > 0), 100.0 * fwc[:, i] / fw[:, i], np.nan)

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(rows.key[mask], minlength=n).astype("int64")

    out["items_listed"] = count(inc)
    out["items_reported"] = count(rows.category == SCORED)
    out["items_missing"] = out["items_listed"] - out["items_reported"]
    out["removed_indicators"] = count(rows.category == REMOVED)
    out["unlisted_items"] = count(rows.category == UNLISTED)
    out["unlisted_tasks"] = np.bincount(_key_ids(ds.unlisted, keys), minlength=n).astype("int64")
    out["list_year"] = keys["list_year"]
    out["submitted"] = sent
    out["list_fallback"] = keys["list_fallback"].to_numpy(dtype=bool)
    out["street_type"] = keys["street_type"].astype("string").to_numpy()
    out["grade"] = grade_of(out["overall"], config)
    return out[SCORE_COLUMNS + SCORE_EXTRAS]


def _take(series: pd.Series, positions: np.ndarray) -> pd.Series:
    """series values at positions (a RangeIndex is assumed); position -1 gives NA."""
    return series.reindex(positions).reset_index(drop=True)


def _cat(parts: list[tuple[pd.Series, np.ndarray]]) -> pd.Categorical:
    """A Categorical of row values drawn from several source columns: (column, positions; -1 = NA) pairs.

    Factorizing each source column once and taking codes is far cheaper than building from strings per row.
    """
    coded = [pd.factorize(col.to_numpy(dtype=object), sort=True) for col, _ in parts]
    categories = pd.Index(np.unique(np.concatenate([np.asarray(u, dtype=object) for _, u in coded]))) if coded else []
    out = np.full(len(parts[0][1]), -1, dtype="int64")
    for (codes, uniques), (_, pos) in zip(coded, parts, strict=True):
        remap = np.append(categories.get_indexer(np.asarray(uniques, dtype=object)), -1)
        picked = pos >= 0
        out[picked] = remap[codes[pos[picked]]]
    return pd.Categorical.from_codes(out, categories)


def _decode(rows: _Rows) -> pd.DataFrame:
    keys, duty, perf = rows.keys, rows.duty, rows.perf
    order = np.lexsort((rows.codes, rows.key))  # by street-period, then item code
    key, drow, prow = rows.key[order], rows.duty_row[order], rows.perf_row[order]
    off = np.where(drow < 0, prow, -1)
    out: dict[str, object] = {}
    for col in KEY:
        cats = pd.Categorical(keys[col].to_numpy(dtype=object))
        out[col] = pd.Categorical.from_codes(cats.codes[key], cats.categories)
    out["item_code"] = pd.Categorical.from_codes(rows.codes[order], pd.Index(rows.code_names))
    out["item_name"] = _cat([(duty["item_name"], drow), (perf["item_name"], off)])
    out["function"] = _cat([(duty["function"], drow)])
    out["weight"] = rows.weight[order]
    out["target"] = _take(perf["target"], prow).to_numpy(dtype="float64", na_value=np.nan)
    out["actual"] = _take(perf["actual"], prow).to_numpy(dtype="float64", na_value=np.nan)
    out["completion_reported"] = _take(perf["completion"], prow).to_numpy(dtype="float64", na_value=np.nan)
    out["status"] = _cat([(perf["status"], prow)])
    out["on_time"] = _take(perf["on_time"].astype("boolean"), prow).array
    out["evidence"] = _cat([(perf["evidence"], prow)])  # a few distinct texts over every item row: categories
    out["c"] = rows.c[order]
    cat = rows.category[order]
    out["included"] = (cat == SCORED) | (cat == MISSING)
    out["category"] = pd.Categorical.from_codes(cat, CATEGORIES)
    out["c_source"] = pd.Categorical.from_codes(rows.c_source[order], SOURCES)
    return pd.DataFrame(out)[ITEM_COLUMNS]
