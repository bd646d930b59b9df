"""The upload preview: worked out on a copy, it names what a confirm replaces and predicts exactly the stored result."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from loaders import read_files
from loaders.store import Store
from metrics.evaluation import evaluate
from metrics.keys import KEY
from metrics.preview import apply_files, preview_upload

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
REPORT = SAMPLES / "20_履职报表_2019Q1_武侯区_华兴街道.xlsx"


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> Store:
    """A store holding every sample workbook."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('preview') / 's.sqlite'}")
    for parsed in read_files(sorted(SAMPLES.glob("*.xlsx"))).files:
        store.ingest(parsed, user="sample-loader")
    return store


def halved_report(out: Path) -> Path:
    """The sample report of 华兴街道 2019Q1 with every 完成值 halved and 完成率 cleared, as a revision might be."""
    wb = openpyxl.load_workbook(REPORT)
    ws = wb.worksheets[0]
    head = next(r for r in range(1, 10) if "完成值" in [c.value for c in ws[r]])
    cols = {c.value: c.column for c in ws[head]}
    for r in range(head + 1, ws.max_row + 1):
        actual = ws.cell(r, cols["完成值"])
        if isinstance(actual.value, int | float):
            actual.value = actual.value / 2
            ws.cell(r, cols["完成率(%)"]).value = None
    wb.save(out)
    return out


@pytest.mark.slow
def test_preview_touches_nothing_and_predicts_exactly_what_the_confirm_stores(sample_store: Store, tmp_path) -> None:
    path = halved_report(tmp_path / "华兴_修订.xlsx")
    (parsed,) = read_files([path], register=sample_store.load_register(), lists=sample_store.list_index()).files
    assert parsed.ok, [f.text() for f in parsed.errors]
    before = sample_store.fingerprint()
    preview = preview_upload(sample_store.load_dataset(), [parsed.tables], sample_store.batches_history())
    assert sample_store.fingerprint() == before

    # it replaces the three sheets of the stored report, naming the file and who stored it
    assert set(preview.replaced["table_name"]) == {"performance", "service", "unlisted"}
    assert set(preview.replaced["file_name"]) == {REPORT.name} and set(preview.replaced["user_name"]) == {
        "sample-loader"
    }
    # only 华兴街道 2019Q1 changes its own score; its rank and tier are given before and after
    changes = preview.changes
    assert changes[KEY].values.tolist() == [["武侯区", "华兴街道", "2019Q1"]]
    row = changes.iloc[0]
    assert row["overall_new"] < row["overall_old"] and row["rank_city_new"] > row["rank_city_old"]
    assert preview.tiers_shown and pd.notna(row["tier_city_old"]) and pd.notna(row["tier_city_new"])

    # confirming stores exactly that: the stored data scores as previewed, every street and period
    copy = Store(f"sqlite:///{tmp_path / 'copy.sqlite'}")
    for p in read_files(sorted(SAMPLES.glob("*.xlsx"))).files:
        copy.ingest(p, user="sample-loader")
    assert copy.ingest(parsed, user="officer").outcome == "ingested"
    stored = evaluate(copy.load_dataset()).scores
    new_ds, _ = apply_files(sample_store.load_dataset(), [parsed.tables])
    predicted = evaluate(new_ds).scores
    both = stored[[*KEY, "overall", "rank_city"]].merge(predicted[[*KEY, "overall", "rank_city"]], on=KEY)
    assert len(both) == len(stored) == len(predicted)
    assert (both["overall_x"].fillna(-1).round(9) == both["overall_y"].fillna(-1).round(9)).all()
    assert (both["rank_city_x"].fillna(-1) == both["rank_city_y"].fillna(-1)).all()
    hx = stored[(stored["street"] == "华兴街道") & (stored["period"] == "2019Q1")].iloc[0]
    assert hx["overall"] == pytest.approx(row["overall_new"]) and hx["rank_city"] == row["rank_city_new"]


def test_a_list_replaces_only_its_own_district_year_and_kind(sample_store: Store) -> None:
    ds = sample_store.load_dataset()
    items = ds.list_items
    duty = items[(items["district"] == "武侯区") & (items["year"] == 2020) & (items["list_type"] == "duty")]
    revised = duty.head(3).copy()
    new_ds, covered = apply_files(ds, [{"list_items": revised}])
    after = new_ds.list_items
    mine = (after["district"] == "武侯区") & (after["year"] == 2020)
    assert len(after[mine & (after["list_type"] == "duty")]) == 3
    # the district's other kinds of list and other years, and other districts, stay as stored
    others = ~(mine & (after["list_type"] == "duty"))
    before_others = ~((items["district"] == "武侯区") & (items["year"] == 2020) & (items["list_type"] == "duty"))
    assert others.sum() == before_others.sum()
    assert covered.units[["table_name", "district", "year", "list_type"]].values.tolist() == [
        ["list_items", "武侯区", 2020, "duty"]
    ]
    assert len(ds.list_items) == len(items)  # the copy, not the caller's frames, changed


def test_a_new_report_replaces_nothing(sample_store: Store) -> None:
    ds = sample_store.load_dataset()
    report = ds.performance[(ds.performance["street"] == "华兴街道") & (ds.performance["period"] == "2019Q1")]
    moved = report.assign(period="2031Q1")
    preview = preview_upload(ds, [{"performance": moved}], sample_store.batches_history())
    assert preview.replaced.empty
    assert preview.changes[KEY].values.tolist() == [["武侯区", "华兴街道", "2031Q1"]]
    assert pd.isna(preview.changes.iloc[0]["overall_old"]) and pd.notna(preview.changes.iloc[0]["overall_new"])
