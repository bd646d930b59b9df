"""Rank uncertainty: a seeded Monte Carlo over reasonable scoring alternatives (OECD/JRC Handbook 2008, §6).

Public:
- `Settings`: number of scenarios, seed and the ranges of each alternative (frozen, hashable).
- `simulate(ev, period, settings=None)` → `Simulation`: scenario factors, scores and ranks of one period.
- `rank_bands(ev, period=None, settings=None)` → BAND_COLUMNS, one row per ranked street and period.
- `bands_from(sim, ev)`: the same from a Simulation already run.
- `overlap_pairs(bands)` → pairs of streets whose city bands overlap ("not clearly different").
- `band_text(bands, scope="city")` → "2–6" per row (a single rank when the band is one rank); `not_clearly_different
  (bands, district, street)` → the streets of the same period whose city bands overlap this street's.
- `for_period(ev, period, settings=None)` → `PeriodResult` (bands + sensitivity shares from one run),
  computed once per Evaluation, period and settings and kept while the Evaluation lives (thread-safe).

Official scores never change: this module only reads `Evaluation.items` and `Evaluation.scores`.

Each scenario draws, independently:
- weight scheme: the list's weights or equal weights (each with probability 1/2);
- weight noise: every item's weight × U(0.75, 1.25), on top of the scheme;
- aggregation: arithmetic or geometric mean of the five function scores (probability 1/2), each function
  weighted by the sum of its item weights (so the arithmetic case is the official formula); in the geometric
  case an empty function is left out and a function score below `geometric_floor` (1 point) counts as 1;
- status mapping: c of an item whose completion came from the status 进行中 is m ~ U(0.3, 0.7) (official 0.5).
Removed indicators stay removed and missing items stay 0, so leaving items unreported is never rewarded.

Built per period from one zero-padded array of items × streets per district; scenarios go through one
batched matrix product, so there is no Python loop over streets or scenarios.
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.config import FUNCTIONS
from metrics.keys import KEY, period_ordinal

IN_PROGRESS = "进行中"
DEFAULT_SEED = 20191115  # fixed: the same data always give the same bands

BAND_COLUMNS: list[str] = [
    "district",
    "street",
    "period",
    "overall",
    "rank_city",
    "n_city",
    "rank_city_median",
    "rank_city_p05",
    "rank_city_p95",
    "rank_district",
    "n_district",
    "rank_district_median",
    "rank_district_p05",
    "rank_district_p95",
    "score_p05",
    "score_median",
    "score_p95",
    "n_overlap_city",
    "n_overlap_district",
    "items_reported",
    "items_listed",
    "completeness",
    "n_scenarios",
]
PAIR_COLUMNS: list[str] = ["period", "district", "street", "other_district", "other_street", "same_district"]


@dataclass(frozen=True)
class Settings:
    """The alternatives a scenario draws from; defaults as documented in docs/METHODOLOGY.md."""

    n: int = 500
    seed: int = DEFAULT_SEED
    weight_spread: float = 0.25  # item weight × U(1 − spread, 1 + spread)
    p_equal_weights: float = 0.5
    p_geometric: float = 0.5
    status_low: float = 0.3
    status_high: float = 0.7
    geometric_floor: float = 1.0  # points (0–100): a function score below it counts as this in the geometric mean
    low: float = 5.0  # band percentiles
    high: float = 95.0


@dataclass(frozen=True)
class Matrices:
    """One period's included items as zero-padded arrays: d districts × f functions × i items × j streets.

    Items are grouped by district and function, so the per-function sums are plain matrix products
    with no blocks of zeros for the other functions.
    """

    streets: pd.DataFrame  # district, street (ranked streets, in output order)
    street_d: np.ndarray  # district index of each street
    street_j: np.ndarray  # position of each street within its district's columns
    weight: np.ndarray  # (d, f, i) list weight; 0 for padding
    c_fixed: np.ndarray  # (d, f, i, j) completion that no scenario changes (0 where it comes from 进行中)
    in_progress: np.ndarray  # (d, f, i, j) 1 where c came from the status 进行中
    included: np.ndarray  # (d, f, i, j) 1 where the item counts for the street (scored or missing)


@dataclass(frozen=True)
class Simulation:
    """Scenario factors and results of one period; rows of the result arrays are scenarios."""

    period: str
    settings: Settings
    streets: pd.DataFrame  # district, street
    equal_weights: np.ndarray  # (n,) bool
    geometric: np.ndarray  # (n,) bool
    status_value: np.ndarray  # (n,) the value 进行中 took
    scores: np.ndarray  # (n, streets)
    rank_city: np.ndarray  # (n, streets) 1 = best, ties share the lowest rank
    rank_district: np.ndarray  # (n, streets)


def _local(group: np.ndarray, member: np.ndarray) -> np.ndarray:
    """Position of each member within its group, 0, 1, …, in order of member (ids are dense, 0-based)."""
    first = np.full(member.max() + 1 if len(member) else 0, -1, dtype="int64")
    first[member] = group
    order = np.lexsort((np.arange(len(first)), first))
    pos = np.empty(len(first), dtype="int64")
    sorted_group = first[order]
    pos[order] = np.arange(len(first)) - np.searchsorted(sorted_group, sorted_group)
    return pos[member]


def build_matrices(items: pd.DataFrame) -> Matrices:
    """Padded arrays from the included item rows of one period (Evaluation.items columns)."""
    rows = items.loc[items["included"].to_numpy(dtype=bool)]
    district = rows["district"].astype("string").to_numpy(dtype=object)
    street = rows["street"].astype("string").to_numpy(dtype=object)
    d, d_names = pd.factorize(district, sort=True)
    s, s_index = pd.factorize(pd.MultiIndex.from_arrays([district, street]), sort=True)
    g, _ = pd.factorize(pd.MultiIndex.from_arrays([district, rows["item_code"].astype("string")]), sort=True)
    fn = pd.Index(FUNCTIONS).get_indexer(rows["function"].astype("string").to_numpy(dtype=object))
    n_d, n_f = len(d_names), len(FUNCTIONS)
    j = _local(d, s)  # street column within its district
    i = _local(d * n_f + fn, g)  # item row within its district and function
    shape = (n_d, n_f, int(i.max()) + 1 if len(i) else 0, int(j.max()) + 1 if len(j) else 0)

    weight = np.zeros(shape[:3])
    weight[d, fn, i] = rows["weight"].to_numpy(dtype="float64")
    status = rows["status"].astype("string").to_numpy(dtype=object, na_value="")
    source = rows["c_source"].astype("string").to_numpy(dtype=object, na_value="")
    progress = (source == "status") & (status == IN_PROGRESS)
    c_fixed, in_progress, included = (np.zeros(shape) for _ in range(3))
    cell = (d, fn, i, j)
    c_fixed[cell] = np.where(progress, 0.0, rows["c"].to_numpy(dtype="float64"))
    in_progress[cell] = progress
    included[cell] = 1.0
    street_d = np.zeros(len(s_index), dtype="int64")
    street_d[s] = d
    street_j = np.zeros(len(s_index), dtype="int64")
    street_j[s] = j
    streets = pd.DataFrame(
        {
            "district": pd.array(s_index.get_level_values(0), dtype="string"),
            "street": pd.array(s_index.get_level_values(1), dtype="string"),
        }
    )
    return Matrices(streets, street_d, street_j, weight, c_fixed, in_progress, included)


def scenario_scores(
    m: Matrices,
    weights: np.ndarray,
    status_value: np.ndarray,
    geometric: np.ndarray,
    floor: float = 1.0,
) -> np.ndarray:
    """Overall score (0–100) of every street under each scenario: weights (n, d, f, i), status_value (n,),
    geometric (n,) bool → (n, streets); NaN where a street has no included item."""
    n_j = m.c_fixed.shape[3]
    stacked = np.concatenate([m.c_fixed, m.in_progress, m.included], axis=3)  # (d, f, i, 3j)
    sums = np.matmul(weights.transpose(1, 2, 0, 3), stacked)  # (d, f, n, 3j): every sum in one product
    sums = sums.reshape(*sums.shape[:3], 3, n_j)
    num = sums[..., 0, :] + status_value[None, None, :, None] * sums[..., 1, :]
    den = sums[..., 2, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        total = den.sum(axis=1)  # (d, n, j)
        arithmetic = 100.0 * num.sum(axis=1) / total
        fscore = 100.0 * num / np.where(den > 0, den, 1.0)
        # each function weighted by its share of the weights; an empty function has den 0 and drops out
        logs = (den * np.log(np.maximum(fscore, floor))).sum(axis=1) / total
        overall = np.where(geometric[None, :, None], np.exp(logs), arithmetic)
    return overall[m.street_d, :, m.street_j].T


def rank_min(scores: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Rank within groups per scenario row (1 = highest, ties share the lowest rank); NaN stays NaN.

    Scores that agree to 9 decimals tie (float noise in the sums must not separate identical streets).
    """
    n, k = scores.shape
    n_groups = int(groups.max()) + 1 if k else 1
    valid = ~np.isnan(scores)
    # scores are 0–100: give each (scenario, group) its own band [base, base + 1000) and sort once;
    # a missing score sits at the bottom of its band, below every real score, so it is never "above"
    values = np.round(np.where(valid, scores + 1.0, 0.5), 9)
    base = (np.arange(n)[:, None] * n_groups + groups[None, :]) * 1000.0
    keys = values + base
    ordered = np.sort(keys, axis=None)
    above = np.searchsorted(ordered, base + 1000.0, side="left") - np.searchsorted(ordered, keys, side="right")
    return np.where(valid, above + 1.0, np.nan)


def draw(settings: Settings, period: str, shape: tuple[int, int]) -> tuple[np.ndarray, ...]:
    """The scenario factors of one period: equal_weights (n,), noise (n, d, i), status_value (n,), geometric (n,).

    Seeded by (seed, period) so a period gives the same scenarios whether or not others were computed.
    """
    ordinal = int(period_ordinal(pd.Series([period]))[0])
    rng = np.random.default_rng(np.random.SeedSequence([settings.seed, ordinal]))
    n = settings.n
    equal = rng.random(n) < settings.p_equal_weights
    noise = rng.uniform(1.0 - settings.weight_spread, 1.0 + settings.weight_spread, size=(n, *shape))
    status_value = rng.uniform(settings.status_low, settings.status_high, size=n)
    geometric = rng.random(n) < settings.p_geometric
    return equal, noise, status_value, geometric


def _submitted_mask(ev, items: pd.DataFrame) -> np.ndarray:
    """Item rows of streets that reported (FORMATS.md §6: a 未报送 street is in no rank, so in no scenario)."""
    if "submitted" not in ev.scores.columns:
        return np.ones(len(items), dtype=bool)
    late = ev.scores.loc[~ev.scores["submitted"].to_numpy(dtype=bool), KEY]
    if late.empty:
        return np.ones(len(items), dtype=bool)
    keys = pd.MultiIndex.from_frame(items[KEY].astype("object"))
    return ~keys.isin(pd.MultiIndex.from_frame(late.astype("object")))


def simulate(ev, period: str, settings: Settings | None = None) -> Simulation:
    """Run the Monte Carlo for one period of an Evaluation."""
    settings = settings or Settings()
    items = ev.items
    in_period = items["period"].eq(period).to_numpy(dtype=bool, na_value=False)
    m = build_matrices(items.loc[in_period & _submitted_mask(ev, items)])
    equal, noise, status_value, geometric = draw(settings, period, m.weight.shape)
    base = np.where(equal[:, None, None, None], (m.weight > 0).astype("float64")[None], m.weight[None])
    scores = scenario_scores(m, base * noise, status_value, geometric, settings.geometric_floor)
    city = np.zeros(len(m.streets), dtype="int64")
    return Simulation(
        period=period,
        settings=settings,
        streets=m.streets,
        equal_weights=equal,
        geometric=geometric,
        status_value=status_value,
        scores=scores,
        rank_city=rank_min(scores, city),
        rank_district=rank_min(scores, m.street_d),
    )


def _quantiles(values: np.ndarray, settings: Settings) -> np.ndarray:
    """5th, 50th and 95th percentile per column, each an observed value (no interpolation between ranks)."""
    qs = np.array([settings.low, 50.0, settings.high]) / 100.0
    if values.size == 0:  # no scenario or no street ranked this period
        return np.full((3, values.shape[1] if values.ndim == 2 else 0), np.nan)
    with np.errstate(invalid="ignore"):
        return np.nanquantile(values, qs, axis=0, method="inverted_cdf")


def _overlaps(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """(k, k) True where the bands [lo, hi] of two streets overlap; the diagonal is False."""
    out = (lo[:, None] <= hi[None, :]) & (lo[None, :] <= hi[:, None])
    np.fill_diagonal(out, False)
    return out


def bands_from(sim: Simulation, ev) -> pd.DataFrame:
    """BAND_COLUMNS for the streets of one simulated period."""
    out = sim.streets.copy()
    out["period"] = pd.array([sim.period] * len(out), dtype="string")
    official = ev.scores.loc[ev.scores["period"].eq(sim.period).to_numpy(dtype=bool, na_value=False)]
    cols = ["overall", "rank_city", "n_city", "rank_district", "n_district", "items_reported", "items_listed"]
    out = out.merge(official[[*KEY, *cols, "completeness"]], on=KEY, how="left")
    for name, values in (("rank_city", sim.rank_city), ("rank_district", sim.rank_district), ("score", sim.scores)):
        lo, mid, hi = _quantiles(values, sim.settings)
        out[f"{name}_p05"], out[f"{name}_median"], out[f"{name}_p95"] = lo, mid, hi
    for name in ("rank_city", "rank_district"):
        out[name + "_p05"] = pd.array(out[name + "_p05"].round(), dtype="Int64")
        out[name + "_median"] = pd.array(out[name + "_median"].round(), dtype="Int64")
        out[name + "_p95"] = pd.array(out[name + "_p95"].round(), dtype="Int64")
    district = out["district"].to_numpy(dtype=object)
    same_district = district[:, None] == district[None, :]
    for scope, mask in (("city", True), ("district", same_district)):
        lo = out[f"rank_{scope}_p05"].to_numpy(dtype="float64", na_value=np.nan)
        hi = out[f"rank_{scope}_p95"].to_numpy(dtype="float64", na_value=np.nan)
        out[f"n_overlap_{scope}"] = (_overlaps(lo, hi) & mask).sum(axis=1).astype("int64")
    out["n_scenarios"] = sim.settings.n
    return out[BAND_COLUMNS]


def rank_bands(ev, period: str | None = None, settings: Settings | None = None) -> pd.DataFrame:
    """BAND_COLUMNS for one period, or every period of the Evaluation when period is None."""
    periods = [period] if period is not None else list(ev.periods)
    frames = [bands_from(simulate(ev, p, settings), ev) for p in periods]
    if not frames:
        return pd.DataFrame(columns=BAND_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def overlap_pairs(bands: pd.DataFrame) -> pd.DataFrame:
    """PAIR_COLUMNS: every ordered pair of streets of one period whose city rank bands overlap."""
    frames = []
    for period, part in bands.groupby("period", sort=True):
        lo = part["rank_city_p05"].to_numpy(dtype="float64", na_value=np.nan)
        hi = part["rank_city_p95"].to_numpy(dtype="float64", na_value=np.nan)
        a, b = np.nonzero(_overlaps(lo, hi))
        d = part["district"].to_numpy(dtype=object)
        s = part["street"].to_numpy(dtype=object)
        frames.append(
            pd.DataFrame(
                {
                    "period": period,
                    "district": d[a],
                    "street": s[a],
                    "other_district": d[b],
                    "other_street": s[b],
                    "same_district": d[a] == d[b],
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    return pd.concat(frames, ignore_index=True).astype({c: "string" for c in PAIR_COLUMNS[:5]})


def band_text(bands: pd.DataFrame, scope: str = "city") -> pd.Series:
    """The 5th–95th percentile rank band as text, "2–6" ("3" when both ends agree; "" when unranked)."""
    lo = bands[f"rank_{scope}_p05"].astype("Int64").astype("string")
    hi = bands[f"rank_{scope}_p95"].astype("Int64").astype("string")
    text = (lo + "–" + hi).where(lo.ne(hi), lo)
    return text.fillna("").rename(f"band_{scope}")


def not_clearly_different(bands: pd.DataFrame, district: str, street: str) -> pd.DataFrame:
    """Rows of bands (one period) whose city rank band overlaps the given street's, best median rank first."""
    me = (bands["district"].eq(district) & bands["street"].eq(street)).to_numpy(dtype=bool, na_value=False)
    if not me.any():
        return bands.iloc[0:0]
    row = bands.loc[me].iloc[0]
    lo = bands["rank_city_p05"].to_numpy(dtype="float64", na_value=np.nan)
    hi = bands["rank_city_p95"].to_numpy(dtype="float64", na_value=np.nan)
    hit = (lo <= float(row["rank_city_p95"])) & (float(row["rank_city_p05"]) <= hi) & ~me
    return bands.loc[hit].sort_values(["rank_city_median", "rank_city"], kind="stable")


@dataclass(frozen=True)
class PeriodResult:
    """Bands and sensitivity shares of one period, from one simulation, and how long it took."""

    bands: pd.DataFrame
    sensitivity: pd.DataFrame
    seconds: float


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def for_period(ev, period: str, settings: Settings | None = None) -> PeriodResult:
    """Bands and sensitivity of one period, cached on the Evaluation (dropped with it)."""
    from metrics.sensitivity import sensitivity_from  # sensitivity builds on this module

    settings = settings or Settings()
    with _LOCK:
        hit = _CACHE.get(ev, {}).get((period, settings))
    if hit is not None:
        return hit
    start = time.perf_counter()
    sim = simulate(ev, period, settings)
    result = PeriodResult(bands_from(sim, ev), sensitivity_from(sim), time.perf_counter() - start)
    with _LOCK:
        _CACHE.setdefault(ev, {})[(period, settings)] = result
    return result
