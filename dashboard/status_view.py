"""The what-if page's "如果‘进行中’折算得更低或更高" section: how streets whose evidence is mostly a status word
move against the others (figures from metrics.status_effect; nothing here scores)."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard import components as c
from dashboard.i18n import t
from metrics.evidence import EVIDENCE_CLASSES
from metrics.labels import label
from metrics.status_effect import status_effect_summary


def _rank(value: object) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.1f}".removesuffix(".0")


def section(ev: Any, period: str | None, lang: str) -> Any:
    """Per evidence class, the streets and their median city rank with 进行中 at its low, official and high value."""
    if ev is None or not period:
        return None
    effect = ev.status_effect[ev.status_effect["period"].eq(period).to_numpy(dtype=bool, na_value=False)]
    summary = status_effect_summary(effect)
    u = ev.config.uncertainty
    status = ev.config.varied_status
    if status is None:  # the rules value no status strictly between 0 and 1: nothing varies
        return None
    official = ev.config.status[status]
    shown = label("status", status, lang)
    head = [
        t("st_class", lang),
        t("st_streets", lang),
        t("st_rank_at", lang, s=shown, v=f"{u['status_low']:g}"),
        t("st_rank_at", lang, s=shown, v=f"{official:g}"),
        t("st_rank_at", lang, s=shown, v=f"{u['status_high']:g}"),
    ]
    rows = [
        html.Tr(
            [
                html.Td(EVIDENCE_CLASSES[r["evidence_class"]][1 if lang == "en" else 0]),
                html.Td(str(r["n_streets"])),
                html.Td(_rank(r["median_rank_low"])),
                html.Td(_rank(r["median_rank"])),
                html.Td(_rank(r["median_rank_high"])),
            ]
        )
        for _, r in summary.iterrows()
        if r["evidence_class"] in EVIDENCE_CLASSES
    ]
    table = dbc.Table(
        [html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(rows)],
        size="sm",
        striped=True,
        className="mb-1 status-effect-table",
    )
    note = html.Div(t("st_note", lang, s=shown), className="small text-muted")
    return c.create_section(t("st_title", lang, s=shown), table, note)
