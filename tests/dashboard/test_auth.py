"""Accounts, login, CSRF and district scope over HTTP (Flask test client) and in the browser."""

from __future__ import annotations

import base64
import io
import json
import re
import uuid
from pathlib import Path

import openpyxl
import pytest
from builders import STREETS, as_parsed_files, build_dataset, write_report
from dash import Dash
from pagewait import DASH_IDLE

from dashboard.app import create_app
from dashboard.auth.accounts import MAX_FAILED, Accounts
from dashboard.auth.audit import AuditLog
from dashboard.auth.web import EXTENSION_KEY
from dashboard.constants import Id
from loaders.store import Store
from tests.pgschema import PG_URL, pg_schema

PASSWORD = "correct horse 7"
USERS = {
    "admin1": ("admin", []),
    "city1": ("city", []),
    "wuhou": ("district", ["武侯区"]),
    "viewer2": ("viewer", ["龙泉驿区", "邛崃市"]),
}
# Built dataset: item codes start with the district's first two characters (武侯-001, 龙泉-001 …).
PREFIX = {"武侯区": "武侯-", "龙泉驿区": "龙泉-", "邛崃市": "邛崃-", "彭州市": "彭州-"}


def secured_app(folder: Path, files: list) -> Dash:
    """An app on a SQLite store in folder holding the parsed files, with one account of every role (USERS)."""
    url = f"sqlite:///{folder / 's.sqlite'}"
    store = Store(url)
    for parsed in files:
        store.ingest(parsed, user="test")
    accounts = Accounts(store.engine)
    for name, (role, districts) in USERS.items():
        accounts.add(name, PASSWORD, role, districts)
    store.close()
    return create_app(url, seed=False)


@pytest.fixture(scope="module")
def secured(tmp_path_factory):
    """An app on the built dataset with one account of every role."""
    return secured_app(tmp_path_factory.mktemp("auth"), as_parsed_files(build_dataset()))


def csrf(client) -> str:
    """The CSRF token of the client's session (the login page makes one)."""
    client.get("/login")
    return client.get_cookie("_csrf_token").value


def login(app, name: str, password: str = PASSWORD):
    """A test client logged in as name (asserts the login worked)."""
    client = app.server.test_client()
    r = client.post("/login", data={"username": name, "password": password, "csrf_token": csrf(client)})
    assert r.status_code == 302, r.text
    return client


def callback_key(app, output_part: str) -> str:
    """The callback_map key of the callback whose outputs include output_part."""
    return next(k for k in app.callback_map if output_part in k)


def outputs_of(key: str) -> list[dict] | dict:
    parts = key.strip(".").split("...") if key.startswith("..") else [key]
    outs = []
    for part in parts:
        ident, prop = part.rsplit(".", 1)
        outs.append({"id": json.loads(ident) if ident.startswith("{") else ident, "property": prop})
    return outs if key.startswith("..") else outs[0]


def callback_body(key: str, inputs: list, state: list) -> dict:
    """What a browser posts to /_dash-update-component for the callback key; inputs and state as (id, prop, value)."""
    return {
        "output": key,
        "outputs": outputs_of(key),
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
        "changedPropIds": [f"{inputs[0][0]}.{inputs[0][1]}"] if isinstance(inputs[0][0], str) else [],
    }


def dash_post(client, app, output_part: str, inputs: list, state: list, token: str | None = "session"):
    """POST a crafted /_dash-update-component request, as a browser (or an attacker) would."""
    body = callback_body(callback_key(app, output_part), inputs, state)
    headers = {}
    if token == "session":
        cookie = client.get_cookie("_csrf_token")
        headers["X-CSRFToken"] = cookie.value if cookie else ""
    elif token:
        headers["X-CSRFToken"] = token
    return client.post("/_dash-update-component", json=body, headers=headers)


def check_upload(client, app, report):
    """The data page's check of one uploaded workbook, as the browser posts it; the response."""
    content = "data:application/octet-stream;base64," + base64.b64encode(report.read_bytes()).decode()
    return dash_post(
        client,
        app,
        f"{Id.CHECK_RESULT}.children",
        [(Id.UPLOAD, "contents", [content])],
        [(Id.UPLOAD, "filename", [report.name]), ({"type": Id.QUERY, "page": "data"}, "data", {"lang": "zh"})],
    )


def overview(client, app, districts: list[str]):
    query = {"type": Id.QUERY, "page": "overview"}
    return dash_post(
        client,
        app,
        "overview-ranking-fig.figure",
        [
            (Id.PERIOD, "value", "2020Q2"),
            (Id.DISTRICTS, "value", districts),
            (Id.STREET_TYPE, "value", ""),
            (Id.FUNCTION, "value", "overall"),
        ],
        [(query, "data", {"lang": "zh"})],
    )


def street_update(client, app, value: str):
    query = {"type": Id.QUERY, "page": "street"}
    return dash_post(
        client,
        app,
        f"{Id.STREET_HEADER}.children",
        [(Id.STREET, "value", value), (Id.PERIOD, "value", "2020Q2")],
        [(query, "data", {"lang": "zh"})],
    )


def items_download(client, app, value: str):
    query = {"type": Id.QUERY, "page": "street"}
    return dash_post(
        client,
        app,
        f"{Id.ITEMS_DOWNLOAD}.data",
        [(Id.ITEMS_DOWNLOAD_BTN, "n_clicks", 1)],
        [(Id.STREET, "value", value), (Id.PERIOD, "value", "2020Q2"), (query, "data", {"lang": "zh"})],
    )


def decoded(response) -> str:
    """A callback's JSON answer as text with its Chinese readable (Dash sends it \\u-escaped)."""
    return json.dumps(response.get_json(), ensure_ascii=False)


def workbook_rows(response) -> list[tuple]:
    content = response.get_json()["response"][Id.ITEMS_DOWNLOAD]["data"]["content"]
    ws = openpyxl.load_workbook(io.BytesIO(base64.b64decode(content))).active
    return list(ws.iter_rows(values_only=True))


def test_anonymous_requests_to_every_route_are_refused(secured):
    client = secured.server.test_client()
    for path in (
        "/",
        "/street",
        "/compare",
        "/burden",
        "/lists",
        "/data",
        "/admin",
        "/_dash-layout",
        "/_dash-dependencies",
    ):
        r = client.get(path)
        assert r.status_code in (302, 401), path
        assert "玉林街道" not in r.text
        if r.status_code == 302:
            assert r.headers["Location"].startswith("/login")
    token = csrf(client)
    for r in (
        overview(client, secured, ["武侯区"]),
        items_download(client, secured, "武侯区|玉林街道"),
        dash_post(client, secured, "overview-ranking-fig.figure", [(Id.PERIOD, "value", "2020Q2")], [], token),
    ):
        assert r.status_code == 401 and "玉林" not in visible_text(r) and "武侯-" not in visible_text(r)
    assert client.get("/assets/style.css").status_code == 200  # static files hold no data


def test_posts_without_the_csrf_token_are_refused(secured):
    client = login(secured, "city1")
    r = dash_post(client, secured, "overview-ranking-fig.figure", [(Id.PERIOD, "value", "2020Q2")], [], token=None)
    assert r.status_code == 403
    r = dash_post(client, secured, "overview-ranking-fig.figure", [(Id.PERIOD, "value", "2020Q2")], [], token="x")
    assert r.status_code == 403
    assert overview(client, secured, ["武侯区"]).status_code == 200  # the same request with the token works
    fresh = secured.server.test_client()
    r = fresh.post("/login", data={"username": "city1", "password": PASSWORD})
    assert r.status_code == 403  # the login form needs its token too
    r = client.post("/logout")
    assert r.status_code == 403


@pytest.mark.parametrize(
    ("name", "seen"),
    [
        ("admin1", {"武侯区", "龙泉驿区", "邛崃市", "彭州市"}),
        ("city1", {"武侯区", "龙泉驿区", "邛崃市", "彭州市"}),
        ("wuhou", {"武侯区"}),
        ("viewer2", {"龙泉驿区", "邛崃市"}),
    ],
)
def test_each_role_sees_only_its_scope(secured, name, seen):
    client = login(secured, name)
    r = overview(client, secured, [])  # every district the user may see
    assert r.status_code == 200
    for district in PREFIX:
        streets = [s for s, _ in STREETS[district]]
        shown = any(s in visible_text(r) for s in streets)
        assert shown == (district in seen), (name, district)
    crafted = overview(client, secured, sorted(PREFIX))  # asking for all four by name changes nothing
    for district in set(PREFIX) - seen:
        assert not any(s in visible_text(crafted) for s, _ in STREETS[district])


@pytest.mark.parametrize(("name", "other"), [("wuhou", "龙泉驿区|十陵街道"), ("viewer2", "武侯区|玉林街道")])
def test_crafted_requests_for_another_districts_street_return_nothing_of_it(secured, name, other):
    client = login(secured, name)
    district = other.split("|")[0]
    r = street_update(client, secured, other)
    assert r.status_code == 200 and PREFIX[district] not in visible_text(r)
    own = "武侯区|玉林街道" if name == "wuhou" else "龙泉驿区|十陵街道"
    mine = street_update(client, secured, own)
    assert PREFIX[own.split("|")[0]] in visible_text(mine)  # the same request for an own street shows its items
    rows = workbook_rows(items_download(client, secured, other))
    assert len(rows) == 1  # the header row only
    assert not any(PREFIX[district] in str(v) for row in rows for v in row)
    assert len(workbook_rows(items_download(client, secured, own))) > 1
    r = dash_post(
        client,
        secured,
        f"{Id.SCORECARD_DOWNLOAD}.data",
        [(Id.SCORECARD_DOWNLOAD_BTN, "n_clicks", 1)],
        [
            (Id.STREET, "value", other),
            (Id.PERIOD, "value", "2020Q2"),
            ({"type": Id.QUERY, "page": "street"}, "data", {}),
        ],
    )
    assert r.status_code == 204 or PREFIX[district] not in visible_text(r)


def test_uploads_touching_other_districts_are_refused(secured, tmp_path):
    data = secured.server.extensions["street_scorecard"]
    before = data.store.fingerprint()
    report = write_report(tmp_path / "r.xlsx", "龙泉驿区", "十陵街道", "2020Q2", [("龙泉-001", "100%")])
    for name in ("wuhou", "viewer2"):
        r = check_upload(login(secured, name), secured, report)
        assert r.status_code == 200
        out = r.get_json()["response"]
        pending = out[Id.PENDING]["data"]
        assert pending is None or pending["files"] == []
        # An officer's upload is read against their own districts' register: another district's street is unknown.
        assert ("不在街道名册中" if name == "wuhou" else "只读") in visible_text(r)
    assert data.store.fingerprint() == before


def test_lock_out_after_repeated_failures_and_disabled_accounts(secured):
    accounts = secured.server.extensions[EXTENSION_KEY].accounts
    accounts.add("victim", PASSWORD, "viewer", ["邛崃市"])
    client = secured.server.test_client()
    for _ in range(MAX_FAILED):
        r = client.post("/login", data={"username": "victim", "password": "wrong", "csrf_token": csrf(client)})
        assert r.status_code == 401
    r = client.post("/login", data={"username": "victim", "password": PASSWORD, "csrf_token": csrf(client)})
    assert r.status_code == 401 and "锁定" in r.text  # the right password no longer helps
    accounts.set_password("victim", PASSWORD)  # an admin lifts the lock
    logged = login(secured, "victim")
    assert logged.get("/").status_code == 200
    accounts.set_active("victim", False)
    assert logged.get("/").status_code == 302  # the open session ends with the account
    cookie = logged.get_cookie("street_scorecard_session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_local_mode_only_without_accounts_and_only_on_loopback(tmp_path, monkeypatch):
    monkeypatch.setenv("STREETS_SECRET_KEY", "k" * 40)
    app = create_app(f"sqlite:///{tmp_path / 'local.sqlite'}", seed=False)
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    remote = app.server.test_client()
    r = remote.get("/", environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert r.status_code == 403 and "users add" in r.text
    r = client.get("/", headers={"Host": "evil.example:8050"})
    assert r.status_code == 403


def test_cli_refuses_a_public_host_without_accounts(tmp_path, capsys, monkeypatch):
    from dashboard.__main__ import main, users_main

    monkeypatch.setenv("STREETS_SECRET_KEY", "k" * 40)

    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    Store(url).close()
    with pytest.raises(SystemExit) as stop:
        main(["--host", "0.0.0.0", "--db", url])
    assert "users add" in str(stop.value.code)
    assert users_main(["add", "x", "--role", "district", "--db", url]) == 2
    assert "exactly one district" in capsys.readouterr().err


def test_cli_adds_lists_disables_and_changes_passwords(tmp_path, capsys, monkeypatch):
    from dashboard.__main__ import users_main

    url = f"sqlite:///{tmp_path / 'users.sqlite'}"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert users_main(["add", "li", "--role", "district", "--district", "武侯区", "--password-stdin", "--db", url]) == 0
    assert users_main(["list", "--db", url]) == 0
    assert "li\tdistrict\t武侯区\tactive" in capsys.readouterr().out
    assert users_main(["disable", "li", "--db", url]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("another password\n"))
    assert users_main(["passwd", "li", "--password-stdin", "--db", url]) == 0
    store = Store(url)
    accounts = Accounts(store.engine)
    assert accounts.verify("li", "another password") == (None, "disabled")
    assert accounts.verify("li", PASSWORD)[1] == "bad"
    changes = AuditLog(store.engine).entries(action="users")
    assert changes["what"].str.split().str[0].tolist() == ["passwd", "disable", "add"]  # list changes nothing
    store.close()


@pytest.mark.browser
def test_browser_login_sees_own_district_and_logs_out(browser, secured):
    import threading

    from playwright.sync_api import expect
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, secured.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(base + "/compare")
        assert "/login" in page.url
        page.fill("#username", "wuhou")
        page.fill("#password", "wrong password")
        page.click("#login-submit")
        expect(page.locator("#login-message")).to_contain_text("错误")
        page.fill("#username", "wuhou")
        page.fill("#password", PASSWORD)
        page.click("#login-submit")
        expect(page.locator("#account-name")).to_be_visible()
        expect(page).to_have_url(re.compile(r"/compare\?.*districts=%E6%AD%A6%E4%BE%AF%E5%8C%BA&"))  # 武侯区 only
        page.goto(base + "/?districts=龙泉驿区,武侯区")
        page.wait_for_function(DASH_IDLE)  # every callback answered: what is not shown now never will be
        body = page.locator("body")
        expect(page.locator("#overview-ranking-table .ag-row").first).to_be_visible()
        expect(body).to_contain_text("玉林街道")
        expect(body).to_contain_text("wuhou")
        expect(body).not_to_contain_text("十陵街道")
        page.click("#logout-button")
        expect(page.locator("#login-form")).to_be_visible()
        page.goto(base + "/street")
        expect(page).to_have_url(re.compile("/login"))
        assert errors == []
    finally:
        context.close()
        server.shutdown()
        thread.join(timeout=5)


def test_audit_log_records_logins_uploads_ingests_exports_and_only_admins_read_it(secured, tmp_path):
    audit = secured.server.extensions[EXTENSION_KEY].audit
    client = secured.server.test_client()
    client.post("/login", data={"username": "wuhou", "password": "nope", "csrf_token": csrf(client)})
    officer = login(secured, "wuhou")
    items_download(officer, secured, "武侯区|玉林街道")
    report = write_report(tmp_path / "玉林.xlsx", "武侯区", "玉林街道", "2020Q2", [("武侯-001", "90%")])
    pending = check_upload(officer, secured, report).get_json()["response"][Id.PENDING]["data"]
    query = {"type": Id.QUERY, "page": "data"}
    assert pending["files"] == ["玉林.xlsx"]
    dash_post(
        officer,
        secured,
        f"{Id.INGEST_RESULT}.children",
        [(Id.CONFIRM, "n_clicks", 1)],
        [(Id.PENDING, "data", pending), (query, "data", {"lang": "zh"})],
    )
    df = audit.entries(user="wuhou")
    seen = set(zip(df["action"], df["outcome"], strict=True))
    assert {("login", "bad"), ("login", "ok"), ("upload", "checked ok"), ("ingest", "ingested")} <= seen
    assert ("export", "ok") in seen and df["what"].str.contains("玉林街道_2020Q2").any()
    stored = secured.server.extensions["street_scorecard"].store.history()
    assert (stored["file_name"].eq("玉林.xlsx") & stored["user_name"].eq("wuhou")).sum() == 1

    admin_query = {"type": Id.QUERY, "page": "admin"}

    def audit_table(client):
        r = dash_post(
            client,
            secured,
            "audit-table.rowData",
            [("audit-action", "value", ""), ("audit-user", "value", "wuhou")],
            [(admin_query, "data", {"lang": "zh"})],
        )
        return r.get_json()["response"]["audit-table"]["rowData"]

    assert audit_table(officer) == []  # a crafted request by a non-admin gets nothing
    admin = login(secured, "admin1")
    rows = audit_table(admin)
    assert len(rows) == len(df) and {r["action"] for r in rows} >= {"login", "upload", "ingest", "export"}
    r = dash_post(
        admin,
        secured,
        "audit-download.data",
        [("audit-download-btn", "n_clicks", 1)],
        [("audit-action", "value", "login"), ("audit-user", "value", "")],
    )
    content = r.get_json()["response"]["audit-download"]["data"]["content"]
    ws = openpyxl.load_workbook(io.BytesIO(base64.b64decode(content))).active
    logged = [row for row in ws.iter_rows(min_row=2, values_only=True)]
    assert logged and all(row[3] == "login" for row in logged)


def test_a_confirm_reaching_another_worker_stores_the_checked_file_once(secured, tmp_path):
    data = secured.server.extensions["street_scorecard"]
    officer = login(secured, "wuhou")
    report = write_report(tmp_path / "簇桥.xlsx", "武侯区", "簇桥街道", "2020Q1", [("武侯-002", "80%")])
    pending = check_upload(officer, secured, report).get_json()["response"][Id.PENDING]["data"]
    query = {"type": Id.QUERY, "page": "data"}
    data.pending.clear()  # as if the confirm went to a worker process that did not check the file
    thief = login(secured, "city1")  # another account with the token gets nothing
    confirm = [(Id.CONFIRM, "n_clicks", 1)], [(Id.PENDING, "data", pending), (query, "data", {"lang": "zh"})]
    assert "没有可入库" in visible_text(dash_post(thief, secured, f"{Id.INGEST_RESULT}.children", *confirm))
    assert "簇桥.xlsx" in visible_text(dash_post(officer, secured, f"{Id.INGEST_RESULT}.children", *confirm))
    assert "没有可入库" in visible_text(dash_post(officer, secured, f"{Id.INGEST_RESULT}.children", *confirm))
    history = data.store.history()
    assert history["file_name"].eq("簇桥.xlsx").sum() == 1


@pytest.mark.skipif(not PG_URL, reason="STREETS_TEST_PG_URL not set (.ci/run sets it)")
def test_accounts_lock_out_and_audit_on_postgresql():
    with pg_schema("auth") as url, Store(url) as store:
        accounts, audit = Accounts(store.engine), AuditLog(store.engine)
        name = f"pg_{uuid.uuid4().hex[:8]}"
        accounts.add(name, PASSWORD, "viewer", ["武侯区", "成华区"])
        assert accounts.get(name).districts == ("武侯区", "成华区")
        outcomes = [accounts.verify(name, "wrong")[1] for _ in range(MAX_FAILED)]
        assert outcomes == ["bad"] * (MAX_FAILED - 1) + ["locked"]
        assert accounts.verify(name, PASSWORD) == (None, "locked")
        audit.record(name, "login", "password", "locked", "127.0.0.1")
        assert audit.entries(user=name)["outcome"].tolist() == ["locked"]


def test_an_oversized_request_is_refused_before_any_callback(secured):
    from dashboard.auth.web import MAX_REQUEST_BYTES

    client = login(secured, "city1")
    body = b'{"output": "x", "pad": "' + b"A" * (MAX_REQUEST_BYTES + 10) + b'"}'
    headers = {"X-CSRFToken": client.get_cookie("_csrf_token").value, "Content-Type": "application/json"}
    r = client.post("/_dash-update-component", data=body, headers=headers)
    assert r.status_code == 413


# Values a crafted request puts into every callback: all of them name districts the viewer may not see.
CRAFTED = {
    "filter-period": "2020Q2",
    "filter-districts": ["武侯区", "彭州市", "龙泉驿区"],
    "filter-district": "武侯区",
    "filter-street": "武侯区|簇桥街道",
    "filter-street-type": "",
    "filter-function": "overall",
    "filter-mode": "own",
    "audit-action": "",
    "audit-user": "",
}
# 簇桥街道 is echoed back in the street page's query (the request's own words); everything else is data.
FORBIDDEN = ["武侯-", "彭州-", "玉林街道", "华兴街道", "金花桥街道", *(s for s, _ in STREETS["彭州市"])]


def every_callback(client, app):
    """(key, response) for a crafted request to every server-side callback of the app."""
    for key, spec in app.callback_map.items():
        if "callback" not in spec:
            continue  # clientside: runs in the browser, no route

        def value(item):
            ident = item["id"]
            if ident.startswith("{"):
                return {"lang": "zh"}
            if item["property"] == "n_clicks":
                return 1
            return CRAFTED.get(ident)

        inputs = [
            (json.loads(i["id"]) if i["id"].startswith("{") else i["id"], i["property"], value(i))
            for i in spec["inputs"]
        ]
        state = [
            (json.loads(i["id"]) if i["id"].startswith("{") else i["id"], i["property"], value(i))
            for i in spec["state"]
        ]
        body = {
            "output": key,
            "outputs": outputs_of(key),
            "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
            "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
            "changedPropIds": [f"{spec['inputs'][0]['id']}.{spec['inputs'][0]['property']}"],
        }
        cookie = client.get_cookie("_csrf_token")
        headers = {"X-CSRFToken": cookie.value if cookie else ""}
        yield key, client.post("/_dash-update-component", json=body, headers=headers)


def visible_text(response) -> str:
    """The response text plus the cells of any workbook it carries."""
    if response.status_code != 200:
        return response.text
    text = json.dumps(response.get_json(), ensure_ascii=False)  # the raw JSON may escape every CJK character
    for out in response.get_json()["response"].values():
        for v in out.values():
            if isinstance(v, dict) and v.get("base64") and str(v.get("filename", "")).endswith(".xlsx"):
                wb = openpyxl.load_workbook(io.BytesIO(base64.b64decode(v["content"])))
                text += " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row)
    return text


def test_every_callback_refuses_anonymous_and_keeps_a_viewer_in_scope(secured):
    anonymous = secured.server.test_client()
    csrf(anonymous)
    answered = list(every_callback(anonymous, secured))
    assert len(answered) >= 15
    assert all(r.status_code == 401 for _, r in answered), [k for k, r in answered if r.status_code != 401]
    viewer = login(secured, "viewer2")
    seen = ""
    for key, r in every_callback(viewer, secured):
        assert r.status_code in (200, 204), (key, r.status_code)
        text = visible_text(r)
        leaked = [f for f in FORBIDDEN if f in text]
        assert not leaked, (key, leaked)
        seen += text
    assert "十陵街道" in seen  # the viewer's own district is there
    city = login(secured, "city1")  # the very same requests by a city evaluator do show the other districts
    shown = " ".join(visible_text(r) for _, r in every_callback(city, secured))
    assert [f for f in ("武侯-", "玉林街道", "天彭街道") if f not in shown] == []
