"""Two app processes ("hosts": own working and temporary folders) on one PostgreSQL store: check on one, confirm on
the other, and the report is stored exactly once; the new results are computed once and reach both."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from builders import as_parsed_files, build_dataset, write_report
from test_auth import callback_body

from dashboard.auth.accounts import Accounts
from dashboard.constants import Id
from loaders.store import Store
from loaders.store_schema import pending_uploads, result_runs
from metrics import results
from tests.pgschema import PG_URL, pg_schema
from tests.ports import free_port

REPO = Path(__file__).resolve().parents[2]
SHARED_SECRET = "two-hosts-test-secret-" + "x" * 32
PASSWORD = "correct horse 7"
QUERY = {"type": Id.QUERY, "page": "data"}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not PG_URL and os.environ.get("CI") != "true", reason="STREETS_TEST_PG_URL not set"),
]


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL schema of its own, dropped afterwards."""
    if not PG_URL:
        pytest.fail("CI must set STREETS_TEST_PG_URL: the two-host test runs on PostgreSQL")
    with pg_schema("two_hosts") as schema_url:
        yield schema_url


class Host:
    """`python -m dashboard` in a folder of its own, with its own TMPDIR."""

    def __init__(self, url: str, folder: Path) -> None:
        (folder / "tmp").mkdir(parents=True)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k not in ("STREETS_DB", "STREETS_UPLOADS")}
        env |= {"TMPDIR": str(folder / "tmp"), "PYTHONPATH": str(REPO)}
        env["STREETS_SECRET_KEY"] = SHARED_SECRET  # hosts behind one address sign sessions with one secret
        command = [sys.executable, "-m", "dashboard", "--port", str(self.port), "--db", url]
        self.log = open(folder / "server.log", "w")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(command, cwd=folder, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_up(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, (Path(self.log.name).read_text(), "the app process ended")
            try:
                if requests.get(self.base + "/login", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise TimeoutError(f"{self.base} did not answer")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()


def name(ident: str | dict) -> str:
    """A component id as the keys of callback()'s values name it (pattern ids as sorted JSON)."""
    return json.dumps(ident, sort_keys=True, separators=(",", ":")) if isinstance(ident, dict) else ident


def callback(http: requests.Session, base: str, deps: list[dict], output_part: str, values: dict) -> dict:
    """POST the callback whose output names output_part as the browser does; its decoded response."""
    dep = next(d for d in deps if output_part in d["output"])
    key = dep["output"]

    def ident(raw: str):
        return json.loads(raw) if raw.startswith("{") else raw

    def triples(specs: list[dict]) -> list[tuple]:
        return [(ident(s["id"]), s["property"], values.get(f"{name(ident(s['id']))}.{s['property']}")) for s in specs]

    body = callback_body(key, triples(dep["inputs"]), triples(dep["state"]))
    headers = {"X-CSRFToken": http.cookies.get("_csrf_token", "")}
    r = http.post(base + "/_dash-update-component", json=body, headers=headers, timeout=120)
    assert r.status_code == 200, r.text
    return r.json()["response"]


def test_an_upload_checked_on_one_host_and_confirmed_on_another_is_stored_once(pg_url, tmp_path):
    with Store(pg_url) as store:
        for parsed in as_parsed_files(build_dataset()):
            store.ingest(parsed, user="test")
        Accounts(store.engine).add("wuhou", PASSWORD, "district", ["武侯区"])
    hosts = [Host(pg_url, tmp_path / "host_a"), Host(pg_url, tmp_path / "host_b")]
    try:
        for host in hosts:
            host.wait_up()
        a, b = hosts
        http = requests.Session()  # one browser behind a load balancer: its cookies reach both hosts
        http.get(a.base + "/login", timeout=30)
        login = {"username": "wuhou", "password": PASSWORD, "csrf_token": http.cookies.get("_csrf_token")}
        assert http.post(a.base + "/login", data=login, allow_redirects=False, timeout=30).status_code == 302
        deps = http.get(a.base + "/_dash-dependencies", timeout=30).json()
        report = write_report(tmp_path / "簇桥.xlsx", "武侯区", "簇桥街道", "2020Q1", [("武侯-002", "80%")])
        content = "data:application/octet-stream;base64," + base64.b64encode(report.read_bytes()).decode()
        checked = callback(
            http,
            a.base,
            deps,
            f"{Id.CHECK_RESULT}.children",
            {
                f"{Id.UPLOAD}.contents": [content],
                f"{Id.UPLOAD}.filename": [report.name],
                f"{name(QUERY)}.data": {"lang": "zh"},
            },
        )
        pending = checked[Id.PENDING]["data"]
        assert pending["files"] == ["簇桥.xlsx"]
        left = [p for h in ("host_a", "host_b") for p in (tmp_path / h).rglob("*.xlsx")]
        assert left == []  # read in a scratch folder, removed at once: the checked file waits in the store
        with Store(pg_url) as store:
            before = results.current_key(store)
            with store.engine.connect() as conn:
                assert conn.execute(sa.select(sa.func.count()).select_from(pending_uploads)).scalar_one() == 1

        confirm = {
            f"{Id.CONFIRM}.n_clicks": 1,
            f"{Id.PENDING}.data": pending,
            f"{name(QUERY)}.data": {"lang": "zh"},
        }
        stored = callback(http, b.base, deps, f"{Id.INGEST_RESULT}.children", confirm)  # the other host
        assert "簇桥.xlsx" in json.dumps(stored[Id.INGEST_RESULT], ensure_ascii=False)
        again = callback(http, a.base, deps, f"{Id.INGEST_RESULT}.children", confirm)  # a second confirm, first host
        assert "没有可入库" in json.dumps(again[Id.INGEST_RESULT], ensure_ascii=False)

        with Store(pg_url) as store:
            history = store.history()
            assert history.loc[history["file_name"] == "簇桥.xlsx", "outcome"].tolist() == ["ingested"]
            with store.engine.connect() as conn:
                assert conn.execute(sa.select(sa.func.count()).select_from(pending_uploads)).scalar_one() == 0
            after = results.current_key(store)
            assert after != before
            deadline = time.monotonic() + 180
            while results.run_state(store, after) != "ready" and time.monotonic() < deadline:
                time.sleep(0.2)  # computed by one process that one of the hosts started
            assert results.run_state(store, after) == "ready"
            with store.engine.connect() as conn:
                runs = conn.execute(sa.select(result_runs.c.key, result_runs.c.state)).all()
            assert [state for key, state in runs if key == after] == ["ready"]
            scores = results.stored_scores(store, after)
            row = scores.loc[(scores["street"] == "簇桥街道") & (scores["period"] == "2020Q1")]
            assert row["items_reported"].item() == 1
    finally:
        for host in hosts:
            host.stop()
