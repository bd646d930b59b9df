"""Time the rank-uncertainty Monte Carlo with pairwise order probabilities, tiers, sensitivity, peers and what-if.

python bench/bench_uncertainty.py [--citygen bench/out/city] [--n 500] [--repeat 3]
python bench/bench_uncertainty.py --synthetic [--districts 23 --streets 260 --items 150 --quarters 8]

Data: the bench/citygen.py workbooks read through loaders.read_files (written if absent; reading is not
timed), or bench_score.py's synthetic city. Prints per-period and all-period timings, then sample bands,
sensitivity shares and peers of the latest period.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_score import _load_dataset
from metrics import evaluate
from metrics.config import FUNCTIONS
from metrics.pairwise import grade_probabilities, order_probabilities
from metrics.peers import nearest_peers
from metrics.sensitivity import sensitivity_from
from metrics.uncertainty import Settings, bands_from, simulate
from metrics.whatif import whatif_ranking


def _timed(fn, repeat: int):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--citygen", metavar="DIR", default="bench/out/city")
    p.add_argument("--synthetic", action="store_true", help="use bench_score.py's synthetic city instead")
    p.add_argument("--districts", type=int, default=23)
    p.add_argument("--streets", type=int, default=260)
    p.add_argument("--items", type=int, default=150)
    p.add_argument("--quarters", type=int, default=8)
    p.add_argument("--n", type=int, default=500, help="scenarios per period")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args(argv)
    if args.synthetic:
        args.citygen = None
    ds, source = _load_dataset(args)
    ev = evaluate(ds)
    settings = Settings.from_config(ev.config)
    settings = Settings(**{**settings.__dict__, "n": args.n})
    print(f"data: {source}")
    ranked = ev.scores["overall"].notna()
    print(
        f"  {len(ev.districts)} districts, {ev.streets.shape[0]} streets, {len(ev.periods)} periods, "
        f"{int(ranked.sum())} scored street-periods, item detail {len(ev.items):,} rows; {args.n} scenarios/period"
    )
    rows = []
    for period in ev.periods:
        t_sim, sim = _timed(lambda period=period: simulate(ev, period, settings), args.repeat)
        t_pair, (op, grades) = _timed(
            lambda sim=sim: (order_probabilities(sim), grade_probabilities(sim, ev.config)), args.repeat
        )
        t_band, bands = _timed(lambda sim=sim, op=op, grades=grades: bands_from(sim, ev, op, grades), args.repeat)
        t_sens, _ = _timed(lambda sim=sim: sensitivity_from(sim), args.repeat)
        width = (bands["rank_city_p95"] - bands["rank_city_p05"]).astype("float64")
        rows.append(
            {
                "period": period,
                "streets": len(bands),
                "simulate_s": t_sim,
                "pairwise_s": t_pair,
                "bands_tiers_s": t_band,
                "sensitivity_s": t_sens,
                "sim_pairwise_s": t_sim + t_pair + t_band,
                "total_s": t_sim + t_pair + t_band + t_sens,
                "tiers": int(bands["n_tiers_city"].max()),
                "unclear_median": bands["n_unclear_city"].median(),
                "band_width_median": width.median(),
                "band_width_max": width.max(),
                "overlap_median": bands["n_overlap_city"].median(),
            }
        )
    table = pd.DataFrame(rows)
    print(f"\nper period (median of {args.repeat}):")
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print(
        f"simulation + pairwise probabilities + tiers: per period median {table['sim_pairwise_s'].median():.3f} s, "
        f"max {table['sim_pairwise_s'].max():.3f} s"
    )
    print(
        f"all {len(ev.periods)} periods: {table['total_s'].sum():.2f} s; "
        f"per period median {table['total_s'].median():.3f} s, max {table['total_s'].max():.3f} s"
    )

    t_peers, peers = _timed(lambda: nearest_peers(ev, ds.register), args.repeat)
    weights = dict(zip(FUNCTIONS, (3, 1, 1, 1, 2), strict=True))
    last = ev.periods[-1]
    t_whatif, what = _timed(lambda: whatif_ranking(ev.scores_for(last), weights), args.repeat)
    print(f"peers (k=8, all periods): {t_peers:.3f} s, {len(peers):,} rows")
    print(f"what-if ranking, one period: {t_whatif * 1e3:.1f} ms")
    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")

    sim = simulate(ev, last, settings)
    bands = bands_from(sim, ev).sort_values("rank_city")
    cols = ["district", "street", "overall", "rank_city", "rank_city_p05", "rank_city_median", "rank_city_p95"]
    cols += ["n_overlap_city", "completeness"]
    print(f"\nsample bands, {last}, official top 8:")
    print(bands[cols].head(8).to_string(index=False, float_format=lambda x: f"{x:.2f}"))
    print(f"\nsensitivity, {last} (share of city-rank variance):")
    print(sensitivity_from(sim)[["factor", "share", "kind", "rank_variance"]].to_string(index=False))
    first = bands.iloc[0]
    mine = peers.loc[
        peers["period"].eq(last).to_numpy(dtype=bool)
        & peers["district"].eq(first["district"]).to_numpy(dtype=bool)
        & peers["street"].eq(first["street"]).to_numpy(dtype=bool)
    ]
    print(f"\npeers of {first['district']} {first['street']}, {last}:")
    print(mine[["peer_rank", "peer_district", "peer_street", "distance", "same_type"]].to_string(index=False))
    moved = what.loc[what["rank_change"].abs().gt(0).to_numpy(dtype=bool)]
    print(f"\nwhat-if {weights}: {len(moved)} of {len(what)} streets change city rank, largest |change| ", end="")
    print(int(what["rank_change"].abs().max()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
