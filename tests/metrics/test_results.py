"""Results kept in the store (metrics.results): every Evaluation field round-trips; keys change when they must."""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from metrics_test_data import dataset, item, row

from loaders.findings import ParsedFile
from loaders.schema import Dataset
from loaders.store import Store
from loaders.store_schema import result_frames, result_runs
from metrics import results
from metrics.config import DEFAULT_RULES, load_config
from metrics.evaluation import Evaluation, evaluate
from metrics.frames_codec import CodecError, decode_frame, decode_value, encode_frame, encode_value
from tests.pgschema import store_url

REPO = Path(__file__).resolve().parents[2]
STREETS = ("玉林街道", "簇桥街道", "红牌楼街道")


def city() -> Dataset:
    """Three streets, a 2019 duty list, two quarters of reports, service and unlisted tasks."""
    items = [
        item(f"A{i}", function=f)
        for i, f in enumerate(["public_services", "community_safety", "community_development"])
    ]
    perf = [
        row(f"A{i}", street=s, period=p, completion=0.4 + 0.1 * i + 0.05 * j)
        for j, s in enumerate(STREETS)
        for p in ("2019Q1", "2019Q2")
        for i in range(3)
    ]
    service = [{"street": s, "period": "2019Q2", "cases": 10, "online_cases": 4} for s in STREETS]
    unlisted = [{"street": STREETS[0], "period": "2019Q2", "workdays": 3.0}]
    return dataset(items, perf, streets=STREETS, service=service, unlisted=unlisted)


def as_files(ds: Dataset, tag: str = "") -> list[ParsedFile]:
    """One parsed file per non-empty table, the register first."""
    return [
        ParsedFile(path=f"{n}.xlsx", name=f"{n}{tag}.xlsx", sha256=f"{n}{tag}", tables={n: ds.table(n)})
        for n in ("register", "list_items", "performance", "service", "unlisted")
        if not ds.table(n).empty
    ]


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new PostgreSQL schema dropped afterwards."""
    with store_url(request.param, tmp_path, "results_test") as url:
        yield url


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    """A store holding city()."""
    with Store(url) as s:
        for parsed in as_files(city()):
            s.ingest(parsed, user="test")
        yield s


def assert_same_evaluation(a: Evaluation, b: Evaluation) -> None:
    """Every field equal, frames with their dtypes and index (config left out: the rules file gives it)."""
    for f in dataclasses.fields(Evaluation):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y, check_exact=True, obj=f.name)
        elif f.name != "config":
            assert x == y, f.name


# ---- the codec


def test_every_field_of_an_evaluation_round_trips_through_the_codec():
    ev = evaluate(city())
    again = results.evaluation_from(results.evaluation_payloads(ev), ev.config)
    assert_same_evaluation(ev, again)
    assert again.items_for("武侯区", STREETS[0], "2019Q2").equals(ev.items_for("武侯区", STREETS[0], "2019Q2"))


def test_frames_of_every_kept_kind_round_trip_with_index_and_missing_values():
    df = pd.DataFrame(
        {
            "f": [1.5, np.nan, -0.0],
            "i": np.array([1, 2, 3], dtype="int16"),
            "b": [True, False, True],
            "I": pd.array([1, None, 3], dtype="Int64"),
            "B": pd.array([None, True, False], dtype="boolean"),
            "s": pd.array(["甲", None, "甲"], dtype="string"),
            "o": np.array(["x", None, 2], dtype=object),
            "c": pd.Categorical(["b", None, "a"], categories=["b", "a"], ordered=True),
            "t": pd.to_datetime(["2019-01-02 00:00", None, "2020-03-04 05:06"]),
        },
        index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2), ("c", 3)], names=["k", "n"]),
    )
    pd.testing.assert_frame_equal(decode_frame(encode_frame(df)), df, check_exact=True)
    assert decode_frame(encode_frame(df.iloc[0:0])).columns.tolist() == df.columns.tolist()
    value = {"a": (1, "二", None), "b": [True, 2.5]}
    assert decode_value(encode_value(value)) == value


def test_the_codec_refuses_what_it_cannot_store_safely():
    with pytest.raises(CodecError, match="column d"):
        encode_frame(pd.DataFrame({"d": [{"a": 1}]}))
    with pytest.raises(CodecError):
        encode_value(object())
    with pytest.raises(CodecError):
        decode_frame(b"\x80\x04pickle")


# ---- computing once and reading


def test_results_are_computed_once_and_read_equal_to_a_fresh_evaluation(store: Store):
    first = results.compute(store)
    assert first.state == "computed"
    assert results.compute(store).state == "ready"  # nothing to do a second time
    kept = results.load(store, results.current_key(store))
    assert kept is not None and kept.key == first.key
    assert_same_evaluation(evaluate(store.load_dataset()), kept.evaluation)
    for name in results.SERVED_TABLES:
        pd.testing.assert_frame_equal(kept.dataset.table(name), store.load_dataset().table(name))
    assert set(kept.bands) == set(kept.evaluation.periods)


def test_a_reader_may_leave_the_order_probabilities_in_the_store_and_read_one_period_of_them(store: Store):
    key = results.compute(store).key
    whole = results.load(store, key)
    light = results.load(store, key, order=False)
    assert whole is not None and light is not None and set(light.bands) == set(whole.bands)
    for period, kept in whole.bands.items():
        assert kept.order is not None and light.bands[period].order is None
        pd.testing.assert_frame_equal(light.bands[period].bands, kept.bands)
        again = results.stored_order(store, key, period)
        assert again is not None and again.period == period
        np.testing.assert_array_equal(again.above, kept.order.above)
        np.testing.assert_array_equal(again.tie, kept.order.tie)
        pd.testing.assert_frame_equal(again.streets, kept.order.streets)
        assert results.stored_bands(store, key, period, order=False).order is None
    assert results.stored_order(store, key, "2031Q1") is None


def test_a_key_being_computed_is_not_claimed_twice_and_a_dead_claim_is_taken_over(store: Store):
    key = results.current_key(store)
    assert results.claim(store, key, 1) and not results.claim(store, key, 1)
    assert results.compute(store).state == "busy"
    with store.engine.begin() as conn:  # as if the claiming process had died long ago
        old = results._now() - results.STALE_CLAIM - timedelta(seconds=1)
        conn.execute(result_runs.update().values(claimed_at=old))
    assert results.compute(store).state == "computed"


# ---- invalidation: the key changes exactly when what the results depend on changes


def _recomputed_equals_fresh(store: Store, rules: str | None = None) -> None:
    assert results.compute(store, rules, bands=False).state == "computed"
    kept = results.load(store, results.current_key(store, rules), rules)
    assert_same_evaluation(evaluate(store.load_dataset(), load_config(rules)), kept.evaluation)


def test_a_superseded_report_gives_new_results(store: Store):
    results.compute(store, bands=False)
    before = results.current_key(store)
    store.ingest(as_files(city())[0], user="test")  # the same content again: a duplicate, nothing changes
    assert results.current_key(store) == before
    newer = dataset([], [row(f"A{i}", street=STREETS[1], period="2019Q2", completion=1.0) for i in range(3)])
    store.ingest(
        ParsedFile(path="n.xlsx", name="newer.xlsx", sha256="newer", tables={"performance": newer.performance})
    )
    assert results.current_key(store) != before and results.run_state(store, results.current_key(store)) is None
    _recomputed_equals_fresh(store)
    scores = results.stored_scores(store, results.current_key(store))
    assert scores.loc[(scores["street"] == STREETS[1]) & (scores["period"] == "2019Q2"), "overall"].item() == 100


def test_a_snapshot_after_a_few_new_batches_reads_only_those_and_equals_a_full_read(
    store: Store, monkeypatch: pytest.MonkeyPatch
):
    """A long-lived reader (the results process) reads only the newly active batches' rows; what it gets equals a
    fresh store's full read after a superseding report, a new list year and a reactivated earlier file."""
    from loaders.schema import TABLES

    store.snapshot()
    reads: list[tuple[str, list[int] | None]] = []
    full_load = Store._load

    def counted(conn, name, only=None):
        reads.append((name, None if only is None else list(only)))
        return full_load(conn, name, only)

    monkeypatch.setattr(Store, "_load", staticmethod(counted))

    def same_as_a_full_read() -> list[tuple[str, list[int] | None]]:
        reads.clear()
        got = store.snapshot()
        done = list(reads)
        with Store(store.url) as fresh:
            want = fresh.snapshot()
        assert got[:2] == want[:2]
        for name in TABLES:
            pd.testing.assert_frame_equal(got[2].table(name), want[2].table(name), check_exact=True, obj=name)
        return done

    newer = dataset([], [row(f"A{i}", street=STREETS[1], period="2019Q2", completion=1.0) for i in range(3)])
    store.ingest(ParsedFile(path="n.xlsx", name="n.xlsx", sha256="newer", tables={"performance": newer.performance}))
    assert [(name, len(only)) for name, only in same_as_a_full_read()] == [("performance", 1)]
    year = dataset([item("A0", year=2020), item("A1", year=2020, function="community_safety")])
    store.ingest(ParsedFile(path="l.xlsx", name="l.xlsx", sha256="l2020", tables={"list_items": year.list_items}))
    assert [name for name, _ in same_as_a_full_read()] == ["list_items"]
    first = as_files(city())[2]
    assert first.tables.keys() == {"performance"}
    assert store.ingest(first, user="test").outcome == "reactivated"  # the older batch of that unit, active again
    assert [name for name, _ in same_as_a_full_read()] == ["performance"]


def test_a_new_list_year_gives_new_results(store: Store):
    results.compute(store, bands=False)
    before = results.current_key(store)
    year = dataset([item("A0", year=2020), item("A1", year=2020, function="community_safety")])
    store.ingest(
        ParsedFile(path="l.xlsx", name="list2020.xlsx", sha256="l2020", tables={"list_items": year.list_items})
    )
    assert results.current_key(store) != before
    _recomputed_equals_fresh(store)
    assert results.load(store, results.current_key(store)).evaluation.list_years["year"].tolist() == [2019, 2020]


def test_a_changed_rules_file_gives_new_results(store: Store, tmp_path: Path):
    rules = tmp_path / "rules.toml"
    rules.write_bytes(DEFAULT_RULES.read_bytes())
    results.compute(store, str(rules), bands=False)
    before = results.current_key(store, str(rules))
    assert results.current_key(store, str(rules)) == results.current_key(store)  # same bytes, same key
    rules.write_text(DEFAULT_RULES.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert results.current_key(store, str(rules)) != before
    _recomputed_equals_fresh(store, str(rules))


def test_only_the_newest_runs_are_kept(store: Store):
    for i in range(results.KEEP_RUNS + 2):
        newer = dataset([], [row("A0", street=STREETS[0], period="2019Q2", completion=0.1 * i)])
        store.ingest(
            ParsedFile(path="n.xlsx", name=f"n{i}.xlsx", sha256=f"n{i}", tables={"performance": newer.performance})
        )
        assert results.compute(store, bands=False).state == "computed"
    with store.engine.connect() as conn:
        keys = set(conn.execute(sa.select(result_frames.c.key)).scalars())
        runs = conn.execute(sa.select(result_runs.c.key)).scalars().all()
    assert len(runs) == results.KEEP_RUNS and keys == set(runs)
    assert results.latest_ready(store) == results.current_key(store)


# ---- the command line reads what is kept


def run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("STREETS_DB", "STREETS_RULES")}
    return subprocess.run(
        [sys.executable, "-m", "metrics", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_command_line_keeps_results_and_score_reads_them(store: Store):
    done = run("results", "--db", store.url, "--no-bands")
    assert done.returncode == 0 and "computed" in done.stdout, done.stderr
    key = results.current_key(store)
    with store.engine.begin() as conn:  # a marker only a read of the kept frame can print
        scores = results.stored_scores(store, key)
        marked = scores.assign(overall=scores["overall"].where(scores["street"] != STREETS[0], 12.0))
        conn.execute(
            result_frames.update()
            .where(result_frames.c.key == key, result_frames.c.name == "evaluation/scores")
            .values(payload=encode_frame(marked))
        )
    out = run("score", "--db", store.url, "--period", "2019Q2", "--format", "csv")
    assert out.returncode == 0, out.stderr
    printed = pd.read_csv(io.StringIO(out.stdout))
    assert printed.loc[printed["street"] == STREETS[0], "overall"].tolist() == [12.0]
    assert run("results", "--db", store.url).stdout.startswith("已是最新")


def test_score_prints_the_kept_scores_exactly_as_computed_and_reads_sqlite_without_pandas(store: Store):
    """`score --db` of kept results (on SQLite read by results_peek and written by output_plain, never importing
    pandas or SQLAlchemy) prints what to_csv prints of a fresh evaluation, whole and selected."""
    from metrics.output import to_csv

    assert run("results", "--db", store.url, "--no-bands").returncode == 0
    scores = evaluate(store.load_dataset()).scores
    assert run("score", "--db", store.url).stdout == to_csv(scores)
    chosen = scores.loc[scores["period"].eq("2019Q2") & scores["district"].eq("武侯区")]
    assert run("score", "--db", store.url, "--district", "武侯", "--period", "2019年第二季度").stdout == to_csv(chosen)
    missing = run("score", "--db", store.url, "--period", "2018Q1")
    assert missing.returncode == 2 and "2018Q1" in missing.stderr
    if store.engine.dialect.name == "sqlite":
        probe = (
            "import sys; from metrics.__main__ import main; main(['score', '--db', sys.argv[1], '--out', sys.argv[2]]);"
            " print(sorted(m for m in ('pandas', 'sqlalchemy') if m in sys.modules))"
        )
        env = {k: v for k, v in os.environ.items() if k not in ("STREETS_DB", "STREETS_RULES")}
        out = Path(store.url.removeprefix("sqlite:///")).with_name("s.csv")
        done = subprocess.run(
            [sys.executable, "-c", probe, store.url, str(out)], cwd=REPO, env=env, capture_output=True, text=True
        )
        assert done.stdout.strip() == "[]", done.stderr
        assert out.read_text(encoding="utf-8") == to_csv(scores)


def test_bands_kept_while_another_connection_writes_are_not_lost_to_a_locked_database(tmp_path: Path):
    """A reader keeping the bands it computed reads the run's state, then writes: a write committed by another
    process in between must make it wait, not fail with "database is locked" (the app logged that)."""
    import sqlite3

    from metrics.uncertainty import for_period

    db = tmp_path / "streets.sqlite"
    with Store(f"sqlite:///{db}") as store:
        for parsed in as_files(city()):
            store.ingest(parsed, user="test")
        key = results.compute(store, bands=False).key
        ev = results.load(store, key).evaluation
        period = ev.periods[-1]
        got = for_period(ev, period)
        other: list[str] = []

        def write_from_another_process(conn, cursor, statement, *_):
            if other or not statement.lstrip().upper().startswith("SELECT") or "result_runs" not in statement:
                return
            other.append("tried")
            try:
                with sqlite3.connect(db, timeout=0.2) as them:
                    them.execute("INSERT INTO store_meta (key, value) VALUES ('probe', 'x')")
                other.append("wrote")
            except sqlite3.OperationalError:
                other.append("waited for the lock")

        sa.event.listen(store.engine, "after_cursor_execute", write_from_another_process)
        try:
            results.add_bands(store, key, period, got)
        finally:
            sa.event.remove(store.engine, "after_cursor_execute", write_from_another_process)
        assert other == ["tried", "waited for the lock"]
        kept = results.stored_bands(store, key, period)
        assert kept is not None
        pd.testing.assert_frame_equal(kept.bands, got.bands)
