"""Invariants of the core score, checked on generated datasets (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from metrics_test_data import SCORE_COLS, dataset, same_scores

from loaders.schema import LIST_ITEMS, PERFORMANCE, Dataset
from metrics import item_detail, load_config, score_streets
from metrics.completion import completion_used
from metrics.config import FUNCTIONS

STREETS = ["玉林街道", "簇桥街道", "华兴街道"]
PERIODS = ["2019Q1", "2019Q2", "2020Q1"]
NAMES = ["社区治理", "优化营商环境", "减税降费政策宣传", "经济普查", "便民服务", "安全生产检查"]
STATUSES = [None, "已完成", "进行中", "未开始", "未完成"]
ECONOMIC_FUNCTIONS = ["investment_attraction", "tax_assistance", "economic_development"]
KEYWORDS = ["招商引资", "招商", "引资", "协税护税", "协税", "护税", "税收任务"]
TABLES = ("register", "list_items", "performance", "service", "unlisted")
SETTINGS = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])

amount = st.one_of(st.none(), st.floats(0, 500, allow_nan=False).map(lambda x: round(x, 2)))


@st.composite
def report_value(draw) -> dict:
    return {
        "target": draw(amount),
        "actual": draw(amount),
        "completion": draw(st.one_of(st.none(), st.floats(0, 1.6, allow_nan=False))),
        "status": draw(st.sampled_from(STATUSES)),
        "on_time": draw(st.one_of(st.none(), st.booleans())),
    }


@st.composite
def datasets(draw) -> Dataset:
    streets = draw(st.lists(st.sampled_from(STREETS), min_size=1, max_size=3, unique=True))
    n_items = draw(st.integers(1, 7))
    years = draw(st.sampled_from([[2019], [2019, 2020], [2020]]))
    items = [
        {
            "year": y,
            "item_code": f"A{i}",
            "function": draw(st.sampled_from(FUNCTIONS)),
            "item_name": draw(st.sampled_from(NAMES)),
            "weight": draw(st.sampled_from([None, 0.5, 1.0, 2.0, 3.0])),
        }
        for y in years
        for i in range(n_items)
    ]
    perf = []
    for s in streets:
        for p in draw(st.lists(st.sampled_from(PERIODS), min_size=1, max_size=3, unique=True)):
            for i in range(n_items + 2):  # A{n}, A{n+1} are off-list codes
                if draw(st.booleans()):
                    name = draw(st.sampled_from(NAMES))
                    perf.append(
                        {"street": s, "period": p, "item_code": f"A{i}", "item_name": name, **draw(report_value())}
                    )
    tasks = [
        {"street": s, "period": p}
        for s, p in draw(st.lists(st.tuples(st.sampled_from(streets), st.sampled_from(PERIODS)), max_size=4))
    ]
    return dataset(items, perf, streets=streets, unlisted=tasks)


def _with(ds: Dataset, **tables: pd.DataFrame) -> Dataset:
    return Dataset(
        **{
            name: tables.get(name, ds.table(name))
            for name in ("register", "list_items", "performance", "service", "unlisted")
        }
    )


@SETTINGS
@given(datasets())
def test_every_score_within_0_and_100(ds):
    scores = score_streets(ds)
    values = scores[SCORE_COLS].to_numpy(dtype="float64")
    assert np.all(np.isnan(values) | ((values >= 0) & (values <= 100)))
    assert (scores["items_missing"] >= 0).all()
    assert (scores["items_listed"] == scores["items_reported"] + scores["items_missing"]).all()


@SETTINGS
@given(datasets(), st.data())
def test_adding_economic_items_changes_no_score(ds, data):
    before = score_streets(ds)
    years = sorted(set(ds.list_items["year"].dropna().astype(int)))
    extra_items, extra_perf = [], []
    for k in range(data.draw(st.integers(1, 4))):
        code = f"E{k}"
        by_category = data.draw(st.booleans())
        function = (
            data.draw(st.sampled_from(ECONOMIC_FUNCTIONS)) if by_category else data.draw(st.sampled_from(FUNCTIONS))
        )
        name = f"推进{data.draw(st.sampled_from(KEYWORDS))}工作" if not by_category else "街道经济工作"
        on_list = data.draw(st.booleans())
        if on_list:
            base = {"district": "武侯区", "list_type": "duty", "item_code": code, "function": function}
            extra_items += [base | {"year": y, "item_name": name} for y in years]
        keys = ds.performance[["street", "period"]].drop_duplicates()
        if len(keys) and data.draw(st.booleans()):
            s, p = keys.iloc[data.draw(st.integers(0, len(keys) - 1))]
            # a report row whose code is not on the list in force is judged by its name: give it a keyword
            report_name = f"{data.draw(st.sampled_from(KEYWORDS))}任务"
            where = {"district": "武侯区", "street": s, "period": p, "item_code": code}
            extra_perf.append(where | {"item_name": report_name, **data.draw(report_value())})
    lists = pd.concat([ds.list_items, pd.DataFrame(extra_items)], ignore_index=True) if extra_items else ds.list_items
    perf = pd.concat([ds.performance, pd.DataFrame(extra_perf)], ignore_index=True) if extra_perf else ds.performance
    after = score_streets(_with(ds, list_items=LIST_ITEMS.conform(lists), performance=PERFORMANCE.conform(perf)))
    assert same_scores(before, after)
    assert (after["removed_indicators"] >= before["removed_indicators"]).all()
    assert after["unlisted_items"].tolist() == before["unlisted_items"].tolist()


@SETTINGS
@given(datasets(), st.data())
def test_raising_one_completion_never_lowers_a_score(ds, data):
    if ds.performance.empty:
        return
    before = score_streets(ds)
    i = data.draw(st.integers(0, len(ds.performance) - 1))
    c_now = completion_used(ds.performance.iloc[[i]].reset_index(drop=True), load_config())[0][0]
    raised = c_now + data.draw(st.floats(0, 1))
    perf = ds.performance.copy()
    perf.loc[i, ["target", "actual", "status"]] = [np.nan, np.nan, pd.NA]
    perf.loc[i, "completion"] = raised
    after = score_streets(_with(ds, performance=perf))
    x, y = before[SCORE_COLS].to_numpy(dtype="float64"), after[SCORE_COLS].to_numpy(dtype="float64")
    assert np.array_equal(np.isnan(x), np.isnan(y))
    assert np.all(np.isnan(x) | (y >= x))


@SETTINGS
@given(datasets(), st.randoms(use_true_random=False))
def test_row_order_changes_nothing(ds, rnd):
    def shuffled(df: pd.DataFrame) -> pd.DataFrame:
        order = list(range(len(df)))
        rnd.shuffle(order)
        return df.iloc[order].reset_index(drop=True)

    other = Dataset(
        **{n: shuffled(ds.table(n)) for n in ("register", "list_items", "performance", "service", "unlisted")}
    )
    pd.testing.assert_frame_equal(score_streets(ds), score_streets(other))
    pd.testing.assert_frame_equal(item_detail(ds), item_detail(other))


@SETTINGS
@given(datasets(), st.data())
def test_splitting_rows_across_datasets_changes_nothing(ds, data):
    # as when the same reports come in several files: each table is the concatenation of the parts
    cut = {n: data.draw(st.integers(0, len(ds.table(n)))) for n in ("list_items", "performance", "unlisted")}
    first = {n: ds.table(n).iloc[: cut[n]] for n in cut}
    second = {n: ds.table(n).iloc[cut[n] :] for n in cut}
    joined = _with(ds, **{n: pd.concat([second[n], first[n]], ignore_index=True) for n in cut})
    pd.testing.assert_frame_equal(score_streets(ds), score_streets(joined))


@SETTINGS
@given(datasets())
def test_item_detail_adds_up_to_the_scores(ds):
    # the dashboard and the scorecards show item_detail as the proof of each score: it must add up
    scores = score_streets(ds).set_index(["district", "street", "period"])
    items = item_detail(ds)
    inc = items.loc[items["included"]].astype({"district": str, "street": str, "period": str})
    sums = inc.assign(wc=inc["weight"] * inc["c"]).groupby(["district", "street", "period"])[["wc", "weight"]].sum()
    overall = 100 * sums["wc"] / sums["weight"]
    for key, value in overall.items():
        if scores.loc[key, "submitted"]:
            assert abs(scores.loc[key, "overall"] - value) < 1e-9
        else:  # 未报送 (FORMATS.md §6): its listed items are shown as missing, its score is empty, not 0
            assert pd.isna(scores.loc[key, "overall"]) and value == 0
    keyed = items.astype({"district": str, "street": str, "period": str, "category": str})
    cat = pd.crosstab([keyed["district"], keyed["street"], keyed["period"]], keyed["category"])
    cat = cat.reindex(index=scores.index, columns=["scored", "missing", "removed", "unlisted"], fill_value=0)
    expected = scores[["items_reported", "items_missing", "removed_indicators", "unlisted_items"]]
    assert (cat.to_numpy() == expected.to_numpy()).all()
