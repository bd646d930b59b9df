"""The view state kept in the URL query string: parse it, write it, carry it between pages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, urlencode

from dashboard.constants import SHARED_KEYS
from dashboard.i18n import norm_lang

QueryValue = str | list[str] | tuple[str, ...] | None


def parse_search(search: str | None) -> dict[str, str]:
    """`?a=1&b=x` → {'a': '1', 'b': 'x'} (last value wins)."""
    return dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=False))


def split_list(value: QueryValue) -> list[str]:
    """A list kept in the URL as `a,b,c` (or given as a list) → ['a', 'b', 'c']."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        value = ",".join(value)
    return [v for v in (s.strip() for s in str(value).split(",")) if v]


def clean_query(params: Mapping[str, QueryValue]) -> dict[str, str]:
    """Drop empty values, join lists with commas and sort keys, so equal views give equal URLs."""
    out: dict[str, str] = {}
    for key in sorted(params):
        value = params[key]
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        if value is None or value == "":
            continue
        if key == "lang" and norm_lang(str(value)) == "zh":
            continue  # Chinese is the default: keep URLs short
        out[key] = str(value)
    return out


def to_search(params: Mapping[str, QueryValue]) -> str:
    """The `?…` part of a URL for params; '' when nothing is set."""
    query = clean_query(params)
    return "?" + urlencode(query) if query else ""


def shared(params: Mapping[str, QueryValue], keys: Iterable[str] = SHARED_KEYS) -> dict[str, QueryValue]:
    """The filters that travel with the menu links from page to page."""
    return {k: params[k] for k in keys if k in params}


def href(path: str, params: Mapping[str, QueryValue]) -> str:
    """path plus the query string of params."""
    return path + to_search(params)


def pick(value: str | None, options: Iterable[str], default: str | None = None) -> str | None:
    """value when it is one of options, else default (a stale bookmark must not break a page)."""
    options = list(options)
    return value if value in options else default


def scorecard_href(district: str, street: str, period: str | None, lang: str = "zh") -> str:
    """The street scorecard's URL for one street and period."""
    return href("/street", {"district": district, "street": street, "period": period, "lang": lang})


def clicked_street(cell: dict | None) -> tuple[str, str] | None:
    """(district, street) of a clicked street cell in a grid whose row id is 'district|street'."""
    if not cell or cell.get("colId") != "street" or not isinstance(cell.get("rowId"), str):
        return None
    district, _, street = cell["rowId"].partition("|")
    return (district, street) if street else None
