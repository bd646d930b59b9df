"""The templates' 部门评价 sheet (issue 15, 考核权): only for districts whose streets rate departments; filled, it
reads back with the scores and nothing else but a warning per department left unrated."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from test_template import fill

from loaders import read_files
from loaders.store import Store
from loaders.template import make_templates, template_bytes

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
PERIOD = "2021Q1"
LQ = "龙泉驿区"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The sample register, lists and 龙泉驿区's department ratings (no reports)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('tplr') / 's.sqlite'}"
    s = Store(url)
    files = [
        SAMPLES / "00_街道名册.xlsx",
        *sorted(SAMPLES.glob("10_清单_*.xlsx")),
        *sorted(SAMPLES.glob("30_部门评价_*")),
    ]
    for parsed in read_files([str(f) for f in files]).files:
        assert s.ingest(parsed, user="test").outcome == "ingested"
    return s


def test_only_a_rating_district_gets_the_sheet_with_its_departments_and_scale(store: Store) -> None:
    ds = store.load_dataset()
    rated = sorted(ds.dept_ratings.loc[ds.dept_ratings["district"].eq(LQ), "department"].unique())
    _name, data = template_bytes(ds, LQ, PERIOD)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["部门评价"]
    header = [c.value for c in ws[3]]
    assert header[:3] == ["街道(镇)", "被评部门", "满分"] and "指导支持" in header and "意见建议" in header
    streets = {r[0] for r in ws.iter_rows(min_row=4, values_only=True)}
    assert len(streets) == len(ds.register[ds.register["district"].eq(LQ)])
    first = [r[1] for r in ws.iter_rows(min_row=4, values_only=True) if r[0] == ws.cell(4, 1).value]
    assert first == rated and {r[2] for r in ws.iter_rows(min_row=4, values_only=True)} == {100}  # 2020: 百分制
    _, other = template_bytes(ds, "武侯区", PERIOD)
    assert "部门评价" not in openpyxl.load_workbook(io.BytesIO(other)).sheetnames


def test_a_filled_template_reads_back_the_scores_and_skips_the_unrated(store: Store, tmp_path: Path) -> None:
    ds = store.load_dataset()
    path = make_templates(ds, LQ, PERIOD, tmp_path, street="龙泉街道")[0]
    filled = fill(path, tmp_path / "filled.xlsx")
    wb = openpyxl.load_workbook(filled)
    ws = wb["部门评价"]
    head = {c.value: c.column for c in ws[3]}
    for r, score in ((4, 88), (5, 61.5)):
        for h in ("指导支持", "响应时效", "经费保障", "协同配合"):
            ws.cell(r, head[h]).value = score
    ws.cell(4, head["意见建议"]).value = "对接及时"
    wb.save(filled)
    result = read_files([str(filled)], register=store.load_register(), lists=store.list_index())
    parsed = result.files[0]
    assert parsed.ok, [f.text() for f in parsed.errors]
    other = [f for f in parsed.findings if f.level in ("error", "warning") and f.code != "no_score"]
    assert other == [], [f.text() for f in other]
    n_rows = sum(1 for r in ws.iter_rows(min_row=4, values_only=True) if r[1])
    assert sum(f.code == "no_score" for f in parsed.findings) == n_rows - 2
    got = parsed.tables["dept_ratings"]
    assert got["guidance"].tolist() == [88.0, 61.5] and set(got["scale"]) == {100.0}
    assert set(got["street"]) == {"龙泉街道"} and set(got["period"]) == {PERIOD}
