"""The ranking's signable tier annex and the scorecard's evidence and change-decomposition section."""

from __future__ import annotations

import pytest
from test_export_common import assert_no_formulas, build_dataset, open_xlsx

from metrics import evaluate
from metrics.change_parts import change_parts
from metrics.export import ranking, street_scorecard
from metrics.export.evidence_sections import label
from metrics.uncertainty import for_period

PERIOD = "2019Q2"


@pytest.fixture(scope="module")
def ev():
    return evaluate(build_dataset(hostile=True))


def rows_after(ws, header: str) -> list[list]:
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == header)
    out = []
    for r in range(head + 1, ws.max_row + 1):
        if ws.cell(r, 5).value is None:
            break
        out.append([ws.cell(r, col).value for col in range(1, ws.max_column + 1)])
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ranking_has_a_tier_annex_matching_the_tiers_with_signature_lines(ev, lang):
    wb = open_xlsx(ranking(ev, PERIOD, lang=lang))
    assert_no_formulas(wb)  # the hostile street name stays text in the annex too
    ws = wb[label("annex", lang)]
    bands = for_period(ev, PERIOD).bands.set_index("street")
    rows = rows_after(ws, label("tier", lang))
    assert len(rows) == len(bands)
    for tier, rank, _band, _district, street, overall, *_ in rows:
        assert tier == bands.loc[street, "tier_city"] and rank == bands.loc[street, "rank_city"]
        assert overall == pytest.approx(bands.loc[street, "overall"])
    tiers = [r[0] for r in rows]
    assert tiers == sorted(tiers)
    text = " ".join(str(ws.cell(r, c).value) for r in range(1, ws.max_row + 1) for c in range(1, 12))
    assert label("signer", lang) in text and label("reviewer", lang) in text
    assert ("90%" in text) and ("10%" in text)  # the bounds are stated


def test_scorecard_export_has_points_lost_and_the_change_in_parts(ev):
    district, street = "彭州市", "彭州甲街道"
    ws = open_xlsx(street_scorecard(ev, district, street, PERIOD)).active
    cells = {(r, c): ws.cell(r, c).value for r in range(1, ws.max_row + 1) for c in range(1, 12) if ws.cell(r, c).value}
    where = {v: k for k, v in cells.items() if isinstance(v, str)}
    assert label("sec_evidence", "zh") in where
    score = ev.scores.set_index(["district", "street", "period"]).loc[(district, street, PERIOD)]
    r, _ = where[label("points_lost", "zh")]
    assert cells[(r, 4)] == pytest.approx(score["points_lost_missing"])
    parts = change_parts(ev, district, street, PERIOD, lag=1)
    assert not parts.empty
    total_row, _ = where[label("total", "zh")]
    assert cells[(total_row, 9)] == pytest.approx(parts["points"].sum())
    assert cells[(total_row, 9)] == pytest.approx(score["change_prev_quarter"])
    first = total_row - len(parts)
    assert [cells.get((first + i, 9), 0) for i in range(len(parts))] == pytest.approx(parts["points"].tolist())
