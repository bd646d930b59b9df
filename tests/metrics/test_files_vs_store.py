"""FORMATS.md §5 "Files and the store agree": scoring workbooks (`metrics score FILE...`) gives exactly what
ingesting them in the order given and scoring the store gives, for any order and any split of rows over files."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.ingest import ingest_paths
from loaders.store import Store
from metrics.config import load_config
from metrics.evaluation import evaluate
from metrics.source import load_dataset

STREETS = ["玉林街道", "簇桥街道"]
PERIODS = ["2019Q1", "2019Q2"]
CODES = ["A1", "A2", "A3", "A4"]


def _write(path: Path, sheet: str, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _base(folder: Path) -> list[Path]:
    register = _write(
        folder / "名册.xlsx",
        "街道名册",
        [["区(市)县", "街道(镇)", "类型"], *(["武侯区", s, "城区街道"] for s in STREETS)],
    )
    functions = ["公共服务", "社区发展", "社区平安", "营商环境"]
    duty = _write(
        folder / "清单.xlsx",
        "职责任务清单",
        [["区(市)县：武侯区 年度：2019"], ["事项编号", "职能板块", "事项名称", "权重"]]
        + [[c, f, f"事项{c}", i + 1] for i, (c, f) in enumerate(zip(CODES, functions, strict=True))],
    )
    return [register, duty]


ROW = st.tuples(st.sampled_from(STREETS), st.sampled_from(PERIODS), st.sampled_from(CODES))


@st.composite
def submissions(draw):
    """Report rows (unique per street, period and code) spread over files, files in any order, one maybe twice."""
    keys = draw(st.lists(ROW, min_size=1, max_size=10, unique=True))
    n_files = draw(st.integers(1, 4))
    rows = [(*k, draw(st.sampled_from([0.3, 0.5, 85, "100%", 1.2])), draw(st.integers(0, n_files - 1))) for k in keys]
    order = draw(st.permutations(range(n_files)))
    twice = draw(st.one_of(st.none(), st.integers(0, n_files - 1)))
    return rows, list(order), twice


def _scores(ds) -> pd.DataFrame:
    scores = evaluate(ds, load_config()).scores
    return scores.sort_values(["district", "street", "period"]).reset_index(drop=True)


@pytest.mark.slow
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(submissions())
def test_scoring_files_equals_ingesting_them_and_scoring_the_store(case) -> None:
    rows, order, twice = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = _base(folder)
        files = []
        for f in order:
            mine = [[s, p, c, v] for s, p, c, v, i in rows if i == f]
            if mine:
                files.append(
                    _write(folder / f"r{f}.xlsx", "履职情况", [["街道", "报告期", "事项编号", "完成率"], *mine])
                )
        if twice is not None and files:
            files.append(shutil.copy(files[min(twice, len(files) - 1)], folder / "again.xlsx"))
        paths = [*base, *files]
        from_files = load_dataset([str(p) for p in paths], None, "refused")
        assert from_files is not None
        with Store(f"sqlite:///{folder / 'store.sqlite'}") as store:
            outcomes = ingest_paths(store, paths, workers=1)
            assert all(o.outcome != "refused" for o in outcomes)
            from_store = store.load_dataset()
        pd.testing.assert_frame_equal(_scores(from_files), _scores(from_store), check_dtype=False)
