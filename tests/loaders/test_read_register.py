"""merge_register: the register an ingest resolves names against, merged in plain Python."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders import schema
from loaders.parse import prepared_frame
from loaders.read import merge_register, register_table

DISTRICTS = ["武侯区", "龙泉驿区", "邛崃市"]
STREETS = ["玉林街道", "簇桥街道", "十陵街道", "临邛街道"]

rows = st.lists(
    st.tuples(
        st.sampled_from(DISTRICTS),
        st.sampled_from(STREETS),
        st.sampled_from(["城区街道", "涉农街道", "镇", None]),
        st.one_of(st.none(), st.integers(1, 200_000)),
        st.one_of(st.none(), st.booleans()),
        st.one_of(st.none(), st.floats(0.5, 500)),  # 面积 and the other optional context columns
        st.one_of(st.none(), st.integers(1, 40)),
        st.one_of(st.none(), st.floats(0, 1)),
        st.one_of(st.none(), st.integers(0, 90_000)),
    ),
    max_size=8,
)


def frame(table: list[tuple]) -> pd.DataFrame:
    """Rows of the register's first len(row) columns; the optional context columns left out are empty."""
    width = len(table[0]) if table else len(schema.REGISTER.columns)
    return schema.REGISTER.conform(pd.DataFrame(table, columns=schema.REGISTER.columns[:width], dtype=object))


def by_pandas(base: pd.DataFrame, newer: list[pd.DataFrame]) -> pd.DataFrame:
    """The rule as a frame operation: each district given anew replaces the base's rows; a repeated
    street keeps its last row."""
    given = [f for f in newer if not f.empty]
    if not given:
        return base
    new = pd.concat(given, ignore_index=True).drop_duplicates(["district", "street"], keep="last")
    keep = base[~base["district"].isin(set(new["district"]))]
    return schema.REGISTER.conform(pd.concat([keep, new], ignore_index=True))


@settings(deadline=None)
@given(rows, st.lists(rows, max_size=3))
def test_merge_is_the_frame_rule(base: list[tuple], newer: list[list[tuple]]) -> None:
    merged = merge_register(register_table(frame(base)), [register_table(frame(n)) for n in newer])
    expected = by_pandas(frame(base), [frame(n) for n in newer])
    pd.testing.assert_frame_equal(prepared_frame(merged), expected.reset_index(drop=True), check_index_type=False)


def test_a_district_given_anew_replaces_only_its_own_streets() -> None:
    base = frame([("武侯区", "玉林街道", "城区街道", 1, True), ("龙泉驿区", "十陵街道", "涉农街道", 2, None)])
    newer = frame([("武侯区", "簇桥街道", "城区街道", 3, False)])
    merged = prepared_frame(merge_register(register_table(base), [register_table(newer)]))
    assert list(zip(merged["district"], merged["street"], strict=True)) == [
        ("龙泉驿区", "十陵街道"),
        ("武侯区", "簇桥街道"),
    ]
