"""Layout pieces that say only what the evidence supports: tiers, streets not clearly different (by order
probability), points lost to unreported items, the evidence mix, grade odds and the "why did my rank change" panel.

Display only: every number comes from metrics (metrics.pairwise, metrics.evidence, metrics.change_parts).
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard import components as c
from dashboard.i18n import colon, paren, t
from metrics.change_parts import change_parts, earlier_period
from metrics.evidence import evidence_text
from metrics.pairwise import grade_text, not_clearly_different


def _bounds(ev: Any) -> dict[str, float]:
    u = ev.config.uncertainty
    return {"low": u["unclear_low"], "high": u["unclear_high"]}


def tier_summary(ev: Any, bands: pd.DataFrame | None, lang: str) -> list:
    """One line under the overview's headline: how many tiers the city's ranking falls into (none without bands)."""
    if bands is None or bands.empty or bands["n_tiers_city"].isna().all():
        return []
    text = t("tier_summary", lang, n=len(bands), tiers=int(bands["n_tiers_city"].max()), high=_bounds(ev)["high"])
    return [dbc.Alert(text, color="info", className="py-2 mt-3 mb-0 small", id="tier-summary")]


def unclear_list(
    ev: Any, order: Any, bands: pd.DataFrame | None, district: str, street: str, lang: str, n_scenarios: int
) -> Any:
    """The streets whose order against this one is not clear (order probability within the rules' bounds)."""
    if bands is None or bands.empty or order is None:
        return c.create_empty(t("empty_items", lang))
    bounds = _bounds(ev)
    others = not_clearly_different(order, bands, district, street, **bounds)
    names = [
        t("unclear_item", lang, street=s + paren(d, lang), rank=int(r), p=p)
        for s, d, r, p in zip(others["street"], others["district"], others["rank_city"], others["p_above"], strict=True)
    ]
    body = html.Ul([html.Li(n) for n in names], className="mb-0 small overlap-list") if names else None
    return dbc.Card(
        [
            dbc.CardHeader(f"{t('unclear_title', lang)}{colon(lang)}{len(names)}", className="fw-bold"),
            dbc.CardBody(
                [
                    body if body is not None else html.Span(t("unclear_none", lang)),
                    html.Div(t("unclear_note", lang, n=n_scenarios, **bounds), className="small text-muted mt-2"),
                ]
            ),
        ],
        className="h-100 shadow-sm mb-3",
        id="street-overlap-card",
        style={"maxHeight": "360px", "overflowY": "auto"},
    )


def evidence_cards(row: pd.Series | None, band: pd.Series | None, grades: pd.DataFrame | None, lang: str) -> Any:
    """Points lost to unreported items, the evidence mix, the tier and the grade odds of one score row."""
    if row is None:
        return None
    lost = row.get("points_lost_missing")
    cards = [
        c.create_stat(
            t("points_lost_missing", lang),
            "—" if pd.isna(lost) else f"{lost:.1f}",
            t("points_lost_text", lang, x="—" if pd.isna(lost) else f"{lost:.1f}"),
            colour="danger" if pd.notna(lost) and lost > 0 else "success",
        ),
        c.create_stat(
            t("share_status", lang),
            "—" if pd.isna(row.get("share_status")) else f"{row['share_status']:.0%}",
            evidence_text(row, lang),
            colour="warning" if (row.get("status_share_reported") or 0) >= 0.5 else "primary",
        ),
    ]
    if band is not None and pd.notna(band.get("tier_city")):
        cards.append(
            c.create_stat(
                t("tier_city", lang),
                t("tier_of", lang, tier=int(band["tier_city"]), n=int(band["n_tiers_city"])),
                t("rank_with_band", lang, rank=int(band["rank_city"]), band=band.get("band_city", "")),
            )
        )
    if grades is not None and not grades.empty:
        cards.append(
            c.create_stat(
                t("grade_odds", lang), grade_text(grades, str(row["district"]), str(row["street"])) or "—", ""
            )
        )
    return dbc.Row([dbc.Col(card, md=True) for card in cards], className="g-3 mb-3", id="street-evidence")


def _parts_table(parts: pd.DataFrame, total: float, lang: str) -> Any:
    label = "label_zh" if lang == "zh" else "label_en"
    rows = [
        html.Tr(
            [
                html.Td(r[label]),
                html.Td(
                    f"{r['points']:+.2f}",
                    className="text-end " + ("text-success" if r["points"] >= 0 else "text-danger"),
                ),
                html.Td(str(int(r["items"])), className="text-end"),
            ]
        )
        for _, r in parts.iterrows()
    ]
    rows.append(html.Tr([html.Th(t("why_total", lang)), html.Th(f"{total:+.2f}", className="text-end"), html.Th("")]))
    head = html.Thead(
        html.Tr([html.Th(t("why_part", lang)), html.Th(t("why_points", lang)), html.Th(t("why_items", lang))])
    )
    return dbc.Table([head, html.Tbody(rows)], size="sm", bordered=False, hover=True, className="mb-1 why-table")


def why_panel(ev: Any, district: str, street: str, period: str, lang: str) -> Any:
    """The score change against the same quarter last year and the previous quarter, split into parts."""
    blocks = []
    for lag, key in ((4, "why_year"), (1, "why_quarter")):
        before = earlier_period(period, lag)
        parts = change_parts(ev, district, street, period, lag) if street else pd.DataFrame()
        title = html.Div(t(key, lang, before=before, after=period), className="fw-bold small mb-1")
        if parts.empty:
            blocks.append(dbc.Col([title, html.Span(t("why_none", lang), className="small text-muted")], lg=6))
            continue
        blocks.append(dbc.Col([title, _parts_table(parts, float(parts["points"].sum()), lang)], lg=6))
    return dbc.Card(
        [
            dbc.CardHeader(t("why_title", lang), className="fw-bold"),
            dbc.CardBody(
                [dbc.Row(blocks, className="g-3"), html.Div(t("why_note", lang), className="small text-muted")]
            ),
        ],
        className="shadow-sm mb-3",
        id="street-why",
    )
