"""The store on a real SQLite file (and PostgreSQL when STREETS_TEST_PG_URL is set)."""

from __future__ import annotations

import getpass
import hashlib
import json
import sqlite3
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import schema
from loaders.findings import Finding, ParsedFile
from loaders.parse import prepared_frame
from loaders.store import Store, Unit, default_url
from loaders.store_peek import StoreVersionError, peek_register, sqlite_file
from loaders.store_schema import BATCH_SCOPE, DATA, SCHEMA_VERSION, store_meta


@pytest.fixture
def store(url: str):
    with Store(url) as s:
        yield s


# ---- building parsed files without the Excel parser


def performance(district: str, street: str, period: str, n: int = 5, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    target = rng.uniform(1, 100, n)
    return schema.PERFORMANCE.conform(
        pd.DataFrame(
            {
                "district": district,
                "street": street,
                "period": period,
                "item_code": [f"I{i:03d}" for i in range(n)],
                "item_name": [f"事项{i}" for i in range(n)],
                "target": target,
                "actual": np.where(np.arange(n) % 3 == 0, np.nan, target * rng.random(n)),
                "completion": rng.random(n),
                "status": rng.choice(["已完成", "进行中", "未开始", None], n),
                "on_time": pd.array(rng.choice([True, False, None], n), dtype="boolean"),
                "note": [None if i % 2 else "备注" for i in range(n)],
                "source_row": np.arange(n) + 4,
            }
        )
    )


def register(district: str, streets: list[str]) -> pd.DataFrame:
    return schema.REGISTER.conform(
        pd.DataFrame(
            {
                "district": district,
                "street": streets,
                "street_type": ["城区街道"] * (len(streets) - 1) + ["镇"],
                "population": pd.array([50_000 + i for i in range(len(streets) - 1)] + [None], dtype="Int64"),
                "pilot": pd.array([True] + [False] * (len(streets) - 2) + [None], dtype="boolean"),
            }
        )
    )


def list_items(district: str, year: int, n: int = 4) -> pd.DataFrame:
    return schema.LIST_ITEMS.conform(
        pd.DataFrame(
            {
                "district": district,
                "year": year,
                "list_type": "duty",
                "item_code": [f"I{i:03d}" for i in range(n)],
                "function": (["community_development", "business_environment", "investment_attraction"] * n)[:n],
                "item_name": [f"事项{i}" for i in range(n)],
                "weight": [1.0, 2.5, np.nan, 1.0][:n],
                "access_approved": pd.array([True, False, None, True][:n], dtype="boolean"),
            }
        )
    )


def service(district: str, street: str, period: str) -> pd.DataFrame:
    return schema.SERVICE.conform(
        pd.DataFrame(
            {
                "district": [district],
                "street": [street],
                "period": [period],
                "cases": [1200.0],
                "online_cases": [800.0],
                "satisfaction": [0.93],
            }
        )
    )


def rated(district: str, street: str, period: str) -> dict[str, pd.DataFrame]:
    """A street's 部门评价 (one score left empty) and its 建议权 record (one date and answer empty)."""
    ratings = {"district": district, "street": street, "period": period, "department": ["区民政局", "区城管局"]}
    ratings |= {"scale": [5.0, 100.0], "guidance": [4.0, 85.5], "responsiveness": [5.0, np.nan]}
    ratings |= {"funding": [3.0, 70.0], "coordination": [4.0, 90.0], "comment": ["及时", None]}
    advice = {"district": district, "street": street, "decision": ["国土空间规划", "老旧小区改造"]}
    advice |= {"consulted_date": pd.to_datetime(["2019-05-06", None]).astype("datetime64[us]")}
    advice |= {"opinion": ["增加养老用地", None], "adopted": ["部分采纳", None]}
    return {
        "dept_ratings": schema.DEPT_RATINGS.conform(pd.DataFrame(ratings)),
        "advice": schema.ADVICE.conform(pd.DataFrame(advice)),
    }


def unlisted(district: str, street: str, period: str) -> pd.DataFrame:
    return schema.UNLISTED.conform(
        pd.DataFrame(
            {
                "district": district,
                "street": street,
                "period": period,
                "task_name": ["迎检材料", "临时摸排"],
                "assigning_department": ["区住建局", None],
                "assigned_date": pd.to_datetime(["2019-08-02", None]).astype("datetime64[us]"),
                "access_approved": pd.array([False, None], dtype="boolean"),
                "workdays": [3.5, np.nan],
            }
        )
    )


def crosswalk(district: str, year: int) -> pd.DataFrame:
    """清单对照 pairs (issue 15): one 事务 covering two duties, and a pair with a note."""
    return schema.CROSSWALK.conform(
        pd.DataFrame(
            {
                "district": district,
                "year": pd.array([year] * 3, dtype="Int64"),
                "affairs_code": ["SW-001", "SW-001", "SW-002"],
                "duty_code": ["A01", "A02", "A03"],
                "note": [None, None, "合并考核"],
            }
        )
    )


def parsed(name: str, tables: dict[str, pd.DataFrame], findings: list[Finding] | None = None) -> ParsedFile:
    """A ParsedFile whose hash follows its content, as the parser's would."""
    digest = hashlib.sha256(name.encode())
    for key, df in sorted(tables.items()):
        digest.update(key.encode() + df.to_json(date_format="iso").encode())
    rows = sum(len(df) for df in tables.values())
    return ParsedFile(
        path=f"/in/{name}",
        name=name,
        sha256=digest.hexdigest(),
        tables=tables,
        findings=findings or [],
        rows_read=rows + 2,
        rows_used=rows,
        rows_skipped=2,
    )


def stored_rows(store: Store, table: str) -> int:
    """Rows of a data table, superseded ones included."""
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(DATA[table])).scalar_one()


def assert_same_dataset(a: schema.Dataset, b: schema.Dataset) -> None:
    for name in schema.TABLES:
        pd.testing.assert_frame_equal(a.table(name), b.table(name))


def sort(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(list(df.columns[:4])).reset_index(drop=True)


# ---- the tests


def test_refused_file_changes_nothing_and_is_logged(store: Store) -> None:
    store.ingest(parsed("ok.xlsx", {"performance": performance("武侯区", "玉林街道", "2019Q2")}))
    before, data_before = store.fingerprint(), store.load_dataset()
    bad = parsed(
        "bad.xlsx",
        {"performance": performance("武侯区", "玉林街道", "2019Q2", seed=9)},
        [Finding("error", "negative", "完成值为负数", "negative completion", "bad.xlsx", "履职情况", "F17")],
    )

    out = store.ingest(bad, user="tester")

    assert out.outcome == "refused"
    assert (out.added, out.superseded, out.rows) == ([], [], {})
    assert store.fingerprint() == before
    assert_same_dataset(store.load_dataset(), data_before)
    log = store.history().iloc[0]
    assert (log.outcome, log.file_name, log.user_name, log.n_errors, log.rows_used) == (
        "refused",
        "bad.xlsx",
        "tester",
        1,
        0,
    )
    assert store.findings(int(log.id))[0]["location"] == "bad.xlsx › 履职情况!F17"


def test_fingerprint_sees_every_data_change(store: Store) -> None:
    empty = store.fingerprint()
    store.ingest(parsed("a.xlsx", {"register": register("武侯区", ["玉林街道", "簇桥街道"])}))
    first = store.fingerprint()
    store.ingest(parsed("b.xlsx", {"register": register("武侯区", ["玉林街道", "簇锦街道"])}))
    assert len({empty, first, store.fingerprint()}) == 3


def test_same_content_twice_is_a_duplicate(store: Store) -> None:
    file = parsed("r.xlsx", {"performance": performance("武侯区", "玉林街道", "2019Q2")})
    first = store.ingest(file)
    before = store.fingerprint()

    renamed = ParsedFile("/in/r-copy.xlsx", "r-copy.xlsx", file.sha256, file.tables, rows_read=5, rows_used=5)
    again = store.ingest(renamed)

    assert (first.outcome, again.outcome, again.duplicate_of) == ("ingested", "duplicate", first.ingest_id)
    assert store.fingerprint() == before
    assert stored_rows(store, "performance") == 5
    assert list(store.history()["outcome"]) == ["duplicate", "ingested"]
    assert json.loads(store.history().iloc[0]["summary"])["duplicate_of"] == first.ingest_id


def test_newer_report_supersedes_and_keeps_history(store: Store) -> None:
    old = store.ingest(parsed("v1.xlsx", {"performance": performance("武侯区", "玉林街道", "2019Q2", seed=1)}))
    new_rows = performance("武侯区", "玉林街道", "2019Q2", n=4, seed=2)

    new = store.ingest(parsed("v2.xlsx", {"performance": new_rows}))

    unit = Unit("performance", "武侯区", "玉林街道", "2019Q2")
    assert (new.added, new.superseded, new.rows) == ([unit], [unit], {"performance": 4})
    pd.testing.assert_frame_equal(store.load_dataset().performance, new_rows)
    assert stored_rows(store, "performance") == 5 + 4  # the old rows stay, inactive
    hist = store.batches_history()
    assert list(hist["active"]) == [True, False]
    gone = hist.iloc[1]
    assert (gone.ingest_id, gone.file_name, gone.superseded_by, gone.superseded_by_file) == (
        old.ingest_id,
        "v1.xlsx",
        new.ingest_id,
        "v2.xlsx",
    )
    assert pd.isna(hist.iloc[0]["superseded_by"])
    assert json.loads(store.history().iloc[0]["summary"])["superseded"][0]["street"] == "玉林街道"


def test_report_for_another_period_or_street_adds(store: Store) -> None:
    a = performance("武侯区", "玉林街道", "2019Q2", seed=1)
    b = performance("武侯区", "玉林街道", "2019Q3", seed=2)
    c = performance("武侯区", "簇桥街道", "2019Q2", seed=3)
    for i, df in enumerate((a, b, c)):
        out = store.ingest(parsed(f"{i}.xlsx", {"performance": df}))
        assert out.superseded == []
    got = store.load_dataset().performance
    pd.testing.assert_frame_equal(sort(got), sort(pd.concat([a, b, c], ignore_index=True)))
    assert store.batches_history()["active"].all()


def test_district_workbook_supersedes_street_by_street(store: Store) -> None:
    store.ingest(parsed("yulin.xlsx", {"performance": performance("武侯区", "玉林街道", "2019Q2", seed=1)}))
    district = pd.concat(
        [performance("武侯区", s, "2019Q2", seed=i) for i, s in enumerate(["玉林街道", "簇桥街道", "簇锦街道"])],
        ignore_index=True,
    )
    out = store.ingest(parsed("wuhou.xlsx", {"performance": district}))
    assert len(out.added) == 3
    assert [u.street for u in out.superseded] == ["玉林街道"]
    pd.testing.assert_frame_equal(sort(store.load_dataset().performance), sort(district))


def test_rows_of_a_unit_need_not_be_adjacent(store: Store) -> None:
    a = performance("武侯区", "玉林街道", "2019Q2", n=4, seed=1)
    b = performance("武侯区", "簇桥街道", "2019Q2", n=3, seed=2)
    mixed = pd.concat([a.iloc[:2], b.iloc[:1], a.iloc[2:], b.iloc[1:]], ignore_index=True)
    out = store.ingest(parsed("mixed.xlsx", {"performance": mixed}))
    assert [u.street for u in out.added] == ["玉林街道", "簇桥街道"]
    hist = store.batches_history().set_index("street")
    assert hist["row_count"].to_dict() == {"玉林街道": 4, "簇桥街道": 3}
    pd.testing.assert_frame_equal(sort(store.load_dataset().performance), sort(mixed))


def test_many_units_in_one_file_supersede_in_several_statements(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import loaders.store

    monkeypatch.setattr(loaders.store, "PARAMS_PER_STATEMENT", 20)  # a few units per UPDATE and INSERT
    streets = [f"街道{i:02d}" for i in range(30)]
    first = pd.concat([performance("武侯区", s, "2019Q2", n=2, seed=i) for i, s in enumerate(streets)])
    store.ingest(parsed("all.xlsx", {"performance": first.reset_index(drop=True)}))
    again = pd.concat(
        [performance("武侯区", s, "2019Q2", n=1 + i % 3, seed=100 + i) for i, s in enumerate([*streets[5:], "新街道"])]
    ).reset_index(drop=True)

    out = store.ingest(parsed("again.xlsx", {"performance": again}))

    assert sorted(u.street for u in out.superseded) == streets[5:]
    assert len(out.added) == 26
    expected = pd.concat([first[first["street"].isin(streets[:5])], again], ignore_index=True)
    # Scope values are read back from each row's batch: a batch id matched to the wrong unit shows here.
    pd.testing.assert_frame_equal(sort(store.load_dataset().performance), sort(expected))
    active = store.batches_history().query("active").set_index("street")["row_count"]
    assert active.to_dict() == expected.groupby("street").size().to_dict()


def test_frames_not_yet_in_schema_dtypes_are_conformed(store: Store) -> None:
    raw = pd.DataFrame(
        {
            "source_row": [7, 8],  # int64, out of order, and several optional columns missing
            "district": ["武侯区", "武侯区"],
            "street": ["玉林街道", "玉林街道"],
            "period": ["2019Q2", "2019Q2"],
            "item_code": ["A1", "A2"],
            "completion": [0.5, None],
            "on_time": [True, None],
        }
    )
    store.ingest(parsed("raw.xlsx", {"performance": raw}))
    pd.testing.assert_frame_equal(store.load_dataset().performance, schema.PERFORMANCE.conform(raw))


def test_round_trip_keeps_values_and_schema_dtypes(store: Store) -> None:
    empty = store.load_dataset()
    for name, table in schema.TABLES.items():
        assert empty.table(name).dtypes.astype(str).to_dict() == table.dtypes
    assert store.history().empty
    assert store.batches_history().empty
    tables = {
        "register": register("武侯区", ["玉林街道", "簇桥街道", "金花桥街道"]),
        "list_items": list_items("武侯区", 2019),
        # 123 rows: several multi-row INSERT statements and a remainder
        "performance": performance("武侯区", "玉林街道", "2019Q2", n=123),
        "service": service("武侯区", "玉林街道", "2019Q2"),
        "unlisted": unlisted("武侯区", "玉林街道", "2019Q2"),
        "crosswalk": crosswalk("武侯区", 2019),
        **rated("武侯区", "玉林街道", "2019Q2"),  # issue 15: 部门评价 and 建议权
        "enforcement": schema.ENFORCEMENT.conform(
            pd.DataFrame(
                {
                    "district": ["武侯区"] * 2,
                    "street": ["玉林街道", "簇桥街道"],
                    "period": ["2019Q2"] * 2,
                    "cases": [40.0, 12.0],
                    "cases_on_time": [38.0, np.nan],
                    "officers": [9.0, 5.0],
                }
            )
        ),
        "offices": schema.OFFICES.conform(  # issue 15 point 4: 机构设置
            pd.DataFrame(
                {
                    "district": ["武侯区"] * 2,
                    "street": ["玉林街道", "玉林街道"],
                    "office": ["综合办公室", "城乡治理办公室"],
                    "category": ["standard", "x"],
                    "standard_office": ["general", None],
                    "posts": [8.0, np.nan],
                    "staff": [7.0, 3.0],
                    "duties": [None, "城市管理"],
                }
            )
        ),
    }
    out = store.ingest(parsed("all.xlsx", tables))
    assert out.rows == {name: len(df) for name, df in tables.items()}
    got = store.load_dataset()
    for name, table in schema.TABLES.items():
        assert got.table(name).dtypes.astype(str).to_dict() == table.dtypes
        pd.testing.assert_frame_equal(got.table(name), tables[name])
    pd.testing.assert_frame_equal(store.load_register(), tables["register"])


def test_register_supersedes_per_district(store: Store) -> None:
    store.ingest(parsed("wh.xlsx", {"register": register("武侯区", ["玉林街道", "簇桥街道", "簇锦街道"])}))
    store.ingest(parsed("lqy.xlsx", {"register": register("龙泉驿区", ["十陵街道", "龙泉街道"])}))
    wuhou = register("武侯区", ["玉林街道", "簇桥街道", "簇锦街道", "金花桥街道"])

    out = store.ingest(parsed("wh2.xlsx", {"register": wuhou}))

    assert out.superseded == [Unit("register", district="武侯区")]
    reg = store.load_register()
    assert reg.groupby("district")["street"].count().to_dict() == {"武侯区": 4, "龙泉驿区": 2}
    pd.testing.assert_frame_equal(reg[reg["district"] == "武侯区"].reset_index(drop=True), wuhou)


def test_list_supersedes_per_district_and_year(store: Store) -> None:
    store.ingest(parsed("l19.xlsx", {"list_items": list_items("武侯区", 2019)}))
    out = store.ingest(parsed("l20.xlsx", {"list_items": list_items("武侯区", 2020, n=2)}))
    assert out.superseded == []
    out = store.ingest(parsed("l20b.xlsx", {"list_items": list_items("武侯区", 2020, n=3)}))
    assert out.superseded == [Unit("list_items", district="武侯区", year=2020, list_type="duty")]
    assert store.load_dataset().list_items.groupby("year").size().to_dict() == {2019: 4, 2020: 3}


def test_failure_inside_an_ingest_rolls_back_everything(store: Store) -> None:
    store.ingest(parsed("v1.xlsx", {"performance": performance("武侯区", "玉林街道", "2019Q2", seed=1)}))
    before, data_before = store.fingerprint(), store.load_dataset()
    broken = unlisted("武侯区", "玉林街道", "2019Q2")
    broken.loc[1, "task_name"] = pd.NA  # violates NOT NULL on a required field, after performance is written
    file = parsed(
        "v2.xlsx",
        {"performance": performance("武侯区", "玉林街道", "2019Q2", seed=2), "unlisted": broken},
    )

    with pytest.raises(sa.exc.IntegrityError):
        store.ingest(file)

    assert store.fingerprint() == before
    assert_same_dataset(store.load_dataset(), data_before)
    assert stored_rows(store, "performance") == 5
    log = store.history().iloc[0]
    assert (log.outcome, log.file_name) == ("refused", "v2.xlsx")
    assert store.findings(int(log.id))[0]["code"] == "store_failed"
    # the file is not taken for a duplicate afterwards: a fixed parse of it can still go in
    file.tables["unlisted"] = unlisted("武侯区", "玉林街道", "2019Q2")
    assert store.ingest(file).outcome == "ingested"


def test_history_is_newest_first_with_counts_and_os_user(store: Store) -> None:
    warn = Finding("warning", "bad_date", "日期无法识别", "unreadable date", "a.xlsx", "清单外事项", "F5")
    skip = Finding("skipped", "footer", "合计行", "total row", "a.xlsx", "履职情况", "20")
    store.ingest(parsed("a.xlsx", {"unlisted": unlisted("武侯区", "玉林街道", "2019Q2")}, [skip, warn]))
    store.ingest(parsed("b.xlsx", {"service": service("武侯区", "玉林街道", "2019Q2")}))
    hist = store.history()
    assert list(hist["file_name"]) == ["b.xlsx", "a.xlsx"]
    a = hist.iloc[1]
    assert (a.user_name, a.outcome, a.rows_read, a.rows_used, a.rows_skipped) == (
        getpass.getuser(),
        "ingested",
        4,
        2,
        2,
    )
    assert (a.n_errors, a.n_warnings) == (0, 1)
    assert [f["level"] for f in store.findings(int(a.id))] == ["warning", "skipped"]
    assert str(hist["ingested_at"].dt.tz) == "UTC"
    age = pd.Timestamp.now(tz="UTC") - hist["ingested_at"]
    assert age.between(pd.Timedelta(0), pd.Timedelta(minutes=5)).all()


def test_log_keeps_errors_first_when_findings_are_capped(store: Store) -> None:
    footers = [Finding("skipped", "footer", "合计行", "total row", "big.xlsx", "履职情况", str(r)) for r in range(1200)]
    error = Finding("error", "unknown_street", "街道不在名册中", "street not in register", "big.xlsx", "履职情况", "A9")
    out = store.ingest(parsed("big.xlsx", {}, [*footers, error]))
    kept = store.findings(out.ingest_id)
    assert 0 < len(kept) < 1201
    assert kept[0]["code"] == "unknown_street"
    assert json.loads(store.history().iloc[0]["summary"])["findings_total"] == 1201


def test_cache_follows_writes_from_another_store(url: str) -> None:
    with Store(url) as reader, Store(url) as writer:
        assert reader.load_dataset().performance.empty
        version = reader.data_version()
        writer.ingest(parsed("bad.xlsx", {}, [Finding("error", "x", "坏", "bad", "bad.xlsx")]))
        assert reader.data_version() == version
        writer.ingest(parsed("a.xlsx", {"performance": performance("武侯区", "玉林街道", "2019Q2")}))
        assert reader.data_version() != version
        first = reader.load_dataset().performance
        assert len(first) == 5
        first.loc[0, "street"] = "改掉"
        assert reader.load_dataset().performance.loc[0, "street"] == "玉林街道"
        writer.ingest(parsed("b.xlsx", {"performance": performance("武侯区", "玉林街道", "2019Q2", n=2)}))
        assert len(reader.load_dataset().performance) == 2


def test_concurrent_ingests_all_land_once(url: str) -> None:
    stores = [Store(url) for _ in range(4)]
    same = parsed("same.xlsx", {"performance": performance("武侯区", "玉林街道", "2019Q2", n=200)})
    files = [same, same] + [
        parsed(f"{s}.xlsx", {"performance": performance("武侯区", s, "2019Q3", n=200)}) for s in ("甲", "乙")
    ]
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def run(s: Store, f: ParsedFile) -> None:
        try:
            outcomes.append(s.ingest(f).outcome)
        except BaseException as exc:  # reported below, where pytest sees it
            errors.append(exc)

    threads = [threading.Thread(target=run, args=pair) for pair in zip(stores, files, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(outcomes) == ["duplicate", "ingested", "ingested", "ingested"]
    assert len(stores[0].load_dataset().performance) == 600
    for s in stores:
        s.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    deliveries=st.lists(
        st.tuples(st.sampled_from(["玉林街道", "簇桥街道"]), st.sampled_from(["2019Q1", "2019Q2"]), st.integers(1, 4)),
        min_size=1,
        max_size=6,
    )
)
def test_active_data_is_the_latest_delivery_of_each_unit(tmp_path: Path, deliveries: list) -> None:
    with Store(f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.sqlite'}") as store:
        latest: dict[tuple[str, str], pd.DataFrame] = {}
        for i, (street, period, n) in enumerate(deliveries):
            df = performance("武侯区", street, period, n=n, seed=i)
            store.ingest(parsed(f"{i}.xlsx", {"performance": df}))
            latest[(street, period)] = df
        expected = pd.concat(latest.values(), ignore_index=True)
        pd.testing.assert_frame_equal(sort(store.load_dataset().performance), sort(expected))
        hist = store.batches_history()
        assert hist["active"].sum() == len(latest)
        assert (hist["superseded_by"].notna() == ~hist["active"]).all()


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'sub' / 'streets.sqlite'}") as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_default_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STREETS_DB", "postgresql+psycopg://u@h/db")
    assert default_url() == "postgresql+psycopg://u@h/db"
    monkeypatch.delenv("STREETS_DB")
    path = Path(sa.make_url(default_url()).database)
    assert path.is_absolute()
    assert path == Path(__file__).resolve().parents[2] / "data" / "streets.sqlite"


# ---- the register read straight from the SQLite file (store_peek), as the ingest CLI reads it first


def test_peek_is_the_store_s_register_after_supersede(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'peek.sqlite'}"
    with Store(url) as store:
        store.ingest(parsed("wh.xlsx", {"register": register("武侯区", ["玉林街道", "簇桥街道", "簇锦街道"])}))
        store.ingest(parsed("lqy.xlsx", {"register": register("龙泉驿区", ["十陵街道", "龙泉街道"])}))
        store.ingest(parsed("wh2.xlsx", {"register": register("武侯区", ["玉林街道", "金花桥街道"])}))
        store.ingest(parsed("p.xlsx", {"performance": performance("武侯区", "玉林街道", "2019Q2")}))
        expected = store.load_register()
    peeked = prepared_frame(peek_register(url))
    pd.testing.assert_frame_equal(peeked, expected)
    assert sorted(peeked["street"]) == ["十陵街道", "玉林街道", "金花桥街道", "龙泉街道"]  # 簇桥 superseded


def test_peek_of_a_missing_store_is_empty_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "none" / "new.sqlite"
    peeked = peek_register(f"sqlite:///{path}")
    assert peeked is not None and peeked.columns == [[] for _ in schema.REGISTER.columns]
    assert not path.exists() and not path.parent.exists()


def test_peek_of_a_file_without_tables_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "bare.sqlite"
    sqlite3.connect(path).close()
    assert peek_register(f"sqlite:///{path}").columns == [[] for _ in schema.REGISTER.columns]


@pytest.mark.parametrize(
    "url", ["postgresql+psycopg://u@h/db", "sqlite://", "sqlite:///:memory:", "sqlite:///x.sqlite?mode=ro"]
)
def test_peek_leaves_other_stores_to_the_store(url: str) -> None:
    assert sqlite_file(url) is None and peek_register(url) is None


def test_sqlite_file_of_relative_and_absolute_urls() -> None:
    assert sqlite_file("sqlite:///data/s.sqlite") == Path("data/s.sqlite")
    assert sqlite_file("sqlite:////tmp/s.sqlite") == Path("/tmp/s.sqlite")


# ---- the schema version written into the store


def _version(url: str) -> str | None:
    with sa.create_engine(url).connect() as conn:
        return conn.execute(sa.select(store_meta.c.value).where(store_meta.c.key == "schema_version")).scalar()


def test_a_new_store_records_its_schema_version(store: Store) -> None:
    assert _version(store.url) == str(SCHEMA_VERSION)


def test_a_store_made_before_versions_is_stamped_and_keeps_its_data(url: str) -> None:
    with Store(url) as store:
        store.ingest(parsed("wh.xlsx", {"register": register("武侯区", ["玉林街道", "簇桥街道"])}))
        store.ingest(parsed("p.xlsx", {"performance": performance("武侯区", "玉林街道", "2019Q2")}))
        before = store.fingerprint()
    with sa.create_engine(url).begin() as conn:
        conn.execute(sa.text("DROP TABLE store_meta"))
    with Store(url) as store:
        assert store.fingerprint() == before and len(store.load_dataset().performance) == 5
    assert _version(url) == str(SCHEMA_VERSION)


def test_a_store_of_another_version_is_refused_and_left_alone(url: str, xlsx, register_path) -> None:
    with Store(url) as store:
        store.ingest(parsed("wh.xlsx", {"register": register("武侯区", ["玉林街道", "簇桥街道"])}))
        before = store.fingerprint()
    with sa.create_engine(url).begin() as conn:
        conn.execute(store_meta.update().values(value=str(SCHEMA_VERSION + 1)))
    with pytest.raises(StoreVersionError) as refused:
        Store(url)
    message = str(refused.value)
    assert f"数据库结构版本为 {SCHEMA_VERSION + 1}" in message and "store schema version" in message
    done = subprocess.run(
        [sys.executable, "-m", "loaders", "ingest", str(register_path), "--db", url],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2 and "数据库结构版本" in done.stderr and "Traceback" not in done.stderr
    with sa.create_engine(url).begin() as conn:
        conn.execute(store_meta.update().values(value=str(SCHEMA_VERSION)))
    with Store(url) as store:
        assert store.fingerprint() == before and len(store.history()) == 1


def test_a_version_1_store_is_upgraded_to_the_results_and_uploads_tables(url: str) -> None:
    with Store(url) as store:
        store.ingest(parsed("wh.xlsx", {"register": register("武侯区", ["玉林街道", "簇桥街道"])}))
        before = store.fingerprint()
    with sa.create_engine(url).begin() as conn:  # as version 1 left it: no results or pending-upload tables
        for name in ("result_frames", "result_runs", "pending_uploads"):
            conn.execute(sa.text(f"DROP TABLE {name}"))
        conn.execute(store_meta.update().values(value="1"))
    with Store(url) as store:
        assert store.fingerprint() == before
    assert _version(url) == str(SCHEMA_VERSION) == "6"
    assert {"result_frames", "result_runs", "pending_uploads"} <= set(
        sa.inspect(sa.create_engine(url)).get_table_names()
    )


@pytest.mark.parametrize("old", ["3", "4"])
def test_a_version_3_store_drops_the_scope_copies_and_keeps_its_data(url: str, old: str) -> None:
    with Store(url) as store:
        store.ingest(parsed("wh.xlsx", {"register": register("武侯区", ["玉林街道", "簇桥街道"])}))
        store.ingest(parsed("p.xlsx", {"performance": performance("武侯区", "玉林街道", "2019Q2")}))
        data_before = store.load_dataset()
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # as versions 3 and 4 left it: each row repeats its batch's scope values
        for name, table in DATA.items():
            spec = schema.TABLES[name]
            for f in spec.fields:
                if f.key in spec.scope and f.key in BATCH_SCOPE:
                    kind = table.c.batch_id.type.compile(conn.dialect) if f.key == "year" else "TEXT"
                    conn.exec_driver_sql(f"ALTER TABLE {name} ADD COLUMN {f.key} {kind}")
                    conn.exec_driver_sql(
                        f"UPDATE {name} SET {f.key} = (SELECT b.{f.key} FROM batches b WHERE b.id = {name}.batch_id)"
                    )
                    if f.required and conn.dialect.name == "postgresql":
                        conn.exec_driver_sql(f"ALTER TABLE {name} ALTER COLUMN {f.key} SET NOT NULL")
        conn.execute(store_meta.update().values(value=old))
    assert "street" in {c["name"] for c in sa.inspect(engine).get_columns("performance")}
    with Store(url) as store:
        pd.testing.assert_frame_equal(store.load_dataset().performance, data_before.performance)
        pd.testing.assert_frame_equal(store.load_dataset().register, data_before.register)
        # A NOT NULL copy left behind would refuse the next report's rows.
        done = store.ingest(parsed("q.xlsx", {"performance": performance("武侯区", "簇桥街道", "2019Q2")}))
        assert done.outcome == "ingested" and len(store.load_dataset().performance) == 10
    assert _version(url) == "6"
    columns = {c["name"] for c in sa.inspect(engine).get_columns("performance")}
    assert not columns & {"district", "street", "period"} and {"batch_id", "item_code"} <= columns
    engine.dispose()
