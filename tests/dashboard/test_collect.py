"""The collection loop in the dashboard: the tracker page's callback, the overview's progress, the template download."""

from __future__ import annotations

import base64
import io
import sys

import openpyxl
import pytest

from dashboard import collect


@pytest.fixture(scope="module")
def data(app_data):
    return app_data


def test_tracker_update_lists_every_street_of_the_register(data) -> None:
    page = sys.modules["dashboard.pages.submissions"]  # as Dash loaded it for the app
    period = data.evaluation.periods[-1]
    _summary, rows, cols, query = page.update(data, period, "zh")
    assert len(rows) == len(data.store.load_register())
    assert {c["field"] for c in cols} >= {"district", "street", "state", "file_name", "times_superseded"}
    assert query == {"period": period, "lang": "zh"}
    _, rows_en, cols_en, _ = page.update(data, period, "en")
    assert {r["state"] for r in rows_en} <= {"missing", "on time", "late"}
    assert any(c["headerName"] == "Times superseded" for c in cols_en)


def test_next_quarter_is_offered_and_nobody_has_sent_it(data) -> None:
    options = collect.period_options(data.evaluation)
    assert options[1] == data.evaluation.periods[-1] and options[0] > options[1]
    table = collect.tracker(data, options[0])
    assert not table["submitted"].any()
    payload = collect.missing_workbook(table, options[0])
    wb = openpyxl.load_workbook(io.BytesIO(base64.b64decode(payload["content"])))
    assert wb.active.max_row == len(table) + 1


def test_overview_progress_names_the_counts(data) -> None:
    period = data.evaluation.periods[-1]
    alert = collect.progress(data, period, "en")
    text = alert.children[0].children
    n = len(data.store.load_register())
    assert period in text and f"of {n} received" in text


def test_template_download_is_a_readable_workbook(data) -> None:
    period = collect.period_options(data.evaluation)[0]
    district = str(data.dataset.register["district"].iloc[0])
    payload, message = collect.template_download(data, district, None, period)
    assert message == "" and payload["filename"].endswith("_汇总.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(base64.b64decode(payload["content"])))
    assert wb.sheetnames[0] == "履职情况" and "填报说明" in wb.sheetnames
    _, why = collect.template_download(data, None, None, period)
    assert why == "tpl_pick"
