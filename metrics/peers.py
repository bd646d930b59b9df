"""Nearest statistical neighbours: each street's peers across the city by context, per period.

Public:
- `context(ev, register, period)` → CONTEXT_COLUMNS: the features peers are matched on.
- `peers_from_context(ctx, k=8, among=None)` → PEER_COLUMNS from such a frame (pure; among: only those rows,
  peers among themselves).
- `nearest_peers(ev, register, period=None, k=8, districts=None)` → PEER_COLUMNS, k peers per scored street and
  period (districts: a user's scope, searched alone; the context is standardised over every street either way).
- `peer_scores(ev, peers, district, street, period, bands=None)` → the street and its peers' score rows.
- `peer_gaps(ev, peers, period)` → PEER_GAP_COLUMNS: each scored street's scores minus its peers' medians.
- `gaps_from_scores(scores, peers, period)`: the same from a score frame (pure).
- `own_district_share(peers)` → district, own_share: how many peers are district copies (reported in METHODOLOGY).

Like the nearest-neighbour models used to compare English councils, context only (never the score):
- street type (城区街道 / 涉农街道 / 镇, from the register);
- resident population (register; log scale), service volume (`cases`, 办件量 of the quarter; log(1 + cases)),
  and the register's optional context (FORMATS.md §1 allows optional columns): 面积 (log), 社区数, 涉农人口占比,
  市场主体数 (log) — each standardised over the period's scored streets (z-scores).
No list-derived feature: `items_listed` is the same for every street of a district, so matching on it made peers
district copies (on the samples 95 % of a 武侯区 street's peers were 武侯区 streets).
distance = √(mean over the numeric features both streets have of (z_a − z_b)²) — a feature missing on either
side is left out of that pair's mean; a pair with no common feature is never a peer.
Peers of the same street type come first, then the others, each nearest first; a street is never its own
peer. An unknown type matches no type.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from metrics.config import FUNCTIONS
from metrics.keys import KEY

CONTEXT_FEATURES: list[str] = ["log_population", "log_cases", "log_area", "communities", "agri_share", "log_firms"]
REGISTER_CONTEXT: list[str] = ["population", "area", "communities", "agri_share", "firms"]
CONTEXT_COLUMNS: list[str] = ["district", "street", "period", "street_type", *REGISTER_CONTEXT, "cases"]
PEER_COLUMNS: list[str] = [
    "district",
    "street",
    "period",
    "peer_rank",
    "peer_district",
    "peer_street",
    "distance",
    "same_type",
]
PEER_SCORE_COLUMNS: list[str] = [
    "is_self",
    "peer_rank",
    "distance",
    "same_type",
    "district",
    "street",
    "street_type",
    "overall",
    "community_development",
    "public_services",
    "comprehensive_management",
    "business_environment",
    "community_safety",
    "rank_city",
    "n_city",
    "items_reported",
    "items_listed",
    "completeness",
]
GAP_SCORES: list[str] = ["overall", *FUNCTIONS]
PEER_GAP_COLUMNS: list[str] = [
    "district",
    "street",
    "period",
    "n_peers",
    *[f"{kind}_{s}" for s in GAP_SCORES for kind in ("peer_median", "gap")],
]
DEFAULT_K = 8


def context(ev, register: pd.DataFrame, period: str) -> pd.DataFrame:
    """CONTEXT_COLUMNS for the streets with a score in period."""
    s = ev.scores_for(period)
    s = s.loc[s["overall"].notna().to_numpy(dtype=bool)]
    have = [c for c in REGISTER_CONTEXT if c in register.columns]
    reg = register[["district", "street", *have]].drop_duplicates(["district", "street"])
    out = s[[*KEY, "street_type", "cases"]].merge(
        reg.astype({"district": "string", "street": "string"}), on=["district", "street"], how="left"
    )
    for c in REGISTER_CONTEXT:  # a register without the optional columns: those features count for no pair
        if c not in out.columns:
            out[c] = np.nan
    return out[CONTEXT_COLUMNS].reset_index(drop=True)


def _standardised(ctx: pd.DataFrame) -> np.ndarray:
    """(streets, features) z-scores; NaN where a feature is unknown."""

    def num(col: str) -> np.ndarray:
        return ctx[col].to_numpy(dtype="float64", na_value=np.nan) if col in ctx.columns else np.full(len(ctx), np.nan)

    raw = np.column_stack(
        [
            np.log(num("population").clip(min=1.0)),
            np.log1p(num("cases").clip(min=0.0)),
            np.log(num("area").clip(min=0.01)),
            num("communities"),
            num("agri_share"),
            np.log1p(num("firms").clip(min=0.0)),
        ]
    )
    with warnings.catch_warnings():  # a feature nobody reported has no mean: it then counts for no pair
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(raw, axis=0) if len(raw) else np.zeros(raw.shape[1])
        sd = np.nanstd(raw, axis=0) if len(raw) else np.ones(raw.shape[1])
    sd = np.where((sd > 0) & np.isfinite(sd), sd, 1.0)  # a constant feature tells streets apart by nothing
    return (raw - mean) / sd


def distances(a: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    """(len(a), len(b)) root mean squared z difference over the features both have; inf when none (b: a)."""
    b = a if b is None else b
    diff = a[:, None, :] - b[None, :, :]
    common = ~np.isnan(diff)
    n = common.sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.sqrt(np.where(common, diff**2, 0.0).sum(axis=2) / n)
    return np.where(n > 0, d, np.inf)


def _distances_by_feature(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """distances(a, b), bit for bit, one feature at a time: (a, b) arrays instead of (a, b, features) ones, and a
    feature nobody has (an optional register column left out) skipped."""
    # added up feature after feature, as numpy's sum over the features' axis does
    # (test_the_block_search_equals_sorting_every_pair compares the distances bit for bit)
    total = np.zeros((len(a), len(b)))
    n = np.zeros((len(a), len(b)), dtype=np.int64)
    for f in range(a.shape[1]):
        known_a, known_b = ~np.isnan(a[:, f]), ~np.isnan(b[:, f])
        if not known_a.any() or not known_b.any():
            continue  # adds 0 to every pair, as distances' where(common, …, 0) does
        both = known_a[:, None] & known_b[None, :]
        diff = a[:, f][:, None] - b[:, f][None, :]
        total += np.where(both, diff * diff, 0.0)
        n += both
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.sqrt(total / n)
    return np.where(n > 0, d, np.inf)


BLOCK_CELLS = 2_000_000  # distances computed per block of streets (streets × all streets × features ≤ this)


def _nearest_block(
    z: np.ndarray, rows: np.ndarray, types: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(row, peer, distance, same type) of the k nearest comparable peers of each of rows (positions into z).

    Exactly the order of sorting each row by (same type first, distance, position) after dropping the street
    itself and peers without a common feature: each type class's k smallest distances (ties at the k-th
    included) are the only candidates, and only those are sorted. O(rows × streets), not a full sort.
    """
    dist = _distances_by_feature(z[rows], z)
    usable = np.isfinite(dist)
    usable[np.arange(len(rows)), rows] = False  # never the street itself
    same = (types[rows][:, None] == types[None, :]) & (types[rows] >= 0)[:, None]  # an unknown type (-1) matches none
    candidates = np.zeros_like(usable)
    kth = min(k, dist.shape[1]) - 1
    for cls in (same, ~same):
        d = np.where(usable & cls, dist, np.inf)
        if kth >= 0:
            bound = np.partition(d, kth, axis=1)[:, kth : kth + 1]
            candidates |= np.isfinite(d) & (d <= bound)
    r, c = np.nonzero(candidates)
    pick_same, pick_dist = same[r, c], dist[r, c]
    order = np.lexsort((c, pick_dist, ~pick_same, r))
    r, c, pick_dist, pick_same = r[order], c[order], pick_dist[order], pick_same[order]
    rank = np.arange(len(r)) - np.searchsorted(r, r)
    keep = rank < k
    return rows[r[keep]], c[keep], pick_dist[keep], pick_same[keep]


def peers_from_context(ctx: pd.DataFrame, k: int = DEFAULT_K, among: np.ndarray | None = None) -> pd.DataFrame:
    """PEER_COLUMNS from a CONTEXT_COLUMNS frame of one period (pure).

    among: a boolean mask of ctx's rows; when given, only those streets get peers, chosen among themselves
    (a user's districts), while the context is still standardised over every street of ctx.
    """
    members = np.arange(len(ctx)) if among is None else np.flatnonzero(np.asarray(among, dtype=bool))
    if len(members) < 2:
        return pd.DataFrame(columns=PEER_COLUMNS)
    z = _standardised(ctx)[members]
    types = pd.factorize(ctx["street_type"].astype("string"), use_na_sentinel=True)[0][members]
    m = len(members)
    step = max(1, BLOCK_CELLS // (m * z.shape[1]))
    parts = [_nearest_block(z, np.arange(a, min(a + step, m)), types, k) for a in range(0, m, step)]
    rows, cols, dist, same = (np.concatenate(p) for p in zip(*parts, strict=True))
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows) + 1
    at = members[rows], members[cols]
    district = ctx["district"].to_numpy(dtype=object)
    street = ctx["street"].to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "district": district[at[0]],
            "street": street[at[0]],
            "period": ctx["period"].to_numpy(dtype=object)[at[0]],
            "peer_rank": rank,
            "peer_district": district[at[1]],
            "peer_street": street[at[1]],
            "distance": dist,
            "same_type": same,
        }
    )


def nearest_peers(
    ev,
    register: pd.DataFrame,
    period: str | None = None,
    k: int = DEFAULT_K,
    districts: frozenset[str] | None = None,
) -> pd.DataFrame:
    """PEER_COLUMNS: up to k (5–10 recommended) peers of every scored street, per period (all when None).

    districts: only the streets of these districts, peers among themselves (context standardised over all).
    """
    periods = [period] if period is not None else list(ev.periods)
    frames = []
    for p in periods:
        ctx = context(ev, register, p)
        among = None if districts is None else ctx["district"].isin(list(districts)).to_numpy(dtype=bool)
        frames.append(peers_from_context(ctx, k, among))
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=PEER_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    out = out.astype({c: "string" for c in ("district", "street", "period", "peer_district", "peer_street")})
    return out[PEER_COLUMNS]


def _select(frame: pd.DataFrame, **equal: str) -> pd.DataFrame:
    """Rows of frame whose columns equal the given values."""
    mask = np.ones(len(frame), dtype=bool)
    for col, value in equal.items():
        mask &= frame[col].eq(value).to_numpy(dtype=bool, na_value=False)
    return frame.loc[mask]


def peer_scores(
    ev,
    peers: pd.DataFrame,
    district: str,
    street: str,
    period: str,
    bands: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """PEER_SCORE_COLUMNS (+ rank band columns when bands are given): the street first, then its peers."""
    mine = _select(peers, district=district, street=street, period=period)
    this = {"district": [district], "street": [street], "peer_rank": [0], "distance": [0.0], "same_type": [True]}
    others = mine[["peer_district", "peer_street", "peer_rank", "distance", "same_type"]].set_axis(
        ["district", "street", "peer_rank", "distance", "same_type"], axis=1
    )
    group = pd.concat([pd.DataFrame(this), others], ignore_index=True)
    group = group.astype({"district": "string", "street": "string"})
    group["is_self"] = group["peer_rank"].eq(0).to_numpy()
    out = group.merge(ev.scores_for(period).drop(columns="period"), on=["district", "street"], how="left")
    columns = list(PEER_SCORE_COLUMNS)
    if bands is not None:
        band_cols = ["rank_city_median", "rank_city_p05", "rank_city_p95"]
        b = _select(bands, period=period)[["district", "street", *band_cols]]
        out = out.merge(b, on=["district", "street"], how="left")
        columns += band_cols
    return out[columns].reset_index(drop=True)


def gaps_from_scores(scores: pd.DataFrame, peers: pd.DataFrame, period: str) -> pd.DataFrame:
    """PEER_GAP_COLUMNS of the streets scored in period: score − median score of their peers (pure).

    n_peers counts the peers with an overall score; a street without any keeps NaN medians and gaps.
    A function score missing on a peer is left out of that function's median.
    """
    mask = scores["period"].eq(period).to_numpy(dtype=bool, na_value=False) & scores["overall"].notna().to_numpy()
    own = scores.loc[mask, [*KEY, *GAP_SCORES]].astype({"district": "string", "street": "string"})
    own = own.astype(dict.fromkeys(GAP_SCORES, "float64")).reset_index(drop=True)
    links = _select(peers, period=period)[["district", "street", "peer_district", "peer_street"]].astype("string")
    theirs = own.drop(columns="period").set_axis(["peer_district", "peer_street", *GAP_SCORES], axis=1)
    joined = links.merge(theirs, on=["peer_district", "peer_street"], how="inner")
    grouped = joined.groupby(["district", "street"], sort=False)[GAP_SCORES]
    medians = grouped.median().add_prefix("peer_median_").assign(n_peers=grouped.size())
    out = own.merge(medians.reset_index(), on=["district", "street"], how="left")
    out["n_peers"] = out["n_peers"].fillna(0).astype("int64")
    for s in GAP_SCORES:
        out[f"gap_{s}"] = out[s] - out[f"peer_median_{s}"]
    return out[PEER_GAP_COLUMNS]


def peer_gaps(ev, peers: pd.DataFrame, period: str) -> pd.DataFrame:
    """PEER_GAP_COLUMNS: each street scored in period against the median of its peers (from nearest_peers)."""
    return gaps_from_scores(ev.scores_for(period), peers, period)


def own_district_share(peers: pd.DataFrame) -> pd.DataFrame:
    """district, own_share: the share of each district's streets' peers that are of the same district ('全市' last)."""
    if peers.empty:
        return pd.DataFrame({"district": pd.Series(dtype="string"), "own_share": pd.Series(dtype="float64")})
    own = pd.Series(peers["district"].to_numpy() == peers["peer_district"].to_numpy(), index=peers.index)
    by = own.groupby(peers["district"].astype("string")).mean().rename("own_share").reset_index()
    city = pd.DataFrame({"district": ["全市"], "own_share": [float(own.mean())]})
    return pd.concat([by, city], ignore_index=True).astype({"district": "string"})
