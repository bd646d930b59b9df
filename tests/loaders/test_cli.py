"""`python -m loaders check|ingest|history` run as an officer runs them, in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HEADER = ["事项编号", "事项名称", "目标值", "完成值", "完成率"]


def run(*args: object, module: str = "loaders") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def report(xlsx, name: str, completion: object, street: str = "玉林"):
    rows = [["A1", "社区党组织建设", 10, 8, None], ["A2", "老旧院落改造", None, None, completion]]
    title = f"填报单位：{street}    报告期：2019年第二季度"
    return xlsx(name, xlsx.Sheet("履职情况", [["履职情况季度报表"], [title], HEADER, *rows, ["审核人：李四"]]))


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite'}"


def test_check_valid_files_exits_0(xlsx, register_path, db) -> None:
    done = run("check", register_path, report(xlsx, "good.xlsx", "85%"), "--db", db)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "✔ good.xlsx" in done.stdout and "使用 2" in done.stdout and "skipped 1" in done.stdout
    assert "审核人" in done.stdout  # the skipped footer row is shown with its location


def test_check_invalid_file_exits_1_and_names_the_cell(xlsx, register_path, db) -> None:
    done = run("check", register_path, report(xlsx, "bad.xlsx", "八十五"), "--db", db)
    assert done.returncode == 1
    line = next(x for x in done.stdout.splitlines() if "履职情况!E5" in x)
    assert "bad.xlsx" in line and "八十五" in line and "not a number" in line


def test_check_json_is_parseable_with_locations(xlsx, register_path, db) -> None:
    done = run(
        "check", "--json", register_path, report(xlsx, "bad.xlsx", "-5%"), report(xlsx, "ok.xlsx", 0.9), "--db", db
    )
    assert done.returncode == 1
    files = {f["file"]: f for f in json.loads(done.stdout)}
    assert set(files) == {"街道名册.xlsx", "bad.xlsx", "ok.xlsx"}
    assert files["ok.xlsx"]["ok"] and not files["bad.xlsx"]["ok"]
    for f in files.values():
        assert f["rows_read"] == f["rows_used"] + f["rows_skipped"]
    [error] = [x for x in files["bad.xlsx"]["findings"] if x["level"] == "error"]
    assert (error["code"], error["sheet"], error["cell"]) == ("bad_completion", "履职情况", "E5")
    assert error["location"] == "bad.xlsx › 履职情况!E5" and error["zh"] and error["en"]


def test_check_refuses_a_file_that_is_not_a_workbook(tmp_path, db) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("街道,完成率\n玉林,85%\n", encoding="utf-8")
    done = run("check", "--json", fake, "--db", db)
    assert done.returncode == 1
    [entry] = json.loads(done.stdout)
    assert [f["code"] for f in entry["findings"]] == ["not_xlsx_csv"]


@pytest.mark.slow
def test_ingest_then_history(xlsx, register_path, db) -> None:
    first = run("ingest", register_path, report(xlsx, "玉林_v1.xlsx", "60%"), "--db", db, "--user", "考核员甲")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "新增 added: 履职情况 武侯区 玉林街道 2019Q2" in first.stdout
    second = run("ingest", report(xlsx, "玉林_v2.xlsx", "90%"), "--db", db, "--user", "考核员乙")
    assert second.returncode == 0
    assert "替换旧报表 superseded: 履职情况 武侯区 玉林街道 2019Q2" in second.stdout
    again = run("ingest", xlsx.folder / "玉林_v2.xlsx", "--db", db)
    assert again.returncode == 0 and "未重复导入" in again.stdout
    refused = run("ingest", report(xlsx, "玉林_bad.xlsx", "-1"), "--db", db)
    assert refused.returncode == 1 and "履职情况!E5" in refused.stdout and "refused" in refused.stdout
    history = run("history", "--db", db)
    assert history.returncode == 0
    lines = history.stdout.splitlines()
    order = [next(n for n in ("玉林_bad", "玉林_v2", "玉林_v1", "街道名册") if n in line) for line in lines[1:]]
    assert order == ["玉林_bad", "玉林_v2", "玉林_v2", "玉林_v1", "街道名册"]  # newest first
    assert "考核员乙" in history.stdout and "duplicate" in history.stdout and "refused" in history.stdout


def test_history_of_an_empty_store(db) -> None:
    done = run("history", "--db", db)
    assert done.returncode == 0 and "尚无导入记录" in done.stdout


@pytest.mark.slow
def test_every_sample_workbook_checks_valid() -> None:
    samples = sorted((REPO / "data" / "samples").glob("*.xlsx"))
    if not samples:
        pytest.skip("no data/samples (run python data/generate.py)")
    done = run("check", "--json", "--no-store", *samples)
    files = json.loads(done.stdout)
    assert done.returncode == 0, [f["file"] for f in files if not f["ok"]]
    assert len(files) == len(samples)
    assert all(f["rows_read"] == f["rows_used"] + f["rows_skipped"] for f in files)
    assert not [x for f in files for x in f["findings"] if x["level"] == "error"]


def test_ingest_keeps_the_new_datas_results_and_no_results_leaves_them(xlsx, register_path, db) -> None:
    from loaders.store import Store
    from metrics import results

    done = run("ingest", register_path, report(xlsx, "玉林_v1.xlsx", "60%"), "--db", db)
    assert done.returncode == 0 and "结果计算 results" in done.stdout, done.stderr
    with Store(db) as store:
        first = results.current_key(store)
        assert results.run_state(store, first) == "ready"
        assert "玉林街道" in set(results.stored_scores(store, first)["street"])
    again = run("ingest", report(xlsx, "玉林_v2.xlsx", "90%"), "--db", db, "--no-results")
    assert again.returncode == 0 and "结果计算" not in again.stdout
    with Store(db) as store:
        assert results.current_key(store) != first and results.run_state(store, results.current_key(store)) is None


def _unopenable(tmp_path: Path, kind: str) -> tuple[str, Path, str]:
    """A --db that cannot be opened, the file that must stay as it was, and the reason the message gives."""
    if kind == "folder is a file":
        blocker = tmp_path / "stores"
        blocker.write_bytes(b"not a folder")
        return f"sqlite:///{blocker / 'streets.sqlite'}", blocker, "stores"
    workbook = tmp_path / "report.xlsx"  # an officer's workbook given as the store by mistake
    workbook.write_bytes(b"PK\x03\x04" + bytes(4096))
    return f"sqlite:///{workbook}", workbook, "file is not a database"


@pytest.mark.parametrize("kind", ["folder is a file", "not a store"])
@pytest.mark.parametrize("module", ["loaders", "metrics"])
def test_a_store_that_cannot_be_opened_is_said_in_both_languages_and_left_alone(
    tmp_path, xlsx, register_path, kind, module
) -> None:
    (here := tmp_path / "db").mkdir()
    url, kept, reason = _unopenable(here, kind)
    before = kept.read_bytes()
    args = ["ingest", "--no-results", register_path] if module == "loaders" else ["score"]
    done = run(*args, "--db", url, module=module)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert f"无法打开数据库 {url}" in done.stderr and f"cannot open the store {url}" in done.stderr
    assert reason in done.stderr
    assert kept.read_bytes() == before and [p.name for p in here.iterdir()] == [kept.name]


def test_a_server_that_refuses_is_said_without_its_password(tmp_path) -> None:
    from tests.ports import free_port

    url = f"postgresql+psycopg://officer:s3cret-pw@127.0.0.1:{free_port()}/streets"
    done = run("score", "--db", url, module="metrics")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "无法打开数据库 postgresql+psycopg://officer:***@127.0.0.1" in done.stderr
    assert "s3cret-pw" not in done.stderr + done.stdout
