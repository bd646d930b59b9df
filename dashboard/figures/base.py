"""Shared look of every chart: CJK font, title with period and unit, empty state."""

from __future__ import annotations

import numpy as np
import pandas as pd
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


Figure = dict  # a plotly figure as plain JSON: Dash sends it as is, with no validation pass (~15 ms each)
TEMPLATE_JSON = pio.templates[TEMPLATE_NAME].to_plotly_json()
_NESTED = ("marker", "line")


def _plain(value: object) -> object:
    if isinstance(value, pd.Series | pd.Index):
        return value.astype(object).where(value.notna(), None).tolist()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def trace(kind: str, **props: object) -> dict:
    """One trace as a dict; `marker_color=` style keys are nested as plotly's constructors would."""
    out: dict = {"type": kind}
    for key, value in props.items():
        head, _, tail = key.partition("_")
        if tail and head in _NESTED:
            out.setdefault(head, {})[tail] = _plain(value)
        else:
            out[key] = _plain(value)
    return out


def make(traces: list, layout: dict, title: str, period: str | None, unit: str, height: int = 360) -> Figure:
    """A figure in one pass: title with period, unit as subtitle, CJK template, height."""
    text = f"{title} · {period}" if period else title
    full = {
        "template": TEMPLATE_JSON,
        **layout,
        "title": {"text": text, "subtitle": {"text": unit, "font": {"size": 12, "color": "#666"}}},
        "height": height,
    }
    return {"data": traces, "layout": full}


def axis(title: str | None = None, **kw: object) -> dict:
    """An axis layout dict with its title."""
    return {"title": {"text": title}, **kw}


def empty_figure(message: str, title: str = "", period: str | None = None, height: int = 240) -> Figure:
    """A figure with no axes that says what is missing."""
    note = {
        "text": message,
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "showarrow": False,
        "font": {"size": 15, "color": "#777"},
    }
    layout = {"annotations": [note], "xaxis": {"visible": False}, "yaxis": {"visible": False}}
    return make([], layout, title, period, "", height)
