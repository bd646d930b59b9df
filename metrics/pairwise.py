"""Pairwise order evidence from the simulated scenarios: P(A above B), "无明显差别", tiers (档次), grade odds.

Public:
- `OrderProbabilities`: streets (district, street) and the (k, k) matrices `above` (row strictly above column),
  `tie`; `order` = above + tie / 2 (the probability used against the bounds; identical streets give 0.5).
- `order_probabilities(sim)` → OrderProbabilities of one simulated period (vectorised over scenarios).
- `unclear(op, low, high)` → (k, k) True where low < order < high both ways ("无明显差别"; never on the diagonal).
- `tiers(order, high)` → tier number (1 = top) of each street of a sequence sorted best first.
- `tier_columns(op, bands, settings)` → KEY + TIER_COLUMNS for bands' streets (city and district scope).
- `not_clearly_different(op, bands, district, street, settings)` → bands' rows of the streets not clearly different.
- `grade_probabilities(sim, config)` → GRADE_PROB_COLUMNS: P(grade) per street from the scenario scores.
- `pair_table(op)` → PAIR_P_COLUMNS, one row per ordered pair (for exports and the bench).

All streets are re-ranked in the same scenarios, so their ranks are correlated: two overlapping 90 % rank bands
do not make two streets "not clearly different". The order probability asks the right question directly.

Order, tier and grade probabilities use the scenarios that keep the official rule for unreported items (missing = 0,
FORMATS §4 rule 3): the ranking an officer signs applies that rule, so whether its order is clear is asked under it.
What the rule itself costs a street is its own figure (metrics.evidence: 因未报送失分); the rank bands and the
sensitivity shares include the other treatment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.grades import grade_of

TIER_COLUMNS: list[str] = [
    "tier_city",
    "n_tiers_city",
    "tier_district",
    "n_tiers_district",
    "n_unclear_city",
    "n_unclear_district",
    "p_above_next_city",
]
GRADE_PROB_COLUMNS: list[str] = ["district", "street", "period", "grade", "probability"]
PAIR_P_COLUMNS: list[str] = ["district", "street", "other_district", "other_street", "p_above", "p_below", "p_tie"]
CHUNK = 64  # scenarios compared at once: (CHUNK, k, k) booleans stay small at city scale


@dataclass(frozen=True)
class OrderProbabilities:
    """Order probabilities of one period's streets; NaN in rows and columns of streets that are not ranked."""

    period: str
    streets: pd.DataFrame  # district, street; positions index the matrices
    above: np.ndarray  # (k, k) share of scenarios in which the row street scores strictly above the column one
    tie: np.ndarray  # (k, k) share of scenarios in which they tie (to 9 decimals)

    @property
    def below(self) -> np.ndarray:
        """(k, k) share of scenarios in which the row street scores strictly below the column street."""
        return self.above.T

    @property
    def order(self) -> np.ndarray:
        """P(row above column) counting a tie as half: identical streets 0.5, a street always ahead 1."""
        return self.above + 0.5 * self.tie

    def index_of(self, district: str, street: str) -> int:
        """Position of a street in the matrices, -1 when it is not there."""
        hit = np.flatnonzero(
            self.streets["district"].eq(district).to_numpy(dtype=bool, na_value=False)
            & self.streets["street"].eq(street).to_numpy(dtype=bool, na_value=False)
        )
        return int(hit[0]) if len(hit) else -1


def official_rows(sim) -> np.ndarray:
    """The scenarios that count unreported items 0, as the official rule does (all when none was drawn otherwise)."""
    missing = getattr(sim, "missing_mean", None)
    if missing is None or missing.all():
        return np.ones(len(sim.scores), dtype=bool)
    return ~missing


def order_probabilities(sim) -> OrderProbabilities:
    """P(A strictly above B) and P(tie) for every pair of one simulated period (metrics.uncertainty.Simulation),
    over the scenarios that keep the official missing rule."""
    scores = np.round(sim.scores[official_rows(sim)], 9)  # float noise must not separate identical streets
    n, k = scores.shape
    above = np.zeros((k, k))
    tie = np.zeros((k, k))
    for start in range(0, n, CHUNK):
        part = scores[start : start + CHUNK]
        above += (part[:, :, None] > part[:, None, :]).sum(axis=0)
        tie += (part[:, :, None] == part[:, None, :]).sum(axis=0)
    ranked = ~np.all(np.isnan(scores), axis=0) if n else np.zeros(k, dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        above, tie = above / max(n, 1), tie / max(n, 1)
    out_of_scope = ~(ranked[:, None] & ranked[None, :])
    above[out_of_scope] = np.nan
    tie[out_of_scope] = np.nan
    return OrderProbabilities(sim.period, sim.streets.reset_index(drop=True), above, tie)


def unclear(op: OrderProbabilities, low: float = 0.1, high: float = 0.9) -> np.ndarray:
    """(k, k) True where the order of two ranked streets is not clear: low < P(A above B) < high, both ways round
    (symmetric, also when the bounds are not)."""
    p = op.order
    with np.errstate(invalid="ignore"):
        out = (p > low) & (p < high) & (low < p.T) & (high > p.T)
    np.fill_diagonal(out, False)
    return out


def tiers(order: np.ndarray, high: float = 0.9) -> np.ndarray:
    """Tier (1 = top) of each street of a sequence sorted best first, from its order probability matrix.

    A tier ends between positions i and i + 1 only when every street up to i is above every street after i
    with probability ≥ high, so two streets whose order is not clear never stand in different tiers.
    """
    k = len(order)
    if k == 0:
        return np.zeros(0, dtype="int64")
    m = np.where(np.isnan(order), 0.0, order)
    # corner[a, b] = min over a' ≤ a and b' ≥ b of m[a', b']: the weakest cross pair of a cut between a and b
    corner = np.minimum.accumulate(np.minimum.accumulate(m[:, ::-1], axis=1)[:, ::-1], axis=0)
    cuts = corner[np.arange(k - 1), np.arange(1, k)] >= high
    return np.concatenate([[1], 1 + np.cumsum(cuts)]).astype("int64")


def tier_columns(op: OrderProbabilities, bands: pd.DataFrame, low: float = 0.1, high: float = 0.9) -> pd.DataFrame:
    """district, street + TIER_COLUMNS for the ranked streets of bands (one period), in bands' row order."""
    out = bands[["district", "street"]].copy()
    k = len(bands)
    cols = {c: np.full(k, np.nan) for c in TIER_COLUMNS}
    keys = pd.MultiIndex.from_frame(op.streets[["district", "street"]].astype("object"))
    pos = keys.get_indexer(pd.MultiIndex.from_frame(bands[["district", "street"]].astype("object"))) if k else []
    pos = np.asarray(pos, dtype="int64")
    ranked = bands["rank_city"].notna().to_numpy(dtype=bool) & (pos >= 0)
    if ranked.any():
        p = op.order
        bad = unclear(op, low, high)
        district = op.streets["district"].to_numpy(dtype=object)
        same = district[:, None] == district[None, :]
        safe = np.maximum(pos, 0)
        cols["n_unclear_city"] = np.where(ranked, bad[safe].sum(axis=1), np.nan)
        cols["n_unclear_district"] = np.where(ranked, (bad & same)[safe].sum(axis=1), np.nan)
        # best official rank first; ties by median rank, then name
        rank = bands["rank_city"].to_numpy(dtype="float64", na_value=np.nan)
        median = bands["rank_city_median"].to_numpy(dtype="float64", na_value=np.nan)
        names = bands["street"].to_numpy(dtype=object)
        order = np.lexsort((names, median, rank))
        order = order[ranked[order]]
        dcodes = pd.factorize(bands["district"].to_numpy(dtype=object))[0]
        groups = [("city", order)] + [("district", order[dcodes[order] == g]) for g in np.unique(dcodes[order])]
        for scope, rows in groups:
            seq = pos[rows]
            tier = tiers(p[np.ix_(seq, seq)], high)
            cols[f"tier_{scope}"][rows] = tier
            cols[f"n_tiers_{scope}"][rows] = tier.max()
            if scope == "city":
                cols["p_above_next_city"][rows] = np.append(p[seq[:-1], seq[1:]], np.nan)
    for col, values in cols.items():
        out[col] = values if col == "p_above_next_city" else pd.array(np.round(values), dtype="Int64")
    return out


def not_clearly_different(
    op: OrderProbabilities | None, bands: pd.DataFrame, district: str, street: str, low: float = 0.1, high: float = 0.9
) -> pd.DataFrame:
    """Rows of bands (one period) whose order against the given street is not clear, with `p_above` = P(that street
    above the given one); best official rank first."""
    if op is None or bands.empty:
        return bands.iloc[0:0].assign(p_above=pd.Series(dtype="float64"))
    me = op.index_of(district, street)
    if me < 0 or np.isnan(op.above[me, me] + 0.5 * op.tie[me, me]):
        return bands.iloc[0:0].assign(p_above=pd.Series(dtype="float64"))
    # unclear(op)[:, me] and op.order[:, me] from this street's row and column only (not two streets² matrices)
    p_other_above = op.above[:, me] + 0.5 * op.tie[:, me]
    p_me_above = op.above[me, :] + 0.5 * op.tie[me, :]
    with np.errstate(invalid="ignore"):
        hit = (p_other_above > low) & (p_other_above < high) & (low < p_me_above) & (high > p_me_above)
    hit[me] = False
    names = op.streets.loc[hit, ["district", "street"]].assign(p_above=p_other_above[hit])
    out = bands.merge(names.astype({"district": "string", "street": "string"}), on=["district", "street"])
    return out.sort_values(["rank_city", "street"], kind="stable")


def grade_probabilities(sim, config) -> pd.DataFrame:
    """GRADE_PROB_COLUMNS: the share of scenarios in which each ranked street gets each grade of the rules file."""
    names = list(config.grade_names)
    scores = sim.scores[official_rows(sim)]
    n, k = scores.shape
    if k == 0 or n == 0:
        return pd.DataFrame(columns=GRADE_PROB_COLUMNS)
    flat = grade_of(pd.Series(scores.reshape(-1)), config).to_numpy(dtype=object, na_value=None).reshape(n, k)
    probs = np.stack([(flat == g).mean(axis=0) for g in names], axis=1)  # (k, grades)
    ranked = ~np.all(np.isnan(scores), axis=0)
    out = pd.DataFrame(
        {
            "district": np.repeat(sim.streets["district"].to_numpy(dtype=object)[ranked], len(names)),
            "street": np.repeat(sim.streets["street"].to_numpy(dtype=object)[ranked], len(names)),
            "period": sim.period,
            "grade": np.tile(names, int(ranked.sum())),
            "probability": probs[ranked].reshape(-1),
        }
    )
    return out.astype({c: "string" for c in GRADE_PROB_COLUMNS[:4]})


def grade_text(probs: pd.DataFrame, district: str, street: str, minimum: float = 0.005) -> str:
    """ "良好 71 % · 合格 29 %": the grades a street reaches in the scenarios, likeliest first ("" when none)."""
    mine = probs.loc[
        probs["district"].eq(district).to_numpy(dtype=bool, na_value=False)
        & probs["street"].eq(street).to_numpy(dtype=bool, na_value=False)
        & probs["probability"].ge(minimum).to_numpy(dtype=bool, na_value=False)
    ].sort_values("probability", ascending=False, kind="stable")
    return " · ".join(f"{g} {p * 100:.0f} %" for g, p in zip(mine["grade"], mine["probability"], strict=True))


def pair_table(op: OrderProbabilities) -> pd.DataFrame:
    """PAIR_P_COLUMNS: every ordered pair of ranked streets with its three probabilities (they sum to 1)."""
    a, b = np.nonzero(~np.isnan(op.above) & ~np.eye(len(op.above), dtype=bool))
    d = op.streets["district"].to_numpy(dtype=object)
    s = op.streets["street"].to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "district": d[a],
            "street": s[a],
            "other_district": d[b],
            "other_street": s[b],
            "p_above": op.above[a, b],
            "p_below": op.above[b, a],
            "p_tie": op.tie[a, b],
        }
    )
