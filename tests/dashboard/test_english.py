"""English mode shows no Chinese data values: street types, grades, statuses and functions are named in English.

Names of districts, streets, items, tasks and departments are proper names and stay Chinese; everything else a
table cell, a figure's title, axis, legend, category or hover shows must be free of Chinese characters.
"""

from __future__ import annotations

import base64
import io
import re
import sys

import openpyxl
import plotly.graph_objects as go
import pytest

from dashboard import downloads, views
from dashboard.constants import FUNCTIONS
from dashboard.i18n import column

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff（）：、　]")  # figures: Chinese punctuation neither
NAME_FIELDS = ("district", "street", "item_name", "evidence", "item_name_from", "item_name_to", "assigning_department")


def page(name: str):
    """A page module as Dash loaded it for the app."""
    return sys.modules["dashboard.pages." + name]


@pytest.fixture(scope="module")
def period(ev) -> str:
    return ev.periods[-1]


@pytest.fixture(scope="module")
def names(app_data, ev) -> list[str]:
    """Every proper name the data hold, longest first (so a name inside a longer one goes with it)."""
    ds = app_data.dataset
    found = set(ev.districts) | set(ev.scores["street"].astype(str))
    found |= set(ds.list_items["item_name"].dropna().astype(str))
    found |= set(ds.unlisted["assigning_department"].dropna().astype(str))
    found |= set(ds.unlisted["task_name"].dropna().astype(str))
    return sorted(found, key=len, reverse=True)


def without_names(text: str, names: list[str]) -> str:
    for n in names:
        text = text.replace(n, "")
    return text


def chinese_cells(rows: list[dict]) -> list[tuple[str, str]]:
    """(field, value) of every cell outside the name fields that has a Chinese character."""
    return [(k, v) for r in rows for k, v in r.items() if k not in NAME_FIELDS and isinstance(v, str) and HAN.search(v)]


def figure_texts(figure: dict) -> list[str]:
    """What a figure shows as text: title, axis titles, annotations, trace names, categories, texts and hovers."""
    fig = go.Figure(figure)
    lay = fig.layout
    out = [lay.title.text, lay.xaxis.title.text, lay.yaxis.title.text, *(a.text for a in lay.annotations)]
    for tr in fig.data:
        out.append(getattr(tr, "name", None))
        out.append(getattr(tr, "hovertemplate", None))
        for attr in ("x", "y", "text"):
            values = getattr(tr, attr, None)
            if values is not None:
                out.extend(v for v in values if isinstance(v, str))
    return [str(x) for x in out if x]


def chinese_texts(figures: list[dict], names: list[str]) -> list[str]:
    return [s for f in figures for s in figure_texts(f) if CHINESE.search(without_names(s, names))]


def test_overview_in_english_names_types_and_grades_in_english(app, app_data, ev, period, names):
    for function in ("overall", FUNCTIONS[0]):
        out = page("overview").update(ev, period, [], "", function, "en", app_data.bands(period))
        _headline, ranking, movers, rows, cols, _query = out
        assert rows and chinese_cells(rows) == []
        assert not [c["headerName"] for c in cols if HAN.search(c["headerName"])]
        assert chinese_texts([ranking, movers], names) == []
        assert {r["street_type"] for r in rows} <= {"Urban street", "Agriculture-related street", "Town"}
        assert {r["grade"] for r in rows} <= {"Excellent", "Good", "Pass", "Fail", "Not submitted", None}
        assert not HAN.search(without_names(str(_headline), names))
    # the same in Chinese shows the codes themselves: the check above can fail
    zh = page("overview").update(ev, period, [], "", "overall", "zh", app_data.bands(period))[3]
    assert {r["street_type"] for r in zh} <= {"城区街道", "涉农街道", "镇"} and chinese_cells(zh)


@pytest.mark.parametrize(("mode", "peers_on"), [("own", False), ("type", False), ("own", True), ("type", True)])
def test_compare_in_english_tables_and_figures_have_no_chinese_values(app, app_data, ev, period, names, mode, peers_on):
    four = views.default_districts(ev)
    peers = app_data.peers(period) if peers_on else None
    out = page("compare").update(ev, period, four, "", "overall", mode, "en", app_data.bands(period), peers)
    figures, rows, cols = list(out[:5]), out[5], out[6]
    assert rows and chinese_cells(rows) == []
    assert not [c["headerName"] for c in cols if HAN.search(c["headerName"])]
    assert chinese_texts(figures, names) == []
    if mode == "type":  # the groups on the axes and in the legends are the English street types
        strip = go.Figure(figures[0])
        assert {x for tr in strip.data for x in tr.x} == {"Urban street", "Agriculture-related street", "Town"}
        bars = go.Figure(figures[1])
        assert {tr.name for tr in bars.data} == {"Urban street", "Agriculture-related street", "Town"}
        zh = page("compare").update(ev, period, four, "", "overall", mode, "zh", app_data.bands(period), peers)
        assert {x for tr in go.Figure(zh[0]).data for x in tr.x} == {"城区街道", "涉农街道", "镇"}


def test_scorecard_in_english_peer_and_item_tables_have_no_chinese_values(app, app_data, ev, period, names):
    row = ev.scores_for(period).dropna(subset=["overall"]).sort_values("items_missing").iloc[-1]  # not 未报送
    value = f"{row['district']}|{row['street']}"
    peer_rows, *_ = page("street").peers_view(app_data, value, period, "en")
    assert peer_rows and chinese_cells(peer_rows) == []
    out = page("street").update(ev, app_data.dataset, value, period, "en", app_data.bands(period))
    header, fn_fig, trend_fig, _flags, item_rows, _cols, _query = out
    assert item_rows and chinese_cells(item_rows) == []
    assert {r["status"] for r in item_rows} - {None} <= {"Done", "In progress", "Not started", "Not done"}
    assert chinese_texts([fn_fig, trend_fig], names) == []
    assert not HAN.search(without_names(str(header), names))
    robust = page("street").robustness(app_data.bands(period), app_data.sensitivity(period), value, period, "en")
    assert chinese_texts([robust[1]], names) == []


def test_lists_in_english_name_functions_in_english(app, ev, names):
    lists = page("lists")
    for district in ev.districts:
        pairs = lists.year_pairs(ev, district)
        if pairs:
            _summary, fig, rows, _cols, _q = lists.update(ev, district, pairs[-1], "en")
            assert chinese_cells(rows) == [] and chinese_texts([fig], names) == []


def test_burden_in_english_has_no_chinese_captions(app, ev, period, names):
    out = page("burden").update(ev, period, [], "en")
    assert chinese_texts(list(out[:4]), names) == []


def sheet(payload: dict) -> list[dict]:
    """The rows (header → value) of the one sheet of a downloaded .xlsx payload."""
    ws = openpyxl.load_workbook(io.BytesIO(base64.b64decode(payload["content"]))).worksheets[0]
    header, *body = ws.iter_rows(values_only=True)
    return [dict(zip(header, r, strict=True)) for r in body]


def test_english_downloads_of_the_tables_on_screen_name_values_in_english(app, app_data, ev, period):
    table = sheet(page("compare").download(ev, period, [], "", "type", "en", "overall", app_data.bands(period)))
    assert {r["Street type"] for r in table} == {"Urban street", "Agriculture-related street", "Town"}
    assert {r["Grade"] for r in table} <= {"Excellent", "Good", "Pass", "Fail", "Not submitted", None}
    assert not [v for r in table for k, v in r.items() if k not in ("District", "Street") and HAN.search(str(v))]
    row = ev.scores_for(period).dropna(subset=["overall"]).sort_values("items_missing").iloc[-1]  # not 未报送
    items = ev.items_for(row["district"], row["street"], period)
    for lang, statuses in (
        ("en", {"Done", "In progress", "Not started", "Not done"}),
        ("zh", {"已完成", "进行中", "未开始", "未完成"}),
    ):
        got = sheet(downloads.items_xlsx(items, row["street"], period, lang))
        status, function = (column("status", lang), column("function", lang))  # metrics.labels.FIELD_LABELS
        assert {r[status] for r in got} - {None} <= statuses and {r[status] for r in got} - {None}
        assert all(r[function] is None or (HAN.search(r[function]) is None) == (lang == "en") for r in got)
