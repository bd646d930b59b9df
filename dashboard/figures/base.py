"""Shared look of every chart: CJK font, title with period and unit, empty state."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from dashboard.constants import FONT_FAMILY

TEMPLATE_NAME = "scorecard"

pio.templates[TEMPLATE_NAME] = go.layout.Template(
    layout={
        "font": {"family": FONT_FAMILY, "size": 13, "color": "#222"},
        "title": {"font": {"family": FONT_FAMILY, "size": 16}, "x": 0.01, "xanchor": "left"},
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "colorway": ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"],
        "xaxis": {"gridcolor": "#e5e5e5", "zerolinecolor": "#bbb", "automargin": True},
        "yaxis": {"gridcolor": "#e5e5e5", "zerolinecolor": "#bbb", "automargin": True},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        "margin": {"l": 10, "r": 10, "t": 78, "b": 10},
    }
)


def titled(fig: go.Figure, title: str, period: str | None, unit: str, height: int = 360) -> go.Figure:
    """Give fig its title (with the period), the unit as subtitle, the CJK template and a height."""
    text = f"{title} · {period}" if period else title
    fig.update_layout(
        template=TEMPLATE_NAME,
        title={"text": text, "subtitle": {"text": unit, "font": {"size": 12, "color": "#666"}}},
        height=height,
    )
    return fig


def empty_figure(message: str, title: str = "", period: str | None = None, height: int = 240) -> go.Figure:
    """A figure with no axes that says what is missing."""
    fig = go.Figure()
    fig.add_annotation(
        text=message,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 15, "color": "#777"},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return titled(fig, title, period, "", height=height)
