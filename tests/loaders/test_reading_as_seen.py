"""FORMATS.md §5: a workbook is read as the officer sees it, or refused at the cell. Every workbook here is
made the way the real one is: openpyxl/XlsxWriter for library and OA exports, LibreOffice for re-saved files."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from loaders import read_files
from loaders.ingest import ingest_paths
from loaders.store import Store

ROOT = Path(__file__).resolve().parents[2]
TITLE = "填报单位：玉林街道    报告期：2019年第二季度"
HEADER = ["事项编号", "事项名称", "目标值", "完成值", "完成率", "完成状态"]
ROWS = [["A1", "社区党组织建设", 10, 8, None, None], ["A2", "老旧院落改造", None, None, "85%", None]]
LIST_HEADER = ["事项编号", "职能板块", "事项名称"]
LIST_ROWS = [
    ["A1", "统筹社区发展", "社区党组织建设"],
    ["A2", "组织公共服务", "老旧院落改造"],
    ["A3", "维护社区平安", "巡查"],
]
libreoffice = pytest.mark.skipif(shutil.which("libreoffice") is None, reason="libreoffice not on PATH")


def report(xlsx, rows=ROWS, title=TITLE, header=HEADER, name="玉林.xlsx", formats=None):
    return xlsx(name, xlsx.Sheet("履职情况", [[title], header, *rows], formats=formats or {}))


PREFIX = {"职责任务清单": "", "便民服务清单": "S", "执法监管清单": "E"}  # codes are unique across a year's lists


def duty_list(xlsx, rows=LIST_ROWS, name="清单.xlsx", sheets=("职责任务清单",)):
    def sheet(s):
        body = [[PREFIX[s] + r[0], *r[1:]] for r in rows]
        return xlsx.Sheet(s, [["区(市)县：武侯区 年度：2019"], LIST_HEADER, *body])

    return xlsx(name, *map(sheet, sheets))


def codes(parsed, level=None):
    return [f.code for f in parsed.findings if level is None or f.level == level]


def convert(src: Path, fmt: str, out: Path) -> Path:
    """The file as LibreOffice saves it (headless), like an office re-saving or exporting it."""
    out.mkdir(exist_ok=True)
    subprocess.run(
        ["libreoffice", "--headless", f"-env:UserInstallation=file://{out}/lo", "--convert-to", fmt,
         "--outdir", str(out), str(src)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return out / f"{src.stem}.{fmt}"


# ---- formats


@libreoffice
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_xls_and_ods_saved_by_libreoffice_read_like_the_xlsx(xlsx, tmp_path, read_with_register, fmt) -> None:
    src = report(xlsx)
    original = read_with_register(src).tables["performance"]
    other = read_with_register(convert(src, fmt, tmp_path / "lo"))
    assert other.ok, [f.text() for f in other.errors]
    got = other.tables["performance"]
    cols = ["street", "period", "item_code", "target", "actual", "completion"]
    assert got[cols].equals(original[cols])


def test_lock_and_empty_files_are_skipped_with_a_note(xlsx, tmp_path, register_path) -> None:
    good = report(xlsx)
    lock = tmp_path / "~$玉林.xlsx"
    lock.write_bytes(b"\x04user" + bytes(160))
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    result = read_files([register_path, good, lock, empty], workers=1)
    assert result.ok
    by_name = {p.name: p for p in result.files}
    for name in (lock.name, empty.name):
        assert by_name[name].skipped and [f.level for f in by_name[name].findings] == ["skipped"]


def test_hidden_sheet_is_not_read_and_named_in_a_warning(xlsx, tmp_path, read_with_register) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "履职情况"
    for row in [[TITLE], HEADER, *ROWS]:
        ws.append(row)
    old = wb.create_sheet("履职情况(一季度)")
    for row in [["填报单位：玉林街道    报告期：2019Q1"], HEADER, *ROWS]:
        old.append(row)
    old.sheet_state = "hidden"
    wb.save(path := tmp_path / "hidden.xlsx")
    parsed = read_with_register(path)
    assert parsed.ok and set(parsed.tables["performance"]["period"]) == {"2019Q2"}
    [warning] = [f for f in parsed.findings if f.code == "hidden_sheet"]
    assert warning.sheet == "履职情况(一季度)" and warning.level == "warning"


# ---- formulas


def test_formula_without_a_saved_result_is_an_error_at_its_cell(xlsx, read_with_register) -> None:
    # openpyxl writes formulas without results, as libraries and OA exports do.
    rows = [["A1", "社区党组织建设", 10, 8, "=D3/C3", None], ["A2", "老旧院落改造", None, None, "85%", None]]
    parsed = read_with_register(report(xlsx, rows))
    [f] = [f for f in parsed.errors if f.code == "formula_no_result"]
    assert (f.sheet, f.cell) == ("履职情况", "E3") and "WPS" in f.zh


def test_formula_in_a_column_no_score_reads_is_a_warning(xlsx, read_with_register) -> None:
    header = [*HEADER, "备注"]
    rows = [[*ROWS[0], '=IF(1,"a","b")'], [*ROWS[1], None]]
    parsed = read_with_register(report(xlsx, rows, header=header))
    assert parsed.ok and "formula_no_result" in codes(parsed, "warning")


def _xlsxwriter_report(path: Path, value_cell: tuple[str, object]) -> Path:
    formula, result = value_cell
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("履职情况")
    ws.write_row(0, 0, [TITLE])
    ws.write_row(1, 0, HEADER)
    ws.write_row(2, 0, ["A1", "社区党组织建设", 10, 8])
    ws.write_formula(2, 4, formula, None, result)
    wb.close()
    return path


def test_formula_with_a_saved_result_reads_the_result(tmp_path, read_with_register) -> None:
    parsed = read_with_register(_xlsxwriter_report(tmp_path / "f.xlsx", ("=0.4+0.5", 0.9)))
    assert parsed.ok and list(parsed.tables["performance"]["completion"]) == [0.9]


@pytest.mark.parametrize("error", ["#N/A", "#REF!", "#DIV/0!", "#VALUE!"])
def test_error_value_in_a_scored_column_is_an_error_at_its_cell(tmp_path, read_with_register, error) -> None:
    parsed = read_with_register(_xlsxwriter_report(tmp_path / "e.xlsx", ("=1/0", error)))
    [f] = [f for f in parsed.errors if f.code == "error_value"]
    assert f.cell == "E3" and error in f.zh


# ---- percent cells


def test_percent_formatted_cell_is_the_percentage_shown(xlsx, read_with_register) -> None:
    rows = [["A1", "x", None, None, 2.5, None], ["A2", "y", None, None, 0.85, None]]
    parsed = read_with_register(report(xlsx, rows, formats={"E3": "0%", "E4": "0.0%"}))
    assert list(parsed.tables["performance"]["completion"]) == [2.5, 0.85]  # 250 % (capped by the score), 85 %


@libreoffice
def test_percent_cell_survives_a_libreoffice_resave(xlsx, tmp_path, read_with_register) -> None:
    rows = [["A1", "x", None, None, 2.5, None]]
    resaved = convert(report(xlsx, rows, formats={"E3": "0%"}), "xlsx", tmp_path / "lo")
    assert list(read_with_register(resaved).tables["performance"]["completion"]) == [2.5]


def test_completion_mixing_scales_is_warned_with_its_cells(xlsx, read_with_register) -> None:
    rows = [["A1", "x", None, None, 0.9, None], ["A2", "y", None, None, 85, None], ["A3", "z", None, None, 0, None]]
    parsed = read_with_register(report(xlsx, rows))
    [f] = [f for f in parsed.findings if f.code == "mixed_scale"]
    assert f.level == "warning" and "E3" in f.zh and "E4" in f.zh and "E5" not in f.zh


# ---- item codes


def test_codes_typed_differently_match_the_list(xlsx, register_path) -> None:
    lists = duty_list(
        xlsx, [["WH101", "统筹社区发展", "a"], ["PZ-101", "组织公共服务", "b"], ["101", "维护社区平安", "c"]]
    )
    rows = [["wh 101", "a", None, None, "50%", None], ["PZ–101", "b", None, None, "60%", None]]
    rows += [["0101", "c", None, None, "70%", None]]
    result = read_files([register_path, lists, report(xlsx, rows)], workers=1)
    assert result.ok, [f.text() for f in result.findings if f.level == "error"]
    perf = result.dataset.performance
    assert list(perf["item_code"]) == ["WH101", "PZ-101", "101"]
    [f] = [f for f in result.findings if f.code == "code_as_number"]
    assert f.cell == "A5" and f.level == "warning"


def test_zero_width_space_in_a_code_or_title_is_removed(xlsx, read_with_register) -> None:
    rows = [["A\u200b1", "x", None, None, "50%", None]]
    parsed = read_with_register(report(xlsx, rows, title="填报单位：玉\u200b林街道  报告期：2019Q2"))
    perf = parsed.tables["performance"]
    assert parsed.ok and list(perf["item_code"]) == ["A1"] and list(perf["street"]) == ["玉林街道"]


def test_code_that_excel_turned_into_a_date_is_an_error_at_its_cell(xlsx, read_with_register) -> None:
    rows = [["A1", "x", None, None, "50%", None], [dt.datetime(2019, 1, 1), "y", None, None, "50%", None]]
    parsed = read_with_register(report(xlsx, rows))
    [f] = [f for f in parsed.errors if f.code == "bad_item_code"]
    assert f.cell == "A4" and "日期" in f.zh


def test_report_with_more_than_a_fifth_unmatched_codes_is_refused(xlsx, register_path) -> None:
    rows = [["A1", "x", None, None, "50%", None], ["B7", "y", None, None, "50%", None]]
    result = read_files([register_path, duty_list(xlsx), report(xlsx, rows)], workers=1)
    [f] = [f for f in result.findings if f.code == "codes_unmatched"]
    assert f.level == "error" and "B7" in f.zh and "2019" in f.en


def test_period_no_list_covers_is_a_warning_naming_district_and_year(xlsx, register_path) -> None:
    result = read_files([register_path, report(xlsx)], workers=1)
    [f] = [f for f in result.findings if f.code == "no_list"]
    assert f.level == "warning" and "武侯区" in f.zh and "2019" in f.zh


# ---- result columns


@pytest.mark.parametrize(("header", "values", "key"), [("完成情况", ["85%", 0.5], "completion"),
                                                      ("完成进度(%)", [85, 50], "completion"),
                                                      ("完成情况", ["已完成", "进行中"], "status")])  # fmt: skip
def test_wanchengqingkuang_is_completion_or_status_by_its_values(xlsx, read_with_register, header, values, key):
    rows = [[f"A{i}", v] for i, v in enumerate(values)]
    parsed = read_with_register(report(xlsx, rows, header=["事项编号", header]))
    assert parsed.ok and parsed.tables["performance"][key].notna().all()


def test_report_without_a_result_column_is_refused_listing_headers(xlsx, read_with_register) -> None:
    parsed = read_with_register(report(xlsx, [["A1", "x", "好"]], header=["事项编号", "事项名称", "情况说明"]))
    [f] = parsed.errors
    assert f.code == "no_result_column" and "情况说明" in f.zh and "完成率" in f.zh


def test_target_zero_with_an_actual_is_a_reported_row(xlsx, read_with_register) -> None:
    parsed = read_with_register(report(xlsx, [["A1", "x", 0, 3, None, None]]))
    assert parsed.ok and len(parsed.tables["performance"]) == 1 and "no_result" not in codes(parsed)


# ---- title lines and periods


@pytest.mark.parametrize(
    "title",
    ["填报单位 ：玉林街道  报告期：2019Q2", "填 报 单 位 ：玉林街道  报告期：2019Q2",
     "填报单位：玉林街道，报告期：2019Q2", "填报单位：玉林街道；报告期：2019年第二季度",
     "单位：玉林街道    报告期：2019-Q2"],
)  # fmt: skip
def test_title_line_variants(xlsx, read_with_register, title) -> None:
    parsed = read_with_register(report(xlsx, title=title))
    perf = parsed.tables["performance"]
    assert parsed.ok and set(perf["street"]) == {"玉林街道"} and set(perf["period"]) == {"2019Q2"}


@pytest.mark.parametrize("period", ["2019-2", "2019.2", "2019/2"])
def test_ambiguous_period_is_refused_at_its_cell(xlsx, read_with_register, period) -> None:
    parsed = read_with_register(report(xlsx, title=f"填报单位：玉林街道  报告期：{period}"))
    [f] = [f for f in parsed.errors if f.code == "bad_period"]
    assert f.cell == "A1" and "季度还是月份" in f.zh


# ---- lists and the store


def test_list_workbook_without_a_duty_list_is_refused(xlsx, read_with_register) -> None:
    parsed = read_with_register(duty_list(xlsx, sheets=("便民服务清单",)))
    assert codes(parsed, "error") == ["no_duty_list"]


def test_lists_supersede_per_district_year_and_kind(xlsx, url, register_path) -> None:
    first = duty_list(xlsx, name="l1.xlsx", sheets=("职责任务清单", "便民服务清单", "执法监管清单"))
    newer = duty_list(xlsx, LIST_ROWS[:2], name="l2.xlsx", sheets=("职责任务清单", "便民服务清单"))
    with Store(url) as store:
        outcomes = ingest_paths(store, [register_path, first, newer], workers=1)
        assert [o.outcome for o in outcomes] == ["ingested"] * 3
        items = store.load_dataset().list_items
    count = items.groupby("list_type").size().to_dict()
    assert count == {"duty": 2, "service": 2, "enforcement": 3}  # the enforcement list stays


def test_original_sent_again_after_a_correction_becomes_active_again(xlsx, url, register_path) -> None:
    original = report(xlsx, name="原.xlsx")
    correction = report(xlsx, ROWS[:1], name="更正.xlsx")
    with Store(url) as store:
        ingest_paths(store, [register_path, duty_list(xlsx), original, correction], workers=1)
        assert len(store.load_dataset().performance) == 1
        [again] = ingest_paths(store, [original], workers=1)
        assert again.outcome == "reactivated" and again.reactivated is not None
        assert len(store.load_dataset().performance) == 2
        [same] = ingest_paths(store, [original], workers=1)
        assert same.outcome == "duplicate"


# ---- bounded reading


def _far_cell_workbook(tmp_path: Path, xlsx) -> Path:
    path = report(xlsx, name="far.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["履职情况"]["XFD1048576"] = "x"
    wb.save(path)
    assert path.stat().st_size < 20_000
    return path


def test_stray_cell_in_xfd1048576_is_refused_at_its_cell(xlsx, tmp_path, read_with_register) -> None:
    parsed = read_with_register(_far_cell_workbook(tmp_path, xlsx))
    [f] = parsed.errors
    assert (f.code, f.sheet, f.cell) == ("far_cell", "履职情况", "XFD1048576")


def test_stray_cell_far_right_of_a_small_table_reads_normally(xlsx, read_with_register) -> None:
    path = report(xlsx, name="wide.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["履职情况"]["XFD2"] = "x"
    wb.save(path)
    parsed = read_with_register(path)
    assert parsed.ok and len(parsed.tables["performance"]) == 2


@pytest.mark.parametrize("command", [["loaders", "check"], ["metrics", "score"]])
def test_cli_survives_the_xfd1048576_file(xlsx, tmp_path, register_path, command) -> None:
    far = _far_cell_workbook(tmp_path, xlsx)
    args = [sys.executable, "-m", *command, str(register_path), str(far)]
    if command[0] == "loaders":
        args.append("--no-store")
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr  # refused, not killed (134) by a 512 GiB allocation
    assert "XFD1048576" in done.stdout + done.stderr


# ---- removal by name only


def test_item_removed_by_name_only_is_warned_naming_item_and_word(xlsx, read_with_register) -> None:
    rows = [
        *LIST_ROWS,
        ["A4", "组织公共服务", "吸引资金投入社区养老"],
        ["A5", "组织公共服务", "招商银行网点便民服务协调"],
    ]
    rows += [["A6", "招商引资", "招商引资任务"]]
    parsed = read_with_register(duty_list(xlsx, rows))
    warned = [f for f in parsed.findings if f.code == "removed_by_name"]
    # 招商银行… is kept in metrics/rules.toml with a reason; the economic item is removed by its function.
    assert len(warned) == 1 and "吸引资金投入社区养老" in warned[0].zh and "“引资”" in warned[0].zh
    assert warned[0].level == "warning" and warned[0].sheet == "职责任务清单"
