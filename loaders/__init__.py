"""Loaders: read the Excel workbooks streets and districts send in, check them, and store them."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loaders.findings import Finding, ParsedFile
    from loaders.read import ReadResult, read_file, read_files

# Imported on first use: a submodule such as loaders.store_peek (the CLI reading kept scores) does not pay for
# the workbook reader (python-calamine and the parsers, ~0.1 s) by importing the package.
_WHERE = {
    "Finding": "loaders.findings",
    "ParsedFile": "loaders.findings",
    "ReadResult": "loaders.read",
    "read_file": "loaders.read",
    "read_files": "loaders.read",
}

__all__ = ["Finding", "ParsedFile", "ReadResult", "read_file", "read_files"]


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module 'loaders' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
