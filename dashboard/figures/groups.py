"""Side-by-side figures per group (district or street type): service efficiency and burden."""

from __future__ import annotations

import pandas as pd

from dashboard.figures.base import Figure, axis, empty_figure, make, trace
from dashboard.figures.scores import district_colours, grouped_bars
from dashboard.i18n import paren, shown, t

SERVICE_RATES = ("online_rate", "one_visit_rate", "satisfaction")


def service_bars(medians: pd.DataFrame, group: str, period: str | None, lang: str) -> Figure:
    """Median online rate, one-visit rate and satisfaction per group, on one 0–100 % axis."""
    title = t("fig_service", lang)
    if medians.empty or medians[list(SERVICE_RATES)].isna().all().all():
        return empty_figure(t("empty_service", lang), title, period)
    medians = shown(medians, lang, (group,))
    traces = grouped_bars(medians, group, {r: t(r, lang) for r in SERVICE_RATES}, lang, scale=100, unit="%")
    layout = {"barmode": "group", "yaxis": axis("%", range=[0, 100])}
    return make(
        traces, layout, title + ("（中位数）" if lang == "zh" else " (median)"), period, t("unit_share", lang), 380
    )


def burden_bars(per_group: pd.DataFrame, group: str, period: str | None, lang: str) -> Figure:
    """Unlisted tasks per street in each group, with the share not approved in the hover."""
    title = t("fig_burden_cmp", lang)
    if per_group.empty:
        return empty_figure(t("empty_burden", lang), title, period)
    per_group = shown(per_group, lang, (group,))
    groups = per_group[group].astype(str).tolist()
    colours = district_colours(groups)
    bar = trace(
        "bar",
        x=groups,
        y=per_group["tasks_per_street"],
        marker_color=[colours[g] for g in groups],
        text=per_group["tasks_per_street"].round(1),
        textposition="outside",
        customdata=per_group[["unlisted_tasks", "streets"]].to_numpy(),
        hovertemplate="%{x}<br>%{y:.1f} / "
        + ("街道" if lang == "zh" else "street")
        + paren("%{customdata[0]} / %{customdata[1]}", lang)
        + "<extra></extra>",
    )
    top = float(per_group["tasks_per_street"].max() or 1)
    layout = {"yaxis": axis(t("unlisted_tasks", lang), range=[0, top * 1.25])}
    return make([bar], layout, title, period, t("unit_tasks", lang), 380)
