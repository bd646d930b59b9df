"""The 机构设置 sheet (issue 15 point 4): read in its written forms, refused at the cell, stored and superseded."""

from __future__ import annotations

import re

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.store import Store
from loaders.store_schema import SCHEMA_VERSION, store_meta

CJK = re.compile(r"[\u4e00-\u9fff]")
FILE = "彭州市机构设置.xlsx"
TITLE = "区(市)县：彭州市    填报日期：2019年3月"
HEADER = ["街道(镇)", "科室名称", "科室类别", "编制人数", "在岗人数", "主要职能"]
ROWS = [
    ["天彭街道", "综合办公室", "基本科室", 8, 7, "文秘、财务"],
    ["天彭街道", "党群办公室", "基本科室", 6, 6, None],
    ["天彭街道", "社区发展办", None, 5, 5, None],
    ["天彭街道", "城乡治理办公室", "X", 4, 3, None],
    ["白鹿镇", "综合办公室", None, 6, 6, None],
    ["白鹿镇", "便民服务中心", "直属单位", 4, 4, None],
]


def book(xlsx, rows=ROWS, header=HEADER, name="机构设置", title=TITLE):
    """A district workbook: title row 1, title line 2, header 3, data from 4, a 合计 footer."""
    footer = ["合计", None, None, sum(r[3] for r in rows if isinstance(r[3], int))]
    sheet = xlsx.Sheet(name, [["彭州市镇(街道)机构设置情况表"], [title], header, *rows, footer])
    return xlsx(FILE, sheet)


def located(parsed, cell: str, code: str, level: str = "error"):
    """The one finding of `level` at 机构设置!cell, naming the file, in Chinese and English."""
    found = [f for f in parsed.findings if f.level == level and f.cell == cell]
    assert len(found) == 1, [f.text() for f in parsed.findings]
    f = found[0]
    assert f.code == code and f.sheet == "机构设置" and f"机构设置!{cell}" in f.location and FILE in f.location
    assert CJK.search(f.zh) and re.search(r"[a-z]{3}", f.en), f.text()
    return f


def test_a_district_workbook_is_read_with_categories_from_the_names(xlsx, read_with_register) -> None:
    parsed = read_with_register(book(xlsx))
    assert parsed.ok, [f.text() for f in parsed.errors]
    off = parsed.tables["offices"]
    assert off["district"].unique().tolist() == ["彭州市"]
    assert off["office"].tolist()[:3] == ["综合办公室", "党群办公室", "社区发展办"]
    assert off["standard_office"].tolist()[:3] == ["general", "party", "development"]
    assert off["category"].tolist() == ["standard", "standard", "standard", "x", "standard", "unit"]
    assert off["posts"].tolist() == [8, 6, 5, 4, 6, 4] and off["staff"].tolist() == [7, 6, 5, 3, 6, 4]
    assert off["duties"].tolist()[0] == "文秘、财务"
    assert any(f.level == "skipped" for f in parsed.findings)  # the 合计 row


def test_short_headers_a_district_column_and_a_sheet_name_with_extra_words(xlsx, read_with_register) -> None:
    header = ["区县", "街道", "科室", "类别", "编制数", "实有人数"]
    rows = [["彭州市", "天彭", "综合办", None, 8, 7], ["彭州市", "军乐镇政府", "乡村振兴办公室", "特色科室", 3, 3]]
    parsed = read_with_register(book(xlsx, rows, header, name="2019年镇街内设机构表", title=""))
    assert parsed.ok, [f.text() for f in parsed.errors]
    off = parsed.tables["offices"]
    assert off["street"].tolist() == ["天彭街道", "军乐镇"] and off["category"].tolist() == ["standard", "x"]


def test_an_office_twice_for_one_street_is_an_error_at_the_second(xlsx, read_with_register) -> None:
    rows = [*ROWS, ["天彭街道", "综合办", None, 2, 2, None]]  # 综合办 is 综合办公室
    parsed = read_with_register(book(xlsx, rows))
    assert not parsed.ok
    f = located(parsed, "B10", "duplicate_office")
    assert "A" not in f.cell and "B4" in f.zh


def test_an_unknown_street_an_empty_name_and_bad_counts_are_errors_at_their_cells(xlsx, read_with_register) -> None:
    rows = [
        ["天彭街道", "综合办公室", None, 8.5, 7, None],
        ["丹景山镇", "综合办公室", None, 6, 6, None],
        ["白鹿镇", None, None, 6, 6, None],
        ["白鹿镇", "党群办公室", None, 6, "六", None],
    ]
    parsed = read_with_register(book(xlsx, rows))
    assert not parsed.ok
    located(parsed, "D4", "bad_posts")
    located(parsed, "A5", "unknown_street")
    located(parsed, "B6", "empty_office")
    located(parsed, "E7", "bad_staff")


def test_a_category_the_name_contradicts_and_overstaffing_are_warnings(xlsx, read_with_register) -> None:
    rows = [["天彭街道", "综合办公室", "X", 8, 9, None], ["白鹿镇", "城乡治理办公室", "基本", 4, 4, None]]
    parsed = read_with_register(book(xlsx, rows))
    assert parsed.ok, [f.text() for f in parsed.errors]
    located(parsed, "C4", "category_by_name", "warning")
    located(parsed, "E4", "staff_over_posts", "warning")
    located(parsed, "C5", "category_by_name", "warning")
    assert parsed.tables["offices"]["category"].tolist() == ["standard", "x"]


def test_the_office_column_is_required(xlsx, read_with_register) -> None:
    parsed = read_with_register(book(xlsx, [[r[0], *r[2:]] for r in ROWS], [HEADER[0], *HEADER[2:]]))
    assert not parsed.ok and [f.code for f in parsed.errors] == ["missing_column"]
    assert "科室名称" in parsed.errors[0].zh and "office" in parsed.errors[0].en


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    staffing=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=3, max_size=3),
    names=st.permutations(["综合办公室", "党群办", "民生服务办公室", "乡村振兴办公室", "综合执法队"]),
)
def test_any_staffing_reads_back_and_overstaffing_is_warned_at_the_cell(
    xlsx, read_with_register, staffing, names
) -> None:
    rows = [["天彭街道", n, None, p, s, None] for n, (p, s) in zip(names, staffing, strict=False)]
    parsed = read_with_register(book(xlsx, rows))
    assert parsed.ok, [f.text() for f in parsed.errors]
    over = {f"E{4 + i}" for i, r in enumerate(rows) if r[4] > r[3]}
    assert {f.cell for f in parsed.findings if f.code == "staff_over_posts"} == over
    off = parsed.tables["offices"]
    assert off[["posts", "staff"]].to_numpy().tolist() == [[float(p), float(s)] for p, s in staffing]
    kinds = {"综合办公室": "standard", "党群办": "standard", "民生服务办公室": "standard", "综合执法队": "unit"}
    assert off["category"].tolist() == [kinds.get(r[1], "x") for r in rows]


def test_offices_are_stored_and_a_newer_sheet_replaces_the_district_s(url: str, xlsx, read_with_register) -> None:
    with Store(url) as store:
        store.ingest(read_with_register(book(xlsx)))
        assert len(store.load_dataset().offices) == 6
        newer = [["天彭街道", "综合办公室", None, 9, 9, None]]
        store.ingest(read_with_register(xlsx("彭州市机构设置2020.xlsx", *_sheets(xlsx, newer))))
        off = store.load_dataset().offices
        assert off["office"].tolist() == ["综合办公室"] and off["posts"].tolist() == [9]
        assert off["district"].tolist() == ["彭州市"] and off["street"].tolist() == ["天彭街道"]


def _sheets(xlsx, rows):
    return [xlsx.Sheet("机构设置", [["彭州市机构设置"], [TITLE], HEADER, *rows])]


def test_a_version_5_store_is_upgraded_and_takes_offices(url: str, xlsx, read_with_register) -> None:
    parsed = read_with_register(book(xlsx))
    with Store(url) as store:
        before = store.fingerprint()
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # as version 5 left it: no offices table, no 承办科室 of unlisted tasks
        conn.execute(sa.text("DROP TABLE offices"))
        conn.execute(sa.text('ALTER TABLE unlisted DROP COLUMN "office"'))
        conn.execute(store_meta.update().values(value="5"))
    engine.dispose()
    with Store(url) as store:
        assert store.fingerprint() == before
        store.ingest(parsed)
        assert store.load_dataset().offices["staff"].tolist() == [7, 6, 5, 3, 6, 4]
    with sa.create_engine(url).connect() as conn:
        version = conn.execute(sa.select(store_meta.c.value).where(store_meta.c.key == "schema_version")).scalar()
    assert version == str(SCHEMA_VERSION) == "6"
    upgraded = sa.create_engine(url)
    assert "office" in {c["name"] for c in sa.inspect(upgraded).get_columns("unlisted")}  # Store added it back
    upgraded.dispose()
