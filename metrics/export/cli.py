"""`python -m metrics export KIND …`: write a scorecard workbook from workbooks or the store.

KIND is street (--street [--district]: the register gives the district when the street name is unique), compare
(--district twice to four times), ranking ([--district]), batch ([--district]) or departments ([--district]: the
部门评价排名 of issue 15); all take --period, --lang zh|en,
--out PATH (default: a Chinese or English file name in the current folder), FILE… (workbooks to read; none = the
store, --db URL) and --rules.
"""

from __future__ import annotations

import argparse
import sys

from metrics import selection
from metrics.export import batch, department_ranking, district_comparison, ranking, street_scorecard
from metrics.export.labels import text
from metrics.source import period_arg

KINDS = ("street", "compare", "ranking", "batch", "departments")


def add_export_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the `export` subcommand (its handler is args.func = run_export)."""
    p = subparsers.add_parser("export", help="导出评分表 Excel (export scorecards to Excel)")
    p.add_argument(
        "kind",
        choices=KINDS,
        help="street 街道评分表 | compare 区县对比 | ranking 排名表 | batch 批量评分表 | departments 部门评价排名",
    )
    p.add_argument("files", nargs="*", help="xlsx 工作簿；不给则读数据库 (workbooks; none = the store)")
    p.add_argument("--period", required=True, type=period_arg, help="考核期 (period), e.g. 2019Q2 or 2019年第二季度")
    p.add_argument(
        "--district", action="append", default=[], help="区(市)县；对比时给 2–4 次 (district; 2–4 for compare)"
    )
    p.add_argument("--street", help="街道(镇) (street), for street")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="语言 (language), default zh")
    p.add_argument("--out", help="输出 .xlsx 路径 (output path)")
    p.add_argument("--db", help="数据库 URL (store URL; default $STREETS_DB or data/streets.sqlite)")
    p.add_argument("--rules", help="规则文件 (rules file; default $STREETS_RULES or metrics/rules.toml)")
    p.set_defaults(func=run_export)
    return p


def run_export(args: argparse.Namespace) -> int:
    """Build the asked-for workbook and write it; 0 on success, 1 for bad data, 2 for bad arguments."""
    problem = _check_args(args)
    if problem:
        print(f"✘ {problem}", file=sys.stderr)
        return 2
    loaded = _evaluation(args)
    if loaded is None:
        return 1
    try:
        _resolve(loaded[0], args)
        out = selection.out_path(args.out or default_name(args))
    except selection.SelectionError as exc:
        print(f"✘ {exc}", file=sys.stderr)
        return 2
    try:
        data = _build(*loaded, args)
    except (KeyError, ValueError) as exc:
        print(f"✘ {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 1
    out.write_bytes(data)
    print(out)
    return 0


def default_name(args: argparse.Namespace) -> str:
    """The file name used when --out is not given, e.g. 街道履职考核评分表_玉林街道_2019Q2.xlsx."""
    key = {
        "street": "scorecard",
        "compare": "comparison",
        "ranking": "ranking",
        "batch": "batch",
        "departments": "department_ranking",
    }[args.kind]
    parts = [text(key, args.lang).replace(" ", "_")]
    if args.kind == "street":
        parts.append(args.street)
    else:
        parts += args.district
    parts.append(args.period)
    name = "_".join(parts)
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name) + ".xlsx"


def _check_args(args: argparse.Namespace) -> str | None:
    if args.kind == "street" and (len(args.district) > 1 or not args.street):
        return "street 需要 --street，至多一个 --district (street needs --street and at most one --district)"
    if args.kind == "compare" and not 2 <= len(args.district) <= 4:
        return "compare 需要 2–4 个 --district (compare needs 2 to 4 --district)"
    if args.kind in ("ranking", "batch", "departments") and len(args.district) > 1:
        return f"{args.kind} 最多一个 --district ({args.kind} takes at most one --district)"
    return None


def _evaluation(args: argparse.Namespace):
    """(Evaluation, the 清单外事项 rows) from the files or the store; None after printing why not."""
    from metrics.config import ConfigError, load_config
    from metrics.evaluation import evaluate
    from metrics.source import load_dataset

    try:
        config = load_config(args.rules)
    except ConfigError as exc:
        print(f"✘ {exc}", file=sys.stderr)
        return None
    ds = load_dataset(args.files, args.db, "有文件不能读取，未导出（files with errors; nothing exported）")
    if ds is None:
        return None
    try:
        return evaluate(ds, config), ds.unlisted
    except ValueError as exc:
        print(f"✘ {exc}", file=sys.stderr)
        return None


def _resolve(ev, args: argparse.Namespace) -> None:
    """Put the evaluation's spelling of --district/--street/--period into args (SelectionError if none fits)."""
    args.district = [selection.district(ev, d) for d in args.district]
    if args.street:
        district, args.street = selection.street(ev, args.street, args.district[0] if args.district else None)
        args.district = [district]
    args.period = selection.period(ev, args.period)


def _build(ev, tasks, args: argparse.Namespace) -> bytes:
    district = args.district[0] if args.district else None
    if args.kind == "street":
        return street_scorecard(ev, district, args.street, args.period, args.lang, tasks=tasks)
    if args.kind == "compare":
        return district_comparison(ev, args.district, args.period, args.lang)
    if args.kind == "ranking":
        return ranking(ev, args.period, district, args.lang)
    if args.kind == "departments":
        return department_ranking(ev, args.period, district, args.lang)
    return batch(ev, args.period, args.lang, district, tasks=tasks)
