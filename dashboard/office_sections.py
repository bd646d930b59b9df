"""机构设置 (issue 15 point 4) on the street scorecard and the comparison page. Display only: the offices, their
workload and the 5+X verdict come from metrics.offices (Evaluation.offices, office_items, office_model)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard import components as c
from dashboard import sections, tables
from dashboard.constants import STREET_SEP as SEP
from dashboard.constants import Id
from dashboard.figures.offices import workload
from dashboard.i18n import t
from metrics.office_labels import (
    COMPLIANCE_TABLE,
    OFFICE_LABELS,
    OFFICE_TABLE,
    UNMATCHED_TABLE,
    code_label,
    verdict_text,
)
from metrics.offices import district_compliance

INT = {"function": "params.value == null ? '' : d3.format(',.0f')(params.value)"}
NUMERIC = {"posts", "staff", "items", "unlisted_tasks", "streets", "reported", "follows"}


def street_section(lang: str) -> html.Div:
    """The 机构设置 block of the street scorecard: verdict and staff, the workload chart, the offices, the items
    no office carries."""
    return html.Div(
        [
            html.H5(id=Id.STREET_OFF_TITLE, className="mt-2"),
            html.Div(id=Id.STREET_OFF_BODY),
            dbc.Row(
                [
                    dbc.Col(c.create_chart(Id.STREET_OFF_FIG, lang, height=300, source="source_offices"), lg=6),
                    dbc.Col(c.create_grid(Id.STREET_OFF_TABLE, height=360), lg=6),
                ]
            ),
            html.H6(t("offices_unmatched_title", lang), className="mt-2"),
            html.Div(id=Id.STREET_OFF_UNMATCHED_BODY),
            c.create_grid(Id.STREET_OFF_UNMATCHED_TABLE, height=260),
        ],
        className="office-section",
    )


def compare_section() -> html.Div:
    """The district overview of 5+X compliance on the comparison page."""
    return html.Div(
        [
            html.H5(id=Id.COMPARE_OFF_TITLE, className="mt-2"),
            html.Div(id=Id.COMPARE_OFF_BODY),
            c.create_grid(Id.COMPARE_OFF_TABLE, height=240),
        ],
        className="office-section",
    )


def _columns(fields: Sequence[str], lang: str) -> list[dict]:
    out = []
    for f in fields:
        kw: dict = {"type": "numericColumn", "valueFormatter": INT} if f in NUMERIC else {}
        if f == "item_weight":
            kw = {"type": "numericColumn", "valueFormatter": tables.NUM1}
        if f == "share":
            kw = {"type": "numericColumn", "valueFormatter": tables.PCT0}
        # the shared fields (district, item code …) print as everywhere (metrics.labels), the rest as 机构设置's
        field = f"off_{f}" if f in OFFICE_LABELS else f
        out.append(tables.col(field, lang, header=t(field, lang) if f in OFFICE_LABELS else None, **kw))
    return out


def _coded(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """df with its coded 机构设置 values (and list types) printed in lang."""
    from metrics.labels import labelled

    out = df.copy()
    for col in ("office_category", "office_reason", "office_verdict", "list_type"):
        if col in out.columns:
            out[col] = (
                labelled(col, out[col], lang)
                if col == "list_type"
                else out[col].map(lambda v, col=col: code_label(col, v, lang))
            )
    return out


def _rows(df: pd.DataFrame, fields: Sequence[str], lang: str) -> list[dict]:
    shown = _coded(df, lang)[list(fields)]
    renamed = shown.rename(columns={f: f"off_{f}" for f in fields if f in OFFICE_LABELS})
    return tables.records(renamed, list(renamed.columns))


def _of(frame: pd.DataFrame, district: str, street: str) -> pd.DataFrame:
    """The rows of one street."""
    return frame.loc[(frame["district"].eq(district) & frame["street"].eq(street)).fillna(False).to_numpy(dtype=bool)]


def street_update(ev: Any, street_value: str | None, lang: str) -> tuple:
    """Title, body, figure, the offices grid (rows, columns), the unmatched items' note and grid of one street."""
    district, _, street = (street_value or "").partition(SEP)
    title = t("offices_of", lang, what=street) if street else t("offices_title", lang)
    cols, ucols = _columns(OFFICE_TABLE, lang), _columns(UNMATCHED_TABLE, lang)
    mine = _of(ev.office_model, district, street)
    if mine.empty or mine.iloc[0]["office_verdict"] == "not_reported":
        key = "offices_none" if mine.empty else "offices_not_reported"
        empty = workload(ev.offices.iloc[0:0], street, "", lang)
        return title, c.create_empty(t(key, lang)), empty, [], cols, None, [], ucols
    row = mine.iloc[0]
    offices = ev.offices
    own = offices.loc[
        (offices["district"].eq(district) & offices["street"].eq(street)).fillna(False).to_numpy(dtype=bool)
    ]
    year = "" if pd.isna(row["list_year"]) else int(row["list_year"])
    follows = bool(row["follows_5x"])
    staff = t(
        "offices_staff",
        lang,
        posts="—" if pd.isna(row["posts"]) else f"{row['posts']:.0f}",
        staff="—" if pd.isna(row["staff"]) else f"{row['staff']:.0f}",
    )
    body = html.Div(
        [
            dbc.Alert(
                verdict_text(row, ev.config.office_x, lang),
                color="success" if follows else "warning",
                className="py-2 mb-2 office-verdict",
            ),
            html.P(
                [
                    staff,
                    " ",
                    t("offices_unassigned", lang, tasks=row["unlisted_tasks"], unassigned=row["unlisted_unassigned"])
                    if row["unlisted_tasks"]
                    else "",
                ],
                className="small mb-1",
            ),
            html.P(t("offices_note", lang, year=year), className="small text-muted mb-2"),
        ]
    )
    items = ev.office_items
    flagged = items.loc[
        (items["district"].eq(district) & items["street"].eq(street)).fillna(False).to_numpy(dtype=bool)
    ]
    unmatched_body = (
        html.P(t("offices_unmatched_count", lang, n=len(flagged)), className="small mb-1 office-unmatched-count")
        if not flagged.empty
        else c.create_empty(t("offices_unmatched_none", lang))
    )
    figure = workload(own, street, year, lang)
    return (
        title,
        body,
        figure,
        _rows(own, OFFICE_TABLE, lang),
        cols,
        unmatched_body,
        _rows(flagged, UNMATCHED_TABLE, lang),
        ucols,
    )


def compare_update(ev: Any, districts: Sequence[str] | None, lang: str) -> tuple:
    """Title, note and the grid of 5+X compliance per district (the chosen districts, all when none)."""
    model = ev.office_model
    if districts:
        model = model.loc[model["district"].isin(list(districts)).to_numpy(dtype=bool)]
    summary = district_compliance(model)
    title = t("offices_compare_title", lang)
    cols = _columns(COMPLIANCE_TABLE, lang)
    if summary.empty:
        return title, c.create_empty(t("offices_compare_none", lang)), [], cols
    low, high = ev.config.office_x
    note = html.P(t("offices_compare_note", lang, low=low, high=high), className="small text-muted mb-2")
    return title, note, _rows(summary, COMPLIANCE_TABLE, lang), cols


def register_callbacks(app: dash.Dash) -> None:
    """Fill the 机构设置 sections of the street and comparison pages."""
    street = [
        (Id.STREET_OFF_TITLE, "children"),
        (Id.STREET_OFF_BODY, "children"),
        (Id.STREET_OFF_FIG, "figure"),
        (Id.STREET_OFF_TABLE, "rowData"),
        (Id.STREET_OFF_TABLE, "columnDefs"),
        (Id.STREET_OFF_UNMATCHED_BODY, "children"),
        (Id.STREET_OFF_UNMATCHED_TABLE, "rowData"),
        (Id.STREET_OFF_UNMATCHED_TABLE, "columnDefs"),
    ]
    compare = [
        (Id.COMPARE_OFF_TITLE, "children"),
        (Id.COMPARE_OFF_BODY, "children"),
        (Id.COMPARE_OFF_TABLE, "rowData"),
        (Id.COMPARE_OFF_TABLE, "columnDefs"),
    ]
    sections.bind(app, "street", street, [(Id.STREET, "value")], street_update)
    sections.bind(app, "compare", compare, [(Id.DISTRICTS, "value")], compare_update)
