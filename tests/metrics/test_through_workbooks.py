"""Scores computed through real .xlsx workbooks (loaders.read_files), the store, and the CLI."""

from __future__ import annotations

import glob
import json
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from metrics_test_data import one, same_scores

from loaders import read_files
from metrics import evaluate, score_streets
from metrics.__main__ import main

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted(glob.glob(str(REPO / "data" / "samples" / "*.xlsx")))
PERF_HEADER = ["街道(镇)", "报告期", "事项编号", "事项名称", "目标值", "完成值", "完成率", "完成状态", "是否按时"]


def write(path: Path, sheet: str, rows: list[list], title: str | None = None, formats: dict | None = None) -> Path:
    """One-sheet workbook: an optional title line, then the rows (first row = header)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append([title])
    for r in rows:
        ws.append(r)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    wb.save(path)
    return path


@pytest.fixture
def base_files(tmp_path) -> list[Path]:
    register = write(
        tmp_path / "名册.xlsx",
        "街道名册",
        [["区(市)县", "街道(镇)", "类型"], ["武侯区", "玉林街道", "城区街道"], ["武侯区", "簇桥街道", "涉农街道"]],
    )
    duty = write(
        tmp_path / "清单.xlsx",
        "职责任务清单",
        [
            ["事项编号", "职能板块", "事项名称", "权重"],
            ["A1", "公共服务", "为民服务代办", 2],
            ["A2", "社区发展", "社区营造", 1],
            ["A3", "营商环境", "优化营商环境", 1],
            ["A4", "综合管理", "背街小巷整治", 1],
            ["A5", "社区平安", "平安建设", None],
            ["E1", "招商引资", "招商引资任务", 5],
            ["E2", "公共服务", "协税护税宣传", 5],
        ],
        title="区(市)县：武侯区    年度：2019年",
    )
    return [register, duty]


def perf_rows(street: str, codes: list[str] | None = None) -> list[list]:
    rows = [
        # A1 completion "85%" → 0.85;  A2 85 (bare > 2) → 0.85;  A3 0.85 → 0.85
        [street, "2019年第二季度", "A1", "为民服务代办", None, None, "85%", None, "是"],
        [street, "2019Q2", "A2", "社区营造", None, None, 85, None, "否"],
        [street, "2019-Q2", "A3", "优化营商环境", None, None, 0.85, None, "是"],
        # A4 target 40, actual 30 → 0.75;  A5 status 进行中 → 0.5
        [street, "2019Q2", "A4", "背街小巷整治", 40, 30, None, None, None],
        [street, "2019Q2", "A5", "平安建设", None, None, None, "进行中", None],
        # E1 on the list (招商引资) and X1 off the list (招商) are removed; X2 is an unlisted item
        [street, "2019Q2", "E1", "招商引资任务", None, None, 1, None, None],
        [street, "2019Q2", "X1", "招商项目走访", None, None, 1, None, None],
        [street, "2019Q2", "X2", "创卫迎检", None, None, 1, None, None],
    ]
    return [r for r in rows if codes is None or r[2] in codes]


# overall = 100 · (2·0.85 + 0.85 + 0.85 + 0.75 + 1·0.5) / (2 + 1 + 1 + 1 + 1) = 100 · 4.65 / 6 = 77.5
EXPECTED = 77.5


def test_scores_from_workbooks(base_files, tmp_path):
    perf = write(tmp_path / "履职.xlsx", "履职情况", [PERF_HEADER, *perf_rows("玉林街道")])
    result = read_files([*base_files, perf])
    assert result.ok, [f.text() for f in result.findings if f.level == "error"]
    scores = score_streets(result.dataset)
    s = one(scores)
    assert s["overall"] == pytest.approx(EXPECTED)
    assert s["public_services"] == pytest.approx(85.0)  # A1 only: E2 (协税护税宣传) is removed by name
    assert s["comprehensive_management"] == pytest.approx(75.0)
    assert (s["items_listed"], s["items_reported"], s["removed_indicators"], s["unlisted_items"]) == (5, 5, 3, 1)
    # 簇桥 sent nothing for 2019Q2: 未报送 — no score (not 0), every item missing
    c = one(scores, "簇桥街道")
    assert pd.isna(c["overall"]) and not c["submitted"] and c["items_missing"] == 5


def test_percent_formatted_cell_of_105_percent_counts_as_one(base_files, tmp_path):
    rows = [PERF_HEADER, ["玉林街道", "2019Q2", "A2", None, None, None, 1.05, None, None]]
    perf = write(tmp_path / "履职.xlsx", "履职情况", rows, formats={"G2": "0%"})
    ds = read_files([*base_files, perf]).dataset
    assert ds.performance["completion"].iloc[0] == pytest.approx(1.05)
    # community_development holds only A2: c = min(1.05, 1) = 1 → 100
    assert one(score_streets(ds))["community_development"] == 100.0


def test_street_written_without_suffix_gives_the_same_result(base_files, tmp_path):
    full = write(tmp_path / "a.xlsx", "履职情况", [PERF_HEADER, *perf_rows("玉林街道")])
    short = write(tmp_path / "b.xlsx", "履职情况", [PERF_HEADER, *perf_rows("玉林")])
    a = score_streets(read_files([*base_files, full]).dataset)
    b = score_streets(read_files([*base_files, short]).dataset)
    pd.testing.assert_frame_equal(a, b)
    assert one(b)["overall"] == pytest.approx(EXPECTED)


def test_a_later_file_for_the_same_street_and_period_supersedes_the_earlier(base_files, tmp_path):
    # FORMATS.md §5: files resolve as an ingest stores them; a correction replaces the whole report (a row
    # deleted in the correction no longer counts), whatever came before it.
    part1 = write(tmp_path / "p1.xlsx", "履职情况", [PERF_HEADER, *perf_rows("玉林街道", ["A1", "A4", "X1"])])
    part2 = write(
        tmp_path / "p2.xlsx", "履职情况", [PERF_HEADER, *perf_rows("玉林街道", ["A2", "A3", "A5", "E1", "X2"])]
    )
    alone = score_streets(read_files([*base_files, part2]).dataset)
    result = read_files([part1, *base_files, part2])
    pd.testing.assert_frame_equal(score_streets(result.dataset), alone)
    assert any("p2.xlsx" in n and "p1.xlsx" in n for n in result.resolution.notes), result.resolution.notes
    # The same file twice counts once.
    twice = read_files([*base_files, part2, part2])
    pd.testing.assert_frame_equal(score_streets(twice.dataset), alone)
    assert any(n.startswith("= ") for n in twice.resolution.notes)


def test_cli_scores_files_as_json(base_files, tmp_path, capsys):
    perf = write(tmp_path / "履职.xlsx", "履职情况", [PERF_HEADER, *perf_rows("玉林街道")])
    out = tmp_path / "scores.json"
    assert main(["score", *map(str, base_files), str(perf), "--format", "json", "--out", str(out)]) == 0
    rows = json.loads(out.read_text(encoding="utf-8"))
    first = rows[0]
    assert list(first)[:16] == [
        "district", "street", "period", "overall", "community_development", "public_services",
        "comprehensive_management", "business_environment", "community_safety", "items_listed",
        "items_reported", "items_missing", "removed_indicators", "unlisted_items", "unlisted_tasks", "list_year",
    ]  # fmt: skip
    yulin = next(r for r in rows if r["street"] == "玉林街道")
    assert yulin["overall"] == 77.5 and yulin["period"] == "2019Q2" and yulin["list_year"] == 2019
    assert yulin["community_safety"] == 50.0


def test_cli_filters_and_rounds_csv(base_files, tmp_path, capsys):
    rows = [PERF_HEADER, ["玉林街道", "2019Q2", "A1", None, None, None, 0.123456, None, None]]
    perf = write(tmp_path / "履职.xlsx", "履职情况", rows)
    assert main(["score", *map(str, base_files), str(perf), "--period", "2019年第二季度", "--district", "武侯区"]) == 0
    text = capsys.readouterr().out
    table = pd.read_csv(pd.io.common.StringIO(text))
    assert len(table) == 2  # 玉林 and 簇桥
    # overall = 100 · 2·0.123456 / 6 = 4.1152 → 4.12 on output
    assert table.set_index("street").loc["玉林街道", "overall"] == 4.12


def test_cli_reports_read_errors_and_exits_1(base_files, tmp_path, capsys):
    rows = [PERF_HEADER, ["不存在街道", "2019Q2", "A1", None, None, None, 0.5, None, None]]
    perf = write(tmp_path / "坏.xlsx", "履职情况", rows)
    assert main(["score", *map(str, base_files), str(perf)]) == 1
    err = capsys.readouterr().err
    assert "坏.xlsx" in err and "✘" in err


def test_cli_writes_xlsx(base_files, tmp_path):
    perf = write(tmp_path / "履职.xlsx", "履职情况", [PERF_HEADER, *perf_rows("玉林街道")])
    out = tmp_path / "scores.xlsx"
    assert main(["score", *map(str, base_files), str(perf), "--out", str(out)]) == 0
    back = pd.read_excel(out, engine="calamine")
    assert back.loc[back["street"].eq("玉林街道"), "overall"].iloc[0] == 77.5


@pytest.mark.slow
@pytest.mark.skipif(not SAMPLES, reason="no sample workbooks in data/samples")
def test_samples_from_store_and_from_files_are_identical(tmp_path):
    from loaders.ingest import ingest_paths
    from loaders.store import Store

    from_files = read_files(SAMPLES)
    assert from_files.ok
    store = Store(f"sqlite:///{tmp_path / 'streets.sqlite'}")
    ingest_paths(store, SAMPLES)
    a, b = evaluate(from_files.dataset), evaluate(store.load_dataset())
    assert len(a.scores) > 0 and same_scores(a.scores, b.scores)
    pd.testing.assert_frame_equal(a.scores, b.scores)
    # and through the CLI: files vs --db
    out_files, out_db = tmp_path / "f.csv", tmp_path / "d.csv"
    assert main(["score", *SAMPLES, "--out", str(out_files)]) == 0
    assert main(["score", "--db", store.url, "--out", str(out_db)]) == 0
    assert out_files.read_text(encoding="utf-8") == out_db.read_text(encoding="utf-8")


SPELLINGS = ["玉林", "玉林街道", "玉林街道办事处", " 玉林街道 "]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(SPELLINGS), min_size=8, max_size=8))
def test_any_spelling_of_the_street_per_row_gives_the_same_result(base_files, tmp_path, spellings):
    # each report row names the street its own way; the loader resolves all to 玉林街道
    rows = [[name, *r[1:]] for name, r in zip(spellings, perf_rows("玉林街道"), strict=True)]
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        perf = write(Path(folder) / "履职.xlsx", "履职情况", [PERF_HEADER, *rows])
        scores = score_streets(read_files([*base_files, perf]).dataset)
    s = one(scores)
    assert s["overall"] == pytest.approx(EXPECTED)
    assert (s["removed_indicators"], s["unlisted_items"]) == (3, 1)


def test_cli_refuses_a_bad_rules_file(base_files, tmp_path, capsys):
    rules = tmp_path / "rules.toml"
    rules.write_text('[removed]\ncategories = ["business_environment"]\nkeywords = ["招商"]\n', encoding="utf-8")
    assert main(["score", *map(str, base_files), "--rules", str(rules)]) == 2
    err = capsys.readouterr().err
    assert "五大职能" in err and "rules.toml" in err
