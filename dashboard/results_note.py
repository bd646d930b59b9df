"""The note pages carry while newer results are being computed (the previous ones are shown meanwhile)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import dash
import dash_bootstrap_components as dbc
import flask
from dash import html

from dashboard.i18n import norm_lang, t

NOTE_ID = "results-note"


def note(lang: str) -> Any:
    """An alert saying the figures shown are the previous ones, or None when they are current."""
    from dashboard.data import EXTENSION_KEY

    data = flask.current_app.extensions.get(EXTENSION_KEY) if flask.has_app_context() else None
    if data is None or not data.recomputing:
        return None
    key = "program_changed_note" if data.stale_program else "results_failed_note" if data.failed else "recomputing_note"
    return dbc.Alert(t(key, lang), id=NOTE_ID, color="warning", className="py-2 mb-0 small")


def _with_note(layout: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(layout)
    def page(**query: Any) -> Any:
        body = layout(**query)
        shown = note(norm_lang(query.get("lang")))
        return body if shown is None else html.Div([shown, body])

    page.with_results_note = True  # type: ignore[attr-defined]
    return page


def wrap_page_layouts() -> None:
    """Give every registered page's layout the note (once: the registry is shared by the apps of a process)."""
    for page in dash.page_registry.values():
        layout = page.get("layout")
        if callable(layout) and not getattr(layout, "with_results_note", False):
            page["layout"] = _with_note(layout)
