"""Server-side time of every dashboard callback, on the sample data and at city scale, slowest first.

    python bench/bench_callbacks.py [--repeat 7] [--city-dir bench/out/city] [--no-city] [--browser]

Each callback is called as the plain function the Dash callback wraps, with the app's Evaluation.
The comparison with peers, the what-if page and the scorecard's peers and robustness callbacks go through an
AppData (rank bands and peers cached per period, as in the app; the first call, excluded, computes them).
Sample: data/samples/*.xlsx ingested into a temporary SQLite store. City: the workbooks of bench/citygen.py
in --city-dir when given, else bench_score.synthetic_city (23 districts, 260 streets, 150 items, 8 quarters).
--browser also times the first page in headless Chromium (navigation until every chart is drawn).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashboard import data as appdata
from dashboard import views
from dashboard.app import create_app
from dashboard.constants import CALLBACK_BUDGET_MS
from metrics import evaluate
from metrics.results import Results

Calls = dict[str, Callable[[], object]]


def page(name: str):
    """A page module as Dash loaded it."""
    return sys.modules[f"dashboard.pages.{name}"]


def calls_for(ev, dataset, data: appdata.AppData | None, upload: Path | None) -> Calls:
    """Every callback with typical arguments: the latest period, the four pilots (or first four districts)."""
    period = ev.periods[-1]
    four = views.default_districts(ev)
    one = (str(ev.streets["district"].iloc[0]), str(ev.streets["street"].iloc[0]))
    worst = ev.scores_for(period).sort_values("items_missing").iloc[-1]
    street_value = f"{worst['district']}|{worst['street']}"
    overview, compare, street, burden, lists = (page(n) for n in ("overview", "compare", "street", "burden", "lists"))
    calls: Calls = {
        "overview.update (all districts)": lambda: overview.update(ev, period, [], "", "overall", "zh"),
        "overview.update (one function, en)": lambda: overview.update(
            ev, period, four[:1], "镇", "public_services", "en"
        ),
        "compare.update (own lists)": lambda: compare.update(ev, period, four, "", "overall", "own", "zh"),
        "compare.update (city by street type)": lambda: compare.update(ev, period, four, "", "overall", "type", "zh"),
        "compare.scorecard_href (point click)": lambda: compare.scorecard_href(
            {"points": [{"customdata": [one[0], one[1], period]}]}, "zh"
        ),
        "street.update": lambda: street.update(ev, dataset, street_value, period, "zh"),
        "street items .xlsx": lambda: street.downloads.items_xlsx(
            views.items(ev, worst["district"], worst["street"], period), worst["street"], period, "zh"
        ),
        "burden.update (all districts)": lambda: burden.update(ev, period, None, "zh"),
        "lists.update": lambda: lists.update(ev, four[0], None, "zh"),
    }
    if data is not None:
        data_page = page("data")
        calls["data.history"] = lambda: data_page.history(data, "zh")
        if upload is not None:
            import base64

            content = "data:;base64," + base64.b64encode(upload.read_bytes()).decode()
            calls["data.check_uploads (one report)"] = lambda: data_page.check_uploads(
                data, [content], [upload.name], "zh"
            )
    return calls


def analysis_calls(data: appdata.AppData) -> Calls:
    """Callbacks reading the AppData's rank bands, peers or what-if ranking (all districts and a one-district scope)."""
    ev = data.evaluation
    period = ev.periods[-1]
    four = views.default_districts(ev)
    scoped = appdata.ScopedData(data, frozenset(four[:1]))
    best = ev.scores_for(period).sort_values("overall").iloc[-1]
    worst = ev.scores_for(period).sort_values("items_missing").iloc[-1]
    street_value = f"{best['district']}|{best['street']}"
    overview, compare, street, whatif = (page(n) for n in ("overview", "compare", "street", "whatif"))
    weights = dict(zip(whatif.FUNCTIONS, [1.0, 2.0, 0.5, 1.5, 3.0], strict=True))

    def compare_peers(d) -> object:  # as the app's callback calls it: the peers and the gaps to them of the user
        peers, gaps = d.peers(period), d.peer_gaps(period)
        return compare.update(d.evaluation, period, four, "", "overall", "own", "zh", d.bands(period), peers, gaps=gaps)

    return {
        "overview.update (with rank bands)": lambda: overview.update(
            ev, period, [], "", "overall", "zh", data.bands(period)
        ),
        # as the app's download callback calls it: the city workbook the results process kept, else written with the
        # kept rank bands (without bands, export.ranking runs the period's Monte Carlo itself, as the CLI export does)
        "overview.download (ranking workbook, with rank bands)": lambda: overview.download(
            ev, period, [], "zh", data.bands(period), data
        ),
        "compare.download (comparison workbook, with rank bands)": lambda: compare.download(
            ev, period, four, "", "own", "zh", "overall", data.bands(period)
        ),
        "street scorecard workbook (with rank bands)": lambda: street.downloads.scorecard_workbook(
            ev, worst["district"], worst["street"], period, "zh", data.bands(period)
        ),
        "street.update (with rank bands)": lambda: street.update(
            ev, data.dataset, street_value, period, "zh", data.bands(period)
        ),
        "compare.update (peers on)": lambda: compare_peers(data),
        "compare.update (peers on, 1-district scope)": lambda: compare_peers(scoped),
        "compare.update (peers on, by type, function)": lambda: compare.update(
            ev,
            period,
            four,
            "",
            "public_services",
            "type",
            "zh",
            data.bands(period),
            data.peers(period),
            gaps=data.peer_gaps(period),
        ),
        "whatif.whatif (what-if ranking, city)": lambda: whatif.whatif(data, period, [], "", weights, "zh"),
        "whatif.whatif (four districts)": lambda: whatif.whatif(data, period, four, "", weights, "zh"),
        "whatif.official (official ranking)": lambda: whatif.official(ev, data.bands(period), period, [], "", "zh"),
        "street.peers_view (peers switch on)": lambda: street.peers_view(data, street_value, period, "zh"),
        "street.peers_view (1-district scope)": lambda: street.peers_view(scoped, street_value, period, "zh"),
        "street.robustness (band overlap, sensitivity)": lambda: street.robustness(
            data.bands(period), data.sensitivity(period), street_value, period, "zh"
        ),
    }


def time_calls(calls: Calls, repeat: int) -> dict[str, float]:
    """Median milliseconds of each call after one warm-up call."""
    out = {}
    for name, fn in calls.items():
        fn()
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            runs.append((time.perf_counter() - start) * 1000)
        out[name] = statistics.median(runs)
    return out


def city_evaluation(city_dir: Path | None):
    """(Evaluation, Dataset, label) at city scale."""
    if city_dir is not None:
        from loaders import read_files

        files = sorted(city_dir.glob("*.xlsx"))
        result = read_files(files)
        ds = result.dataset
        label = f"citygen workbooks ({len(files)} files)"
    else:
        from bench_score import synthetic_city

        ds = synthetic_city(23, 260, 150, 8)
        label = "synthetic city (23 districts, 260 streets, 150 items, 8 quarters)"
    start = time.perf_counter()
    ev = evaluate(ds)
    print(f"city evaluate: {time.perf_counter() - start:.2f} s — {label}")
    return ev, ds, label


def first_page_seconds(app) -> tuple[float, float] | None:
    """Seconds from navigation to the overview with its charts drawn: (cold browser cache, warm)."""
    import logging
    import threading

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    if not Path("/usr/bin/chromium").exists():
        return None
    from playwright.sync_api import sync_playwright

    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--lang=zh-CN"],
            )
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            drawn = "document.querySelectorAll('.js-plotly-plot .bars').length >= 2"
            start = time.perf_counter()
            page.goto(f"http://127.0.0.1:{server.server_port}/")  # cold: a first visit, nothing cached
            page.wait_for_function(drawn, timeout=30000)
            cold = time.perf_counter() - start
            start = time.perf_counter()
            page.goto(f"http://127.0.0.1:{server.server_port}/?period={app_period(app)}")
            page.wait_for_function(drawn, timeout=30000)
            warm = time.perf_counter() - start
            browser.close()
    finally:
        server.shutdown()
    return cold, warm


def app_period(app) -> str:
    return app.server.extensions[appdata.EXTENSION_KEY].evaluation.periods[-1]


def print_table(rows: list[tuple[str, str, float]]) -> None:
    """Slowest first, with the budget verdict."""
    print(f"\n{'callback':46} {'data':7} {'median ms':>10}  budget {CALLBACK_BUDGET_MS} ms")
    print("-" * 78)
    for name, label, ms in sorted(rows, key=lambda r: -r[2]):
        verdict = "ok" if ms < CALLBACK_BUDGET_MS else "OVER"
        print(f"{name:46} {label:7} {ms:10.1f}  {verdict}")


def main(argv: list[str] | None = None) -> int:
    """Time every callback on the samples (and city scale) and print the table."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--city-dir", type=Path, default=None)
    p.add_argument("--no-city", action="store_true")
    p.add_argument("--browser", action="store_true")
    args = p.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        app = create_app(f"sqlite:///{tmp}/bench.sqlite")  # an empty store: the samples are ingested first
        print(f"app start with sample ingest: {time.perf_counter() - start:.1f} s")
        data = app.server.extensions[appdata.EXTENSION_KEY]
        samples = appdata.sample_files()
        upload = Path(next(s for s in samples if "履职" in Path(s).name)) if samples else None
        sample_calls = calls_for(data.evaluation, data.dataset, data, upload) | analysis_calls(data)
        rows = [(n, "sample", ms) for n, ms in time_calls(sample_calls, args.repeat).items()]
        if not args.no_city:
            ev, ds, _label = city_evaluation(args.city_dir)
            city = appdata.AppData(store=None, results=Results("bench", ev, ds, {}))  # no store: bands, peers
            start = time.perf_counter()
            city.bands(ev.periods[-1])
            bands_s = time.perf_counter() - start
            start = time.perf_counter()
            city.peers(ev.periods[-1])
            print(
                f"city first use: rank bands {bands_s:.2f} s, peers {time.perf_counter() - start:.3f} s (then cached)"
            )
            city_calls = calls_for(ev, ds, None, None) | analysis_calls(city)
            rows += [(n, "city", ms) for n, ms in time_calls(city_calls, args.repeat).items()]
        print_table(rows)
        if args.browser:
            times = first_page_seconds(app)
            if times:
                print(f"\nfirst page (overview) drawn in: {times[0]:.2f} s cold, {times[1]:.2f} s with assets cached")
        over = [r for r in rows if r[2] >= CALLBACK_BUDGET_MS]
        return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
