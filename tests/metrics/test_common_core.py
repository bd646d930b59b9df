"""The common-core view: a crosswalk kept as data, the §4 score on the core items, coverage and rank shifts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from metrics_test_data import dataset, item, one, row

from metrics.common_core import (
    CROSSWALK_COLUMNS,
    CrosswalkError,
    core_coverage,
    core_scores,
    load_crosswalk,
    seed_crosswalk,
)
from metrics.evaluation import evaluate
from metrics.score import score_streets
from metrics.views import comparison_views

D = "武侯区"


def crosswalk(*codes: str, district: str = D) -> pd.DataFrame:
    return pd.DataFrame(
        [{"common_code": f"C{c}", "common_name": c, "district": district, "item_code": c} for c in codes],
        columns=CROSSWALK_COLUMNS,
    ).astype("string")


def small():
    items = [item("A", weight=1), item("B", weight=1), item("C", weight=2)]
    perf = [row("A", completion=1.0), row("B", completion=0.5), row("C", completion=0.0)]
    return dataset(items, perf)


def test_the_core_score_is_the_section_4_score_on_the_core_items_alone() -> None:
    ds = small()
    core = one(core_scores(ds, crosswalk("A", "C")))
    # 100 · (1·1 + 2·0) / (1 + 2), by hand; the official score counts B too: 100 · (1 + 0.5 + 0) / 4
    assert core["overall_core"] == pytest.approx(100 / 3)
    assert one(score_streets(ds))["overall"] == pytest.approx(37.5)
    assert core["rank_city_core"] == 1


@settings(max_examples=10, deadline=None)
@given(st.lists(st.sampled_from(["0", "0.5", "1", "已完成", "进行中", None]), min_size=4, max_size=4))
def test_a_crosswalk_of_the_whole_list_gives_the_official_score(results) -> None:
    codes = ["A", "B", "C", "D"]
    items = [item(c, weight=i + 1) for i, c in enumerate(codes)]
    perf = []
    for code, value in zip(codes, results, strict=True):
        if value in ("已完成", "进行中"):
            perf.append(row(code, status=value))
        elif value is not None:
            perf.append(row(code, completion=float(value)))
    ds = dataset(items, perf or [row("A", status="进行中")])
    official, core = one(score_streets(ds)), one(core_scores(ds, crosswalk(*codes)))
    assert core["overall_core"] == pytest.approx(official["overall"])


def test_coverage_is_the_share_of_the_scored_list_weight_in_the_core() -> None:
    cov = core_coverage(small(), crosswalk("A", "C")).iloc[0]
    assert (cov["items"], cov["items_core"]) == (3, 2)
    assert cov["weight_share_core"] == pytest.approx(3 / 4)


def test_seeding_matches_names_found_in_every_district() -> None:
    items = pd.DataFrame(
        [
            {"district": "甲区", "item_code": "J1", "item_name": "社区党组织建设", "list_type": "duty"},
            {"district": "甲区", "item_code": "J2", "item_name": "只在甲区", "list_type": "duty"},
            {"district": "乙区", "item_code": "Y9", "item_name": "社区党组织建设", "list_type": "duty"},
            {"district": "乙区", "item_code": "S1", "item_name": "只在甲区", "list_type": "service"},
        ]
    )
    seeded = seed_crosswalk(items)
    assert seeded[["common_code", "district", "item_code"]].values.tolist() == [
        ["C001", "乙区", "Y9"],
        ["C001", "甲区", "J1"],
    ]


def test_a_bad_crosswalk_is_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "core.csv"
    path.write_text("common_code,common_name,district,item_code\nC1,甲,武侯区,A\nC2,乙,武侯区,A\n", encoding="utf-8")
    with pytest.raises(CrosswalkError, match="第 3 行") as err:
        load_crosswalk(path)
    assert "line 3" in err.value.en
    path.write_text("common_code,district\nC1,武侯区\n", encoding="utf-8")
    with pytest.raises(CrosswalkError, match="缺少列"):
        load_crosswalk(path)
    path.write_text("common_code,common_name,district,item_code\n,甲,武侯区,A\n", encoding="utf-8")
    with pytest.raises(CrosswalkError, match="第 2 行"):
        load_crosswalk(path)
    assert load_crosswalk(tmp_path / "absent.csv").empty


def test_views_shift_is_official_rank_minus_view_rank(tmp_path: Path, monkeypatch) -> None:
    items = [item("A", weight=1), item("B", weight=3)]
    perf = [row("A", street="甲街道", completion=1.0), row("B", street="甲街道", completion=0.2)]
    perf += [row("A", street="乙街道", completion=0.1), row("B", street="乙街道", completion=0.5)]
    ds = dataset(items, perf, streets=("甲街道", "乙街道"))
    path = tmp_path / "core.csv"
    crosswalk("A").to_csv(path, index=False)
    monkeypatch.setenv("STREETS_CROSSWALK", str(path))
    views = evaluate(ds).views.set_index("street")
    # official: 甲 100·(1 + 0.6)/4 = 40, 乙 100·(0.1 + 1.5)/4 = 40 … both 40: tie; core (A only): 甲 100, 乙 10
    assert views.loc["甲街道", "overall_core"] == pytest.approx(100.0)
    assert views.loc["乙街道", "overall_core"] == pytest.approx(10.0)
    assert views.loc["甲街道", "rank_city_core"] == 1 and views.loc["乙街道", "rank_city_core"] == 2
    assert (views["shift_core"] == views["rank_city"] - views["rank_city_core"]).all()


def test_the_views_frame_lists_every_officially_scored_street_quarter() -> None:
    ds = small()
    scores = evaluate(ds).scores
    views = comparison_views(scores, core_scores(ds, crosswalk("A")))
    assert len(views) == int(scores["overall"].notna().sum())


def test_editing_the_crosswalk_gives_new_results(tmp_path: Path, monkeypatch) -> None:
    from metrics.results import results_key

    path = tmp_path / "core.csv"
    crosswalk("A").to_csv(path, index=False)
    monkeypatch.setenv("STREETS_CROSSWALK", str(path))
    before = results_key("digest")
    crosswalk("A", "B").to_csv(path, index=False)
    assert results_key("digest") != before


def test_the_shipped_crosswalk_names_items_of_the_sample_lists() -> None:
    from loaders import read_files

    samples = sorted((Path(__file__).resolve().parents[2] / "data" / "samples").glob("10_清单_*.xlsx"))
    items = read_files(samples).dataset.list_items
    shipped = load_crosswalk()
    assert len(shipped) and shipped["common_code"].nunique() * items["district"].nunique() == len(shipped)
    known = set(zip(items["district"], items["item_code"], strict=True))
    assert set(zip(shipped["district"], shipped["item_code"], strict=True)) <= known
    names = dict(zip(zip(items["district"], items["item_code"], strict=True), items["item_name"], strict=True))
    for _, r in shipped.iterrows():  # each common item is the same duty in every district (reviewed: same name)
        assert names[(r["district"], r["item_code"])] == r["common_name"]
