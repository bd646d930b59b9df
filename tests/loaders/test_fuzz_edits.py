"""FORMATS.md §5's principle under random realistic edits of a valid report (retyped codes, renamed headers,
moved and hidden sheets, formulas, number formats, invisible characters, stray cells): the scores stay the
same, or the file is refused with a finding that names a cell or a sheet. Never different scores without a word."""

from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import read_files
from metrics.config import load_config
from metrics.evaluation import evaluate

HEADER = ["事项编号", "事项名称", "目标值", "完成值", "完成率"]
ROWS = [
    ["WH-101", "社区党组织建设", 10, 8, None],
    ["WH-102", "老旧院落改造", None, None, 0.85],
    ["WH-103", "网格化服务管理", None, None, 0.5],
    ["WH-104", "矛盾纠纷调解", 4, 4, None],
]
LIST = [["WH-101", "社区发展"], ["WH-102", "公共服务"], ["WH-103", "综合管理"], ["WH-104", "社区平安"]]


def _base(folder: Path) -> list[Path]:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "街道名册"
    for r in [["区(市)县", "街道(镇)", "类型"], ["武侯区", "玉林街道", "城区街道"]]:
        ws.append(r)
    wb.save(register := folder / "名册.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "职责任务清单"
    for r in [["区(市)县：武侯区 年度：2019"], ["事项编号", "职能板块", "事项名称"], *([c, f, c] for c, f in LIST)]:
        ws.append(r)
    wb.save(duty := folder / "清单.xlsx")
    return [register, duty]


def _report(path: Path, edits: list[tuple[str, int]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "履职情况"
    for r in [["填报单位：玉林街道    报告期：2019年第二季度"], HEADER, *ROWS]:
        ws.append(r)
    for edit, k in edits:
        EDITS[edit](wb, ws, 3 + k % len(ROWS))
    wb.save(path)
    return path


def _retype_code(wb, ws, r):
    ws.cell(r, 1).value = ["wh 101", "WH\u200b-101", "WH–101", " wh-101 "][r % 4].replace(
        "101", ws.cell(r, 1).value[-3:]
    )


def _rename_header(wb, ws, r):
    ws.cell(2, 5).value = ["完成情况", "完成比例", "完成率（%）", "完成进度"][r % 4]


def _formula_without_result(wb, ws, r):
    ws.cell(r, 5).value = "=0.5+0"


def _percent_format(wb, ws, r):
    ws.cell(r, 5).number_format = "0%"  # a fraction shown as a percent: what the officer sees is the same


def _invisible_title(wb, ws, r):
    ws.cell(1, 1).value = "填报单位：玉林\u200b街道\ufeff    报告期：2019年第二季度"


def _hide_report(wb, ws, r):
    wb.create_sheet("说明")
    ws.sheet_state = "hidden"


def _hidden_old_copy(wb, ws, r):
    old = wb.create_sheet("履职情况(旧)")
    for row in [["填报单位：玉林街道    报告期：2019年第二季度"], HEADER, ["WH-101", "x", None, None, 0.1]]:
        old.append(row)
    old.sheet_state = "hidden"


def _move_sheets(wb, ws, r):
    notes = wb.create_sheet("填表说明", 0)
    notes["A1"] = "本表由街道办事处填报"


def _stray_far(wb, ws, r):
    ws["XFD1048576"] = "x"


def _stray_near(wb, ws, r):
    ws.cell(40 + r, 9).value = "草稿"


def _error_value(wb, ws, r):
    ws.cell(r, 5).value = "#N/A"


EDITS = {
    f.__name__.lstrip("_"): f
    for f in (
        _retype_code,
        _rename_header,
        _formula_without_result,
        _percent_format,
        _invisible_title,
        _hide_report,
        _hidden_old_copy,
        _move_sheets,
        _stray_far,
        _stray_near,
        _error_value,
    )
}


def _scores(result) -> pd.DataFrame:
    scores = evaluate(result.dataset, load_config()).scores
    return scores.sort_values(["street", "period"]).reset_index(drop=True)


_EXPECTED: dict[str, pd.DataFrame] = {}


def _expected(base: list[Path], folder: Path) -> pd.DataFrame:
    """The unedited report's scores (the same in every example: computed once)."""
    if "scores" not in _EXPECTED:
        _EXPECTED["scores"] = _scores(read_files([*base, _report(folder / "原.xlsx", [])], workers=1))
    return _EXPECTED["scores"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(sorted(EDITS)), st.integers(0, 3)), min_size=1, max_size=3))
def test_an_edit_keeps_the_scores_or_is_refused_at_a_cell_or_sheet(edits) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = _base(folder)
        expected = _expected(base, folder)
        result = read_files([*base, _report(folder / "改.xlsx", edits)], workers=1)
        if not result.ok:
            errors = [f for f in result.findings if f.level == "error"]
            assert all(f.sheet or f.cell for f in errors), [f.text() for f in errors]
            return
        pd.testing.assert_frame_equal(_scores(result), expected, check_dtype=False)
