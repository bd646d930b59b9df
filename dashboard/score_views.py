"""The comparison page's score views (official / common core / within-district percentile), its rank-shift table
and its "does the score track what citizens feel?" panel. Every figure comes from the Evaluation (metrics.views,
metrics.common_core, metrics.coherence); nothing here scores."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard import components as c
from dashboard.i18n import t
from metrics.common_core import coverage_text
from metrics.keys import KEY
from metrics.views import VIEWS

# view → (the Evaluation.views column shown as the score, its city rank)
SHOWN = {"core": ("overall_core", "rank_city_core"), "standardised": ("percentile_district", "rank_city_z")}


def options(lang: str) -> list[tuple[str, str]]:
    """The view radio's (value, label) pairs."""
    return [(v, t(f"view_{v}", lang)) for v in VIEWS]


def apply(df: pd.DataFrame, ev: Any, view: str) -> pd.DataFrame:
    """df (score rows) with overall and rank_city taken from the view (official: df as it is)."""
    if view not in SHOWN or df.empty:
        return df
    score, rank = SHOWN[view]
    shown = ev.views[[*KEY, score, rank]].rename(columns={score: "_score", rank: "_rank"})
    out = df.merge(shown, on=KEY, how="left").set_axis(df.index)
    out = out.assign(overall=out["_score"].astype("float64"), rank_city=out["_rank"].astype("Int64"))
    return out.drop(columns=["_score", "_rank"])  # the rows keep their order: groups as the page set them


def note(view: str, lang: str) -> Any:
    """What the view is, under the filters (none for the official view)."""
    if view not in SHOWN:
        return None
    return html.Div(t(f"view_note_{view}", lang), className="small text-muted mb-2 view-note")


def _fmt(value: object, pattern: str = "{:.0f}") -> str:
    return "—" if value is None or pd.isna(value) else pattern.format(value)


def _signed(value: object) -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{int(value):+d}" if int(value) else "0"


def shift_table(ev: Any, period: str, districts: list[str], lang: str) -> Any:
    """Each chosen street's city rank in the three views, with the shifts against the official rank."""
    v = ev.views
    mask = v["period"].eq(period).to_numpy(dtype=bool, na_value=False)
    mask &= v["district"].isin(list(districts)).to_numpy(dtype=bool, na_value=False)
    rows = v.loc[mask].sort_values(["rank_city", "district", "street"])
    head = ["district", "pv_street", "views_rank_official", "views_rank_core", "views_shift_core", "views_rank_z"]
    head += ["views_shift_z", "views_score_core"]
    body = [
        html.Tr(
            [
                html.Td(r["district"]),
                html.Td(r["street"]),
                html.Td(_fmt(r["rank_city"])),
                html.Td(_fmt(r["rank_city_core"])),
                html.Td(_signed(r["shift_core"])),
                html.Td(_fmt(r["rank_city_z"])),
                html.Td(_signed(r["shift_z"])),
                html.Td(_fmt(r["overall_core"], "{:.1f}")),
            ]
        )
        for _, r in rows.iterrows()
    ]
    table = dbc.Table(
        [html.Thead(html.Tr([html.Th(t(h, lang)) for h in head])), html.Tbody(body)],
        size="sm",
        striped=True,
        className="mb-1 views-shift-table",
    )
    # A scrolling region the keyboard can reach (WCAG 2.1.1; axe scrollable-region-focusable).
    label = {"aria-label": t("views_title", lang)}
    return html.Div(table, className="scroll-box", tabIndex="0", role="region", **label)


def coverage_line(ev: Any, period: str, districts: list[str], lang: str) -> Any:
    """The core's share of each chosen district's list weight, for the list year of the period."""
    if ev.core_coverage.empty:
        return None
    shares = coverage_text(ev.core_coverage, districts, period)
    return html.Div(t("views_coverage", lang, shares=shares), className="small text-muted mb-2 core-coverage")


def citizen_panel(ev: Any, period: str, lang: str) -> Any:
    """Correlation of the overall score with satisfaction and online handling, and Cronbach's alpha, for the period."""
    validity = ev.validity[ev.validity["period"].eq(period).to_numpy(dtype=bool, na_value=False)]
    coherence = ev.coherence[ev.coherence["period"].eq(period).to_numpy(dtype=bool, na_value=False)]
    r = {row["against"]: row for _, row in validity.iterrows()}
    sat = r.get("satisfaction")
    online = r.get("online_rate")
    alpha = coherence["alpha"].iloc[0] if len(coherence) else None
    n = coherence["n_streets"].iloc[0] if len(coherence) else (sat["n_streets"] if sat is not None else 0)
    line = t(
        "citizen_line",
        lang,
        n=_fmt(n),
        sat=_fmt(sat["pearson"] if sat is not None else None, "{:.2f}"),
        online=_fmt(online["pearson"] if online is not None else None, "{:.2f}"),
        alpha=_fmt(alpha, "{:.2f}"),
    )
    return html.Div(
        [html.P(line, className="mb-1"), html.P(t("citizen_read", lang), className="small text-muted mb-0")],
        className="citizen-panel",
    )


def section(ev: Any, period: str | None, districts: list[str], lang: str) -> Any:
    """The rank-shift table with the core's coverage, then the citizen panel (empty without data)."""
    if ev is None or not period or period not in ev.periods:
        return None
    return html.Div(
        [
            c.create_section(
                t("views_title", lang),
                coverage_line(ev, period, districts, lang),
                shift_table(ev, period, districts, lang),
                html.Div(t("views_shift_note", lang), className="small text-muted"),
            ),
            c.create_section(t("citizen_title", lang), citizen_panel(ev, period, lang)),
        ]
    )
