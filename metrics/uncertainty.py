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
- status mapping: c of an item whose completion came from the status 进行中 is m ~ U(0.3, 0.7) (official 0.5);
- missing-data treatment: missing items count 0 (the official rule) or, with probability 1/2, the street's own
  weighted mean over its reported items (then only reported items count, as if the list were shorter).
Removed indicators stay removed. All ranges come from [uncertainty] in metrics/rules.toml (`Settings.from_config`).
Streets without an official score (未报送) are simulated but never ranked: their scenario scores are NaN.

For the total-order sensitivity indices (metrics.sensitivity) each factor is also redrawn alone from an
independent second sample, every other factor kept ("pick-freeze", Saltelli et al. 2010): `Simulation.variants`
holds the city ranks of those runs. Pairwise order probabilities and tiers: metrics.pairwise.

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
from metrics.pairwise import TIER_COLUMNS, OrderProbabilities, grade_probabilities, order_probabilities, tier_columns

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
    *TIER_COLUMNS,
    "grade",
    "p_grade",
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
    p_missing_mean: float = 0.5  # probability that a scenario counts missing items at the street's own mean
    unclear_low: float = 0.1  # order probability bounds of "无明显差别" (metrics.pairwise)
    unclear_high: float = 0.9
    bootstrap: int = 200  # resamples for the sensitivity intervals
    variants: bool = True  # also run the pick-freeze variants for total-order sensitivity

    @classmethod
    def from_config(cls, config) -> Settings:
        """The settings of [uncertainty] in the rules file (metrics.config.Config.uncertainty)."""
        u = config.uncertainty
        return cls(
            n=int(u["scenarios"]),
            weight_spread=u["weight_spread"],
            p_equal_weights=u["p_equal_weights"],
            p_geometric=u["p_geometric"],
            status_low=u["status_low"],
            status_high=u["status_high"],
            geometric_floor=u["geometric_floor"],
            p_missing_mean=u["p_missing_own_mean"],
            unclear_low=u["unclear_low"],
            unclear_high=u["unclear_high"],
            bootstrap=int(u["bootstrap"]),
        )


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
    reported: np.ndarray  # (d, f, i, j) 1 where the included item has a report row


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
    missing_mean: np.ndarray | None = None  # (n,) bool: missing items at the street's own mean
    variants: dict | None = None  # factor → (n, streets) city ranks with only that factor redrawn (given)
    variant_runs: object = None  # () → the same, computed on demand (what simulate gives)
    varied_status: str | None = None  # the status whose value status_value holds (Config.varied_status)

    def variant_ranks(self) -> dict:
        """factor → (n, streets) city ranks with only that factor redrawn; {} when none were asked for."""
        if self.variants is not None:
            return self.variants
        return self.variant_runs() if callable(self.variant_runs) else {}


def _local(group: np.ndarray, member: np.ndarray) -> np.ndarray:
    """Position of each member within its group, 0, 1, …, in order of member (ids are dense, 0-based)."""
    first = np.full(member.max() + 1 if len(member) else 0, -1, dtype="int64")
    first[member] = group
    order = np.lexsort((np.arange(len(first)), first))
    pos = np.empty(len(first), dtype="int64")
    sorted_group = first[order]
    pos[order] = np.arange(len(first)) - np.searchsorted(sorted_group, sorted_group)
    return pos[member]


def build_matrices(items: pd.DataFrame, varied_status: str | None) -> Matrices:
    """Padded arrays from the included item rows of one period (Evaluation.items columns); varied_status: the
    status whose value the scenarios draw (Config.varied_status)."""
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
    progress = (source == "status") & (status == (varied_status or ""))
    c_fixed, in_progress, included, reported = (np.zeros(shape) for _ in range(4))
    cell = (d, fn, i, j)
    c_fixed[cell] = np.where(progress, 0.0, rows["c"].to_numpy(dtype="float64"))
    in_progress[cell] = progress
    included[cell] = 1.0
    reported[cell] = rows["category"].astype("string").eq("scored").to_numpy(dtype=bool, na_value=False)
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
    return Matrices(streets, street_d, street_j, weight, c_fixed, in_progress, included, reported)


def scenario_sums(m: Matrices, weights: np.ndarray) -> np.ndarray:
    """Per-function weighted sums under each scenario's weights (n, d, f, i) → (d, f, n, 4, j):
    Σw·c_fixed, Σw·in_progress, Σw·included, Σw·reported."""
    n_j = m.c_fixed.shape[3]
    stacked = np.concatenate([m.c_fixed, m.in_progress, m.included, m.reported], axis=3)  # (d, f, i, 4j)
    sums = np.matmul(weights.transpose(1, 2, 0, 3), stacked)  # (d, f, n, 4j): every sum in one product
    return sums.reshape(*sums.shape[:3], 4, n_j)


def combine(
    m: Matrices,
    sums: np.ndarray,
    status_value: np.ndarray,
    geometric: np.ndarray,
    missing_mean: np.ndarray | None = None,
    floor: float = 1.0,
) -> np.ndarray:
    """Overall score (n, streets) from scenario_sums and the scenario's other factors (all (n,))."""
    num = sums[..., 0, :] + status_value[None, None, :, None] * sums[..., 1, :]  # (d, f, n, j)
    den = sums[..., 2, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        if missing_mean is not None and missing_mean.any():
            rep = sums[..., 3, :]
            rep_total = rep.sum(axis=1)  # (d, n, j)
            own = np.where(rep_total > 0, num.sum(axis=1) / np.where(rep_total > 0, rep_total, 1.0), 0.0)
            fill = np.where(missing_mean[None, :, None], own, 0.0)  # (d, n, j)
            num = num + fill[:, None] * (den - rep)
        total = den.sum(axis=1)  # (d, n, j)
        overall = 100.0 * num.sum(axis=1) / total
        geo = np.flatnonzero(geometric)  # the log only where the scenario takes the geometric mean
        if len(geo):
            num_g, den_g = num[:, :, geo], den[:, :, geo]
            fscore = 100.0 * num_g / np.where(den_g > 0, den_g, 1.0)
            # each function weighted by its share of the weights; an empty function has den 0 and drops out
            logs = (den_g * np.log(np.maximum(fscore, floor))).sum(axis=1) / total[:, geo]
            overall[:, geo] = np.exp(logs)
    return overall[m.street_d, :, m.street_j].T


def scenario_scores(
    m: Matrices,
    weights: np.ndarray,
    status_value: np.ndarray,
    geometric: np.ndarray,
    floor: float = 1.0,
    missing_mean: np.ndarray | None = None,
) -> np.ndarray:
    """Overall score (0–100) of every street under each scenario: weights (n, d, f, i), status_value (n,),
    geometric (n,) bool, missing_mean (n,) bool or None → (n, streets); NaN where a street has no included item."""
    return combine(m, scenario_sums(m, weights), status_value, geometric, missing_mean, floor)


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


def draw(settings: Settings, period: str, shape: tuple[int, ...], stream: int = 0) -> tuple[np.ndarray, ...]:
    """The scenario factors of one period: equal_weights (n,), noise (n, d, f, i), status_value (n,), geometric (n,),
    missing_mean (n,).

    Seeded by (seed, period) so a period gives the same scenarios whether or not others were computed; stream 1 is
    the independent second sample of the pick-freeze variants.
    """
    ordinal = int(period_ordinal(pd.Series([period]))[0])
    entropy = [settings.seed, ordinal] if stream == 0 else [settings.seed, ordinal, stream]
    rng = np.random.default_rng(np.random.SeedSequence(entropy))
    n = settings.n
    equal = rng.random(n) < settings.p_equal_weights
    noise = rng.uniform(1.0 - settings.weight_spread, 1.0 + settings.weight_spread, size=(n, *shape))
    status_value = rng.uniform(settings.status_low, settings.status_high, size=n)
    geometric = rng.random(n) < settings.p_geometric
    missing_mean = rng.random(n) < settings.p_missing_mean
    return equal, noise, status_value, geometric, missing_mean


def _weights(m: Matrices, equal: np.ndarray, noise: np.ndarray) -> np.ndarray:
    return np.where(equal[:, None, None, None], (m.weight > 0).astype("float64")[None], m.weight[None]) * noise


def _official_mask(ev, period: str, streets: pd.DataFrame) -> np.ndarray:
    """True for the streets that have an official score in the period (the others are never ranked)."""
    official = ev.scores.loc[
        ev.scores["period"].eq(period).to_numpy(dtype=bool, na_value=False), ["district", "street", "overall"]
    ]
    merged = streets.merge(
        official.astype({"district": "string", "street": "string"}), on=["district", "street"], how="left"
    )
    return merged["overall"].notna().to_numpy(dtype=bool)


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
    settings = settings or Settings.from_config(ev.config)
    items = ev.items
    in_period = items["period"].eq(period).to_numpy(dtype=bool, na_value=False)
    m = build_matrices(items.loc[in_period & _submitted_mask(ev, items)], ev.config.varied_status)
    equal, noise, status_value, geometric, missing = draw(settings, period, m.weight.shape)
    scored = _official_mask(ev, period, m.streets)
    floor = settings.geometric_floor

    def ranked(scores: np.ndarray) -> np.ndarray:
        return np.where(scored[None, :], scores, np.nan)

    sums = scenario_sums(m, _weights(m, equal, noise))
    scores = ranked(combine(m, sums, status_value, geometric, missing, floor))
    city = np.zeros(len(m.streets), dtype="int64")
    rank_city = rank_min(scores, city)

    def variant_ranks() -> dict[str, np.ndarray]:
        """City ranks with one factor redrawn at a time (run only when the sensitivity is asked for)."""
        eq_b, noise_b, status_b, geo_b, miss_b = draw(settings, period, m.weight.shape, stream=1)
        every = np.ones(settings.n, dtype=bool)

        def variant(rows: np.ndarray, part_sums, status, geo, miss) -> np.ndarray:
            # only the scenarios in which the redrawn factor took another value are scored again
            out = rank_city.copy()
            if rows.any():
                part = ranked(combine(m, part_sums, status[rows], geo[rows], miss[rows], floor))
                out[rows] = rank_min(part, city)
            return out

        flip = eq_b != equal
        return {
            "weight_scheme": variant(
                flip, scenario_sums(m, _weights(m, eq_b[flip], noise[flip])), status_value, geometric, missing
            ),
            "aggregation": variant(geo_b != geometric, sums[:, :, geo_b != geometric], status_value, geo_b, missing),
            "status_mapping": variant(every, sums, status_b, geometric, missing),
            "missing_treatment": variant(
                miss_b != missing, sums[:, :, miss_b != missing], status_value, geometric, miss_b
            ),
            "weight_noise": variant(
                every, scenario_sums(m, _weights(m, equal, noise_b)), status_value, geometric, missing
            ),
        }

    runs_variants = settings.variants and settings.n > 1
    return Simulation(
        period=period,
        settings=settings,
        streets=m.streets,
        equal_weights=equal,
        geometric=geometric,
        status_value=status_value,
        scores=scores,
        rank_city=rank_city,
        rank_district=rank_min(scores, m.street_d),
        missing_mean=missing,
        variant_runs=variant_ranks if runs_variants else None,
        varied_status=ev.config.varied_status,
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


def bands_from(
    sim: Simulation, ev, op: OrderProbabilities | None = None, grades: pd.DataFrame | None = None
) -> pd.DataFrame:
    """BAND_COLUMNS for the streets of one simulated period (order probabilities and grade odds computed when
    not given)."""
    op = op if op is not None else order_probabilities(sim)
    grades = grades if grades is not None else grade_probabilities(sim, ev.config)
    out = sim.streets.copy()
    out["period"] = pd.array([sim.period] * len(out), dtype="string")
    official = ev.scores.loc[ev.scores["period"].eq(sim.period).to_numpy(dtype=bool, na_value=False)]
    cols = ["overall", "rank_city", "n_city", "rank_district", "n_district", "items_reported", "items_listed"]
    out = out.merge(official[[*KEY, *cols, "completeness", "grade"]], on=KEY, how="left")
    out = out.loc[out["overall"].notna().to_numpy(dtype=bool)].reset_index(drop=True)  # 未报送: never ranked
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
    low, high = sim.settings.unclear_low, sim.settings.unclear_high
    out = out.merge(tier_columns(op, out, low, high), on=["district", "street"], how="left")
    p_grade = grades.rename(columns={"probability": "p_grade"})[["district", "street", "grade", "p_grade"]]
    out = out.merge(p_grade, on=["district", "street", "grade"], how="left")
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


class PeriodResult:
    """Bands and sensitivity shares of one period, from one simulation, and how long the bands took.

    `sensitivity` may be given as a function: it then runs on first use (the bands, tiers and order
    probabilities do not wait for the total-order runs and the bootstrap), once, thread-safely.
    """

    def __init__(
        self,
        bands: pd.DataFrame,
        sensitivity,
        seconds: float,
        order: OrderProbabilities | None = None,
        grades: pd.DataFrame | None = None,
    ) -> None:
        self.bands, self.seconds, self.order, self.grades = bands, seconds, order, grades
        self._sensitivity = sensitivity
        self._lock = threading.Lock()

    @property
    def sensitivity(self) -> pd.DataFrame:
        """metrics.sensitivity SENSITIVITY_COLUMNS of the period."""
        with self._lock:
            if callable(self._sensitivity):
                self._sensitivity = self._sensitivity()
            return self._sensitivity


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def for_period(ev, period: str, settings: Settings | None = None) -> PeriodResult:
    """Bands and sensitivity of one period, cached on the Evaluation (dropped with it)."""
    from metrics.sensitivity import sensitivity_from  # sensitivity builds on this module

    settings = settings or Settings.from_config(ev.config)
    with _LOCK:
        hit = _CACHE.get(ev, {}).get((period, settings))
    if hit is not None:
        return hit
    start = time.perf_counter()
    sim = simulate(ev, period, settings)
    op, grades = order_probabilities(sim), grade_probabilities(sim, ev.config)
    bands = bands_from(sim, ev, op, grades)
    result = PeriodResult(bands, lambda: sensitivity_from(sim), time.perf_counter() - start, op, grades)
    with _LOCK:
        _CACHE.setdefault(ev, {})[(period, settings)] = result
    return result
