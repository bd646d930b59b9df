"""Burden (基层减负) figures: tasks by department and street, approval and funding shares, trend."""

from __future__ import annotations

import pandas as pd

from dashboard.figures.base import Figure, axis, empty_figure, escape_markup, make, plain, trace
from dashboard.figures.scores import district_colours
from dashboard.i18n import colon, t


def rows_by(keys: list[str]) -> dict[str, list[int]]:
    """The row positions of each key, keys in order of first appearance (one pass, not a mask per key)."""
    out: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        out.setdefault(key, []).append(i)
    return out


TOP = 15


def top_bars(df: pd.DataFrame, label: str, title_key: str, period: str | None, lang: str) -> Figure:
    """The TOP rows by unlisted tasks as horizontal bars (label column on the axis)."""
    title = t(title_key, lang)
    df = df[df["unlisted_tasks"] > 0].nlargest(TOP, "unlisted_tasks") if not df.empty else df
    if df.empty:
        return empty_figure(t("empty_burden", lang), title, period)
    bar = trace(
        "bar",
        x=df["unlisted_tasks"],
        y=df[label].astype(str),
        orientation="h",
        marker_color="#D55E00",
        text=df["unlisted_tasks"],
        textposition="outside",
        customdata=df[["unlisted_workdays"]].to_numpy(),
        hovertemplate="%{y}<br>%{x} "
        + t("items", lang)
        + "，%{customdata[0]:.0f} "
        + t("workdays", lang)
        + "<extra></extra>",
    )
    layout = {
        "yaxis": axis(None, autorange="reversed"),
        "xaxis": axis(t("unlisted_tasks", lang), range=[0, float(df["unlisted_tasks"].max()) * 1.2]),
    }
    return make([bar], layout, title, period, t("unit_tasks", lang), height=max(300, 24 * len(df) + 110))


def shares(by_district: pd.DataFrame, period: str | None, lang: str) -> Figure:
    """Share of unlisted tasks not approved through 准入, and without funds, per district."""
    title = t("fig_burden_shares", lang)
    if by_district.empty:
        return empty_figure(t("empty_burden", lang), title, period)
    traces = [
        trace(
            "bar",
            name=t(col, lang),
            x=by_district["district"],
            y=by_district[col] * 100,
            marker_color=colour,
            hovertemplate="%{x} " + t(col, lang) + colon(lang) + "%{y:.0f}%<extra></extra>",
        )
        for col, colour in (("share_not_approved", "#CC79A7"), ("share_without_funds", "#E69F00"))
    ]
    layout = {"barmode": "group", "yaxis": axis("%", range=[0, 100])}
    return make(traces, layout, title, period, t("unit_share", lang), height=360)


def trend(by_period: pd.DataFrame, lang: str) -> Figure:
    """Unlisted tasks per quarter, one line per district."""
    title = t("fig_burden_trend", lang)
    if by_period.empty:
        return empty_figure(t("empty_burden", lang), title)
    rows = rows_by(by_period["district"].astype(str).tolist())
    colours = district_colours(list(rows))
    periods, tasks = plain(by_period["period"]), plain(by_period["unlisted_tasks"])
    traces = [
        trace(
            "scatter",
            name=d,
            x=[periods[i] for i in at],
            y=[tasks[i] for i in at],
            mode="lines+markers",
            line={"color": colours[d]},
            hovertemplate=escape_markup(d) + " %{x}" + colon(lang) + "%{y}<extra></extra>",
        )
        for d, at in rows.items()
    ]
    layout = {
        "xaxis": axis(t("period", lang), type="category", categoryorder="category ascending"),
        "yaxis": axis(t("unlisted_tasks", lang), rangemode="tozero"),
    }
    periods = sorted(by_period["period"].astype(str).unique())
    return make(traces, layout, title, f"{periods[0]}–{periods[-1]}", t("unit_tasks", lang), height=360)
