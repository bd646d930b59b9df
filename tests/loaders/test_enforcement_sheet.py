"""The 执法情况 sheet (issue 15 point 3): read in its written forms, refused at the cell, and stored."""

from __future__ import annotations

import re

import pandas as pd
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import read_file
from loaders.store import Store
from loaders.store_schema import SCHEMA_VERSION, store_meta

CJK = re.compile(r"[\u4e00-\u9fff]")
FILE = "彭州市执法情况_2019Q2.xlsx"
TITLE = "区(市)县：彭州市    报告期：2019年第二季度"
HEADER = ["街道(镇)", "案件数", "按时办结数", "复议/诉讼纠错数", "联合执法次数", "执法人员数"]
ROWS = [["天彭街道", 52, 49, 1, 6, 14], ["白鹿镇", 18, 18, 0, 3, 6], ["军乐镇政府", 25, 22, 2, 2, 7]]


def book(xlsx, rows=ROWS, header=HEADER, name="执法情况"):
    """A district workbook: title row 1, title line 2, header 3, data from 4, a 合计 footer."""
    footer = ["合计", *(sum(r[k] for r in rows if isinstance(r[k], int)) for k in range(1, len(header)))]
    sheet = xlsx.Sheet(name, [["彭州市镇(街道)综合执法情况季度报表"], [TITLE], header, *rows, footer])
    return xlsx(FILE, sheet)


def located(parsed, cell: str, code: str):
    """The one error at 执法情况!cell, naming the file, in Chinese and English."""
    found = [f for f in parsed.findings if f.level == "error" and f.cell == cell]
    assert len(found) == 1, [f.text() for f in parsed.findings]
    f = found[0]
    assert f.code == code and f.sheet == "执法情况" and f"执法情况!{cell}" in f.location and FILE in f.location
    assert CJK.search(f.zh) and re.search(r"[a-z]{3}", f.en), f.text()
    return f


def test_a_district_workbook_is_read_with_the_register_s_names(xlsx, read_with_register) -> None:
    parsed = read_with_register(book(xlsx))
    assert parsed.ok, [f.text() for f in parsed.errors]
    enf = parsed.tables["enforcement"]
    assert enf["street"].tolist() == ["天彭街道", "白鹿镇", "军乐镇"]
    assert enf["district"].unique().tolist() == ["彭州市"] and enf["period"].unique().tolist() == ["2019Q2"]
    assert enf["cases"].tolist() == [52, 18, 25] and enf["corrections"].tolist() == [1, 0, 2]
    assert any(f.level == "skipped" for f in parsed.findings)  # the 合计 row


def test_short_headers_and_a_sheet_name_with_extra_words(xlsx, read_with_register) -> None:
    header = ["街道", "办案数", "按期办结数", "纠错数", "联合执法", "执法队员数"]
    parsed = read_with_register(book(xlsx, header=header, name="2019年二季度执法情况表"))
    assert parsed.ok and parsed.tables["enforcement"]["officers"].tolist() == [14, 6, 7]


def test_more_on_time_than_cases_is_an_error_at_the_cell(xlsx, read_with_register) -> None:
    rows = [ROWS[0], ["白鹿镇", 18, 19, 0, 3, 6], ["军乐镇", 25, 22, 26, 2, 7]]
    parsed = read_with_register(book(xlsx, rows))
    assert not parsed.ok
    f = located(parsed, "C5", "cases_on_time_over_cases")
    assert "按时办结数 19 大于案件数 18" in f.zh and "exceeds" in f.en
    located(parsed, "D6", "corrections_over_cases")


def test_fractions_negatives_and_text_are_errors_at_their_cells(xlsx, read_with_register) -> None:
    rows = [["天彭街道", 52.5, 49, 1, 6, 14], ["白鹿镇", 18, 18, -1, 3, 6], ["军乐镇", 25, 22, 2, "两次", 7]]
    parsed = read_with_register(book(xlsx, rows))
    assert not parsed.ok
    located(parsed, "B4", "bad_cases")
    located(parsed, "D5", "bad_corrections")
    located(parsed, "E6", "bad_joint_operations")


def test_a_street_twice_and_an_unknown_street_are_errors(xlsx, read_with_register) -> None:
    rows = [ROWS[0], ["天彭", 1, 1, 0, 0, 1], ["丹景山镇", 3, 3, 0, 0, 2]]
    parsed = read_with_register(book(xlsx, rows))
    assert not parsed.ok
    located(parsed, "A5", "duplicate_street")
    located(parsed, "A6", "unknown_street")


def test_the_street_column_is_required(xlsx, read_with_register) -> None:
    parsed = read_with_register(book(xlsx, [r[1:] for r in ROWS], HEADER[1:]))
    assert not parsed.ok and [f.code for f in parsed.errors] == ["missing_column"]
    assert "街道(镇)" in parsed.errors[0].zh and "street" in parsed.errors[0].en


def test_list_targets_are_read_as_percentages(xlsx, register) -> None:
    header = ["事项编号", "职能板块", "事项名称", "按时办结率目标", "纠错率上限"]
    rows = [["PZ-ZF01", "综合管理", "违法建设查处", "95%", 5], ["PZ-ZF02", "综合管理", "占道经营行为查处", None, None]]
    title = ["区(市)县：彭州市  年度：2019"]
    duty = xlsx.Sheet("职责任务清单", [title, ["事项编号", "职能板块", "事项名称"], ["PZ-1", "社区发展", "党建"]])
    enf = xlsx.Sheet("执法监管清单", [title, header, *rows])
    parsed = read_file(xlsx("彭州市清单2019.xlsx", duty, enf), register)
    assert parsed.ok, [f.text() for f in parsed.errors]
    items = parsed.tables["list_items"].set_index("item_code")
    assert items.loc["PZ-ZF01", "on_time_target"] == 0.95 and items.loc["PZ-ZF01", "correction_ceiling"] == 0.05
    assert pd.isna(items.loc["PZ-ZF02", "on_time_target"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    figures=st.lists(
        st.tuples(st.integers(0, 300), st.integers(0, 300), st.integers(0, 300), st.integers(0, 50)),
        min_size=3,
        max_size=3,
    )
)
def test_any_counts_read_back_or_are_refused_at_the_cell(xlsx, read_with_register, figures) -> None:
    rows = [
        [s, n, on, cor, ops, 5] for s, (n, on, cor, ops) in zip(("天彭街道", "白鹿镇", "军乐镇"), figures, strict=True)
    ]
    parsed = read_with_register(book(xlsx, rows))
    over = {f"C{4 + i}" for i, r in enumerate(rows) if r[2] > r[1]} | {
        f"D{4 + i}" for i, r in enumerate(rows) if r[3] > r[1]
    }
    assert {f.cell for f in parsed.errors} == over
    if not over:
        enf = parsed.tables["enforcement"]
        assert enf[["cases", "cases_on_time", "corrections", "joint_operations"]].to_numpy().tolist() == [
            list(map(float, r[1:5])) for r in rows
        ]


def test_a_version_3_store_is_upgraded_and_takes_enforcement(url: str, xlsx, read_with_register) -> None:
    parsed = read_with_register(book(xlsx))
    with Store(url) as store:
        before = store.fingerprint()
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # as version 3 left it: no enforcement table, no list targets
        conn.execute(sa.text("DROP TABLE enforcement"))
        for column in ("on_time_target", "correction_ceiling"):
            conn.execute(sa.text(f'ALTER TABLE list_items DROP COLUMN "{column}"'))
        conn.execute(store_meta.update().values(value="3"))
    engine.dispose()
    with Store(url) as store:
        assert store.fingerprint() == before
        store.ingest(parsed)
        assert store.load_dataset().enforcement["cases"].tolist() == [52, 18, 25]
        assert {"on_time_target", "correction_ceiling"} <= set(store.load_dataset().list_items.columns)
    with sa.create_engine(url).connect() as conn:
        version = conn.execute(sa.select(store_meta.c.value).where(store_meta.c.key == "schema_version")).scalar()
    assert version == str(SCHEMA_VERSION) == "6"
