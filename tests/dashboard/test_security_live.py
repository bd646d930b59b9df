"""Issue 19's attacks replayed against a real gunicorn (2 workers, loopback, random port) on SQLite and on
PostgreSQL (STREETS_TEST_PG_URL; skipped with the reason when unset, .ci/run sets it). One server per store."""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
import requests
import sqlalchemy as sa
from builders import as_parsed_files, write_report
from hostile import FORMULA, LINK, SHEETLESS, hostile_dataset
from test_auth import PASSWORD, callback_body, callback_key
from test_security import far_cell_report
from test_security_figures import figures, leaked_tags

from dashboard.auth.accounts import Accounts
from dashboard.auth.secret import write_secret_file
from dashboard.constants import Id
from loaders.store import Store
from tests.pgschema import store_url
from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # a gunicorn per store, started once for the module
DATA_QUERY = ({"type": Id.QUERY, "page": "data"}, "data", {"lang": "zh"})
STREET_QUERY = ({"type": Id.QUERY, "page": "street"}, "data", {"lang": "zh"})


class Live:
    """The gunicorn server: its base URL, store URL, master process, and the app's callback map."""

    def __init__(self, base: str, url: str, proc: subprocess.Popen, callback_map: dict) -> None:
        self.base, self.url, self.proc, self.callback_map = base, url, proc, callback_map

    def workers(self) -> set[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True, text=True)
        return {int(p) for p in out.stdout.split()}

    def client(self, name: str | None = None, password: str = PASSWORD) -> requests.Session:
        """A session, logged in as name when given (asserts the login worked)."""
        s = requests.Session()
        s.get(self.base + "/login", timeout=30)
        if name:
            r = self.login(s, name, password)
            assert r.status_code == 302, r.text
        return s

    def login(self, s: requests.Session, name: str, password: str, next_: str = "/") -> requests.Response:
        form = {"username": name, "password": password, "csrf_token": s.cookies.get("_csrf_token"), "next": next_}
        return s.post(self.base + "/login", data=form, allow_redirects=False, timeout=60)

    def callback(self, s: requests.Session, output_part: str, inputs: list, state: list) -> requests.Response:
        key = callback_key(type("A", (), {"callback_map": self.callback_map}), output_part)
        body = callback_body(key, inputs, state)
        headers = {"X-CSRFToken": s.cookies.get("_csrf_token") or ""}
        return s.post(self.base + "/_dash-update-component", json=body, headers=headers, timeout=120)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live(request, tmp_path_factory, app):
    """gunicorn with 2 workers on a store holding hostile street names and one account of each role."""
    tmp = tmp_path_factory.mktemp(f"live_{request.param}")
    with store_url(request.param, tmp, "sec") as url:
        yield from _gunicorn(url, tmp, app)


def _gunicorn(url: str, tmp: Path, app) -> Iterator[Live]:
    """The server of `live` on the store at url, stopped when the generator is closed."""
    store = Store(url)
    for parsed in as_parsed_files(hostile_dataset({"玉林街道": LINK, "簇桥街道": SHEETLESS, "华兴街道": FORMULA})):
        store.ingest(parsed, user="test")
    accounts = Accounts(store.engine)
    for name, role, districts in (("admin1", "admin", []), ("city1", "city", []), ("wuhou", "district", ["武侯区"])):
        accounts.add(name, PASSWORD, role, districts)
    store.close()
    secret = tmp / "secret"
    write_secret_file(secret)
    port = free_port()
    env = {**os.environ, "STREETS_DB": url, "STREETS_SECRET_FILE": str(secret), "STREETS_UPLOADS": str(tmp / "up")}
    cmd = [sys.executable, "-m", "gunicorn", "dashboard.app:server", "-w", "2", "-b", f"127.0.0.1:{port}"]
    cmd += ["--timeout", "120", "--log-level", "warning"]
    log = (tmp / "gunicorn.log").open("w")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if requests.get(base + "/login", timeout=5).status_code == 200:
                break
        except requests.RequestException:  # not listening yet, or a worker still booting
            pass
        assert proc.poll() is None and time.monotonic() < deadline, (tmp / "gunicorn.log").read_text()
        time.sleep(0.3)
    try:
        yield Live(base, url, proc, app.callback_map)
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()


def decoded(r: requests.Response) -> str:
    return json.dumps(r.json(), ensure_ascii=False)


def upload(live: Live, s, path: Path, name: str | None = None) -> requests.Response:
    content = "data:application/octet-stream;base64," + base64.b64encode(path.read_bytes()).decode()
    inputs = [(Id.UPLOAD, "contents", [content])]
    state = [(Id.UPLOAD, "filename", [name or path.name]), DATA_QUERY]
    return live.callback(s, f"{Id.CHECK_RESULT}.children", inputs, state)


def test_1_a_far_cell_upload_kills_no_worker(live, tmp_path):
    before = live.workers()
    officer = live.client("wuhou")
    for _ in range(3):
        r = upload(live, officer, far_cell_report(tmp_path / "far.xlsx"))
        assert r.status_code == 200 and r.json()["response"][Id.PENDING]["data"]["files"] == []
    assert officer.get(live.base + "/", timeout=30).status_code == 200
    assert live.workers() == before  # the same two workers: none died and was replaced


def test_2_hostile_names_reach_the_charts_escaped(live):
    city = live.client("city1")
    inputs = [(Id.PERIOD, "value", "2020Q2"), (Id.DISTRICTS, "value", ["武侯区"])]
    inputs += [(Id.STREET_TYPE, "value", ""), (Id.FUNCTION, "value", "overall")]
    r = live.callback(
        city, "overview-ranking-fig.figure", inputs, [({"type": Id.QUERY, "page": "overview"}, "data", {"lang": "zh"})]
    )
    shown = figures(r.json()["response"])
    assert shown and "点此重新登录" in decoded(r)
    assert all(leaked_tags(f) == [] for f in shown)


def test_3_next_never_leaves_the_site(live):
    s = live.client()
    r = live.login(s, "city1", PASSWORD, next_="/\t/evil.example/login")
    assert r.status_code == 302 and r.headers["Location"] == "/"


def test_4_a_cookie_copied_before_logout_is_dead_after_it(live):
    s = live.client("city1")
    thief = requests.Session()
    thief.cookies.set("street_scorecard_session", s.cookies.get("street_scorecard_session"))
    assert thief.get(live.base + "/", allow_redirects=False, timeout=30).status_code == 200
    s.post(live.base + "/logout", data={"csrf_token": s.cookies.get("_csrf_token")}, timeout=30)
    assert thief.get(live.base + "/", allow_redirects=False, timeout=30).status_code == 302


def test_5_sixteen_simultaneous_wrong_passwords_lock_and_count_exactly(live):
    store = Store(live.url)
    accounts = Accounts(store.engine)
    name = f"race_{uuid.uuid4().hex[:6]}"
    accounts.add(name, PASSWORD, "viewer", ["武侯区"])
    sessions = [live.client() for _ in range(16)]
    start = threading.Barrier(16)
    codes = []

    def attempt(s):
        start.wait()
        codes.append(live.login(s, name, "wrong password").status_code)

    threads = [threading.Thread(target=attempt, args=(s,)) for s in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(set(codes)) == [401]
    # After 5 failures this address is locked out of the name: later attempts are not even checked.
    assert 5 <= accounts.failures(name) <= 16
    r = live.login(live.client(), name, PASSWORD)
    assert r.status_code == 401 and "锁定" in r.text
    store.close()


def test_6_sessions_hold_across_workers_and_no_secret_is_in_the_store(live):
    s = live.client("city1")
    assert all(s.get(live.base + "/", allow_redirects=False, timeout=30).status_code == 200 for _ in range(8))
    engine = sa.create_engine(live.url)
    with engine.connect() as conn:
        assert "dashboard_secrets" not in sa.inspect(conn).get_table_names()
    engine.dispose()


def test_7_the_audit_export_holds_no_formula(live):
    live.login(live.client(), FORMULA, "x")
    admin = live.client("admin1")
    inputs = [("audit-download-btn", "n_clicks", 1)]
    r = live.callback(
        admin, "audit-download.data", inputs, [("audit-action", "value", ""), ("audit-user", "value", "")]
    )
    content = r.json()["response"]["audit-download"]["data"]["content"]
    ws = openpyxl.load_workbook(io.BytesIO(base64.b64decode(content))).active
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" and c.value.startswith("'=") for c in cells)


def test_8_a_guessed_street_is_refused_without_naming_its_district(live, tmp_path):
    officer = live.client("wuhou")
    r = upload(live, officer, write_report(tmp_path / "g.xlsx", "武侯区", "十陵街道", "2020Q2", [("武侯-001", "1")]))
    assert r.status_code == 200 and "不能入库" in decoded(r) and "龙泉驿" not in decoded(r)


def test_9_odd_names_and_malformed_requests_get_answers(live, tmp_path):
    officer = live.client("wuhou")
    state = [(Id.STREET, "value", f"武侯区|{SHEETLESS}"), (Id.PERIOD, "value", "2020Q2"), STREET_QUERY]
    r = live.callback(officer, f"{Id.ITEMS_DOWNLOAD}.data", [(Id.ITEMS_DOWNLOAD_BTN, "n_clicks", 1)], state)
    assert r.status_code == 200
    sent = r.json()["response"][Id.ITEMS_DOWNLOAD]["data"]
    assert "/" not in sent["filename"]
    openpyxl.load_workbook(io.BytesIO(base64.b64decode(sent["content"])))
    report = write_report(tmp_path / "ok.xlsx", "武侯区", "金花桥街道", "2020Q2", [("武侯-001", "100%")])
    assert upload(live, officer, report, name="..").status_code == 200
    for pending in ({"token": 5}, "abc", {"token": "../../x"}):
        confirm = [(Id.CONFIRM, "n_clicks", 1)], [(Id.PENDING, "data", pending), DATA_QUERY]
        r = live.callback(officer, f"{Id.INGEST_RESULT}.children", *confirm)
        assert r.status_code == 200 and "没有可入库" in decoded(r)
