"""Figures of rank robustness: which scoring choice moves the ranks (metrics.sensitivity shares)."""

from __future__ import annotations

import pandas as pd

from dashboard.figures.base import Figure, axis, empty_figure, make, trace
from dashboard.i18n import colon, t

KIND_COLOURS = {"first_order": "#0072B2", "interaction": "#999999", "total": "#E69F00"}


def sensitivity_bars(sens: pd.DataFrame, period: str | None, lang: str) -> Figure:
    """Share of the city rank variance per scoring choice in the period, largest on top (%)."""
    title = t("fig_sensitivity", lang)
    if sens.empty:
        return empty_figure(t("empty_period", lang), title, period)
    df = sens.sort_values("share", ascending=True, kind="stable")
    labels = df["label_zh"] if lang == "zh" else df["label_en"]
    pct = df["share"].astype("float64") * 100.0
    bar = trace(
        "bar",
        x=pct,
        y=labels,
        orientation="h",
        marker_color=[KIND_COLOURS.get(k, "#0072B2") for k in df["kind"]],
        text=[f"{v:.0f}%" for v in pct],
        textposition="outside",
        hovertemplate="%{y}" + colon(lang) + "%{x:.1f}%<extra></extra>",
    )
    layout = {"xaxis": axis(t("share_rank_variance", lang), range=[0, 110]), "yaxis": axis(None)}
    return make([bar], layout, title, period, t("unit_share", lang), height=300)
