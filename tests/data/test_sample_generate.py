"""The sample generator: deterministic files, the facts of the seed, and workbooks the loaders accept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import python_calamine as pc
from hypothesis import given
from hypothesis import strategies as st

from data import pilots
from data.generate import LATE_REPORT, build_lists, simulate_district, write_samples
from data.layouts import date_value, pct_value, period_text, yes_no
from data.world import PERIODS, rng_for
from data.xlsx import Styled
from loaders import read_files
from loaders.values import parse_date, parse_percent, parse_period, parse_yesno

ECONOMIC = {"investment_attraction", "tax_assistance", "economic_development"}
ECONOMIC_WORDS = ("招商", "引资", "协税", "护税", "税收任务")


def _included(items: list) -> list:
    return [it for it in items if it.function not in ECONOMIC and not any(w in it.name for w in ECONOMIC_WORDS)]


@pytest.fixture(scope="module")
def pengzhou(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, str]]:
    return write_samples(tmp_path_factory.mktemp("pz"), only=("彭州市",))


def test_same_seed_gives_byte_identical_files(pengzhou: list[tuple[Path, str]], tmp_path: Path) -> None:
    again = write_samples(tmp_path, only=("彭州市",))
    assert [p.name for p, _ in again] == [p.name for p, _ in pengzhou]
    for (a, _), (b, _) in zip(pengzhou, again, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_another_seed_gives_other_figures(tmp_path: Path) -> None:
    district = pilots.districts()[3]
    a = simulate_district(1, district, build_lists(1, district))["2019Q1"]["perf"]
    b = simulate_district(2, district, build_lists(2, district))["2019Q1"]["perf"]
    assert not a["completion"].equals(b["completion"])


def test_lists_follow_the_seed_counts() -> None:
    counts = {"武侯区": 144, "龙泉驿区": 114, "邛崃市": 107, "彭州市": 117}
    for district in pilots.districts():
        lists = build_lists(pilots.SEED, district)
        duty19, duty20 = lists[2019]["duty"], lists[2020]["duty"]
        assert len(_included(duty19)) == counts[district.name]
        for items in (duty19, duty20):
            assert len({it.code for it in items}) == len(items)
            assert all(it.weight > 0 for it in items)
            assert any(it.function == "business_environment" for it in items)
        assert not [it for it in duty20 if it not in _included(duty20)], "2020 lists carry no economic items"
        codes19, codes20 = {it.code for it in duty19}, {it.code for it in duty20}
        assert codes20 - codes19 and codes19 - codes20, "the yearly adjustment adds and drops items"
        moved = [c for c in codes19 & codes20 if _by_code(duty19)[c].function != _by_code(duty20)[c].function]
        assert 1 <= len(moved) <= 2
    longquanyi = build_lists(pilots.SEED, pilots.districts()[1])[2019]["duty"]
    assert len({it.major for it in longquanyi}) == 21
    delegated = [it for it in longquanyi if it.delegated]
    assert len(delegated) == 63
    assert len({it.source_department for it in delegated}) == 13


def _by_code(items: list) -> dict:
    return {it.code: it for it in items}


def test_some_2019_lists_keep_economic_items_and_business_environment_stays() -> None:
    lists = {d.name: build_lists(pilots.SEED, d) for d in pilots.districts()}
    with_economic = [n for n, ls in lists.items() if len(_included(ls[2019]["duty"])) < len(ls[2019]["duty"])]
    assert len(with_economic) >= 2
    names = {it.name for ls in lists.values() for it in ls[2019]["duty"]}
    assert "减税降费政策宣传" in names


def test_improving_and_declining_streets() -> None:
    trends = {}
    for district in pilots.districts():
        sims = simulate_district(pilots.SEED, district, build_lists(pilots.SEED, district))
        means = pd.DataFrame({p: sims[p]["perf"].groupby("street")["completion"].mean().clip(upper=1) for p in PERIODS})
        trends.update((means[PERIODS[-1]] - means[PERIODS[0]]).to_dict())
    assert trends[pilots.IMPROVING] == max(trends.values()) > 0.15
    assert trends[pilots.DECLINING] == min(trends.values()) < -0.1


def test_register_holds_the_pilot_streets(pengzhou: list[tuple[Path, str]]) -> None:
    register = next(p for p, kind in pengzhou if kind == "register")
    rows = pc.CalamineWorkbook.from_path(register).get_sheet_by_name("街道名册").to_python()
    header = next(k for k, r in enumerate(rows) if "街道(镇)" in r)
    table = pd.DataFrame([r for r in rows[header + 1 :] if isinstance(r[0], float)], columns=rows[header])
    assert len(table) == 40
    assert (table["区(市)县"] == "武侯区").sum() == 13
    pz = table[table["区(市)县"] == "彭州市"]
    assert set(pz["街道(镇)"]) == {"天彭街道", "军乐镇", "白鹿镇", "丹景山镇", "三界镇"}
    assert set(pz["试点"]) == {"是"}
    assert "十陵街道" in set(table["街道(镇)"])
    assert table["街道(镇)"].is_unique


def test_every_workbook_is_marked_synthetic_and_has_a_report_sheet(pengzhou: list[tuple[Path, str]]) -> None:
    for path, kind in pengzhou:
        book = pc.CalamineWorkbook.from_path(path)
        for name in book.sheet_names:
            cells = [str(c) for row in book.get_sheet_by_name(name).to_python() for c in row]
            assert any("Synthetic" in c for c in cells) or kind == "register", (path.name, name)
        if path.name.startswith("20_"):
            assert any("履职情况" in n for n in book.sheet_names)


def test_loaders_read_the_samples_without_errors(pengzhou: list[tuple[Path, str]]) -> None:
    result = read_files([p for p, _ in pengzhou])
    assert result.ok, [f for f in result.findings if f.level == "error"][:5]
    district = pilots.districts()[3]
    sims = simulate_district(pilots.SEED, district, build_lists(pilots.SEED, district))
    late = LATE_REPORT[1] if LATE_REPORT[0] == district.name else None  # 未报送: no workbook for that quarter
    frames = [(p, sims[p]["perf"]) for p in PERIODS]
    expected = sum(len(f) for p, f in frames if p != LATE_REPORT[2]) + sum(
        int((f["street"] != late).sum()) for p, f in frames if p == LATE_REPORT[2]
    )
    assert len(result.dataset.performance) == expected
    assert set(result.dataset.performance["period"]) == set(PERIODS)


def _plain(value: object) -> object:
    return value.value if isinstance(value, Styled) else value


@given(st.floats(0, 1.15), st.sampled_from(["text", "number", "fraction", "fullwidth", "formatted", "mixed"]))
def test_percent_spellings_read_back(c: float, form: str) -> None:
    value = _plain(pct_value(c, form, rng_for(0, c)))
    assert parse_percent(value) == pytest.approx(c, abs=0.0006)


@given(st.sampled_from(PERIODS), st.sampled_from(["q", "dash", "cn", "cn_short", "month"]))
def test_period_spellings_read_back(period: str, form: str) -> None:
    assert parse_period(period_text(period, form)) == period


@given(st.booleans(), st.sampled_from(["shi", "check", "yn"]))
def test_yes_no_spellings_read_back(value: bool, form: str) -> None:
    assert parse_yesno(yes_no(value, form)) is value


@given(st.dates(dt.date(2019, 1, 1), dt.date(2020, 12, 31)), st.sampled_from(["excel", "iso", "slash", "cn"]))
def test_date_spellings_read_back(day: dt.date, form: str) -> None:
    value = _plain(date_value(pd.Timestamp(day), form, rng_for(0)))
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    assert parse_date(value).date() == day


def test_samples_show_every_section_6_rule(pengzhou: list[tuple[Path, str]]) -> None:
    # 反向 items and 涉农-only items on the list, context columns in the register, and one 未报送 street
    from metrics import evaluate

    ds = read_files([p for p, _ in pengzhou]).dataset
    duty = ds.list_items.loc[ds.list_items["list_type"].eq("duty").to_numpy(dtype=bool)]
    assert duty["direction"].eq("反向").sum() == 4  # two per year
    assert duty["applies_to"].eq("涉农街道、镇").any()
    assert ds.register[["area", "communities", "agri_share", "firms"]].notna().all().all()
    ev = evaluate(ds)
    late = ev.scores.loc[~ev.scores["submitted"].to_numpy(dtype=bool)]
    assert list(zip(late["district"], late["street"], late["period"], strict=True)) == [LATE_REPORT]
    assert late["overall"].isna().all() and late["grade"].isna().all()


def test_peers_on_the_samples_are_not_district_copies() -> None:
    # before the register context replaced items_listed, 53 % of all peers (武侯区: 95 %) were own-district streets
    from data.generate import SAMPLES
    from metrics import evaluate
    from metrics.peers import nearest_peers, own_district_share

    ds = read_files(sorted(str(p) for p in SAMPLES.glob("*.xlsx"))).dataset
    share = own_district_share(nearest_peers(evaluate(ds), ds.register)).set_index("district")["own_share"]
    assert share["全市"] < 0.45 and share["武侯区"] < 0.75
