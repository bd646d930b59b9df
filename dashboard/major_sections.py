"""大项 drill-down (issue 15) on the street scorecard and the list page: a score per major item where the list has
them. Display only: the scores and the district spread come from metrics.majors (Evaluation.major_*)."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import html

from dashboard import components as c
from dashboard import sections, tables
from dashboard.constants import STREET_SEP as SEP
from dashboard.constants import Id
from dashboard.i18n import t

NUM1 = tables.NUM1
STREET_FIELDS = ("major_item", "function", "major_items_n", "major_weight", "major_score", "major_median")
LIST_FIELDS = ("major_item", "function", "major_items_n", "major_weight", "streets", "major_median")
LIST_FIELDS += ("major_min", "major_max")
RENAMES = {
    "items": "major_items_n",
    "weight": "major_weight",
    "score": "major_score",
    "median": "major_median",
    "min": "major_min",
    "max": "major_max",
}
FORMATS = {k: NUM1 for k in ("major_weight", "major_score", "major_median", "major_min", "major_max")}


def section(title_id: str, body_id: str, table_id: str, lang: str) -> html.Div:
    """A titled block: a note (or the empty state) and the 大项 grid."""
    return sections.titled_grid(title_id, body_id, table_id, 420, "major-section")


def _shown(df: pd.DataFrame, fields: tuple[str, ...], lang: str) -> tuple[list, list]:
    view = df.rename(columns=RENAMES)
    view = view.assign(function=view["function"].map(lambda f: t(f, lang) if isinstance(f, str) else f))
    return tables.frame_rows(view, fields, lang, FORMATS)


def _body(df: pd.DataFrame, lang: str) -> Any:
    return (
        html.P(t("major_note", lang), className="small text-muted mb-2")
        if not df.empty
        else c.create_empty(t("major_none", lang))
    )


def street_update(ev: Any, street_value: str | None, period: str | None, lang: str) -> tuple:
    """The street's 大项 scores in the period beside its district's median."""
    district, _, street = (street_value or "").partition(SEP)
    ms = ev.major_scores
    mask = ms["district"].eq(district) & ms["street"].eq(street) & ms["period"].eq(period)
    mine = ms.loc[mask.fillna(False).to_numpy(dtype=bool)]
    spread = ev.major_district[["district", "period", "major_item", "median"]]
    mine = mine.merge(spread, on=["district", "period", "major_item"], how="left").sort_values(
        ["function", "major_item"]
    )
    title = t("major_scores_of", lang, what=f"{street} · {period}") if street else t("major_scores", lang)
    return (title, _body(mine, lang), *_shown(mine, STREET_FIELDS, lang))


def lists_update(ev: Any, district: str | None, years: str | None, lang: str) -> tuple:
    """The district's 大项 spread in the latest period of the list year shown (the later year of the pair)."""
    md = ev.major_district
    rows = md.loc[md["district"].eq(district).fillna(False).to_numpy(dtype=bool)]
    year = (years or "").rpartition("-")[2]
    in_year = rows.loc[rows["period"].str.startswith(year).fillna(False).to_numpy(dtype=bool)] if year else rows
    rows = in_year if not in_year.empty else rows
    period = rows["period"].max() if not rows.empty else None
    rows = rows.loc[rows["period"].eq(period).to_numpy(dtype=bool)] if period else rows
    what = f"{district} · {period}" if period else (district or "")
    return (t("major_scores_of", lang, what=what), _body(rows, lang), *_shown(rows, LIST_FIELDS, lang))


def register_callbacks(app: dash.Dash) -> None:
    """Fill the 大项 sections of the street and list pages."""
    street = sections.grid_outputs(Id.STREET_MAJOR_TITLE, Id.STREET_MAJOR_BODY, Id.STREET_MAJOR_TABLE)
    sections.bind(app, "street", street, [(Id.STREET, "value"), (Id.PERIOD, "value")], street_update)
    lists = sections.grid_outputs(Id.LISTS_MAJOR_TITLE, Id.LISTS_MAJOR_BODY, Id.LISTS_MAJOR_TABLE)
    sections.bind(app, "lists", lists, [(Id.DISTRICT, "value"), (Id.YEAR_FROM, "value")], lists_update)
