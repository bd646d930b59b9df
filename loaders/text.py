"""Text normalisation applied before any lookup: what officers type differently but mean the same."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")
_MARKERS = "*＊※★"
# Characters that show nothing on screen (FORMATS.md §5): zero-width space/joiners, BOM, soft hyphen.
INVISIBLE = "\u200b\u200c\u200d\ufeff\u00ad"
_DROP_INVISIBLE = str.maketrans("", "", INVISIBLE)


def nfkc(value: object) -> str:
    """NFKC form of a cell's text, invisible characters removed, outer white space removed ('' for empty)."""
    if value.__class__ is str:
        return _nfkc_of_text(value)
    if value is None:
        return ""
    return _nfkc(str(value))


@lru_cache(maxsize=1 << 16)
def _nfkc_of_text(value: str) -> str:
    # Headers, titles, item names and statuses recur on every sheet of a city's workbooks.
    return _nfkc(value)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_DROP_INVISIBLE).strip()


def key(value: object) -> str:
    """Lookup key: NFKC, no white space or line breaks, ASCII brackets, no required-field stars, lower case."""
    if value.__class__ is str:
        return _key_of_text(value)
    return _key(value)


@lru_cache(maxsize=1 << 16)
def _key_of_text(value: str) -> str:
    # The same header, street and footer texts recur on every sheet of a city's workbooks.
    return _key(value)


def _key(value: object) -> str:
    text = _SPACE.sub("", nfkc(value)).strip(_MARKERS)
    return text.replace("【", "(").replace("】", ")").replace("[", "(").replace("]", ")").lower()


def is_blank(value: object) -> bool:
    """True for None, '' and white space."""
    return value is None or (isinstance(value, str) and not value.strip())
