"""The list page's coverage section (issue 15, several scored lists): duties no 事务 evaluates, 事务 with no duty,
and the 清单对照 pairs, for a district that declared a 事务清单. Display only: metrics.list_coverage computes them
(Evaluation.coverage_gaps, coverage_summary, list_crosswalk)."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard import components as c
from dashboard import sections, tables
from dashboard.constants import Id
from dashboard.i18n import t
from metrics.coverage_labels import caption

GAP_FIELDS = ("item_code", "item_name", "function", "weight", "gap_removed")
PAIR_FIELDS = ("affairs_code", "affairs_name", "duty_code", "duty_name")
OUTPUTS = (
    (Id.COVERAGE_TITLE, "children"),
    (Id.COVERAGE_BODY, "children"),
    (Id.COVERAGE_DUTY_TABLE, "rowData"),
    (Id.COVERAGE_DUTY_TABLE, "columnDefs"),
    (Id.COVERAGE_AFFAIRS_TABLE, "rowData"),
    (Id.COVERAGE_AFFAIRS_TABLE, "columnDefs"),
    (Id.COVERAGE_PAIRS_TABLE, "rowData"),
    (Id.COVERAGE_PAIRS_TABLE, "columnDefs"),
)


def section(lang: str) -> html.Div:
    """A titled block: the counts (or the empty state) and three grids."""
    grid = [
        (caption("duty_not_evaluated", lang), Id.COVERAGE_DUTY_TABLE),
        (caption("affairs_without_duty", lang), Id.COVERAGE_AFFAIRS_TABLE),
        (t("coverage_pairs", lang), Id.COVERAGE_PAIRS_TABLE),
    ]
    return html.Div(
        [
            html.H5(id=Id.COVERAGE_TITLE, className="mt-3"),
            html.Div(id=Id.COVERAGE_BODY),
            *[html.Div([html.H6(k, className="mt-2"), c.create_grid(i, height=300)]) for k, i in grid],
        ],
        className="coverage-section",
    )


def _of(frame: pd.DataFrame, district: str | None, year: int | None) -> pd.DataFrame:
    mask = frame["district"].eq(district).fillna(False).to_numpy(dtype=bool)
    if year is not None:
        mask &= frame["year"].eq(year).fillna(False).to_numpy(dtype=bool)
    return frame.loc[mask]


def _year(ev: Any, district: str | None, years: str | None) -> int | None:
    """The later year of the pair shown, else the district's latest year with a 事务清单."""
    have = _of(ev.coverage_summary, district, None)["year"].dropna().astype(int).tolist()
    wanted = (years or "").rpartition("-")[2]
    if wanted.isdigit() and int(wanted) in have:
        return int(wanted)
    return max(have) if have else None


def _body(summary: pd.DataFrame, district: str, lang: str) -> Any:
    if summary.empty:
        return c.create_empty(t("coverage_none", lang, district=district or ""))
    row = summary.iloc[0]
    share = row["share_duty_evaluated"]
    stats = [
        *((k, int(row[k])) for k in ("duty_items", "duty_evaluated", "duty_not_evaluated", "affairs_items")),
        ("affairs_without_duty", int(row["affairs_without_duty"])),
        ("share_duty_evaluated", f"{share:.0%}" if pd.notna(share) else "—"),
    ]
    notes = [t("coverage_note", lang, district=district, items=int(row["affairs_items"]))]
    if int(row["pairs_off_list"]):
        notes.append(t("coverage_off_list", lang, n=int(row["pairs_off_list"])))
    cards = dbc.Row([dbc.Col(c.create_stat(caption(k, lang), str(v)), md=2) for k, v in stats], className="g-2 mb-2")
    return html.Div([cards, *[html.P(n, className="small text-muted mb-1") for n in notes]])


def _gap_rows(gaps: pd.DataFrame, side: str, lang: str) -> tuple[list, list]:
    rows = gaps.loc[gaps["side"].eq(side).fillna(False).to_numpy(dtype=bool)]
    view = rows.assign(
        function=rows["function"].map(lambda f: t(f, lang) if isinstance(f, str) else f),
        gap_removed=rows["removed"].map(lambda r: t("gap_removed_yes", lang) if r else ""),
    )
    out, cols = tables.frame_rows(view, GAP_FIELDS, lang, {"weight": tables.NUM1})
    for col in cols:
        col["headerName"] = col["headerTooltip"] = caption(col["field"], lang)
    return out, cols


def update(ev: Any, district: str | None, years: str | None, lang: str) -> tuple:
    """All outputs of the section for the district and year pair the list page shows."""
    year = _year(ev, district, years)
    summary = _of(ev.coverage_summary, district, year) if year is not None else ev.coverage_summary.iloc[0:0]
    gaps = _of(ev.coverage_gaps, district, year)
    pairs = _of(ev.list_crosswalk, district, year)
    what = f"{district} · {year}" if year is not None else (district or "")
    pair_rows, pair_cols = tables.frame_rows(pairs, PAIR_FIELDS, lang)
    for col in pair_cols:
        col["headerName"] = col["headerTooltip"] = caption(col["field"], lang)
    return (
        t("coverage", lang, what=what),
        _body(summary, district or "", lang),
        *_gap_rows(gaps, "duty_not_evaluated", lang),
        *_gap_rows(gaps, "affairs_without_duty", lang),
        pair_rows,
        pair_cols,
    )


def register_callbacks(app: dash.Dash) -> None:
    """Fill the coverage section of the list page."""
    sections.bind(app, "lists", OUTPUTS, [(Id.DISTRICT, "value"), (Id.YEAR_FROM, "value")], update)
