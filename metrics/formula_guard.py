"""The one guard against formula injection for every workbook and CSV the project writes (no pandas: the CLI's
kept-score CSV uses it too; metrics.export.formula applies it to frames and workbooks)."""

from __future__ import annotations

# A cell starting with one of these becomes a formula (or DDE) when an officer opens or edits it in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def needs_quote(value: str) -> bool:
    """True when the text would start a formula in Excel, WPS or LibreOffice."""
    return value.startswith(FORMULA_START)


def defuse(value: object) -> object:
    """value with a leading ' when it is text that would start a formula; anything else unchanged."""
    if isinstance(value, str) and needs_quote(value):
        return "'" + value
    return value
