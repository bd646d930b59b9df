"""The comparison page's score views (official / common core / standardised), as plain callbacks on the real app."""

from __future__ import annotations

import sys

import pytest
from test_compare_peers import strip_points, switch_value

from dashboard import views
from dashboard.score_views import section


def compare():
    """The comparison page module as Dash loaded it for the app."""
    return sys.modules["dashboard.pages.compare"]


@pytest.fixture(scope="module")
def period(ev) -> str:
    return ev.periods[-1]


@pytest.mark.parametrize(("view", "column"), [("core", "overall_core"), ("standardised", "percentile_district")])
def test_a_view_puts_its_own_score_on_the_strip_and_in_the_query(app, ev, period, view, column):
    districts = views.default_districts(ev)
    out = compare().update(ev, period, districts, "", "overall", "own", "zh", None, None, view)
    shown = strip_points(out[0])
    expected = ev.views[ev.views["period"].eq(period) & ev.views["district"].isin(districts)]
    expected = {(r["district"], r["street"]): r[column] for _, r in expected.iterrows()}
    assert shown and shown.keys() <= expected.keys()
    assert all(shown[k] == pytest.approx(expected[k]) for k in shown)
    assert out[-1]["view"] == view
    official = strip_points(compare().update(ev, period, districts, "", "overall", "own", "zh")[0])
    assert official != shown  # the view changes what is shown


def test_a_view_other_than_official_shows_the_overall_only(app, ev, period):
    districts = views.default_districts(ev)
    out = compare().update(ev, period, districts, "", "public_services", "own", "zh", None, None, "core")
    assert out[-1]["function"] == "overall"


def test_the_rank_shift_table_lists_every_chosen_street_with_its_three_ranks(app, ev, period):
    districts = views.default_districts(ev)[:2]
    text = str(section(ev, period, districts, "zh"))
    chosen = ev.views[ev.views["period"].eq(period) & ev.views["district"].isin(districts)]
    assert len(chosen) > 0
    for _, r in chosen.iterrows():
        assert r["street"] in text
    others = ev.views[ev.views["period"].eq(period) & ~ev.views["district"].isin(districts)]
    assert not any(s in text for s in set(others["street"]) - set(chosen["street"]))
    assert "共同核心占各区清单权重" in text and "Cronbach" in text


def test_the_page_reads_the_view_from_the_url(app, period):
    import flask

    from dashboard.auth.web import LOCAL_USER

    with app.server.test_request_context("/"):
        flask.g.street_user = LOCAL_USER
        page = compare().layout(view="standardised", period=period)
        assert switch_value(page, "compare-view") == "standardised"
        assert "每个街道在本区内的百分位" in str(page)  # the note says what the view is
        assert switch_value(compare().layout(view="nonsense"), "compare-view") == "official"


def test_the_whatif_page_shows_how_in_progress_moves_status_only_streets(app, ev, period):
    from dashboard.status_view import section as status_section
    from metrics.status_effect import status_effect_summary

    text = str(status_section(ev, period, "zh"))
    summary = status_effect_summary(ev.status_effect[ev.status_effect["period"].eq(period)])
    assert "以状态折算为主" in text and "“进行中”计 0.3 时的全市排名中位数" in text
    for _, r in summary.iterrows():
        assert f"'{r['n_streets']}'" in text.replace('"', "'")
