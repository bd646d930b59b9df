"""The city-scale benchmark generator writes the planned workbooks, valid for the loaders."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import python_calamine as pc

from loaders import read_files

ROOT = Path(__file__).resolve().parents[2]


def _citygen():
    spec = importlib.util.spec_from_file_location("citygen", ROOT / "bench" / "citygen.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_city_has_23_districts_and_about_260_streets() -> None:
    districts = _citygen().city_districts(2019)
    assert len(districts) == 23
    assert sum(len(d.streets) for d in districts) == 260
    for d in districts:
        assert len({s.name for s in d.streets}) == len(d.streets)
    assert {s.name for d in districts if d.name == "彭州市" for s in d.streets} >= {"天彭街道", "三界镇"}


def test_two_districts_write_lists_and_consolidated_reports(tmp_path: Path) -> None:
    written = _citygen().generate(tmp_path, seed=7, n_districts=2, workers=1)
    assert len(written) == 1 + 2 * 2 + 2 * 8 + 2  # and one 机构设置 workbook per district (issue 15 point 4)
    reports = [p for p in written if p.name.startswith("20_")]
    for path in reports:
        names = pc.CalamineWorkbook.from_path(path).sheet_names
        assert names == ["履职情况", "便民服务", "清单外事项", "部门评价", "执法情况"]  # issue 15: 考核权, 执法
    result = read_files(written)
    assert result.ok
    rated = result.dataset.dept_ratings
    assert rated.groupby(["district", "period"]).ngroups == 16 and rated["scale"].isin([5.0, 100.0]).all()
    perf = result.dataset.performance
    assert perf.groupby(["district", "period"]).ngroups == 16
    enf = result.dataset.enforcement  # every street of both districts, every quarter (issue 15 point 3)
    assert len(enf) == perf.groupby(["district", "street", "period"]).ngroups and enf["cases"].gt(0).all()
    enf_list = result.dataset.list_items[result.dataset.list_items["list_type"] == "enforcement"]
    assert enf_list["on_time_target"].notna().any()
    assert len(result.dataset.list_items[result.dataset.list_items["list_type"] == "duty"]) >= 4 * 140
    offices = result.dataset.offices  # every street of both districts has its five standard offices
    assert offices.groupby(["district", "street"]).ngroups == perf.groupby(["district", "street"]).ngroups
    assert (offices.groupby(["district", "street"])["standard_office"].nunique() == 5).all()
