"""机构设置 figure (issue 15 point 4): the workload of each office of a street, with its staff in the hover."""

from __future__ import annotations

import pandas as pd

from dashboard.figures.base import Figure, axis, empty_figure, make, trace
from dashboard.i18n import t
from metrics.office_labels import caption, code_label


def workload(offices: pd.DataFrame, street: str, year: object, lang: str) -> Figure:
    """Horizontal stacked bars per office: list items and unlisted tasks it carries (count, unit 项)."""
    title = f"{t('offices_fig', lang)} · {street}"
    if offices.empty:
        return empty_figure(t("offices_fig_empty", lang), title)
    names = offices["office"].astype(str).tolist()
    kinds = [str(code_label("office_category", k, lang)) for k in offices["office_category"]]
    staff = [
        ["—" if pd.isna(v) else f"{v:.0f}" for v in pair]
        for pair in offices[["posts", "staff"]].astype("float64").to_numpy().tolist()
    ]
    custom = [[k, p, s] for k, (p, s) in zip(kinds, staff, strict=True)]
    hover = (
        "%{y}（%{customdata[0]}）<br>%{x} "
        + t("items", lang)
        + "<br>"
        + caption("posts", lang)
        + " %{customdata[1]}，"
        + caption("staff", lang)
        + " %{customdata[2]}<extra>%{fullData.name}</extra>"
    )
    traces = [
        trace(
            "bar",
            name=caption(col, lang),
            x=offices[col].astype("float64"),
            y=names,
            orientation="h",
            marker_color=colour,
            customdata=custom,
            hovertemplate=hover,
        )
        for col, colour in (("items", "#0072B2"), ("unlisted_tasks", "#D55E00"))
    ]
    layout = {
        "barmode": "stack",
        # below the bars: the subtitle (unit and source) is long
        "legend": {"traceorder": "normal", "orientation": "h", "y": -0.12, "yanchor": "top", "x": 0, "xanchor": "left"},
        "yaxis": axis(None, autorange="reversed"),
        "xaxis": axis(None),  # the unit (项) is in the subtitle: an axis title would sit on the legend
    }
    unit = t("offices_fig_unit", lang, year=year)
    return make(traces, layout, title, None, unit, height=max(320, 30 * len(names) + 170))
