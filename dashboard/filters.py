"""The shared filters (period, districts, street type, function): controls and reading them from the URL."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc

from dashboard import components as c
from dashboard import views
from dashboard.constants import FUNCTIONS, STREET_TYPES, Id
from dashboard.i18n import norm_lang, t
from dashboard.state import pick, split_list


def controls(ev: Any, lang: str, query: dict[str, Any], multi_districts: bool = True) -> list[dbc.Col]:
    """Period, districts, street type and function selectors, set from the query."""
    return [
        c.create_select(Id.PERIOD, t("period", lang), [(p, p) for p in reversed(views.periods(ev))], query["period"]),
        c.create_select(
            Id.DISTRICTS,
            t("districts", lang),
            [(d, d) for d in views.districts(ev)],
            query["districts"],
            multi=multi_districts,
            clearable=True,
            width=4,
        ),
        c.create_select(
            Id.STREET_TYPE,
            t("street_type", lang),
            [("", t("all", lang))] + [(s, t(s, lang)) for s in STREET_TYPES],
            query["street_type"] or "",
        ),
        c.create_select(
            Id.FUNCTION,
            t("function", lang),
            [("overall", t("all_functions", lang))] + [(f, t(f, lang)) for f in FUNCTIONS],
            query["function"] or "overall",
        ),
    ]


def read_query(ev: Any, period=None, districts=None, street_type=None, function=None, lang=None) -> dict[str, Any]:
    """The shared filters from URL values, with stale or unknown values replaced by defaults."""
    ps = views.periods(ev)
    return {
        "period": pick(period, ps, ps[-1] if ps else None),
        "districts": [d for d in split_list(districts) if d in views.districts(ev)],
        "street_type": pick(street_type, STREET_TYPES, ""),
        "function": pick(function, FUNCTIONS, "overall"),
        "lang": norm_lang(lang),
    }
