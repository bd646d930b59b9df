"""Department scorecard figures (issue 15, 考核权): the ranking with intervals, one department's dimensions, its
trend. Built from metrics.departments frames; nothing computed here."""

from __future__ import annotations

import pandas as pd

from dashboard.figures.base import Figure, axis, empty_figure, escape_markup, make, trace
from dashboard.i18n import colon, t
from metrics.department_labels import caption
from metrics.departments import DIMENSIONS

TOP = 25
RATED = "#0072B2"
UNRATED = "#999999"


def _labels(df: pd.DataFrame) -> pd.Series:
    """Department names, with the district when several districts are shown."""
    if len(set(df["district"])) <= 1:
        return df["department"].astype(str)
    sep = " · "
    return df["department"].astype(str) + sep + df["district"].astype(str)


def ranking(table: pd.DataFrame, period: str | None, lang: str) -> Figure:
    """Each rated department's overall rating as a dot with its interval, best first (unranked ones greyed)."""
    title = t("dept_ranking", lang)
    rated = table[table["n_streets"] > 0].head(TOP)
    if rated.empty:
        return empty_figure(t("dept_none", lang), title, period)
    labels = _labels(rated)
    ok = rated["enough"].to_numpy(dtype=bool)
    low = (rated["overall"] - rated["low"]).fillna(0)
    high = (rated["high"] - rated["overall"]).fillna(0)
    dots = trace(
        "scatter",
        x=rated["overall"],
        y=labels,
        mode="markers",
        marker_color=[RATED if k else UNRATED for k in ok],
        marker_size=10,
        error_x={"type": "data", "array": high.tolist(), "arrayminus": low.tolist(), "color": "#555", "width": 4},
        customdata=rated[["n_streets", "interval", "band"]].astype(object).fillna("").to_numpy(),
        hovertemplate="%{y}"
        + colon(lang)
        + "%{x:.1f}<br>"
        + escape_markup(caption("n_streets", lang))
        + " %{customdata[0]}<br>"
        + escape_markup(caption("interval", lang))
        + " %{customdata[1]}<br>"
        + escape_markup(caption("band", lang))
        + " %{customdata[2]}<extra></extra>",
    )
    layout = {
        "yaxis": axis(None, autorange="reversed", type="category"),
        "xaxis": axis(t("dept_score_axis", lang), range=[0, 100]),
        "showlegend": False,
    }
    return make([dots], layout, title, period, t("dept_unit", lang), height=max(320, 26 * len(rated) + 120))


def dimensions(row: pd.Series | None, name: str, period: str | None, lang: str) -> Figure:
    """The four dimensions' mean ratings of one department in the period."""
    title = t("dept_dims", lang)
    if row is None or pd.isna(row.get("overall")):
        return empty_figure(t("dept_none", lang), title, period)
    values = [row[k] for k in DIMENSIONS]
    bar = trace(
        "bar",
        x=[caption(k, lang) for k in DIMENSIONS],
        y=values,
        marker_color=RATED,
        text=[None if pd.isna(v) else f"{v:.1f}" for v in values],
        textposition="outside",
        hovertemplate="%{x}" + colon(lang) + "%{y:.1f}<extra></extra>",
    )
    layout = {"yaxis": axis(t("dept_score_axis", lang), range=[0, 105]), "xaxis": axis(None)}
    return make([bar], layout, f"{title} · {name}", period, t("dept_unit", lang), height=340)


def trend(history: pd.DataFrame, name: str, lang: str) -> Figure:
    """One department's overall rating per period, with its interval as a band where there is one."""
    title = t("dept_trend", lang)
    rated = history[history["n_streets"] > 0]
    if rated.empty:
        return empty_figure(t("dept_none", lang), title)
    periods = rated["period"].astype(str)
    band = rated["enough"].to_numpy(dtype=bool)
    traces = [
        trace(
            "scatter",
            x=periods[band],
            y=rated.loc[band, "high"],
            mode="lines",
            line={"width": 0},
            hoverinfo="skip",
            showlegend=False,
        ),
        trace(
            "scatter",
            x=periods[band],
            y=rated.loc[band, "low"],
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor="rgba(0,114,178,0.18)",
            name=caption("interval", lang),
            hoverinfo="skip",
        ),
        trace(
            "scatter",
            x=periods,
            y=rated["overall"],
            mode="lines+markers",
            line={"color": RATED},
            name=caption("overall", lang),
            customdata=rated[["n_streets"]].to_numpy(),
            hovertemplate="%{x}"
            + colon(lang)
            + "%{y:.1f}（"
            + escape_markup(caption("n_streets", lang))
            + " %{customdata[0]}）<extra></extra>",
        ),
    ]
    layout = {
        "xaxis": axis(t("period", lang), type="category", categoryorder="category ascending"),
        "yaxis": axis(t("dept_score_axis", lang), range=[0, 100]),
        "legend": {"orientation": "h", "y": -0.25},
    }
    span = f"{periods.iloc[0]}–{periods.iloc[-1]}"
    return make(traces, layout, f"{title} · {name}", span, t("dept_unit", lang), height=340)
