"""机构设置 and the 5+X model (issue 15 point 4): offices' workload by 责任科室, unmatched items, the verdict."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.schema import OFFICES
from metrics.config import ConfigError, load_config, parse_config
from metrics.evaluation import evaluate
from metrics.offices import MODEL_COLUMNS, OFFICE_COLUMNS, UNMATCHED_COLUMNS, district_compliance, office_frames
from tests.metrics.metrics_test_data import D, dataset, item

FIVE = {"综合办公室": "general", "党群办公室": "party", "社区发展办公室": "development"}
FIVE |= {"社区治理办公室": "governance", "民生服务办公室": "livelihood"}


def offices(street: str, names: list[str], staff: int = 5) -> list[dict]:
    """Office rows of one street, categories as the loader derives them."""
    rows = []
    for n in names:
        key = FIVE.get(n)
        category = "standard" if key else "unit" if n == "便民服务中心" else "x"
        rows.append(
            {"street": street, "office": n, "category": category, "standard_office": key, "posts": 6, "staff": staff}
        )
    return rows


def with_offices(ds, rows):
    return replace(ds, offices=OFFICES.conform(pd.DataFrame([{"district": D, **r} for r in rows])))


def _ds(items, rows, streets=("玉林街道", "簇桥街道"), unlisted=()):
    return with_offices(dataset(items=items, streets=streets, unlisted=unlisted), rows)


ITEMS = [
    item("A1", office="综合办公室", weight=2),
    item("A2", office="综合办", weight=3),  # a short form of the same office
    item("A3", office="乡村振兴办"),  # the X office written 办 for 办公室
    item("A4", office="城市管理科"),  # no street has it
    item("A5"),  # no 责任科室
    item("A6", office="民生服务办公室", applies_to="涉农街道、镇"),  # not for an urban street
]


def test_workload_per_office_matches_short_forms_and_flags_the_rest() -> None:
    rows = offices("玉林街道", [*FIVE, "乡村振兴办公室", "便民服务中心"])
    off, flagged, model = office_frames(_ds(ITEMS, rows, streets=("玉林街道",)), load_config())
    assert list(off.columns) == OFFICE_COLUMNS and list(flagged.columns) == UNMATCHED_COLUMNS
    by = off.set_index("office")
    assert by.loc["综合办公室", "items"] == 2 and by.loc["综合办公室", "item_weight"] == 5.0
    assert by.loc["乡村振兴办公室", "items"] == 1 and by.loc["民生服务办公室", "items"] == 0
    assert by["list_year"].eq(2019).all()
    assert flagged["item_code"].tolist() == ["A4", "A5"]
    assert flagged["office_reason"].tolist() == ["no_office", "empty"]
    assert flagged["office_named"].tolist()[0] == "城市管理科" and pd.isna(flagged["office_named"].iloc[1])
    row = model.set_index("street").loc["玉林街道"]
    assert list(model.columns) == MODEL_COLUMNS
    assert (row["items"], row["items_unmatched"], row["x_offices"], row["units"]) == (5, 2, 1, 1)
    assert row["office_verdict"] == "follows" and row["follows_5x"]


def test_verdicts_missing_standard_too_many_x_and_not_reported() -> None:
    rows = offices("玉林街道", ["综合办公室", "党群办公室", "社区发展办公室", "社区治理办公室"])
    rows += offices("簇桥街道", [*FIVE, "甲办公室", "乙办公室", "丙办公室", "丁办公室"])
    ds = _ds([item("A1", office="综合办公室")], rows, streets=("玉林街道", "簇桥街道", "石羊街道"))
    model = office_frames(ds, load_config())[2].set_index("street")
    assert model.loc["玉林街道", "office_verdict"] == "missing_standard"
    assert model.loc["玉林街道", "standard_missing"] == "livelihood"
    assert model.loc["簇桥街道", "office_verdict"] == "too_many_x" and model.loc["簇桥街道", "x_offices"] == 4
    assert model.loc["石羊街道", "office_verdict"] == "not_reported" and model.loc["石羊街道", "items"] == 0
    summary = district_compliance(model.reset_index()).iloc[0]
    assert (summary["streets"], summary["reported"], summary["follows"]) == (3, 2, 0)
    assert summary["not_following"] == "玉林街道、簇桥街道"


def test_the_x_range_comes_from_the_rules() -> None:
    rows = offices("玉林街道", [*FIVE, "甲办公室", "乙办公室", "丙办公室", "丁办公室"])
    ds = _ds([], rows, streets=("玉林街道",))
    cfg = replace(load_config(), office_x=(0, 4))
    assert office_frames(ds, cfg)[2]["office_verdict"].tolist() == ["follows"]
    cfg = replace(load_config(), office_x=(5, 6))
    assert office_frames(ds, cfg)[2]["office_verdict"].tolist() == ["too_few_x"]


@pytest.mark.parametrize("section", [{"x_min": 4, "x_max": 2}, {"x_max": -1}, {"x_min": 1.5}, {"x_mx": 2}])
def test_a_bad_offices_section_is_refused(section) -> None:
    import tomllib

    from metrics.config import DEFAULT_RULES

    raw = tomllib.loads(DEFAULT_RULES.read_text(encoding="utf-8")) | {"offices": section}
    with pytest.raises(ConfigError) as refused:
        parse_config(raw)
    assert "[offices]" in str(refused.value)


def test_unlisted_tasks_land_on_the_office_they_name_else_unassigned() -> None:
    rows = offices("玉林街道", list(FIVE))
    tasks = [
        {"street": "玉林街道", "period": "2019Q2", "office": "民生办"},
        {"street": "玉林街道", "period": "2019Q3", "office": "民生服务办公室"},
        {"street": "玉林街道", "period": "2019Q3", "office": "城市管理科"},
        {"street": "玉林街道", "period": "2019Q3"},
        {"street": "玉林街道", "period": "2018Q4", "office": "民生办"},  # not the list's year
    ]
    off, _, model = office_frames(_ds([item("A1")], rows, streets=("玉林街道",), unlisted=tasks), load_config())
    assert off.set_index("office").loc["民生服务办公室", "unlisted_tasks"] == 2
    assert model.iloc[0]["unlisted_tasks"] == 4 and model.iloc[0]["unlisted_unassigned"] == 2


def test_no_offices_sheet_gives_empty_frames_and_the_evaluation_carries_them() -> None:
    ds = dataset(items=[item("A1")], perf=[{"street": "玉林街道", "period": "2019Q2", "item_code": "A1"}])
    ev = evaluate(ds)
    assert ev.offices.empty and ev.office_items.empty and ev.office_model.empty
    ev = evaluate(with_offices(ds, offices("玉林街道", list(FIVE))))
    assert len(ev.offices) == 5 and ev.office_model["district"].tolist() == [D]
    assert "district" in ev.office_items.columns


@settings(max_examples=30, deadline=None)
@given(
    named=st.lists(st.sampled_from([*FIVE, "综合办", "乡村振兴办公室", "城市管理科", None]), min_size=1, max_size=12),
    present=st.sets(st.sampled_from([*FIVE, "乡村振兴办公室"]), min_size=1),
)
def test_every_item_is_carried_by_one_office_or_flagged(named, present) -> None:
    items = [item(f"A{k}", office=o) for k, o in enumerate(named)]
    off, flagged, model = office_frames(_ds(items, offices("玉林街道", sorted(present)), ("玉林街道",)), load_config())
    assert off["items"].sum() + len(flagged) == len(items) == model.iloc[0]["items"]
    missing = set(FIVE) - present
    assert (model.iloc[0]["office_verdict"] == "missing_standard") == bool(missing)
