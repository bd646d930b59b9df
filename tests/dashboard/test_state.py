"""URL state and i18n: what a bookmark holds comes back the same."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dashboard.i18n import STRINGS, t
from dashboard.state import clean_query, href, parse_search, split_list, to_search

names = st.text(
    alphabet=st.characters(blacklist_characters=",&=#%+", blacklist_categories=("Cs", "Cc", "Zs")),
    min_size=1,
    max_size=8,
)


@given(period=names, districts=st.lists(names, max_size=4))
def test_query_round_trips_through_the_url(period, districts):
    query = {"period": period, "districts": districts, "lang": "en"}
    back = parse_search(to_search(query))
    assert back["period"] == period
    assert split_list(back.get("districts")) == districts
    assert back["lang"] == "en"


def test_defaults_and_empties_stay_out_of_the_url():
    assert to_search({"lang": "zh", "districts": [], "street_type": "", "period": None}) == ""
    assert clean_query({"b": "2", "a": "1"}) == {"a": "1", "b": "2"}
    assert href("/compare", {"period": "2020Q2"}) == "/compare?period=2020Q2"


def test_every_string_has_both_languages():
    for key, (zh, en) in STRINGS.items():
        assert zh, key
        assert en or key in ("streets_unit",), key
    assert t("overview", "en") == "Overview" and t("overview") == "总览"
    assert t("unknown value 玉林街道", "en") == "unknown value 玉林街道"


def test_a_clicked_street_cell_names_its_scorecard():
    from dashboard.state import clicked_street, scorecard_href

    cell = {"colId": "street", "rowId": "武侯区|玉林街道", "value": "玉林街道"}
    assert clicked_street(cell) == ("武侯区", "玉林街道")
    assert clicked_street({**cell, "colId": "overall"}) is None
    assert clicked_street(None) is None
    url = scorecard_href("武侯区", "玉林街道", "2020Q2", "en")
    assert parse_search(url.split("?", 1)[1]) == {
        "district": "武侯区",
        "street": "玉林街道",
        "period": "2020Q2",
        "lang": "en",
    }
