"""Shared look of every chart: CJK font, title with period and unit, empty state."""

from __future__ import annotations

import html

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
# Formats the code writes, with their own <br>/<b>/<extra> markup: data reach them only through escape_markup.
_CODE_KEYS = frozenset({"hovertemplate", "texttemplate", "template"})
_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape_markup(text: object) -> str:
    """text shown literally by plotly: its subset of HTML (<a href>, <b>, <span style>) and entities, and the
    %{…} of hover templates, are neutralised. Every data string reaching a figure passes through here."""
    return str(text).translate(_MARKUP).replace("%{", "%&#123;")


def unescape_markup(value: object) -> object:
    """A value plotly gives back (a clicked point's customdata) as the data it was made from."""
    if isinstance(value, str):
        return html.unescape(value)
    if isinstance(value, list):
        return [unescape_markup(v) for v in value]
    return value


def _escaped(value: object) -> object:
    """value with every string in it escaped, except under the code's own format keys."""
    if isinstance(value, str):
        return escape_markup(value)
    if isinstance(value, dict):
        return {k: v if k in _CODE_KEYS else _escaped(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_escaped(v) for v in value]
    return value


def plain(value: object) -> object:
    """A Series, Index or array as a list of Python values (NA → None); anything else as it is."""
    if isinstance(value, pd.Series | pd.Index):
        return value.astype(object).where(value.notna(), None).tolist()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def trace(kind: str, **props: object) -> dict:
    """One trace as a dict; `marker_color=` style keys are nested as plotly's constructors would; every string
    but the hover and text templates escaped (escape_markup)."""
    out: dict = {"type": kind}
    for key, value in props.items():
        head, _, tail = key.partition("_")
        converted = plain(value) if key in _CODE_KEYS else _escaped(plain(value))
        if tail and head in _NESTED:
            out.setdefault(head, {})[tail] = converted
        else:
            out[key] = converted
    return out


def make(traces: list, layout: dict, title: str, period: str | None, unit: str, height: int = 360) -> Figure:
    """A figure in one pass: title with period, unit as subtitle, CJK template, height; strings escaped."""
    text = escape_markup(f"{title} · {period}" if period else title)
    full = {
        "template": TEMPLATE_JSON,
        **_escaped(layout),
        "title": {"text": text, "subtitle": {"text": escape_markup(unit), "font": {"size": 12, "color": "#666"}}},
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
