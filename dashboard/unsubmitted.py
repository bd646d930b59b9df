"""未报送 on the pages (FORMATS.md §6): the line naming the streets that sent nothing, and their grade cell."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import MATCH, Input, Output, html

from dashboard import views
from dashboard.constants import Id
from metrics.submission import UNSUBMITTED_EN, UNSUBMITTED_ZH, unsubmitted_text

NOTE_CLASS = "unsubmitted-note"


def note(scores: pd.DataFrame, lang: str, period: str | None = None) -> dbc.Alert | None:
    """'未报送 n 个：区 街道…' for the streets of scores that sent nothing (None when every street reported)."""
    text = unsubmitted_text(scores, period, lang=lang)
    if not text:
        return None
    return dbc.Alert(text, color="warning", className=f"{NOTE_CLASS} py-2 mb-2")


def notes(scores: pd.DataFrame, lang: str, period: str | None = None) -> list:
    """note() as a list of children: empty when every street reported."""
    found = note(scores, lang, period)
    return [found] if found is not None else []


def label_grades(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """df with the grade of its 未报送 rows shown as 未报送 (its own state, not a grade)."""
    if "submitted" not in df.columns or "grade" not in df.columns or df.empty:
        return df
    late = ~df["submitted"].astype("boolean").fillna(True).to_numpy(dtype=bool)
    if not late.any():
        return df
    out = df.copy()
    out["grade"] = out["grade"].astype("object")
    out.loc[late, "grade"] = UNSUBMITTED_EN if lang == "en" else UNSUBMITTED_ZH
    return out


NOTE_TYPE = "unsubmitted-note"


def placeholder(page: str) -> html.Div:
    """Where a page shows its 未报送 line; filled from the page's query by register_callbacks."""
    return html.Div(id={"type": NOTE_TYPE, "page": page})


def for_query(ev, query: dict | None) -> list:
    """The 未报送 line of a page's query: its period, within its districts (the street page: its district)."""
    if ev is None or not query or not query.get("period"):
        return []
    districts = query.get("districts") or ([query["district"]] if query.get("district") else None)
    rows = views.filter_rows(ev.scores, query["period"], districts)
    return notes(rows, query.get("lang") or "zh", query["period"])


def register_callbacks(app) -> None:
    """One callback for every page holding a placeholder: its query store → its 未报送 line."""
    from dashboard import data as appdata

    @app.callback(
        Output({"type": NOTE_TYPE, "page": MATCH}, "children"),
        Input({"type": Id.QUERY, "page": MATCH}, "data"),
    )
    def _note(query):
        return for_query(appdata.current().evaluation, query)
