"""Grades renamed, added or dropped in a rules file (STREETS_RULES): every chart, headline and export follows."""

from __future__ import annotations

import ast
import io
import re
import sys
from pathlib import Path

import openpyxl
import pytest
from builders import build_dataset

from dashboard.figures import scores as figs
from dashboard.grade_colours import UNKNOWN
from loaders.vocab import statuses, street_types
from metrics import export
from metrics.config import DEFAULT_RULES, load_config
from metrics.evaluation import evaluate
from metrics.export.labels import text

SHIPPED = ("优秀", "良好", "合格", "不合格")
VARIANTS = {
    "renamed": ("卓越", "较好", "达标", "待改进"),  # each of the four renamed, same thresholds
    "three bands": ("好", "中", "差"),  # one band fewer
}
MINS = {4: (90, 80, 60, 0), 3: (85, 60, 0)}


def rules_with(tmp_path: Path, grades: tuple[str, ...]) -> Path:
    """The shipped rules with its [[grades]] replaced by grades (names best first)."""
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    bands = "".join(f'[[grades]]\nname = "{g}"\nmin = {m}\n\n' for g, m in zip(grades, MINS[len(grades)], strict=True))
    text = re.sub(r"(\[\[grades\]\]\nname = \"[^\"]+\"\nmin = \d+\n\n?)+", bands, text)
    text = text.replace(  # one removed category fewer: the scorecard's note names what the rules remove
        'categories = ["investment_attraction", "tax_assistance", "economic_development"]',
        'categories = ["investment_attraction", "tax_assistance"]',
    )
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(params=list(VARIANTS), ids=list(VARIANTS))
def tuned(request, tmp_path, monkeypatch, app):  # app: the pages' modules are loaded as Dash loads them
    grades = VARIANTS[request.param]
    monkeypatch.setenv("STREETS_RULES", str(rules_with(tmp_path, grades)))
    ev = evaluate(build_dataset())
    assert ev.grades == grades
    return ev


def shown_grades(ev) -> set[str]:
    return set(ev.scores["grade"].dropna().astype(str))


def test_grade_charts_headline_and_ranking_follow_the_rules_file(tuned):
    ev = tuned
    period = ev.periods[-1]
    df = ev.scores_for(period=period)
    df = df.loc[df["submitted"].to_numpy(dtype=bool)]
    assert shown_grades(ev) <= set(ev.grades) and len(shown_grades(ev)) > 1
    assert not shown_grades(ev) & set(SHIPPED)
    # the grade chart: every group's stacked shares add up to 100 %
    fig = figs.grade_shares(df, "district", period, "zh", ev.grades)
    assert [tr["name"] for tr in fig["data"]] == list(ev.grades)
    totals = {}
    for tr in fig["data"]:
        for x, y in zip(tr["x"], tr["y"], strict=True):
            totals[x] = totals.get(x, 0.0) + y
    assert totals and all(v == pytest.approx(100.0) for v in totals.values())
    # the ranking bars: every graded street gets its grade's colour
    bars = figs.ranking_bar(df, "overall", period, "zh", grades=ev.grades)["data"][0]
    assert UNKNOWN not in bars["marker"]["color"]
    # the overview's headline: one badge per band, the shares add up to 100 % (each rounded)
    overview = sys.modules["dashboard.pages.overview"]
    cards = overview.headline(df, "zh", ev.grades)
    badges = [s.children for s in _walk(cards) if "backgroundColor" in (getattr(s, "style", None) or {})]
    assert [b.rsplit(" ", 1)[0] for b in badges] == list(ev.grades)
    shares = [int(b.rsplit(" ", 1)[1].rstrip("%")) for b in badges]
    assert abs(sum(shares) - 100) <= len(shares) // 2


def test_exports_follow_the_rules_file(tuned):
    ev = tuned
    period = ev.periods[-1]
    row = ev.scores_for(period=period).dropna(subset=["grade"]).iloc[0]
    books = {
        "ranking": export.ranking(ev, period),
        "comparison": export.district_comparison(ev, list(ev.districts[:2]), period),
        "scorecard": export.street_scorecard(ev, row["district"], row["street"], period),
    }
    written = {}
    for name, content in books.items():
        wb = openpyxl.load_workbook(io.BytesIO(content))
        cells = {str(c.value) for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value is not None}
        written[name] = "\n".join(cells)
        assert any(g in written[name] for g in ev.grades), name
        assert not [g for g in SHIPPED if re.search(rf"(?<!不){g}", written[name]) and g not in ev.grades], name
    assert row["grade"] in written["scorecard"]
    assert ev.config.removed_categories == ("investment_attraction", "tax_assistance")
    assert text("removed_note", "zh", names="招商引资、协税护税") in written["scorecard"]
    summary = ev.district_summary
    assert [c for c in summary.columns if c.startswith("share_") and c[6:] in ev.grades] == [
        f"share_{g}" for g in ev.grades
    ]
    assert summary[[f"share_{g}" for g in ev.grades]].sum(axis=1).dropna().round(9).eq(1).all()


def test_no_page_figure_or_export_spells_a_tunable_value():
    """Grades (rules.toml), statuses and street types (values.csv) appear in no string literal of the dashboard
    or the exports: they read them from ev.grades, the config and loaders.vocab."""
    tunable = set(load_config(DEFAULT_RULES).grade_names) | set(statuses()) | set(street_types())
    root = Path(__file__).resolve().parents[2]
    found = []
    for path in [*sorted((root / "dashboard").rglob("*.py")), *sorted((root / "metrics" / "export").rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in tunable:
                found.append(f"{path.relative_to(root)}:{node.lineno} {node.value}")
    assert not found


def _walk(node):
    yield node
    children = getattr(node, "children", None) if not isinstance(node, list) else node
    if isinstance(children, list | tuple):
        for child in children:
            yield from _walk(child)
    elif children is not None and not isinstance(children, str):
        yield from _walk(children)
