"""执法情况 (issue 15 point 3) on the street scorecard and the comparison page. Display only: the figures, rates,
targets and score come from metrics.enforcement (Evaluation.enforcement)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
import pandas as pd
from dash import html

from dashboard import components as c
from dashboard import sections, tables
from dashboard.constants import STREET_SEP as SEP
from dashboard.constants import Id
from dashboard.i18n import t
from metrics.enforcement_labels import COMPARE_FIELDS, KINDS, street_lines

_FORMAT = {
    "pct": {"function": "params.value == null ? '' : d3.format('.1%')(params.value)"},
    "num": tables.NUM1,
    "int": {"function": "params.value == null ? '' : d3.format(',.0f')(params.value)"},
}
STREET_COLUMNS = ("indicator", "value", "target", "median", "met")


def section(title_id: str, body_id: str, table_id: str, height: int = 500) -> html.Div:
    """A titled block: a note (or the empty state) and the 执法情况 grid."""
    return sections.titled_grid(title_id, body_id, table_id, height, "enforcement-section")


def _columns(fields: Sequence[str], lang: str) -> list[dict]:
    return [tables.col(f, lang, header=t(f"enf_{f}", lang)) for f in fields]


def street_update(ev: Any, street_value: str | None, period: str | None, lang: str) -> tuple:
    """Title, note and the grid (rows, columns) of one street's 执法情况 in the period."""
    district, _, street = (street_value or "").partition(SEP)
    enf = ev.enforcement
    mask = enf["district"].eq(district) & enf["street"].eq(street) & enf["period"].eq(period)
    mine = enf.loc[mask.fillna(False).to_numpy(dtype=bool)]
    title = t("enforcement_of", lang, what=f"{street} · {period}") if street else t("enforcement", lang)
    columns = _columns(STREET_COLUMNS, lang)
    if mine.empty:
        return title, c.create_empty(t("enforcement_none", lang)), [], columns
    row = mine.iloc[0]
    if pd.isna(row["on_time_target"]) and pd.isna(row["correction_ceiling"]):
        note = t("enforcement_no_targets", lang)
    else:
        note = t("enforcement_note", lang, year=row["list_year"])
    lines = street_lines(enf, district, street, period or "", lang)
    return title, html.P(note, className="small text-muted mb-2"), lines, columns


def compare_update(ev: Any, period: str | None, districts: Sequence[str] | None, lang: str) -> tuple:
    """Title, note and the grid (rows, columns) of every street's 执法情况 in the chosen districts and period."""
    enf = ev.enforcement
    mask = enf["period"].eq(period).fillna(False).to_numpy(dtype=bool)
    if districts:
        mask &= enf["district"].isin(list(districts)).to_numpy(dtype=bool)
    rows = enf.loc[mask].sort_values(["district", "enforcement_score"], ascending=[True, False])
    fields = ("district", "street", *COMPARE_FIELDS)
    columns = [tables.col("district", lang), tables.col("street", lang)]
    columns += [
        tables.col(f"enf_{f}", lang, type="numericColumn", valueFormatter=_FORMAT[KINDS.get(f, "int")])
        for f in COMPARE_FIELDS
    ]
    data = rows[list(fields)].rename(columns={f: f"enf_{f}" for f in COMPARE_FIELDS})
    body = (
        html.P(t("enforcement_compare_note", lang), className="small text-muted mb-2")
        if not rows.empty
        else c.create_empty(t("enforcement_compare_none", lang))
    )
    title = t("enforcement_of", lang, what=period or "")
    return title, body, tables.records(data, list(data.columns)) if not data.empty else [], columns


def register_callbacks(app: dash.Dash) -> None:
    """Fill the 执法情况 sections of the street and comparison pages."""
    street = sections.grid_outputs(Id.STREET_ENF_TITLE, Id.STREET_ENF_BODY, Id.STREET_ENF_TABLE)
    sections.bind(app, "street", street, [(Id.STREET, "value"), (Id.PERIOD, "value")], street_update)
    compare = sections.grid_outputs(Id.COMPARE_ENF_TITLE, Id.COMPARE_ENF_BODY, Id.COMPARE_ENF_TABLE)
    sections.bind(app, "compare", compare, [(Id.PERIOD, "value"), (Id.DISTRICTS, "value")], compare_update)
