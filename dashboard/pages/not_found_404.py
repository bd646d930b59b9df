"""404: a page that says so, with the menu still there."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc

from dashboard.components import create_page
from dashboard.i18n import norm_lang, t

dash.register_page(__name__, title="页面不存在 · 街道履职评价看板")


def layout(lang: str | None = None, **_: str) -> object:
    """The not-found page in the chosen language."""
    lang = norm_lang(lang)
    query = {"lang": lang}
    return create_page(
        "not_found",
        lang,
        query,
        dbc.Alert(
            [
                dash.html.H4(t("not_found", lang)),
                dash.html.P(t("not_found_text", lang)),
                dcc.Link(t("back_home", lang), href="/" + ("?lang=en" if lang == "en" else "")),
            ],
            color="warning",
        ),
    )
