"""Figures of street scores: ranking, movers, distributions, functions, grades, trends."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard.constants import DISTRICT_COLOURS, FUNCTIONS, MEDIAN_COLOUR
from dashboard.figures.base import Figure, axis, empty_figure, escape_markup, make, trace
from dashboard.grade_colours import UNKNOWN, grade_colours
from dashboard.i18n import colon, paren, shown, t

MAX_BARS = 30  # beyond this the ranking shows the top and bottom 15 only


def district_colours(district_list: Sequence[str]) -> dict[str, str]:
    """A fixed colour per district, by its position in the selection."""
    return {d: DISTRICT_COLOURS[i % len(DISTRICT_COLOURS)] for i, d in enumerate(district_list)}


def named(df: pd.DataFrame, lang: str) -> pd.Series:
    """'street（district）' labels of df's rows (' (district)' in English)."""
    return df["street"].astype(str) + df["district"].astype(str).map(lambda d: paren(d, lang))


def ranking_bar(
    df: pd.DataFrame, column: str, period: str | None, lang: str, scope: str = "", grades: Sequence[str] = ()
) -> Figure:
    """Horizontal bars of streets by score, best on top, coloured by grade (ev.grades); scope: the district filter."""
    title = t("fig_ranking_in", lang, scope=scope) if scope else t("fig_ranking", lang)
    title += "" if column == "overall" else paren(t(column, lang), lang)
    df = df.dropna(subset=[column]).sort_values(column, ascending=False)
    if df.empty:
        return empty_figure(t("empty_filters", lang), title, period)
    if len(df) > MAX_BARS:
        title += "（前 15 / 后 15）" if lang == "zh" else " (top 15 / bottom 15)"
        df = pd.concat([df.head(15), df.tail(15)])
    labels = named(df, lang)
    colours = grade_colours(grades)
    grade = df["grade"].fillna("").astype(str) if "grade" in df else pd.Series("", index=df.index)
    bar = trace(
        "bar",
        x=df[column],
        y=labels,
        orientation="h",
        marker_color=[colours.get(g, UNKNOWN) for g in grade],
        text=df[column].round(1),
        textposition="outside",
        customdata=df[["district", "street"]].to_numpy(),
        hovertemplate="%{customdata[1]}" + paren("%{customdata[0]}", lang) + "<br>%{x:.2f}<extra></extra>",
    )
    # every street named: plotly would otherwise skip every other category label
    yaxis = axis(None, autorange="reversed", tickmode="array", tickvals=list(labels))
    layout = {"yaxis": yaxis, "xaxis": axis(t("score", lang), range=[0, 105])}
    return make([bar], layout, title, period, t("unit_score", lang), height=max(300, 22 * len(df) + 110))


MOVE = "change_year_ago"  # the change the movers chart shows


def movers_bar(df: pd.DataFrame, period: str | None, lang: str, n: int = 8) -> Figure:
    """The n largest rises and falls against the same quarter a year earlier (the quarter before is seasonal:
    every street dips in Q1, so the headline change is year-on-year)."""
    title = t("fig_movers", lang)
    if df.empty or MOVE not in df or df[MOVE].dropna().empty:
        return empty_figure(t("empty_previous", lang), title, period)
    moved = df.dropna(subset=[MOVE])
    top = pd.concat([moved.nlargest(n, MOVE), moved.nsmallest(n, MOVE)])
    top = top[~top.index.duplicated()].sort_values(MOVE)
    labels = named(top, lang)
    bar = trace(
        "bar",
        x=top[MOVE],
        y=labels,
        orientation="h",
        marker_color=["#1a9850" if v >= 0 else "#d73027" for v in top[MOVE]],
        text=top[MOVE].map(lambda v: f"{v:+.1f}"),
        textposition="outside",
        customdata=top[["district", "street"]].to_numpy(),
        hovertemplate="%{customdata[1]}" + paren("%{customdata[0]}", lang) + "<br>%{x:+.2f}<extra></extra>",
    )
    span = float(top[MOVE].abs().max() or 1) * 1.25
    layout = {
        "xaxis": axis(t("change", lang), range=[-span, span]),
        "yaxis": axis(None, tickmode="array", tickvals=list(labels)),
    }
    return make([bar], layout, title, period, t("unit_score", lang), height=max(300, 22 * len(top) + 110))


def click_note(unit: str, lang: str) -> str:
    """The note under a chart whose points open a scorecard: its unit, then the click hint."""
    return t(unit, lang) + ("　" if lang == "zh" else "  ") + t("click_hint", lang)


def group_boxes(df: pd.DataFrame, y: str, group: str, custom: list[str], hover: str) -> list[dict]:
    """One box per group with every street a point on it (customdata starts district, street, period: a
    click on a point opens that scorecard)."""
    groups = list(dict.fromkeys(df[group].astype(str)))
    colours = district_colours(groups)
    traces = []
    for g in groups:
        part = df[df[group].astype(str) == g]
        traces.append(
            trace(
                "box",
                y=part[y],
                x=[g] * len(part),
                name=g,
                boxpoints="all",
                jitter=0.45,
                pointpos=0,
                marker={"color": colours[g], "size": 9, "line": {"width": 1, "color": "white"}},
                line={"color": colours[g]},
                fillcolor="rgba(0,0,0,0.03)",
                customdata=part[custom].astype(object).to_numpy(),
                hovertemplate=hover,
                showlegend=False,
            )
        )
    return traces


def strip(df: pd.DataFrame, column: str, group: str, period: str | None, lang: str) -> Figure:
    """Every street a point, grouped (by district or street type), box behind; click opens the scorecard."""
    title = t("fig_strip", lang) + ("" if column == "overall" else paren(t(column, lang), lang))
    df = shown(df.dropna(subset=[column]), lang, (group,))  # street types named in lang
    if df.empty:
        return empty_figure(t("empty_filters", lang), title, period)
    hover = (
        "<b>%{customdata[1]}</b>"
        + paren("%{customdata[0]}", lang)
        + f"<br>{t('score', lang)}{colon(lang)}%{{y:.2f}}<extra></extra>"
    )
    traces = group_boxes(df, column, group, ["district", "street", "period"], hover)
    layout = {"yaxis": axis(t("score", lang), range=[0, 102]), "xaxis": axis(None)}
    return make(
        traces,
        layout,
        title,
        period,
        click_note("unit_score", lang),
        height=420,
    )


def peer_gap_strip(df: pd.DataFrame, column: str, group: str, period: str | None, lang: str) -> Figure:
    """Every street's score minus its peers' median (metrics.peers.peer_gaps), grouped, with the zero line."""
    title = t("fig_peer_gap", lang) + ("" if column == "overall" else paren(t(column, lang), lang))
    gap = f"gap_{column}"
    df = shown(df.dropna(subset=[gap]), lang, (group,)) if gap in df else df.iloc[0:0]
    if df.empty:
        return empty_figure(t("peers_none", lang), title, period)
    hover = (
        "<b>%{customdata[1]}</b>"
        + paren("%{customdata[0]}", lang)
        + f"<br>{t('score', lang)}{colon(lang)}%{{customdata[3]:.1f}}<br>"
        + f"{t('peer_median', lang)}{colon(lang)}%{{customdata[4]:.1f}}"
        + paren(f"{t('n_peers', lang)} %{{customdata[5]}}", lang)
        + f"<br>{t('gap_peers', lang)}{colon(lang)}%{{y:+.1f}}<extra></extra>"
    )
    custom = ["district", "street", "period", column, f"peer_median_{column}", "n_peers"]
    traces = group_boxes(df, gap, group, custom, hover)
    span = max(5.0, float(df[gap].abs().max()) * 1.1)
    zero = {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": 0, "y1": 0, "layer": "below"}
    layout = {
        "yaxis": axis(t("gap_axis", lang), range=[-span, span], zeroline=False),
        "xaxis": axis(None),
        "shapes": [{**zero, "line": {"color": MEDIAN_COLOUR, "width": 1.5, "dash": "dash"}}],
    }
    return make(
        traces,
        layout,
        title,
        period,
        click_note("unit_gap", lang),
        height=420,
    )


def grouped_bars(
    frame: pd.DataFrame, group: str, bars: dict[str, str], lang: str, scale: float = 1.0, unit: str = ""
) -> list[dict]:
    """One bar trace per group (its row of frame), a bar per column of bars (column → label), values × scale."""
    groups = list(dict.fromkeys(frame[group].astype(str)))
    colours = district_colours(groups)
    return [
        trace(
            "bar",
            name=g,
            x=list(bars.values()),
            y=[frame.loc[frame[group].astype(str) == g, c].iloc[0] * scale for c in bars],
            marker_color=colours[g],
            hovertemplate=escape_markup(g) + "<br>%{x}" + colon(lang) + "%{y:.1f}" + unit + "<extra></extra>",
        )
        for g in groups
    ]


def function_bars(summary: pd.DataFrame, group: str, period: str | None, lang: str) -> Figure:
    """Median of each of the five functions per group, grouped bars on one 0–100 axis."""
    title = t("fig_functions", lang)
    if summary.empty:
        return empty_figure(t("empty_filters", lang), title, period)
    summary = shown(summary, lang, (group,))
    traces = grouped_bars(summary, group, {f"median_{f}": t(f, lang) for f in FUNCTIONS}, lang)
    layout = {"barmode": "group", "yaxis": axis(t("score", lang), range=[0, 100])}
    return make(traces, layout, title, period, t("unit_score", lang), height=380)


def grade_shares(df: pd.DataFrame, group: str, period: str | None, lang: str, grades: Sequence[str]) -> Figure:
    """Stacked share of streets in each grade per group (100 % bars); grades: the rules' bands (ev.grades)."""
    title = t("fig_grades", lang)
    if df.empty or "grade" not in df:
        return empty_figure(t("empty_filters", lang), title, period)
    df = shown(df, lang, (group,))
    # groupby+unstack: pd.crosstab costs ~15 ms here
    counts = df.groupby([df[group].astype(str), df["grade"].astype(str)]).size().unstack(fill_value=0)  # noqa: PD010
    order = list(dict.fromkeys(df[group].astype(str)))
    shares = counts.div(counts.sum(axis=1), axis=0).reindex(order) * 100
    colours = grade_colours(grades)
    traces = [
        trace(
            "bar",
            name=t(g, lang),
            x=shares.index,
            y=shares.get(g, pd.Series(0.0, index=shares.index)),
            marker_color=colours[g],
            customdata=counts.reindex(order).get(g, pd.Series(0, index=shares.index)),
            hovertemplate="%{x} "
            + t(g, lang)
            + colon(lang)
            + "%{y:.0f}%"
            + paren("%{customdata}", lang)
            + "<extra></extra>",
        )
        for g in grades
    ]
    layout = {"barmode": "stack", "yaxis": axis("%", range=[0, 100])}
    return make(traces, layout, title, period, t("unit_share", lang), height=380)


def street_functions(row: pd.Series, medians: pd.Series, period: str | None, lang: str) -> Figure:
    """One street's overall and five function scores, with the district median as a marker."""
    keys = ["overall", *FUNCTIONS]
    names = [t(k, lang) for k in keys]
    traces = [
        trace(
            "bar",
            name=str(row["street"]),
            x=names,
            y=[row.get(k) for k in keys],
            marker_color="#0072B2",
            text=[None if pd.isna(row.get(k)) else f"{row.get(k):.1f}" for k in keys],
            textposition="outside",
        ),
        trace(
            "scatter",
            name=t("district_median", lang),
            x=names,
            y=[medians.get(k) for k in keys],
            mode="markers",
            marker={"symbol": "line-ew-open", "size": 38, "color": MEDIAN_COLOUR, "line": {"width": 3}},
            hovertemplate=t("district_median", lang) + colon(lang) + "%{y:.1f}<extra></extra>",
        ),
    ]
    layout = {"yaxis": axis(t("score", lang), range=[0, 110])}
    return make(traces, layout, t("fig_street_functions", lang), period, t("unit_score", lang), height=360)


def trend(history: pd.DataFrame, medians: pd.DataFrame, lang: str) -> Figure:
    """The street's overall score over the quarters, beside its district median."""
    title = t("fig_trend", lang)
    if history.empty:
        return empty_figure(t("empty_street", lang), title)
    span = f"{history['period'].iloc[0]}–{history['period'].iloc[-1]}"
    traces = [
        trace(
            "scatter",
            x=history["period"],
            y=history["overall"],
            mode="lines+markers",
            name=str(history["street"].iloc[0]),
            line={"color": "#0072B2", "width": 3},
            hovertemplate="%{x}" + colon(lang) + "%{y:.2f}<extra></extra>",
        )
    ]
    if not medians.empty:
        traces.append(
            trace(
                "scatter",
                x=medians["period"],
                y=medians["overall"],
                mode="lines",
                name=t("district_median", lang),
                line={"color": MEDIAN_COLOUR, "dash": "dash"},
                hovertemplate="%{x}" + colon(lang) + "%{y:.2f}<extra></extra>",
            )
        )
    layout = {"yaxis": axis(t("score", lang), range=[0, 102]), "xaxis": axis(t("period", lang), type="category")}
    return make(traces, layout, title, span, t("unit_score", lang), height=360)
