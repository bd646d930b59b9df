"""Time the Excel exports on the sample data: one street's scorecard (median of 10) and the batch of a period.

python bench/bench_export.py [--period 2019Q2] [--district 武侯区 --street 玉林街道] [--repeat 10] [--db URL]
                             [--render docs]

Data: the sample workbooks in data/samples/ (read and evaluated once, not timed), or the store with --db.
Timed: street_scorecard() including its Evaluation lookups, and batch() for every street of the period.
--render DIR also converts the scorecard, comparison and ranking with LibreOffice and writes the first page of
each as DIR/export-scorecard.png, DIR/export-comparison.png and DIR/export-ranking.png (80 dpi).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from metrics import evaluate  # noqa: E402
from metrics.export import batch, district_comparison, ranking, street_scorecard  # noqa: E402


def load(db: str | None):
    """The sample dataset (or the store's) and a line saying where it came from."""
    if db:
        from loaders.store import Store

        return Store(db).load_dataset(), f"store {db}"
    from loaders import read_files

    files = sorted((ROOT / "data" / "samples").glob("*.xlsx"))
    if not files:
        sys.exit("no sample workbooks in data/samples (run: python data/generate.py)")
    result = read_files(files)
    return result.dataset, f"{len(files)} sample workbooks in data/samples"


def timed(fn, repeat: int) -> tuple[float, bytes]:
    """Median wall time of fn() over repeat runs, and its last result."""
    times, out = [], b""
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def render(files: dict[str, bytes], outdir: Path) -> None:
    """Convert each workbook with LibreOffice and save its first page as outdir/export-<name>.png."""
    soffice = shutil.which("libreoffice") or shutil.which("soffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        sys.exit("--render needs libreoffice and pdftoppm")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, data in files.items():
            (Path(tmp) / f"{name}.xlsx").write_bytes(data)
            paths.append(str(Path(tmp) / f"{name}.xlsx"))
        profile = f"-env:UserInstallation=file:///tmp/lo_profile_{os.getpid()}"
        cmd = [soffice, "--headless", profile, "--convert-to", "pdf", "--outdir", tmp, *paths]
        subprocess.run(cmd, check=True, capture_output=True)
        for name in files:
            stem = Path(tmp) / f"page_{name}"
            subprocess.run(
                ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", f"{tmp}/{name}.pdf", str(stem)],
                check=True,
            )
            shutil.copy(f"{stem}.png", outdir / f"export-{name}.png")
            print(f"wrote {outdir / f'export-{name}.png'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2019Q2")
    parser.add_argument("--district", default="武侯区")
    parser.add_argument("--street", default="玉林街道")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--db")
    parser.add_argument("--render", type=Path, help="write first-page PNGs of the exports into this folder")
    args = parser.parse_args()

    t = time.perf_counter()
    ds, source = load(args.db)
    t_load = time.perf_counter() - t
    t = time.perf_counter()
    ev = evaluate(ds)
    t_eval = time.perf_counter() - t
    streets = ev.scores_for(period=args.period)
    items = len(ev.items_for(args.district, args.street, args.period))
    print(f"data: {source}; read {t_load:.1f} s, evaluate() {t_eval:.2f} s (not timed below)")

    tasks = ds.unlisted

    def card_fn() -> bytes:
        return street_scorecard(ev, args.district, args.street, args.period, tasks=tasks)

    t_street, card = timed(card_fn, args.repeat)
    print(
        f"street scorecard  {args.district} {args.street} {args.period} ({items} item rows): "
        f"median {t_street * 1000:.1f} ms of {args.repeat}, {len(card) / 1024:.0f} KiB  (target < 500 ms)"
    )
    t_batch, book = timed(lambda: batch(ev, args.period, tasks=tasks), max(1, args.repeat // 3))
    print(
        f"batch             {len(streets)} streets, {args.period}: median {t_batch:.2f} s "
        f"of {max(1, args.repeat // 3)}, {len(book) / 1024:.0f} KiB"
    )
    districts = list(ev.districts[:4])
    t_cmp, comparison = timed(lambda: district_comparison(ev, districts, args.period), args.repeat)
    t_rank, ranked = timed(lambda: ranking(ev, args.period), args.repeat)
    print(f"comparison        {len(districts)} districts: median {t_cmp * 1000:.1f} ms")
    print(f"ranking           {len(streets)} streets: median {t_rank * 1000:.1f} ms")
    if args.render:
        render({"scorecard": card, "comparison": comparison, "ranking": ranked}, args.render)


if __name__ == "__main__":
    main()
