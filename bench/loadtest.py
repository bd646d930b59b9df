"""Bounded load test on loopback: officers browsing and uploading against gunicorn, then a store audit.

    python bench/loadtest.py [--officers 50] [--uploaders 5] [--seconds 60] [--workers 4] [--db URL]

Seeds a fresh store with data/samples (SQLite in a temp folder unless --db names an empty database),
adds one account per simulated user, starts `gunicorn dashboard.app:server -w N` on 127.0.0.1, runs
plain threads for --seconds (and at most --max-requests requests), stops gunicorn and checks that every
uploaded report is in the store exactly once and that nothing else changed. Prints p50/p95/p99 per route.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import openpyxl
import requests
import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dashboard import data as appdata  # noqa: E402
from dashboard.auth.accounts import Accounts  # noqa: E402
from loaders.store import Store  # noqa: E402
from loaders.store_schema import batches, ingests  # noqa: E402

PASSWORD = "load test password"
HOST = "127.0.0.1"


class Budget:
    """A shared bound on requests and time; every simulated user stops when it runs out."""

    def __init__(self, seconds: float, max_requests: int) -> None:
        self.deadline, self.left, self.lock = time.monotonic() + seconds, max_requests, threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if self.left <= 0 or time.monotonic() >= self.deadline:
                return False
            self.left -= 1
            return True


class Results:
    """Latencies and errors per route."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.lock = threading.Lock()

    def add(self, route: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times[route].append(seconds)
            if error:
                self.errors[route].append(error)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def report_bytes(district: str, street: str, period: str, codes: list[str], rng: random.Random) -> bytes:
    """A 履职情况 workbook as officers send it, with fresh completion values (new content each time)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "履职情况"
    ws.append([f"{district}街道履职情况季度报表"])
    ws.append([f"填报单位：{street}    报告期：{period}"])
    ws.append(["事项编号", "事项名称", "完成率"])
    for code in codes:
        ws.append([code, "事项", f"{rng.randint(50, 100)}%"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def plan_uploads(store: Store, uploaders: int, per_uploader: int, rng: random.Random) -> list[dict]:
    """One list of upload jobs per uploader: distinct (street, period) units, each uploaded at most once."""
    perf = store.load_dataset().performance
    units = (
        perf.groupby(["district", "street", "period"], observed=True)["item_code"]
        .agg(lambda s: sorted(set(map(str, s))))
        .reset_index()
    )
    units = units.sample(frac=1.0, random_state=rng.randint(0, 10**6)).reset_index(drop=True)
    districts = sorted(units["district"].unique())
    plans = []
    for i in range(uploaders):
        district = districts[i % len(districts)]
        mine = units[units["district"].eq(district)]
        # Uploaders sharing a district take alternate units, so no unit is uploaded twice.
        sharing = [j for j in range(uploaders) if j % len(districts) == i % len(districts)]
        rows = mine.iloc[sharing.index(i) :: len(sharing)].head(per_uploader)
        jobs = [
            {
                "name": f"上传{i + 1:02d}_{n:03d}_{r.street}_{r.period}.xlsx",
                "unit": (r.district, r.street, r.period),
                "rows": len(r.item_code),
                "bytes": report_bytes(r.district, r.street, r.period, list(r.item_code), rng),
            }
            for n, r in enumerate(rows.itertuples())
        ]
        plans.append({"district": district, "jobs": jobs})
    return plans


def snapshot(url: str) -> dict:
    """Active batches (id by unit) and the ingest log size."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(
                batches.c.id,
                batches.c.table_name,
                batches.c.district,
                batches.c.street,
                batches.c.period,
                batches.c.year,
                batches.c.active,
                batches.c.ingest_id,
                batches.c.row_count,
            )
        ).all()
        log = conn.execute(sa.select(ingests.c.id, ingests.c.file_name, ingests.c.outcome)).all()
    engine.dispose()
    return {"batches": rows, "ingests": log}


class Client:
    """One simulated officer: a requests session logged in, with the app's callback specs."""

    def __init__(self, base: str, name: str, deps: list[dict] | None = None) -> None:
        self.base, self.name, self.http = base, name, requests.Session()
        self.deps = deps

    def login(self) -> None:
        self.http.get(self.base + "/login", timeout=60)
        token = self.http.cookies.get("_csrf_token")
        r = self.http.post(
            self.base + "/login",
            data={"username": self.name, "password": PASSWORD, "csrf_token": token},
            allow_redirects=False,
            timeout=60,
        )
        if r.status_code != 302:
            raise RuntimeError(f"login {self.name}: {r.status_code}")
        if self.deps is None:
            self.deps = self.http.get(self.base + "/_dash-dependencies", timeout=60).json()

    def callback(self, output_part: str, values: dict) -> requests.Response:
        """POST the callback whose output names output_part, its inputs and state taken from values."""
        dep = next(d for d in self.deps if output_part in d["output"])
        key = dep["output"]

        def ident(raw: str):
            return json.loads(raw) if raw.startswith("{") else raw

        def items(specs: list[dict]) -> list[dict]:
            return [
                {"id": ident(s["id"]), "property": s["property"], "value": values.get(f"{s['id']}.{s['property']}")}
                for s in specs
            ]

        parts = key.strip(".").split("...") if key.startswith("..") else [key]
        outputs = [{"id": ident(p.rsplit(".", 1)[0]), "property": p.rsplit(".", 1)[1]} for p in parts]
        body = {
            "output": key,
            "outputs": outputs if key.startswith("..") else outputs[0],
            "inputs": items(dep["inputs"]),
            "state": items(dep["state"]),
            "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
        }
        headers = {"X-CSRFToken": self.http.cookies.get("_csrf_token", "")}
        return self.http.post(self.base + "/_dash-update-component", json=body, headers=headers, timeout=120)


def timed(results: Results, route: str, call, ok=lambda r: r.status_code in (200, 204)):
    """Run call, record its latency and whether it failed."""
    start = time.perf_counter()
    error = None
    response = None
    try:
        response = call()
        if not ok(response):
            error = f"{response.status_code} {response.text[:120]!r}"
    except Exception as exc:  # a timeout or a reset connection is an error of the run, not of the script
        error = repr(exc)[:200]
    results.add(route, time.perf_counter() - start, error)
    return None if error else response


OVERVIEW_Q = '{"page":"overview","type":"page-query"}.data'
STREET_Q = '{"page":"street","type":"page-query"}.data'


def officer_step(rng: random.Random, streets: list[str], periods: list[str]) -> tuple[str, str | None, dict]:
    """The next thing an officer does: (route name, callback output or None for GET /, input values)."""
    step, period, street = rng.random(), rng.choice(periods), rng.choice(streets)
    if step < 0.15:
        return "GET /", None, {}
    if step < 0.35:
        location = {"_pages_location.pathname": "/street", "_pages_location.search": f"?period={period}"}
        return "page layout", "_pages_content.children", location
    if step < 0.6:
        values = {
            "filter-period.value": period,
            "filter-districts.value": [],
            "filter-street-type.value": "",
            "filter-function.value": "overall",
            OVERVIEW_Q: {"lang": "zh"},
        }
        return "overview", "overview-ranking-fig.figure", values
    values = {"filter-street.value": street, "filter-period.value": period, STREET_Q: {"lang": "zh"}}
    if step < 0.9:
        return "scorecard", "street-header.children", values
    return "items download", "items-download.data", {**values, "items-download-btn.n_clicks": 1}


def browse(base: str, name: str, streets: list[str], periods: list[str], budget, results, stop) -> None:
    """An officer moving between the overview and their streets' scorecards, with think time."""
    rng = random.Random(name)
    client = Client(base, name)
    timed(results, "login", client.login, ok=lambda r: True)
    while not stop.is_set() and budget.take():
        route, output, values = officer_step(rng, streets, periods)
        timed(
            results,
            route,
            lambda o=output, v=values: client.callback(o, v) if o else client.http.get(base + "/", timeout=120),
        )
        stop.wait(rng.uniform(1.0, 3.0))


def upload(base: str, name: str, jobs: list[dict], budget, results, stop, done: list) -> None:
    """An officer uploading reports one by one: check, then confirm, with think time between."""
    rng = random.Random(name)
    client = Client(base, name)
    timed(results, "login", client.login, ok=lambda r: True)
    data_q = '{"page":"data","type":"page-query"}.data'
    for job in jobs:
        if stop.is_set() or not budget.take():
            return
        content = "data:application/octet-stream;base64," + base64.b64encode(job["bytes"]).decode()
        checked = timed(
            results,
            "upload check",
            lambda c=content, n=job["name"]: client.callback(
                "data-check-result.children",
                {"data-upload.contents": [c], "data-upload.filename": [n], data_q: {"lang": "zh"}},
            ),
            ok=lambda r, n=job["name"]: (
                r.status_code == 200 and n in json.dumps(r.json()["response"]["data-pending"], ensure_ascii=False)
            ),
        )
        if checked is None or not budget.take():
            continue
        pending = checked.json()["response"]["data-pending"]["data"]
        stored = timed(
            results,
            "ingest confirm",
            lambda p=pending: client.callback(
                "data-ingest-result.children",
                {"data-confirm.n_clicks": 1, "data-pending.data": p, data_q: {"lang": "zh"}},
            ),
            ok=lambda r: r.status_code == 200 and "ingest-result" in r.text,
        )
        if stored is not None:
            done.append(job)
        stop.wait(rng.uniform(2.0, 4.0))


def verify(before: dict, after: dict, done: list[dict], attempted: set[str]) -> list[str]:
    """Problems: an uploaded report not stored exactly once, or any change beyond the uploaded units."""
    known = {b.id for b in before["ingests"]}
    new_log = [r for r in after["ingests"] if r.id not in known]
    new_ids = {r.id for r in new_log if r.outcome == "ingested"}
    return _log_problems(new_log, done, attempted) + _batch_problems(before, after, done, new_ids)


def _log_problems(new_log: list, done: list[dict], attempted: set[str]) -> list[str]:
    by_name = defaultdict(list)
    for r in new_log:
        by_name[r.file_name].append(r.outcome)
    problems = [
        f"{job['name']}: logged {by_name.get(job['name'], [])} (want exactly one 'ingested')"
        for job in done
        if by_name.get(job["name"], []) != ["ingested"]
    ]
    stray = [r.file_name for r in new_log if r.file_name not in attempted]
    if stray:
        problems.append(f"ingests of files nobody uploaded: {stray[:5]}")
    confirmed = {job["name"] for job in done}
    unconfirmed = [r.file_name for r in new_log if r.outcome == "ingested" and r.file_name not in confirmed]
    if unconfirmed:
        problems.append(f"stored without a confirm that succeeded: {unconfirmed[:5]}")
    return problems


def _batch_problems(before: dict, after: dict, done: list[dict], new_ids: set[int]) -> list[str]:
    problems = []
    touched = {job["unit"] for job in done}  # the only units an upload of this run may change
    old = {b.id: b for b in before["batches"]}
    for b in after["batches"]:
        unit = (b.district, b.street, b.period)
        if b.id not in old and (b.ingest_id not in new_ids or unit not in touched):
            problems.append(f"new batch {b.id} ({b.table_name} {unit}) not from an upload of this run")
        elif b.id in old and old[b.id].active != b.active and unit not in touched:
            problems.append(f"batch {b.id} ({b.table_name} {unit}) changed without an upload")
    active = defaultdict(list)
    for b in after["batches"]:
        if b.active and b.table_name == "performance":
            active[(b.district, b.street, b.period)].append(b)
    for job in done:
        live = active.get(job["unit"], [])
        if len(live) != 1 or live[0].ingest_id not in new_ids:
            problems.append(f"{job['name']}: unit {job['unit']} has {len(live)} active batches, not the upload's")
        elif live[0].row_count != job["rows"]:
            problems.append(f"{job['name']}: {live[0].row_count} rows stored, {job['rows']} sent")
    return problems


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def table(results: Results) -> str:
    lines = ["| route | requests | p50 ms | p95 ms | p99 ms | max ms | errors |", "|---|---:|---:|---:|---:|---:|---:|"]
    for route in sorted(results.times):
        t = [x * 1000 for x in results.times[route]]
        lines.append(
            f"| {route} | {len(t)} | {statistics.median(t):.0f} | {percentile(t, 95):.0f} | {percentile(t, 99):.0f} "
            f"| {max(t):.0f} | {len(results.errors[route])} |"
        )
    return "\n".join(lines)


def prepare(url: str, args: argparse.Namespace, rng: random.Random) -> tuple[dict, list[dict], dict, list[str]]:
    """Seed the store, add the accounts, plan the uploads; (names, plans, streets by district, periods)."""
    store = Store(url)
    if store.load_dataset().performance.empty:
        appdata.seed_samples(store)
    accounts = Accounts(store.engine)
    units = store.load_dataset().performance[["district", "street", "period"]].drop_duplicates()
    districts = sorted(units["district"].unique())
    plans = plan_uploads(store, args.uploaders, int(args.seconds / 2) + 2, rng)  # more than can be sent
    names: dict[str, list] = {"officers": [], "uploaders": []}
    for i in range(args.officers):
        names["officers"].append((f"officer{i + 1:02d}", districts[i % len(districts)]))
    for i, plan in enumerate(plans):
        names["uploaders"].append((f"uploader{i + 1}", plan["district"]))
    for name, district in names["officers"] + names["uploaders"]:
        if accounts.get(name) is None:
            accounts.add(name, PASSWORD, "district", [district])
    store.close()
    streets = {
        d: [f"{d}|{s}" for s in sorted(units.loc[units["district"].eq(d), "street"].unique())] for d in districts
    }
    return names, plans, streets, sorted(units["period"].unique())


def run(base: str, args, names: dict, plans: list[dict], streets: dict, periods: list[str]) -> tuple:
    """The simulated officers for args.seconds; (results, uploads confirmed, seconds taken)."""
    results, stop, done = Results(), threading.Event(), []
    budget = Budget(args.seconds, args.max_requests)
    threads = [
        threading.Thread(target=browse, args=(base, n, streets[d], periods, budget, results, stop))
        for n, d in names["officers"]
    ] + [
        threading.Thread(target=upload, args=(base, n, plan["jobs"], budget, results, stop, done))
        for (n, _), plan in zip(names["uploaders"], plans, strict=True)
    ]
    start = time.monotonic()
    for t in threads:
        t.start()
    while time.monotonic() - start < args.seconds and any(t.is_alive() for t in threads):
        time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join(timeout=180)
    return results, done, time.monotonic() - start


def serve(url: str, work: Path, workers: int) -> tuple[subprocess.Popen, str]:
    """gunicorn on a free loopback port, once it answers."""
    port = free_port()
    from dashboard.auth.secret import write_secret_file

    secret = work / "session_secret"
    if not secret.exists():
        write_secret_file(secret)  # one secret for every worker: a session made by one holds in the others
    env = {**os.environ, "STREETS_DB": url, "STREETS_UPLOADS": str(work / "uploads")}
    env["STREETS_SECRET_FILE"] = str(secret)
    cmd = [sys.executable, "-m", "gunicorn", "dashboard.app:server", "-w", str(workers), "-b", f"{HOST}:{port}"]
    server = subprocess.Popen([*cmd, "--timeout", "120", "--log-level", "warning"], cwd=REPO, env=env)
    base = f"http://{HOST}:{port}"
    for _ in range(240):
        try:
            if requests.get(base + "/login", timeout=5).status_code == 200:
                time.sleep(3)  # every worker builds its app on boot; let them all finish before timing
                return server, base
        except requests.RequestException:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=50)
    parser.add_argument("--uploaders", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--db", default=None, help="SQLAlchemy URL of an EMPTY store (default: SQLite in a temp dir)")
    parser.add_argument("--json", default=None, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    rng = random.Random(20261127)
    work = Path(tempfile.mkdtemp(prefix="loadtest_"))
    url = args.db or f"sqlite:///{work / 'streets.sqlite'}"

    t0 = time.perf_counter()
    names, plans, districts_streets, periods = prepare(url, args, rng)
    print(f"store ready in {time.perf_counter() - t0:.1f} s: {url}", flush=True)
    before = snapshot(url)
    server, base = serve(url, work, args.workers)
    print(f"gunicorn -w {args.workers} on {base}; running {args.seconds:.0f} s", flush=True)
    try:
        results, done, elapsed = run(base, args, names, plans, districts_streets, periods)
    finally:
        server.terminate()
        server.wait(timeout=60)

    after = snapshot(url)
    attempted = {job["name"] for plan in plans for job in plan["jobs"]}
    problems = verify(before, after, done, attempted)
    errors = sum(len(v) for v in results.errors.values())
    total = sum(len(v) for v in results.times.values())
    print(table(results))
    print(f"\n{total} requests in {elapsed:.0f} s, {errors} errors; {len(done)} reports uploaded and confirmed")
    for route, errs in results.errors.items():
        for e in errs[:3]:
            print(f"  error {route}: {e}")
    print("store check:", "every uploaded report stored exactly once, nothing else changed" if not problems else "")
    for p in problems[:20]:
        print("  PROBLEM", p)
    if args.json:
        figures = {
            route: {
                "n": len(t),
                "p50_ms": statistics.median(t) * 1000,
                "p95_ms": percentile(t, 95) * 1000,
                "p99_ms": percentile(t, 99) * 1000,
                "errors": len(results.errors[route]),
            }
            for route, t in results.times.items()
        }
        Path(args.json).write_text(
            json.dumps({"routes": figures, "uploads": len(done), "problems": problems}, ensure_ascii=False, indent=1)
        )
    return 1 if errors or problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
