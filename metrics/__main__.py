"""`python -m metrics score [FILE...] [--db URL] [--period 2019Q2] [--district 武侯区] [--format csv|json|xlsx]
[--out PATH|-]`: score workbooks (touching no store) or the store, and write one row per street and quarter."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from loaders.diskfull import is_disk_full, message
from loaders.schema import Dataset
from metrics import selection
from metrics.config import ConfigError, load_config
from metrics.evaluation import evaluate
from metrics.export.cli import add_export_parser
from metrics.output import to_csv, to_json, write_xlsx
from metrics.source import load_dataset, period_arg


def _dataset(args: argparse.Namespace) -> Dataset | None:
    return load_dataset(args.files, args.db, "有文件不能读取，未计算得分（files with errors; nothing scored）")


def cmd_score(args: argparse.Namespace) -> int:
    """Score and write the rows asked for."""
    try:
        config = load_config(args.rules)
    except ConfigError as exc:
        print(f"✘ {exc}", file=sys.stderr)
        return 2
    ds = _dataset(args)
    if ds is None:
        return 1
    try:
        ev = evaluate(ds, config)
    except ValueError as exc:
        print(f"✘ {exc}", file=sys.stderr)
        return 1
    fmt = args.format or (Path(args.out).suffix.lstrip(".") if args.out and args.out != "-" else "csv")
    try:
        scores = _selected(ev, args)
        out = selection.out_path(args.out) if args.out and args.out != "-" else None
    except selection.SelectionError as exc:
        print(f"✘ {exc}", file=sys.stderr)
        return 2
    if fmt not in ("csv", "json", "xlsx"):
        print(f"✘ 不支持的格式 {fmt}（unsupported format）", file=sys.stderr)
        return 2
    if fmt == "xlsx":
        if out is None:
            print("✘ xlsx 需要 --out 文件路径（xlsx needs --out PATH）", file=sys.stderr)
            return 2
        write_xlsx(scores, out)
        return 0
    text = to_csv(scores) if fmt == "csv" else to_json(scores) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
    return 0


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
        asked = " ".join(x for x in (args.district, args.period) if x) or "所选范围"
        raise selection.SelectionError(f"{asked} 没有可输出的得分（no scores for this selection）")
    return scores


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
    add_export_parser(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args) if "func" in args else cmd_score(args)
    except Exception as exc:  # OSError, or a writer's own error wrapping it (xlsxwriter's FileCreateError)
        if not is_disk_full(exc):
            raise
        print(f"✘ {message(getattr(args, 'out', None) or '')}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
