"""`python -m metrics score [FILE...] [--db URL] [--period 2019Q2] [--district 武侯区] [--format csv|json|xlsx]
[--out PATH|-]`: score workbooks (touching no store) or the store, and write one row per street and quarter.

`python -m metrics results [--db URL] [--rules PATH]`: compute and keep the store's results (metrics.results),
unless they are kept already; `score --db` then reads them instead of computing.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from loaders.diskfull import is_disk_full, message
from loaders.store_peek import StoreOpenError, StoreVersionError
from metrics import selection
from metrics.config import ConfigError, load_config
from metrics.source import load_dataset, period_arg

if TYPE_CHECKING:
    from loaders.schema import Dataset

# pandas and SQLAlchemy (~1 s to import) are imported where used: `score --db` of kept results on a SQLite
# store needs neither (_kept_csv).


def _dataset(args: argparse.Namespace) -> Dataset | None:
    return load_dataset(args.files, args.db, "有文件不能读取，未计算得分（files with errors; nothing scored）")


def cmd_score(args: argparse.Namespace) -> int:
    """Score and write the rows asked for."""
    try:
        config = load_config(args.rules)
    except ConfigError as exc:
        print(f"✘ {exc}", file=sys.stderr)
        return 2
    fmt = args.format or (Path(args.out).suffix.lstrip(".") if args.out and args.out != "-" else "csv")
    if not args.files and fmt == "csv":
        done = _kept_csv(args)
        if done is not None:
            return done
    ev = None if args.files else _kept(args)
    if ev is None:
        from metrics.evaluation import evaluate

        ds = _dataset(args)
        if ds is None:
            return 1
        try:
            ev = evaluate(ds, config)
        except ValueError as exc:
            print(f"✘ {exc}", file=sys.stderr)
            return 1
    try:
        scores = _selected(ev, args)
        out = selection.out_path(args.out) if args.out and args.out != "-" else None
    except selection.SelectionError as exc:
        print(f"✘ {exc}", file=sys.stderr)
        return 2
    if fmt not in ("csv", "json", "xlsx"):
        print(f"✘ 不支持的格式 {fmt}（unsupported format）", file=sys.stderr)
        return 2
    from metrics.output import to_csv, to_json, write_xlsx

    if fmt == "xlsx":
        if out is None:
            print("✘ xlsx 需要 --out 文件路径（xlsx needs --out PATH）", file=sys.stderr)
            return 2
        write_xlsx(scores, out)
        return 0
    _write(to_csv(scores) if fmt == "csv" else to_json(scores) + "\n", out)
    return 0


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")


def _selected(ev, args: argparse.Namespace):
    """The score rows of --period and --district; SelectionError when either matches nothing or no row is left."""
    scores = ev.scores
    if args.period:
        period = selection.period(ev, args.period)
        scores = scores.loc[scores["period"].eq(period).to_numpy(dtype=bool, na_value=False)]
    if args.district:
        district = selection.district(ev, args.district)
        scores = scores.loc[scores["district"].eq(district).to_numpy(dtype=bool, na_value=False)]
    if scores.empty:
        raise selection.SelectionError(_nothing_selected(args))
    return scores


def _kept_csv(args: argparse.Namespace) -> int | None:
    """Write the kept scores of a SQLite store as CSV without pandas or SQLAlchemy (output_plain.frame_csv: what
    to_csv writes); None when they are not kept for its current data and rules, or not a plain SQLite store."""
    from loaders.store_peek import default_url
    from metrics.frames_codec import decode_value
    from metrics.output_plain import frame_csv
    from metrics.results_peek import EVALUATION_PREFIX, kept_sqlite

    names = {EVALUATION_PREFIX + n: n for n in ("scores", "periods", "districts")}
    kept = kept_sqlite(args.db or default_url(), args.rules, names)
    if kept is None:
        return None
    fields = {names[name]: payload for name, payload in kept.items()}
    ev = SimpleNamespace(periods=decode_value(fields["periods"]), districts=decode_value(fields["districts"]))
    try:
        where = {}
        if args.period:
            where["period"] = selection.period(ev, args.period)
        if args.district:
            where["district"] = selection.district(ev, args.district)
        made = frame_csv(fields["scores"], where)
        if made is None:
            return None  # a column frame_csv does not write: decoded, and written by to_csv
        if made[1] == 0:
            raise selection.SelectionError(_nothing_selected(args))
        out = selection.out_path(args.out) if args.out and args.out != "-" else None
    except selection.SelectionError as exc:
        print(f"✘ {exc}", file=sys.stderr)
        return 2
    _write(made[0], out)
    return 0


def _nothing_selected(args: argparse.Namespace) -> str:
    asked = " ".join(x for x in (args.district, args.period) if x) or "所选范围"
    return f"{asked} 没有可输出的得分（no scores for this selection）"


KEPT_FIELDS = ("scores", "periods", "districts", "streets")  # what score and selection read of an Evaluation


def _kept(args: argparse.Namespace) -> SimpleNamespace | None:
    """The store's kept scores (and what --period/--district are checked against) for its current data and rules."""
    from loaders.store import Store
    from metrics import results

    with Store(args.db) as store:
        kept = results.stored_fields(store, results.current_key(store, args.rules), KEPT_FIELDS)
        if kept is None and results.compute(store, args.rules, bands=False).state != "busy":
            # Kept now for the dashboard and the next call; the bands are left to whoever shows them.
            kept = results.stored_fields(store, results.current_key(store, args.rules), KEPT_FIELDS)
    return SimpleNamespace(**kept) if kept is not None else None


def cmd_results(args: argparse.Namespace) -> int:
    """Compute and keep the store's results; say what was done (--follow: then each key read from stdin)."""
    import pandas as pd

    from loaders.store import Store
    from metrics import results

    # Python-backed strings, as the runtime requirements (no pyarrow) give and the tests use: with pyarrow
    # installed pandas 3 backs its strings with it, and evaluate takes ~1.9× the CPU (city: 6.3 s, not 3.4).
    pd.set_option("mode.string_storage", "python")
    try:
        load_config(args.rules)
        with Store(args.db) as store:
            claimed, banding = args.claimed, None
            while True:
                if banding is not None:  # the previous key's rank bands: superseded, not worth finishing
                    os.kill(banding, signal.SIGTERM)
                    os.waitpid(banding, 0)
                    banding = None
                bands, apart = not args.no_bands, args.follow and hasattr(os, "fork")  # no fork: bands in line
                outcome = results.compute(store, args.rules, bands=bands and not apart, claimed=claimed)
                said = {
                    "computed": f"已计算并保存 computed and kept in {outcome.seconds:.1f} s",
                    "ready": "已是最新 already kept",
                    "busy": "另一进程正在计算 another process is computing them",
                }[outcome.state]
                print(f"{said}: {outcome.key[:12]}", flush=True)
                if not args.follow:
                    return 0
                if bands and apart and outcome.evaluation is not None:
                    banding = _bands_apart(store, outcome.key, outcome.evaluation)
                del outcome  # the Evaluation: only the store's snapshot is kept while waiting for the next key
                claimed = sys.stdin.readline().strip()
                if not claimed:  # the web process closed stdin: it retires an idle process so, or it ended
                    return 0
    except ConfigError as exc:
        print(f"✘ {exc}", file=sys.stderr)
        return 2


def _bands_apart(store, key: str, ev) -> int:
    """Fork a process that keeps key's rank bands (the Evaluation shared copy-on-write); its pid. This one
    waits meanwhile for the next key, so the next upload's Evaluation never waits for a Monte Carlo."""
    from metrics import results

    pid = os.fork()
    if pid:
        return pid
    try:
        store.engine.dispose(close=False)  # the parent's pooled connections are the parent's
        results.keep_bands(store, key, ev)
    except BaseException:
        import traceback

        traceback.print_exc()
        os._exit(1)
    os._exit(0)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m metrics", description="街道履职评价得分 (street duty scores)")
    sub = parser.add_subparsers(dest="command", required=True)
    score = sub.add_parser("score", help="计算得分 score streets per quarter")
    score.add_argument("files", nargs="*", help="xlsx 工作簿；不给则读数据库 (workbooks; none = the store)")
    score.add_argument("--db", help="数据库 URL (store URL; default $STREETS_DB or data/streets.sqlite)")
    score.add_argument("--period", type=period_arg, help="只输出该报告期, e.g. 2019Q2")
    score.add_argument("--district", help="只输出该区(市)县, e.g. 武侯区")
    score.add_argument("--format", choices=["csv", "json", "xlsx"], help="输出格式 (default from --out, else csv)")
    score.add_argument("--out", help="输出文件，- 为标准输出 (output path, - = stdout)")
    score.add_argument("--rules", help="规则文件 (rules file; default $STREETS_RULES or metrics/rules.toml)")
    keep = sub.add_parser("results", help="计算并保存结果 compute and keep the store's results")
    keep.add_argument("--db", help="数据库 URL (store URL; default $STREETS_DB or data/streets.sqlite)")
    keep.add_argument("--rules", help="规则文件 (rules file; default $STREETS_RULES or metrics/rules.toml)")
    keep.add_argument("--no-bands", action="store_true", help="不计算排名区间 (skip the rank bands)")
    keep.add_argument("--claimed", help=argparse.SUPPRESS)  # a key a web worker claimed for this process
    # --follow: stay alive and compute each further key the web worker claims and writes to stdin (one a line),
    # with the store's snapshot kept, so only the batches added since are read (Store._table).
    keep.add_argument("--follow", action="store_true", help=argparse.SUPPRESS)
    keep.set_defaults(func=cmd_results)
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] not in (["score"], ["results"]):  # the exports' modules take 0.3 s to import: only when needed
        from metrics.export.cli import add_export_parser

        add_export_parser(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args) if "func" in args else cmd_score(args)
    except (StoreVersionError, StoreOpenError) as exc:
        print(f"✘ {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # OSError, or a writer's own error wrapping it (xlsxwriter's FileCreateError)
        if not is_disk_full(exc):
            raise
        print(f"✘ {message(getattr(args, 'out', None) or '')}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
