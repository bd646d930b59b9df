"""Break 2 of issue 19: no markup from data reaches a plotly figure (links, bold, font sizes, templates)."""

from __future__ import annotations

import json
import re
import sys

import pandas as pd
from hostile import LINK, PAYLOADS, hostile_dataset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.figures import burden as bfigs
from dashboard.figures import groups as gfigs
from dashboard.figures import scores as sfigs
from dashboard.figures import uncertainty as ufigs
from dashboard.figures.base import escape_markup, unescape_markup
from metrics.evaluation import evaluate


def page(name: str):
    """A page module as Dash loaded it for the app (register_page needs the app first)."""
    return sys.modules["dashboard.pages." + name]


# The code's own hover markup; anything else that looks like a tag came from data.
CODE_TAGS = re.compile(r"<br>|</?b>|<extra></extra>")
hostile = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(alphabet="<>&/\"'=%{}ab街 ", min_size=1, max_size=24).map(lambda s: "街" + s),
)


def figures(value: object) -> list[dict]:
    """Every plotly figure (a dict with data and layout) inside a callback's outputs."""
    if isinstance(value, dict):
        if "data" in value and "layout" in value:
            return [value]
        return [f for v in value.values() for f in figures(v)]
    if isinstance(value, list | tuple):
        return [f for v in value for f in figures(v)]
    return []


def leaked_tags(fig: dict) -> list[str]:
    """Strings of fig (as the browser gets it, JSON) that would render as plotly markup."""
    found = []

    def walk(value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if k != "template":  # the template is the code's styling, no data
                    walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            text = CODE_TAGS.sub("", value) if key == "hovertemplate" else value
            if "<" in text or ">" in text:
                found.append(f"{key}: {value}")

    walk(json.loads(json.dumps(fig, default=str)))
    return found


@settings(max_examples=40, deadline=None)
@given(names=st.lists(hostile, min_size=3, max_size=3, unique=True), period=hostile)
def test_every_figure_builder_escapes_hostile_strings(names, period):
    a, b, c = names
    df = pd.DataFrame(
        {
            "district": [a, a, b],
            "street": [b, c, a],
            "period": ["2020Q2"] * 3,
            "overall": [80.0, 70.0, 60.0],
            "grade": ["好", "较好", "一般"],
            "change_prev_quarter": [1.0, -2.0, 3.0],
            "gap_overall": [1.0, -1.0, 2.0],
            "peer_median_overall": [70.0, 71.0, 72.0],
            "n_peers": [3, 3, 3],
            "unlisted_tasks": [3, 2, 1],
            "unlisted_workdays": [5.0, 4.0, 2.0],
            "tasks_per_street": [1.5, 1.0, 1.0],
            "streets": [2, 2, 1],
            "share_not_approved": [0.5, 0.2, 0.1],
            "share_without_funds": [0.4, 0.1, 0.0],
            "online_rate": [0.5, 0.6, 0.7],
            "one_visit_rate": [0.5, 0.6, 0.7],
            "satisfaction": [0.9, 0.9, 0.9],
            **{f"median_{f}": [50.0, 60.0, 70.0] for f in sfigs.FUNCTIONS},
            "label_zh": [a, b, c],
            "label_en": [a, b, c],
            "share": [0.2, 0.3, 0.5],
            "kind": ["first_order", "interaction", "total"],
        }
    )
    row = df.iloc[0].copy()
    for f in sfigs.FUNCTIONS:
        row[f] = 50.0
    built = [
        sfigs.ranking_bar(df, "overall", period, "zh", scope=a),
        sfigs.movers_bar(df, period, "en"),
        sfigs.strip(df, "overall", "district", period, "zh"),
        sfigs.peer_gap_strip(df, "overall", "district", period, "zh"),
        sfigs.function_bars(df.drop_duplicates("district"), "district", period, "zh"),
        sfigs.grade_shares(df, "district", period, "zh", ("好", "较好", "一般")),
        sfigs.street_functions(row, pd.Series({"overall": 60.0}), period, "zh"),
        sfigs.trend(df, df, "zh"),
        bfigs.top_bars(df, "street", "fig_burden_street", period, "zh"),
        bfigs.shares(df, period, "zh"),
        bfigs.trend(df, "zh"),
        gfigs.service_bars(df.drop_duplicates("district"), "district", period, "zh"),
        gfigs.burden_bars(df.drop_duplicates("district"), "district", period, "zh"),
        ufigs.sensitivity_bars(df, period, "zh"),
        sfigs.empty_figure(a, b, period),
    ]
    for fig in built:
        assert leaked_tags(fig) == []


@settings(max_examples=60, deadline=None)
@given(text=st.text())
def test_a_clicked_point_gives_back_the_name_it_was_made_from(text):
    assert unescape_markup(escape_markup(text)) == text
    assert "<" not in escape_markup(text) and "%{" not in escape_markup(text)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(st.sampled_from(PAYLOADS), min_size=3, max_size=3, unique=True))
def test_no_page_shows_markup_from_an_officers_own_register(app, names):
    """The attack as reported: hostile street and department names in the data behind every page's figures."""
    overview, compare, burden, street, lists = (page(n) for n in ("overview", "compare", "burden", "street", "lists"))
    ds = hostile_dataset({"玉林街道": names[0], "簇桥街道": names[1], "十陵街道": names[2]}, {"区住建局": LINK})
    ev = evaluate(ds)
    period = ev.periods[-1]
    outputs = [
        overview.update(ev, period, None, "", "overall", "zh"),
        overview.update(ev, period, ["武侯区"], "", "overall", "en"),
        compare.update(ev, period, ["武侯区", "龙泉驿区"], "", "overall", "own", "zh"),
        burden.update(ev, period, None, "zh"),
        street.update(ev, ds, f"武侯区{street.SEP}{names[0]}", period, "zh"),
        lists.update(ev, "武侯区", None, "zh"),
    ]
    shown = figures(outputs)
    assert len(shown) >= 10
    assert any("&lt;" in json.dumps(f, ensure_ascii=False) for f in shown)  # the hostile names are shown, escaped
    for fig in shown:
        assert leaked_tags(fig) == []


def test_a_click_on_a_hostile_street_opens_its_own_scorecard(app):
    compare = page("compare")
    point = {"points": [{"customdata": [escape_markup("武侯区"), escape_markup(LINK), "2020Q2"]}]}
    href = compare.scorecard_href(point, "zh")
    assert href is not None and "evil.example" in href and "%3Ca" in href  # the name itself, URL-encoded
