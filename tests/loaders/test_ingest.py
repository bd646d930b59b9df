"""The parser and the store together, on a real SQLite file and on PostgreSQL when STREETS_TEST_PG_URL is set:
refusals change nothing, re-ingest is idempotent, a newer report supersedes the older one, which stays in history."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.ingest import ingest_paths
from loaders.schema import TABLES
from loaders.store import Store

HEADER = ["事项编号", "事项名称", "目标值", "完成值", "完成率"]


@pytest.fixture
def store(url: str):
    s = Store(url)
    yield s
    s.close()


def report(xlsx, name: str, street: str, period: str, completions: list[object]):
    rows = [[f"A{i + 1}", f"事项{i + 1}", None, None, c] for i, c in enumerate(completions)]
    title = f"填报单位：{street}    报告期：{period}"
    return xlsx(name, xlsx.Sheet("履职情况", [["履职情况季度报表"], [title], HEADER, *rows, ["填表人：张三"]]))


def duty_list(xlsx, name: str = "武侯区_2019_清单.xlsx"):
    rows = [
        ["A1", "统筹社区发展", "社区党组织建设", 2],
        ["A2", "招商引资", "招商引资任务", 1],
        ["A3", "维护社区平安", "巡查", 1],
    ]
    header = ["事项编号", "职能板块", "事项名称", "权重"]
    return xlsx(name, xlsx.Sheet("职责任务清单", [["区(市)县：武侯区 年度：2019"], header, *rows]))


def snapshot(store: Store) -> tuple[str, dict[str, pd.DataFrame]]:
    ds = store.load_dataset()
    return store.fingerprint(), {name: ds.table(name) for name in TABLES}


def assert_same(before, after) -> None:
    assert before[0] == after[0]
    for name, frame in before[1].items():
        pd.testing.assert_frame_equal(frame, after[1][name], check_like=False)


@pytest.fixture
def loaded(store, xlsx, register_path):
    """A store holding the register, a duty list and one report."""
    outcomes = ingest_paths(
        store, [register_path, duty_list(xlsx), report(xlsx, "玉林_v1.xlsx", "玉林", "2019Q2", ["80%", 0.5])], workers=1
    )
    assert [o.outcome for o in outcomes] == ["ingested"] * 3
    return store


def test_ingest_stores_canonical_tables(loaded) -> None:
    ds = loaded.load_dataset()
    assert set(ds.register["street"]) >= {"玉林街道", "白鹿镇"}
    assert list(ds.list_items["item_code"]) == ["A1", "A2", "A3"]
    assert list(ds.list_items["weight"]) == [2.0, 1.0, 1.0]
    perf = ds.performance
    assert list(zip(perf["street"], perf["period"], perf["item_code"], perf["completion"], strict=True)) == [
        ("玉林街道", "2019Q2", "A1", 0.8),
        ("玉林街道", "2019Q2", "A2", 0.5),
    ]
    hist = loaded.history()
    assert list(hist["outcome"]) == ["ingested"] * 3
    last = hist.iloc[0]
    assert (last["file_name"], last["rows_used"], last["rows_skipped"]) == ("玉林_v1.xlsx", 2, 1)


@pytest.mark.parametrize(
    ("street", "completions"),
    [("玉林", ["80%", "八十"]), ("玉林", ["80%", "-5%"]), ("双楠", ["80%", 0.5])],
    ids=["not_a_number", "negative", "street_not_in_register"],
)
def test_refused_file_leaves_store_identical(loaded, xlsx, street, completions) -> None:
    before = snapshot(loaded)
    path = report(xlsx, f"{street}_v2.xlsx", street, "2019Q2", completions)
    [outcome] = ingest_paths(loaded, [path], workers=1)
    assert outcome.outcome == "refused"
    assert_same(before, snapshot(loaded))
    logged = loaded.history().iloc[0]
    assert (logged["outcome"], logged["rows_used"]) == ("refused", 0) and logged["n_errors"] >= 1
    errors = [f for f in loaded.findings(outcome.ingest_id) if f["level"] == "error"]
    assert errors and all(f["cell"] and f["sheet"] == "履职情况" and f["zh"] and f["en"] for f in errors)


@pytest.mark.parametrize("kind", ["csv", "truncated", "empty"])
def test_refused_non_workbook_leaves_store_identical(loaded, tmp_path, xlsx, kind) -> None:
    before = snapshot(loaded)
    path = tmp_path / f"{kind}.xlsx"
    good = report(xlsx, "src.xlsx", "玉林", "2019Q3", [1]).read_bytes()
    path.write_bytes({"csv": b"a,b\n1,2\n", "truncated": good[: len(good) // 2], "empty": b""}[kind])
    [outcome] = ingest_paths(loaded, [path], workers=1)
    assert outcome.outcome == ("skipped" if kind == "empty" else "refused")
    assert_same(before, snapshot(loaded))
    assert loaded.history().iloc[0]["file_name"] == f"{kind}.xlsx"


def test_same_file_twice_changes_nothing(loaded, xlsx) -> None:
    path = report(xlsx, "簇桥.xlsx", "簇桥街道", "2019Q2", [1, "50%"])
    [first] = ingest_paths(loaded, [path], workers=1)
    before = snapshot(loaded)
    [again] = ingest_paths(loaded, [path], workers=1)
    assert (first.outcome, again.outcome, again.duplicate_of) == ("ingested", "duplicate", first.ingest_id)
    assert_same(before, snapshot(loaded))
    # The same content under another name is the same report.
    copy = path.with_name("簇桥_copy.xlsx")
    copy.write_bytes(path.read_bytes())
    assert ingest_paths(loaded, [copy], workers=1)[0].outcome == "duplicate"
    assert_same(before, snapshot(loaded))


def test_newer_report_supersedes_the_older_which_stays_in_history(loaded, xlsx) -> None:
    [newer] = ingest_paths(
        loaded, [report(xlsx, "玉林_v2.xlsx", "玉林街道办事处", "2019年第二季度", [1, 1, 0.2])], workers=1
    )
    assert newer.outcome == "ingested"
    assert [u.label() for u in newer.superseded] == ["履职情况 武侯区 玉林街道 2019Q2"]
    perf = loaded.load_dataset().performance
    assert list(zip(perf["item_code"], perf["completion"], strict=True)) == [("A1", 1.0), ("A2", 1.0), ("A3", 0.2)]
    batches = loaded.batches_history()
    perf_batches = batches[batches["table_name"] == "performance"]
    assert list(perf_batches["file_name"]) == ["玉林_v2.xlsx", "玉林_v1.xlsx"]
    assert list(perf_batches["active"]) == [True, False]
    assert perf_batches["superseded_by_file"].iloc[1] == "玉林_v2.xlsx"
    # Other streets and periods are untouched by the newer report.
    [other] = ingest_paths(loaded, [report(xlsx, "玉林_q3.xlsx", "玉林", "2019Q3", [0.4])], workers=1)
    assert other.superseded == []
    assert sorted(loaded.load_dataset().performance["period"].unique()) == ["2019Q2", "2019Q3"]


def test_refused_register_in_the_same_ingest_is_not_used_for_the_others(store, xlsx) -> None:
    bad_register = xlsx(
        "名册.xlsx",
        xlsx.Sheet("街道名册", [["区县", "街道", "常住人口"], ["武侯区", "玉林街道", 1], ["武侯区", None, 2]]),
    )
    rep = report(xlsx, "玉林.xlsx", "玉林", "2019Q2", [1])
    outcomes = ingest_paths(store, [bad_register, rep], workers=1)
    assert [o.outcome for o in outcomes] == ["refused", "refused"]
    assert store.load_dataset().performance.empty and store.load_dataset().register.empty
    assert any(f["code"] == "no_register" for f in store.findings(outcomes[1].ingest_id))


def test_register_and_reports_in_one_ingest_in_any_order(store, xlsx, register_path) -> None:
    reps = [report(xlsx, f"r{i}.xlsx", s, "2019Q4", [1, 0.5]) for i, s in enumerate(["玉林", "白鹿镇人民政府"])]
    outcomes = ingest_paths(store, [*reps, register_path], workers=1)
    assert [o.outcome for o in outcomes] == ["ingested"] * 3
    perf = store.load_dataset().performance
    assert sorted(set(zip(perf["district"], perf["street"], strict=True))) == [
        ("彭州市", "白鹿镇"),
        ("武侯区", "玉林街道"),
    ]
