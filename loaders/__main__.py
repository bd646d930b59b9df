"""`python -m loaders check|ingest|history|template|status|guide`: check and store workbooks, hand out templates."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from loaders import diskfull
from loaders.crosscheck import ListIndex
from loaders.findings import ParsedFile
from loaders.ingest import ingest_paths
from loaders.read import read_files
from loaders.store_peek import StoreOpenError, StoreVersionError, peek_register

if TYPE_CHECKING:
    import pandas as pd

    from loaders.parse import Prepared
    from loaders.store import IngestOutcome, Store

LEVEL_MARK = {"error": "✘ 错误 error", "warning": "! 警告 warning", "skipped": "· 跳过 skipped"}


def _summary(p: ParsedFile) -> str:
    if p.skipped:
        return f"· {p.name}: 已跳过 skipped（{p.findings[0].zh}）"
    mark = "✔" if p.ok else "✘"
    state = "可以导入 valid" if p.ok else f"{len(p.errors)} 个错误，不能导入 ({len(p.errors)} errors, refused)"
    return (
        f"{mark} {p.name}: {state}; 读取 {p.rows_read} 行，使用 {p.rows_used}，跳过 {p.rows_skipped} "
        f"(rows read {p.rows_read}, used {p.rows_used}, skipped {p.rows_skipped})"
    )


def _print_findings(p: ParsedFile, quiet: bool) -> None:
    for f in p.findings:
        if quiet and f.level == "skipped":
            continue
        print(f"    {LEVEL_MARK[f.level]} [{f.location}] {f.zh}（{f.en}）")


def _store_register(url: str | None) -> Prepared | pd.DataFrame:
    """The store's active register, read without opening the store when it is a SQLite file."""
    register = peek_register(url)
    if register is None:
        from loaders.store import Store

        register = Store(url).load_register()
    return register


def _store_lists(url: str | None) -> ListIndex | None:
    """The store's duty lists, which reports are checked against as an ingest would (None: no store yet)."""
    from loaders.store import Store
    from loaders.store_peek import default_url

    u = url or default_url()
    if u.startswith("sqlite:///") and not Path(u.removeprefix("sqlite:///")).exists():
        return None  # checking must not create a store
    return Store(url).list_index()


def cmd_check(args: argparse.Namespace) -> int:
    register = _store_register(args.db) if not args.no_store else None
    result = read_files(args.files, register=register, lists=None if args.no_store else _store_lists(args.db))
    if args.json:
        out = [
            {
                "file": p.name,
                "ok": p.ok,
                "rows_read": p.rows_read,
                "rows_used": p.rows_used,
                "rows_skipped": p.rows_skipped,
                "findings": [f.as_dict() for f in p.findings],
            }
            for p in result.files
        ]
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for p in result.files:
            print(_summary(p))
            _print_findings(p, args.quiet)
    return 0 if result.ok else 1


def cmd_ingest(args: argparse.Namespace) -> int:
    opened = []

    def open_store():
        # Imported and opened while the workers read the files (SQLAlchemy's import alone takes 0.15 s).
        from loaders.store import Store

        opened.append(Store(args.db))
        return opened[0]

    outcomes = ingest_paths(open_store, args.files, user=args.user, register=peek_register(args.db))
    store = opened[0]
    refused = sum(_print_outcome(store, o) for o in outcomes)
    print(f"共 {len(outcomes)} 个文件，拒绝 {refused} 个 ({len(outcomes)} files, {refused} refused) → {store.url}")
    if args.results and any(o.outcome == "ingested" for o in outcomes) and _keep_results(store.url) != 0:
        return 1
    return 1 if refused else 0


def _print_outcome(store: Store, o: IngestOutcome) -> bool:
    """Print what ingesting one file did; True when the file was refused or failed."""
    if o.outcome == "refused":
        print(f"✘ {o.file_name}: 已拒绝，数据未改变 (refused, no data changed)")
        for f in store.findings(o.ingest_id):
            if f["level"] == "error":
                print(f"    [{f['location']}] {f['zh']}（{f['en']}）")
    elif o.outcome == "failed":
        print(f"✘ {diskfull.message(o.file_name)}")
    elif o.outcome == "skipped":
        print(f"· {o.file_name}: 不是报表，已跳过 (not a report, skipped)")
    elif o.outcome == "duplicate":
        print(
            f"= {o.file_name}: 内容与第 {o.duplicate_of} 次导入相同，未重复导入 (same content as ingest "
            f"#{o.duplicate_of}, nothing changed)"
        )
    else:
        rows = ", ".join(f"{k} {v}" for k, v in o.rows.items())
        print(f"✔ {o.file_name}: 已导入 ingested #{o.ingest_id}; 行 rows: {rows}")
        if o.reactivated is not None:
            print(
                f"    ↺ 与第 {o.reactivated} 次导入内容相同，该文件曾被更新的报表替换，现重新启用 "
                f"(same content as ingest #{o.reactivated}, which a later file had replaced: active again)"
            )
        for u in o.added:
            print(f"    + 新增 added: {u.label()}")
        for u in o.superseded:
            print(f"    ↻ 替换旧报表 superseded: {u.label()}")
    return o.outcome in ("refused", "failed")


def _keep_results(url: str) -> int:
    """Compute and keep the new data's results (`python -m metrics results`), timed apart from the ingest."""
    import os
    import subprocess
    import time
    from pathlib import Path

    # A process of its own: the loaders never import metrics, and the store URL stays off the command line.
    start = time.perf_counter()
    env = dict(os.environ, STREETS_DB=url)
    repo = str(Path(__file__).resolve().parent.parent)  # `-m metrics` found from any working folder
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [repo, env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, "-m", "metrics", "results"], env=env, check=False)
    print(f"结果计算 results: {time.perf_counter() - start:.1f} s")
    return done.returncode


def cmd_history(args: argparse.Namespace) -> int:
    from loaders.store import Store

    hist = Store(args.db).history()
    cols = ["id", "ingested_at", "user_name", "outcome", "file_name", "rows_used", "rows_skipped", "n_errors"]
    if hist.empty:
        print("（尚无导入记录 no ingests yet）")
    else:
        print(hist[cols].head(args.limit).to_string(index=False))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from loaders.store import Store
    from loaders.template import TemplateError, make_templates

    try:
        paths = make_templates(
            Store(args.db).load_dataset(), args.district, args.period, args.out, args.street, args.combined
        )
    except TemplateError as exc:
        print(f"✘ {exc}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"✔ {path}")
    print(f"共 {len(paths)} 个模板 ({len(paths)} templates) → {args.out}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from loaders.store import Store
    from metrics.submissions import print_status, submissions

    table = submissions(Store(args.db), args.period)
    if args.missing_out:
        from metrics.submissions import write_missing

        write_missing(table, args.missing_out)
    print_status(table, args.period, sys.stdout)
    return 0


def cmd_guide(_args: argparse.Namespace) -> int:
    from loaders.guide import markdown

    sys.stdout.write(markdown())
    return 0


def _period(text: str) -> str:
    from metrics.source import period_arg

    return period_arg(text)


def _add_more(sub: argparse._SubParsersAction, db_help: str) -> None:
    template = sub.add_parser("template", help="生成报表模板 write report templates from the list in force")
    template.add_argument("--district", required=True)
    template.add_argument("--period", required=True, type=_period, help="e.g. 2021Q1 or 2021年第一季度")
    template.add_argument("--street", default=None, help="one street only (default: every street of the district)")
    template.add_argument("--combined", action="store_true", help="one district workbook instead of one per street")
    template.add_argument("--out", required=True, help="folder to write into")
    template.add_argument("--db", default=None, help=db_help)
    template.set_defaults(func=cmd_template)
    status = sub.add_parser("status", help="报送情况 who has sent the period's report, who has not")
    status.add_argument("--period", required=True, type=_period)
    status.add_argument("--db", default=None, help=db_help)
    status.add_argument("--missing-out", default=None, help="write the 催报 list of missing streets (.xlsx or .csv)")
    status.set_defaults(func=cmd_status)
    guide = sub.add_parser("guide", help="格式说明表 the generated tables of docs/FORMATS.md")
    guide.set_defaults(func=cmd_guide)


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(
        prog="python -m loaders", description="读取、检查并导入报表 Read, check and store workbooks"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    db_help = "数据库 SQLAlchemy URL (default: $STREETS_DB or sqlite data/streets.sqlite)"
    check = sub.add_parser("check", help="检查工作簿，不写入 check workbooks without storing")
    check.add_argument("files", nargs="+")
    check.add_argument("--json", action="store_true", help="machine-readable output")
    check.add_argument("--quiet", action="store_true", help="hide skipped rows")
    check.add_argument("--db", default=None, help=db_help + "; its street register resolves names")
    check.add_argument("--no-store", action="store_true", help="do not read the register from the store")
    check.set_defaults(func=cmd_check)
    ingest = sub.add_parser("ingest", help="导入工作簿 store workbooks")
    ingest.add_argument("files", nargs="+")
    ingest.add_argument("--db", default=None, help=db_help)
    ingest.add_argument("--user", default=None, help="who ingests (default: the OS user)")
    ingest.add_argument(
        "--no-results",
        dest="results",
        action="store_false",
        help="不计算结果 (do not compute the results now; the dashboard or `metrics score --db` does on first use)",
    )
    ingest.set_defaults(func=cmd_ingest)
    history = sub.add_parser("history", help="导入记录 the ingest log")
    history.add_argument("--db", default=None, help=db_help)
    history.add_argument("--limit", type=int, default=50)
    history.set_defaults(func=cmd_history)
    _add_more(sub, db_help)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (StoreVersionError, StoreOpenError) as exc:
        print(f"✘ {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        if not diskfull.is_disk_full(exc):
            raise
        print(f"✘ {diskfull.message()}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
