"""Shared builders for the export tests, and tests of metrics.export.common (sheet names, the text guard)."""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders.schema import LIST_ITEMS, PERFORMANCE, REGISTER, SERVICE, UNLISTED, Dataset
from metrics.config import FUNCTIONS
from metrics.export import common

HOSTILE_STREET = '=HYPERLINK("http://x","y")'
HOSTILE_TEXTS = ["@SUM(A1)", "+1", "-1", "\t=1", "=1+1", "\r=2"]
PERIODS = ("2019Q1", "2019Q2")


def build_dataset(
    hostile: bool = False, districts: tuple[str, ...] = ("武侯区", "龙泉驿区", "彭州市"), items: int = 15
) -> Dataset:
    """Three districts of four streets, two quarters: missing rows, removed and off-list items, unlisted tasks.

    With hostile=True one street and several item names, evidence and departments start like formulas.
    """
    rng = np.random.default_rng(5)
    streets = {d: [f"{d[:2]}{k}街道" for k in "甲乙丙丁"] for d in districts}
    if hostile:
        streets[districts[0]][0] = HOSTILE_STREET
    register = REGISTER.conform(
        pd.DataFrame(
            [
                {"district": d, "street": s, "street_type": ["城区街道", "涉农街道", "镇"][i % 3], "pilot": i == 0}
                for d in districts
                for i, s in enumerate(streets[d])
            ]
        )
    )
    lists = []
    for d in districts:
        for i in range(items):
            name = f"{d[:2]}职责事项{i:02d}"
            if hostile and i < len(HOSTILE_TEXTS):
                name = HOSTILE_TEXTS[i]
            lists.append(
                {
                    "district": d,
                    "year": 2019,
                    "list_type": "duty",
                    "item_code": f"D{i:02d}",
                    "function": FUNCTIONS[i % 5],
                    "item_name": name,
                    "weight": float(1 + i % 3),
                }
            )
        lists.append(dict(lists[-1], item_code="E01", function="investment_attraction", item_name="招商引资任务"))
        lists.append(dict(lists[-1], item_code="E02", function="public_services", item_name="协税护税工作"))
    list_items = LIST_ITEMS.conform(pd.DataFrame(lists))
    perf, service, unlisted = [], [], []
    statuses = ["已完成", "进行中", "未开始", None]
    for d in districts:
        for s_i, s in enumerate(streets[d]):
            for p in PERIODS:
                for i in range(items):
                    if (i + s_i) % 7 == 3:  # a missing row now and then
                        continue
                    target = float(rng.integers(5, 50)) if i % 2 == 0 else np.nan
                    perf.append(
                        {
                            "district": d,
                            "street": s,
                            "period": p,
                            "item_code": f"D{i:02d}",
                            "target": target,
                            "actual": target * rng.uniform(0.4, 1.2) if i % 2 == 0 else np.nan,
                            "completion": rng.uniform(0.3, 1.1) if i % 4 == 1 else np.nan,
                            "status": statuses[i % 4],
                            "on_time": bool(rng.random() < 0.8) if i % 5 else None,
                            "evidence": HOSTILE_TEXTS[i % len(HOSTILE_TEXTS)] if hostile else f"台账{i}",
                        }
                    )
                perf.append({"district": d, "street": s, "period": p, "item_code": "E01", "status": "已完成"})
                perf.append(
                    {
                        "district": d,
                        "street": s,
                        "period": p,
                        "item_code": "X99",
                        "item_name": "-临时交办事项" if hostile else "临时交办事项",
                        "completion": 0.5,
                    }
                )
                service.append(
                    {"district": d, "street": s, "period": p, "cases": 100.0, "online_cases": 60.0,
                     "one_visit_cases": 80.0, "satisfaction": 0.93}
                )  # fmt: skip
                for k in range(s_i % 3):
                    unlisted.append(
                        {
                            "district": d,
                            "street": s,
                            "period": p,
                            "task_name": f"清单外任务{k}",
                            "assigning_department": "=cmd|' /C calc'!A0" if hostile else "区住建局",
                            "access_approved": k == 0,
                            "funds_matched": False,
                            "workdays": 2.0 + k,
                        }
                    )
    return Dataset(
        register,
        list_items,
        PERFORMANCE.conform(pd.DataFrame(perf)),
        SERVICE.conform(pd.DataFrame(service)),
        UNLISTED.conform(pd.DataFrame(unlisted)),
    )


def open_xlsx(data: bytes) -> openpyxl.Workbook:
    """An export opened with openpyxl (formulas as written, not evaluated)."""
    return openpyxl.load_workbook(io.BytesIO(data))


def cell_text(value: object) -> object:
    """A string as Excel shows it: openpyxl leaves xlsxwriter's escape of a carriage return (_x000D_) as is."""
    return value.replace("_x000D_", "\r") if isinstance(value, str) else value


def all_cells(ws) -> list:
    return [cell for row in ws.iter_rows() for cell in row if cell.value is not None]


def assert_no_formulas(wb: openpyxl.Workbook) -> None:
    """No cell of any sheet is a formula, and formula-like text is stored as a quote-prefixed string."""
    for ws in wb.worksheets:
        for cell in all_cells(ws):
            assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
            if isinstance(cell.value, str) and cell_text(cell.value).startswith(common.FORMULA_START):
                assert cell.data_type == "s"
                assert cell.quotePrefix, f"{ws.title}!{cell.coordinate} {cell.value!r} lacks the quote prefix"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("玉林街道", "玉林街道"),
        ('=HYPERLINK("http://x","y")', '=HYPERLINK("http___x","y")'),
        ("a[b]c:d*e?f/g\\h", "a_b_c_d_e_f_g_h"),
        ("'quoted'", "quoted"),
        ("", "Sheet"),
        ("History", "History(2)"),
    ],
)
def test_sheet_name_is_valid(name: str, expected: str) -> None:
    assert common.sheet_name(name, set()) == expected


def test_sheet_names_are_unique_and_short() -> None:
    taken: set[str] = set()
    long = "很长的街道名称" * 10
    names = [common.sheet_name(n, taken) for n in [long, long, long, "A", "a", "a"]]
    assert len({n.casefold() for n in names}) == len(names)
    assert all(len(n) <= 31 for n in names)
    assert names[1].endswith("(2)") and names[2].endswith("(3)")


@given(st.lists(st.text(max_size=40), min_size=1, max_size=12))
def test_sheet_names_always_accepted_by_excel_rules(raw: list[str]) -> None:
    taken: set[str] = set()
    names = [common.sheet_name(n, taken) for n in raw]
    assert len({n.casefold() for n in names}) == len(names)
    for n in names:
        assert 1 <= len(n.encode("utf-16-le")) // 2 <= 31
        assert not set(n) & set("[]:*?/\\")
        assert not n.startswith("'") and not n.endswith("'")
    # xlsxwriter applies Excel's own checks when the sheet is added
    wb, _ = common.new_workbook()
    for n in names:
        wb.add_worksheet(n)


def test_write_text_never_writes_a_formula() -> None:
    wb, buf = common.new_workbook()
    ws = wb.add_worksheet("t")
    styles = common.Styles(wb)
    values = [HOSTILE_STREET, *HOSTILE_TEXTS, "普通文字", "12"]
    for i, v in enumerate(values):
        common.write_text(ws, i, 0, v, styles, "td")
    common.merge_text(ws, len(values), 0, 3, "=SUM(1,2)", styles, "title")
    common.write_number(ws, len(values) + 1, 0, 0.5, styles, "td_pct")
    common.write_number(ws, len(values) + 2, 0, float("inf"), styles, "td_pct")
    data = common.finish(wb, buf, "t")
    sheet = open_xlsx(data)["t"]
    got = [sheet.cell(i + 1, 1) for i in range(len(values))]
    assert [cell_text(g.value) for g in got] == values
    assert all(g.data_type == "s" for g in got)
    assert [g.quotePrefix for g in got] == [common.needs_quote(v) for v in values]
    assert sheet.cell(len(values) + 1, 1).value == "=SUM(1,2)"
    assert sheet.cell(len(values) + 1, 1).data_type == "s"
    assert sheet.cell(len(values) + 2, 1).data_type == "n"
    assert sheet.cell(len(values) + 2, 1).number_format == "0.0%"
    assert sheet.cell(len(values) + 3, 1).value is None
