"""The breaks of issue 19, each replayed in-process against the real app and store (gunicorn: test_security_live)."""

from __future__ import annotations

import base64
import io
import os
import re
import stat
import threading
import time
import uuid

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from builders import as_parsed_files, build_dataset, write_report
from hostile import FORMULA, SHEETLESS
from test_auth import PASSWORD, check_upload, csrf, dash_post, decoded, login

from dashboard.app import create_app
from dashboard.auth.accounts import ACCOUNT_MAX_FAILED, ADDRESS_MAX_FAILED, MAX_FAILED, Accounts
from dashboard.auth.secret import SecretError, load_secret, read_secret_file, write_secret_file
from dashboard.auth.web import EXTENSION_KEY, safe_next
from dashboard.constants import Id
from dashboard.upload_guard import LimitExceeded, run_limited
from loaders.store import Store
from tests.pgschema import PG_URL, pg_schema

needs_pg = pytest.mark.skipif(not PG_URL, reason="STREETS_TEST_PG_URL not set (.ci/run sets it)")
DATA_QUERY = ({"type": Id.QUERY, "page": "data"}, "data", {"lang": "zh"})


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """An app on the built dataset with an admin, a city evaluator and a 武侯区 officer."""
    url = f"sqlite:///{tmp_path_factory.mktemp('sec') / 's.sqlite'}"
    store = Store(url)
    for parsed in as_parsed_files(build_dataset()):
        store.ingest(parsed, user="test")
    accounts = Accounts(store.engine)
    accounts.add("admin1", PASSWORD, "admin", [])
    accounts.add("city1", PASSWORD, "city", [])
    accounts.add("wuhou", PASSWORD, "district", ["武侯区"])
    store.close()
    return create_app(url, seed=False)


def upload(client, app, contents, names):
    """The data page's upload check with whatever contents and names a crafted request carries."""
    inputs = [(Id.UPLOAD, "contents", contents)]
    return dash_post(client, app, f"{Id.CHECK_RESULT}.children", inputs, [(Id.UPLOAD, "filename", names), DATA_QUERY])


def far_cell_report(path):
    """A 5 KB report with one x in the last cell of the sheet, XFD1048576: the reader is asked for 512 GiB."""
    write_report(path, "武侯区", "玉林街道", "2020Q2", [("武侯-001", "100%")])
    wb = openpyxl.load_workbook(path)
    wb.active["XFD1048576"] = "x"
    wb.save(path)
    return path


# 1. Uploads are read in a child process with limits: the worker survives any reader failure.


def test_a_cell_at_xfd1048576_is_refused_and_the_worker_goes_on(app, tmp_path):
    officer = login(app, "wuhou")
    r = check_upload(officer, app, far_cell_report(tmp_path / "far.xlsx"))
    assert r.status_code == 200
    assert r.get_json()["response"][Id.PENDING]["data"]["files"] == []
    assert "不能入库" in decoded(r) or "拒绝" in decoded(r)
    assert officer.get("/").status_code == 200  # the same process answers the next request


@pytest.mark.parametrize(
    ("fn", "args", "seconds", "says"),
    [
        (bytearray, (8 * 2**30,), 30, "MB"),  # a reader asking for more memory than allowed
        (time.sleep, (30,), 2, "longer than"),  # a reader that never ends
        (os.abort, (), 30, "died"),  # a reader that crashes (calamine aborts on a failed allocation)
    ],
)
def test_the_limited_child_turns_every_reader_failure_into_a_refusal(fn, args, seconds, says):
    with pytest.raises(LimitExceeded) as refused:
        run_limited(fn, args, memory=1024 * 2**20, seconds=seconds)
    assert says in refused.value.en and refused.value.zh


# 3. Open redirect: next is a same-site path or "/".


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example/login",
        "/\n/evil.example",
        "//evil.example/login",
        "/\\evil.example",
        "\\/evil.example",
        "https://evil.example/login",
        "javascript:alert(1)",
        "/ /evil.example",
        "/\x00/evil.example",
        "evil.example",
        "",
    ],
)
def test_next_is_never_another_site(target):
    assert safe_next(target) == "/"


def test_login_redirects_only_within_the_site(app):
    client = app.server.test_client()
    for query, expected in (("/%09/evil.example/login", "/"), ("/compare?period=2020Q2", "/compare?period=2020Q2")):
        page = client.get(f"/login?next={query}")
        assert "evil.example" not in page.text
        form = {"username": "city1", "password": PASSWORD, "csrf_token": csrf(client), "next": query}
        if "%09" in query:
            form["next"] = "/\t/evil.example/login"  # the value as the browser posts the decoded hidden field
        r = client.post("/login", data=form)
        assert r.status_code == 302 and r.headers["Location"] == expected


# 4. Sessions end with logout, password change, role change and disable.


def stolen_cookie(app, name: str) -> tuple:
    """A logged-in client and a second client holding a copy of its session cookie."""
    client = login(app, name)
    thief = app.server.test_client()
    thief.set_cookie("street_scorecard_session", client.get_cookie("street_scorecard_session").value)
    assert thief.get("/").status_code == 200
    return client, thief


@pytest.mark.parametrize("ending", ["logout", "password", "role", "disable"])
def test_a_copied_session_cookie_dies_with_the_session(app, ending):
    accounts: Accounts = app.server.extensions[EXTENSION_KEY].accounts
    name = f"s_{ending}"
    accounts.add(name, PASSWORD, "district", ["武侯区"])
    client, thief = stolen_cookie(app, name)
    if ending == "logout":
        assert client.post("/logout", data={"csrf_token": client.get_cookie("_csrf_token").value}).status_code == 302
    elif ending == "password":
        accounts.set_password(name, "another password 9")
    elif ending == "role":
        accounts.set_role(name, "viewer", ["邛崃市"])
    else:
        accounts.set_active(name, False)
    assert thief.get("/").status_code == 302  # to the login page
    r = dash_post(thief, app, f"{Id.CHECK_RESULT}.children", [(Id.UPLOAD, "contents", ["x"])], [DATA_QUERY])
    assert r.status_code in (401, 403)


# 5. Lock-out counted atomically; throttled per address and per account; no name enumeration.


def hammer(accounts: Accounts, name: str, addresses: list[str]) -> list[str]:
    """One wrong password for name from each address, all at once."""
    start, outcomes = threading.Barrier(len(addresses)), []

    def attempt(address):
        start.wait()
        outcomes.append(accounts.verify(name, "wrong password", address)[1])

    threads = [threading.Thread(target=attempt, args=(a,)) for a in addresses]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def lockout_race(url: str) -> None:
    store = Store(url)
    try:
        accounts = Accounts(store.engine)
        name = f"race_{uuid.uuid4().hex[:8]}"
        accounts.add(name, PASSWORD, "viewer", ["武侯区"])
        net = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
        # Sixteen addresses at once: every attempt checks the password and counts on the account.
        outcomes = hammer(accounts, name, [f"{net}.{i}" for i in range(16)])
        assert outcomes == ["bad"] * 16
        assert accounts.failures(name) == 16  # no failure lost to a concurrent read-modify-write
        # Sixteen at once from one address: it is locked out of the name, the right password no longer helps...
        assert "locked" in hammer(accounts, name, [f"{net}.99"] * 16)
        assert accounts.verify(name, PASSWORD, f"{net}.99") == (None, "locked")
        # ...but that address cannot lock the owner out.
        assert accounts.verify(name, PASSWORD, f"{net}.200")[1] == "ok"
    finally:
        store.close()


def test_the_lock_out_counter_holds_under_concurrent_attempts_on_sqlite(tmp_path):
    lockout_race(f"sqlite:///{tmp_path / 'race.sqlite'}")


@needs_pg
def test_the_lock_out_counter_holds_under_concurrent_attempts_on_postgresql():
    with pg_schema("lockout") as url:
        lockout_race(url)


@pytest.mark.slow
def test_an_account_locks_for_everyone_only_after_many_addresses_failed(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'acct.sqlite'}")
    accounts = Accounts(store.engine)
    accounts.add("target", PASSWORD, "viewer", ["武侯区"])
    for i in range(ACCOUNT_MAX_FAILED):
        accounts.verify("target", "wrong", f"10.2.{i // MAX_FAILED}.{i}")
    assert accounts.verify("target", PASSWORD, "10.3.0.1") == (None, "locked")
    accounts.set_password("target", PASSWORD)  # an admin lifts it
    assert accounts.verify("target", PASSWORD, "10.3.0.1")[1] == "ok"
    store.close()


def test_one_address_is_throttled_whatever_names_it_tries(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'addr.sqlite'}")
    accounts = Accounts(store.engine)
    accounts.add("someone", PASSWORD, "viewer", ["武侯区"])
    for i in range(ADDRESS_MAX_FAILED):
        accounts.verify(f"guess{i}", "wrong", "10.4.0.1")
    assert accounts.verify("someone", PASSWORD, "10.4.0.1") == (None, "throttled")
    assert accounts.verify("someone", PASSWORD, "10.4.0.2")[1] == "ok"
    store.close()


def test_user_names_cannot_be_enumerated(app):
    accounts: Accounts = app.server.extensions[EXTENSION_KEY].accounts
    accounts.add("known1", PASSWORD, "viewer", ["武侯区"])
    answers = {}
    for name in ("known1", "nobody_here"):
        client = app.server.test_client()
        seen = []
        for _ in range(MAX_FAILED + 1):
            r = client.post("/login", data={"username": name, "password": "wrong!", "csrf_token": csrf(client)})
            page = re.sub(r'name="csrf_token" value="[^"]*"', "", r.text)  # each session's own token
            seen.append((r.status_code, page.replace(name, "NAME")))
        answers[name] = seen
    assert answers["known1"] == answers["nobody_here"]
    assert "锁定" in answers["known1"][-1][1]


# 6. The session secret: environment or an owner-only file, never the store.


def test_the_session_secret_is_not_in_the_store_and_comes_from_an_owner_only_file(app, tmp_path):
    data = app.server.extensions["street_scorecard"]
    with data.store.engine.connect() as conn:
        assert "dashboard_secrets" not in sa.inspect(conn).get_table_names()
    path = tmp_path / "secret"
    write_secret_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_secret({"STREETS_SECRET_FILE": str(path)}).key == read_secret_file(path)
    path.chmod(0o644)
    with pytest.raises(SecretError, match="chmod 600"):
        load_secret({"STREETS_SECRET_FILE": str(path)})
    with pytest.raises(SecretError, match="too short"):
        load_secret({"STREETS_SECRET_KEY": "short"})
    assert load_secret({}).configured is False


def test_without_a_configured_secret_only_loopback_is_served(tmp_path, monkeypatch):
    monkeypatch.delenv("STREETS_SECRET_KEY", raising=False)
    monkeypatch.delenv("STREETS_SECRET_FILE", raising=False)
    served = create_app(f"sqlite:///{tmp_path / 'nosecret.sqlite'}", seed=False)
    client = served.server.test_client()
    assert client.get("/login").status_code == 200
    r = client.get("/login", environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert r.status_code == 503 and "STREETS_SECRET_FILE" in r.text
    from dashboard.__main__ import main

    with pytest.raises(SystemExit) as stop:
        main(["--host", "0.0.0.0", "--db", f"sqlite:///{tmp_path / 'nosecret.sqlite'}"])
    assert "STREETS_SECRET_FILE" in str(stop.value.code)


# 7. Formula injection: every CSV and workbook goes through metrics.export.formula.


DTYPES = {
    "object": object,
    "str": "str",
    "string": "string",
    "category": "category",
}


@pytest.mark.parametrize("dtype", list(DTYPES.values()), ids=list(DTYPES))
def test_score_csv_and_xlsx_defuse_formulas_in_every_string_dtype(tmp_path, dtype):
    from metrics.output import to_csv, write_xlsx

    texts = [FORMULA, "+1", "-2", "@SUM(A1)", "\tx", "玉林街道"]
    df = pd.DataFrame({"district": pd.Series(texts, dtype=dtype), "overall": range(len(texts))})
    lines = to_csv(df).splitlines()[1:]
    assert [ln.split(",")[0] for ln in lines[1:]] == ["'+1", "'-2", "'@SUM(A1)", "'\tx", "玉林街道"]
    assert lines[0].startswith("\"'=HYPERLINK")
    write_xlsx(df, tmp_path / "s.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    cells = [row[0] for row in ws.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells)  # text, never a formula
    assert [c.value for c in cells][:2] == ["'" + FORMULA, "'+1"]


def test_metrics_score_writes_no_live_formula_from_a_street_name(tmp_path):
    from hostile import hostile_dataset

    from metrics.__main__ import main

    url = f"sqlite:///{tmp_path / 'f.sqlite'}"
    store = Store(url)
    for parsed in as_parsed_files(hostile_dataset({"玉林街道": FORMULA})):
        store.ingest(parsed, user="test")
    store.close()
    assert main(["score", "--db", url, "--format", "xlsx", "--out", str(tmp_path / "s.xlsx")]) == 0
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    hostile = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert hostile and all(c.data_type == "s" and c.value.startswith("'=") for c in hostile)
    assert main(["score", "--db", url, "--format", "csv", "--out", str(tmp_path / "s.csv")]) == 0
    assert "'=HYPERLINK" in (tmp_path / "s.csv").read_text(encoding="utf-8")


def test_the_audit_export_defuses_a_hostile_user_name(app):
    client = app.server.test_client()
    client.post("/login", data={"username": FORMULA, "password": "x", "csrf_token": csrf(client)})
    admin = login(app, "admin1")
    r = dash_post(
        admin,
        app,
        "audit-download.data",
        [("audit-download-btn", "n_clicks", 1)],
        [("audit-action", "value", ""), ("audit-user", "value", "")],
    )
    content = r.get_json()["response"]["audit-download"]["data"]["content"]
    ws = openpyxl.load_workbook(io.BytesIO(base64.b64decode(content))).active
    names = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert names and all(c.data_type == "s" and c.value.startswith("'=") for c in names)


# 8. The upload check never says which other district a guessed street belongs to.


@pytest.mark.parametrize("claimed", ["武侯区", "", "成都市", "龙泉驿区"])
@pytest.mark.parametrize("street", ["十陵街道", "洛带镇"])
def test_a_guessed_street_of_another_district_is_refused_without_naming_it(app, tmp_path, claimed, street):
    officer = login(app, "wuhou")
    r = check_upload(officer, app, write_report(tmp_path / "g.xlsx", claimed, street, "2020Q2", [("武侯-001", "1")]))
    assert r.get_json()["response"][Id.PENDING]["data"]["files"] == []
    shown = decoded(r)
    assert "不能入库" in shown
    if claimed != "龙泉驿区":  # the file itself did not name it: the answer must not either
        assert "龙泉驿区" not in shown and "龙泉驿" not in shown


# 9. Unhandled inputs: odd names, malformed requests, a full disk.


def test_the_items_download_of_a_street_named_with_sheet_and_path_characters(app):
    from dashboard.downloads import items_xlsx

    items = pd.DataFrame({"item_code": ["A-1"], "item_name": [FORMULA], "c": [0.5]})
    out = items_xlsx(items, SHEETLESS, "2020Q2", "zh")
    assert "/" not in out["filename"] and "?" not in out["filename"] and "*" not in out["filename"]
    wb = openpyxl.load_workbook(io.BytesIO(base64.b64decode(out["content"])))
    assert wb.active.title and not set("/?*[]:") & set(wb.active.title)


@pytest.mark.parametrize("name", ["..", ".", "../../x.xlsx", "\\..\\", "\x00.xlsx", "a" * 400 + ".xlsx"])
def test_an_upload_with_a_hostile_file_name_gets_an_answer(app, tmp_path, name):
    report = write_report(tmp_path / "ok.xlsx", "武侯区", "玉林街道", "2020Q2", [("武侯-001", "100%")])
    content = "data:application/octet-stream;base64," + base64.b64encode(report.read_bytes()).decode()
    officer = login(app, "wuhou")
    r = dash_post(
        officer,
        app,
        f"{Id.CHECK_RESULT}.children",
        [(Id.UPLOAD, "contents", [content])],
        [(Id.UPLOAD, "filename", [name]), DATA_QUERY],
    )
    assert r.status_code == 200


@pytest.mark.parametrize(
    ("contents", "names"),
    [(["not base64 !!"], ["a.xlsx"]), (["QUJD"], None), ("QUJD", "a.xlsx"), (["QUJD", "QUJD"], ["a.xlsx"]), ([5], [6])],
)
def test_a_malformed_upload_request_gets_a_message(app, contents, names):
    officer = login(app, "wuhou")
    r = dash_post(
        officer,
        app,
        f"{Id.CHECK_RESULT}.children",
        [(Id.UPLOAD, "contents", contents)],
        [(Id.UPLOAD, "filename", names), DATA_QUERY],
    )
    assert r.status_code == 200 and "上传内容不完整" in decoded(r)


@pytest.mark.parametrize("pending", [{"token": 5}, {"token": {"a": 1}}, {"token": "../../etc"}, "abc", ["x"], 7, None])
def test_a_malformed_pending_token_is_nothing_to_store(app, pending):
    officer = login(app, "wuhou")
    r = dash_post(
        officer,
        app,
        f"{Id.INGEST_RESULT}.children",
        [(Id.CONFIRM, "n_clicks", 1)],
        [(Id.PENDING, "data", pending), DATA_QUERY],
    )
    assert r.status_code == 200 and "没有可入库" in decoded(r)


def big_report(path, street: str):
    """A valid report whose item names are long enough to need new pages in the store (overflow pages)."""
    write_report(path, "武侯区", street, "2020Q1", [(f"武侯-{k:03d}", "80%") for k in range(1, 13)])
    wb = openpyxl.load_workbook(path)
    for row in range(4, 16):
        wb.active.cell(row, 2).value = f"事项{row}" + "很长的事项名称" * 400
    wb.save(path)
    return path


def compact(path) -> None:
    """No free pages left in the SQLite file: with max_page_count at its size, the next new page fails."""
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("VACUUM")
    conn.close()


def test_a_full_disk_on_confirm_gives_a_clean_bilingual_answer(full_sqlite_late):
    served, officer, confirm = full_sqlite_late
    r = dash_post(officer, served, f"{Id.INGEST_RESULT}.children", *confirm)
    assert r.status_code == 200 and "磁盘已满" in decoded(r) and "disk is full" in decoded(r)


@pytest.fixture
def full_sqlite_late(tmp_path):
    """An app with a checked upload pending, whose store then gets full."""
    url = f"sqlite:///{tmp_path / 'full.sqlite'}"
    store = Store(url)
    for parsed in as_parsed_files(build_dataset()):
        store.ingest(parsed, user="test")
    Accounts(store.engine).add("wuhou", PASSWORD, "district", ["武侯区"])
    store.close()
    served = create_app(url, seed=False)
    officer = login(served, "wuhou")
    report = big_report(tmp_path / "簇桥.xlsx", "簇桥街道")
    pending = check_upload(officer, served, report).get_json()["response"][Id.PENDING]["data"]
    assert pending["files"] == ["簇桥.xlsx"]
    engine = served.server.extensions["street_scorecard"].store.engine
    engine.dispose()
    compact(tmp_path / "full.sqlite")

    def cap(dbapi_conn, _record):
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    sa.event.listen(engine, "connect", cap)
    engine.dispose()
    yield served, officer, ([(Id.CONFIRM, "n_clicks", 1)], [(Id.PENDING, "data", pending), DATA_QUERY])
    sa.event.remove(engine, "connect", cap)


def test_a_full_disk_in_the_cli_reports_every_file_cleanly(tmp_path, capsys):
    from loaders.__main__ import main

    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    store = Store(url)
    for parsed in as_parsed_files(build_dataset()):
        store.ingest(parsed, user="test")
    store.close()
    compact(tmp_path / "cli.sqlite")
    files = [
        big_report(tmp_path / f"r{i}.xlsx", street) for i, street in enumerate(["玉林街道", "簇桥街道", "华兴街道"])
    ]

    def cap(dbapi_conn, _record):
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    sa.event.listen(sa.engine.Engine, "connect", cap)
    try:
        rc = main(["ingest", *map(str, files), "--db", url])
    finally:
        sa.event.remove(sa.engine.Engine, "connect", cap)
    out = capsys.readouterr()
    assert rc == 1 and "Traceback" not in out.out + out.err
    for f in files:
        assert f"{f.name}: 磁盘已满" in out.out  # every file reported, the later ones too
    assert "disk is full" in out.out


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_full_disk_under_metrics_score_is_a_clean_message(tmp_path, capsys, fmt):
    from metrics.__main__ import main

    url = f"sqlite:///{tmp_path / 'm.sqlite'}"
    store = Store(url)
    for parsed in as_parsed_files(build_dataset()):
        store.ingest(parsed, user="test")
    store.close()
    rc = main(["score", "--db", url, "--format", fmt, "--out", "/dev/full"])  # every write: ENOSPC
    err = capsys.readouterr().err
    assert rc == 1 and "磁盘已满" in err and "disk is full" in err
