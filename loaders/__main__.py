"""`python -m loaders check|ingest|history`: check workbooks, store them, show the ingest log."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from loaders.findings import ParsedFile
from loaders.ingest import ingest_paths
from loaders.read import read_files
from loaders.store_peek import StoreVersionError, peek_register

if TYPE_CHECKING:
    import pandas as pd

    from loaders.parse import Prepared

LEVEL_MARK = {"error": "✘ 错误 error", "warning": "! 警告 warning", "skipped": "· 跳过 skipped"}


def _summary(p: ParsedFile) -> str:
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


def cmd_check(args: argparse.Namespace) -> int:
    register = _store_register(args.db) if not args.no_store else None
    result = read_files(args.files, register=register)
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
    refused = 0
    for o in outcomes:
        if o.outcome == "refused":
            refused += 1
            print(f"✘ {o.file_name}: 已拒绝，数据未改变 (refused, no data changed)")
            for f in store.findings(o.ingest_id):
                if f["level"] == "error":
                    print(f"    [{f['location']}] {f['zh']}（{f['en']}）")
        elif o.outcome == "duplicate":
            print(
                f"= {o.file_name}: 内容与第 {o.duplicate_of} 次导入相同，未重复导入 (same content as ingest "
                f"#{o.duplicate_of}, nothing changed)"
            )
        else:
            rows = ", ".join(f"{k} {v}" for k, v in o.rows.items())
            print(f"✔ {o.file_name}: 已导入 ingested #{o.ingest_id}; 行 rows: {rows}")
            for u in o.added:
                print(f"    + 新增 added: {u.label()}")
            for u in o.superseded:
                print(f"    ↻ 替换旧报表 superseded: {u.label()}")
    print(f"共 {len(outcomes)} 个文件，拒绝 {refused} 个 ({len(outcomes)} files, {refused} refused) → {store.url}")
    if args.results and any(o.outcome == "ingested" for o in outcomes) and _keep_results(store.url) != 0:
        return 1
    return 1 if refused else 0


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except StoreVersionError as exc:
        print(f"✘ {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
