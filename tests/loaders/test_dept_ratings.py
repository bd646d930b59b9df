"""Issue 15 point 1: the 部门评价 sheet (streets rate district departments on a stated 满分) and the 建议权 record."""

from __future__ import annotations

import re

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders import rating_values as rv
from loaders.store import Store
from loaders.store_schema import SCHEMA_VERSION, store_meta
from loaders.values import BadValue, parse_word
from loaders.vocab import vocabulary

CJK = re.compile(r"[\u4e00-\u9fff]")
FILE = "十陵街道_部门评价_2019Q2.xlsx"
TITLE = "填报单位：十陵街道    报告期：2019年第二季度"
HEADER = ["被评部门", "满分", "指导支持", "响应时效", "经费保障", "协同配合", "意见建议"]
GOOD = ["区民政局", 5, 4, 5, 3, 4, "希望提前通知"]


def ratings(xlsx, rows, header=HEADER, title=TITLE):
    """A workbook with one 部门评价 sheet: title row 1, title line 2, header 3, data from row 4."""
    return xlsx(FILE, xlsx.Sheet("部门评价", [["龙泉驿区街道评价部门情况表"], [title], header, *rows]))


def located(parsed, level: str, cell: str, sheet: str = "部门评价"):
    """The one finding of `level` at sheet!cell, in Chinese and English, naming the file."""
    found = [f for f in parsed.findings if f.level == level and f.sheet == sheet and f.cell == cell]
    assert len(found) == 1, [f.text() for f in parsed.findings if f.level in ("error", "warning")]
    f = found[0]
    assert f.file == parsed.name and f"{sheet}!{cell}" in f.location
    assert CJK.search(f.zh) and re.search(r"[a-z]{3}", f.en), f.text()
    return f


def test_ratings_are_read_with_their_scale_and_the_district_from_the_register(xlsx, read_with_register) -> None:
    rows = [GOOD, ["区城管局", "5分制", "3分", 2, None, 4, None]]
    parsed = read_with_register(ratings(xlsx, rows))
    assert parsed.ok, [f.text() for f in parsed.errors]
    df = parsed.tables["dept_ratings"]
    assert df["district"].unique().tolist() == ["龙泉驿区"] and df["period"].unique().tolist() == ["2019Q2"]
    assert df["scale"].tolist() == [5.0, 5.0] and df["guidance"].tolist() == [4.0, 3.0]
    assert pd.isna(df["funding"].iloc[1]) and df["comment"].iloc[0] == "希望提前通知"


def test_short_header_forms_and_a_street_column_are_accepted(xlsx, read_with_register) -> None:
    header = ["街道", "报告期", "部门", "分制", "业务指导", "响应速度", "经费支持", "协调配合", "建议"]
    rows = [["十陵街道", "2019Q3", "区住建局", "百分制", 80, 90, 60, 75, None]]
    parsed = read_with_register(xlsx("r.xlsx", xlsx.Sheet("街道评价部门", [header, *rows])))
    assert parsed.ok, [f.text() for f in parsed.errors]
    df = parsed.tables["dept_ratings"]
    assert df["scale"].iloc[0] == 100 and df["coordination"].iloc[0] == 75 and df["department"].iloc[0] == "区住建局"


def test_a_score_above_the_full_mark_is_refused_at_its_cell(xlsx, read_with_register) -> None:
    parsed = read_with_register(ratings(xlsx, [GOOD, ["区城管局", 5, 4, 6, 3, 4, None]]))
    assert not parsed.ok
    f = located(parsed, "error", "D5")
    assert "超过满分" in f.zh and "full mark" in f.en


def test_a_full_mark_that_is_not_5_10_or_100_is_refused_at_its_cell(xlsx, read_with_register) -> None:
    parsed = read_with_register(ratings(xlsx, [[GOOD[0], 7, *GOOD[2:]]]))
    assert not parsed.ok
    f = located(parsed, "error", "B4")
    assert "满分" in f.zh and "5, 10 or 100" in f.en


def test_a_negative_or_unreadable_score_is_refused_at_its_cell(xlsx, read_with_register) -> None:
    parsed = read_with_register(ratings(xlsx, [[*GOOD[:2], -1, *GOOD[3:]], [*GOOD[:4], "较好", *GOOD[5:]]]))
    assert not parsed.ok
    assert "负数" in located(parsed, "error", "C4").zh
    assert "较好" in located(parsed, "error", "E5").zh


def test_a_sheet_without_the_full_mark_is_refused_at_its_header(xlsx, read_with_register) -> None:
    header = [h for h in HEADER if h != "满分"]
    parsed = read_with_register(ratings(xlsx, [[GOOD[0], *GOOD[2:]]], header))
    assert not parsed.ok
    f = located(parsed, "error", "3")
    assert "满分" in f.zh and "scale" in f.en


def test_a_department_rated_twice_is_an_error_at_its_cell(xlsx, read_with_register) -> None:
    parsed = read_with_register(ratings(xlsx, [GOOD, GOOD]))
    assert not parsed.ok
    assert "重复" in located(parsed, "error", "A5").zh


def test_a_department_given_no_score_is_skipped_with_a_warning_at_its_cell(xlsx, read_with_register) -> None:
    parsed = read_with_register(ratings(xlsx, [GOOD, ["区城管局", 5, None, None, None, None, "无"]]))
    assert parsed.ok  # a template's department the street did not rate
    assert "没有任何一项评分" in located(parsed, "warning", "A5").zh
    assert parsed.tables["dept_ratings"]["department"].tolist() == ["区民政局"] and parsed.rows_skipped == 1


def test_the_advice_record_is_read_and_an_unknown_answer_is_refused_at_its_cell(xlsx, read_with_register) -> None:
    header = ["街道", "重大规划/决策", "征求意见日期", "街道意见", "是否采纳"]
    rows = [
        ["十陵街道", "龙泉驿区国土空间规划（2020—2035）", "2019-05-06", "增加社区养老用地", "部分采纳"],
        ["十陵街道", "老旧小区改造计划", "2019年8月2日", "优先改造无物业小区", "已采纳"],
    ]
    good = read_with_register(xlsx("a.xlsx", xlsx.Sheet("建议权", [["街道建议权行使情况"], header, *rows])))
    assert good.ok, [f.text() for f in good.errors]
    df = good.tables["advice"]
    assert df["adopted"].tolist() == ["部分采纳", "采纳"] and df["district"].unique().tolist() == ["龙泉驿区"]
    assert df["consulted_date"].iloc[1] == pd.Timestamp(2019, 8, 2)
    bad = read_with_register(xlsx("b.xlsx", xlsx.Sheet("建议权", [header, [*rows[0][:4], "再议"]])))
    assert not bad.ok
    assert "再议" in located(bad, "error", "E2", "建议权").zh


# ---- the parsers, as properties

SCALE_FORMS = st.sampled_from(["{}", "{}分", "{}分制", " {} 分 "])


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(rv.SCALES), st.floats(0, 1), SCALE_FORMS)
def test_a_score_within_the_scale_reads_in_every_written_form(scale: float, share: float, form: str) -> None:
    score = round(scale * share, 1)
    assert rv.parse_score(form.format(score)) == score
    assert rv.parse_scale(form.format(int(scale))) == scale


@settings(max_examples=60, deadline=None)
@given(st.floats(-1000, 1000, allow_nan=False).filter(lambda x: x not in rv.SCALES))
def test_only_5_10_and_100_are_full_marks(x: float) -> None:
    with pytest.raises(BadValue):
        rv.parse_scale(x)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(sorted(vocabulary("adopted"))), st.sampled_from(["", " ", "\u200b"]))
def test_every_adoption_word_reads_as_one_of_three_answers(word: str, pad: str) -> None:
    assert parse_word("adopted", pad + word + pad) in {"采纳", "部分采纳", "未采纳"}


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(rv.SCALES), st.floats(0, 2)), min_size=1, max_size=6))
def test_exactly_the_scores_above_their_full_mark_are_flagged(rows: list[tuple[float, float]]) -> None:
    cols = {
        "scale": [m for m, _ in rows],
        "guidance": [round(m * s, 2) for m, s in rows],
        "department": ["d"] * len(rows),
    }
    flagged: list[str] = []
    empty = rv.check_scores(cols, lambda code, *_: flagged.append(code), lambda k, index: [f"{k}{i}" for i in index])
    over = sum(g > m for g, m in zip(cols["guidance"], cols["scale"], strict=True))
    assert flagged.count("score_over_scale") == over and empty == []


# ---- the store


def test_a_version_3_store_is_upgraded_to_the_rating_tables(url: str, xlsx, read_with_register) -> None:
    with Store(url) as store:
        pass
    with sa.create_engine(url).begin() as conn:  # as version 3 left it: no rating or advice tables
        for name in ("dept_ratings", "advice"):
            conn.execute(sa.text(f"DROP TABLE {name}"))
        conn.execute(store_meta.update().values(value="3"))
    with Store(url) as store:
        store.ingest(read_with_register(ratings(xlsx, [GOOD])), user="t")
        got = store.load_dataset().dept_ratings
    assert got["department"].tolist() == ["区民政局"] and got["scale"].tolist() == [5.0]
    with sa.create_engine(url).connect() as conn:
        assert {"dept_ratings", "advice"} <= set(sa.inspect(conn).get_table_names())
        assert conn.execute(sa.select(store_meta.c.value)).scalar() == str(SCHEMA_VERSION) == "6"
