"""The submission tracker: every street of the register for a period — received, missing, late, superseded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from loaders import read_files
from loaders.__main__ import main
from loaders.store import Store
from metrics.config import ConfigError, load_config, parse_config
from metrics.submissions import deadline, district_counts, missing, quarter_end, submission_table, submissions

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
LEFT_OUT = (
    "20_履职报表_2019Q1_武侯区_玉林街道.xlsx",
    "20_履职报表_2019Q1_武侯区_桂溪街道.xlsx",
    "20_履职报表_2019Q1_彭州市_三界镇.xlsx",
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The samples of 2019 in a store, except three street reports of 2019Q1."""
    s = Store(f"sqlite:///{tmp_path_factory.mktemp('sub') / 's.sqlite'}")
    files = [p for p in sorted(SAMPLES.glob("*.xlsx")) if p.name not in LEFT_OUT and "2020Q" not in p.name]
    for parsed in read_files([str(p) for p in files]).files:
        s.ingest(parsed, user="wang")
    return s


def test_the_three_streets_left_out_are_exactly_the_missing(store: Store) -> None:
    table = submissions(store, "2019Q1")
    assert len(table) == len(store.load_register())
    gone = missing(table)
    assert sorted(zip(gone["district"], gone["street"], strict=True)) == [
        ("彭州市", "三界镇"),
        ("武侯区", "桂溪街道"),
        ("武侯区", "玉林街道"),
    ]
    got = table[table["submitted"]]
    assert got["user_name"].eq("wang").all() and got["file_name"].str.endswith(".xlsx").all()
    assert got["times_superseded"].eq(0).all()
    # a period nobody reported: every street missing; a full period: none
    assert missing(submissions(store, "2021Q1")).shape[0] == len(table)
    assert missing(submissions(store, "2019Q2")).empty


def test_counts_per_district(store: Store) -> None:
    counts = district_counts(submissions(store, "2019Q1")).set_index("district")
    assert counts.loc["武侯区", ["missing", "received"]].tolist() == [2, 11]
    assert counts.loc["彭州市", "missing"] == 1 and counts.loc["邛崃市", "missing"] == 0
    assert (counts["streets"] == counts["received"] + counts["missing"]).all()
    assert counts.loc["彭州市", "deadline"] == dt.date(2019, 4, 20)  # 彭州市 has 20 days in rules.toml


def test_a_corrected_report_counts_as_superseded(store: Store, tmp_path: Path) -> None:
    src = SAMPLES / "20_履职报表_2019Q2_武侯区_玉林街道.xlsx"
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    ws.cell(ws.max_row, 1).value = "注：已更正"
    fixed = tmp_path / "玉林街道_更正.xlsx"
    wb.save(fixed)
    outcome = store.ingest(read_files([str(fixed)], register=store.load_register()).files[0], user="li")
    assert outcome.outcome == "ingested"
    row = submissions(store, "2019Q2").set_index("street").loc["玉林街道"]
    assert row["times_superseded"] == 1 and row["user_name"] == "li" and row["file_name"] == fixed.name
    assert row["first_received_at"] < row["received_at"]


def _batches(rows: list[tuple[str, str, str, bool]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "table_name": "performance",
            "district": [r[0] for r in rows],
            "street": [r[1] for r in rows],
            "period": "2021Q1",
            "active": [r[3] for r in rows],
            "ingested_at": pd.to_datetime([r[2] for r in rows]).tz_localize("UTC"),
            "user_name": "u",
            "file_name": "f.xlsx",
        }
    )


def test_late_is_the_first_copy_after_the_districts_deadline_in_beijing_time() -> None:
    config = parse_config(
        {**_raw(), "deadlines": {"days_after_quarter": 10, "districts": {"彭州市": 20}}}, source="test"
    )
    register = pd.DataFrame({"district": ["武侯区", "武侯区", "武侯区", "彭州市"], "street": ["A", "B", "C", "D"]})
    batches = _batches(
        [
            ("武侯区", "A", "2021-04-10 15:59", True),  # 23:59 on 10 April in Beijing: on time
            ("武侯区", "B", "2021-04-10 16:01", True),  # 00:01 on 11 April in Beijing: late
            ("彭州市", "D", "2021-04-15 00:00", False),  # 20 days for 彭州市: on time …
            ("彭州市", "D", "2021-05-01 00:00", True),  # … and a later correction does not make it late
        ]
    )
    t = submission_table(register, batches, "2021Q1", config).set_index("street")
    assert t["late"].to_dict() == {"A": False, "B": True, "C": False, "D": False}
    assert t["submitted"].to_dict() == {"A": True, "B": True, "C": False, "D": True}
    assert t.loc["D", "times_superseded"] == 1
    assert deadline("彭州市", "2021Q1", config) == dt.date(2021, 4, 20)


def test_quarter_end() -> None:
    assert [quarter_end(f"2021Q{q}") for q in (1, 2, 3, 4)] == [
        dt.date(2021, 3, 31),
        dt.date(2021, 6, 30),
        dt.date(2021, 9, 30),
        dt.date(2021, 12, 31),
    ]


def _raw() -> dict:
    import tomllib

    return tomllib.loads(Path(load_config().source).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "deadlines", [{"days_after_quarter": -1}, {"days_after_quarter": "15"}, {"districts": {"武侯区": 1.5}}, {"x": 1}]
)
def test_bad_deadlines_are_refused(deadlines: dict) -> None:
    with pytest.raises(ConfigError, match="deadlines"):
        parse_config({**_raw(), "deadlines": deadlines})


def test_cli_status_and_missing_list(store: Store, tmp_path: Path, capsys) -> None:
    out = tmp_path / "催报.xlsx"
    assert main(["status", "--period", "2019年第一季度", "--db", store.url, "--missing-out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "未报 3" in text and "✘ 武侯区 玉林街道" in text
    sheet = pd.read_excel(out, engine="openpyxl")
    assert list(sheet.columns) == ["区(市)县", "街道(镇)", "报告期", "截止日期"] and len(sheet) == 3
