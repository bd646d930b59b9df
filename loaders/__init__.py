"""Loaders: read the Excel workbooks streets and districts send in, check them, and store them."""

from loaders.findings import Finding, ParsedFile
from loaders.read import ReadResult, read_file, read_files

__all__ = ["Finding", "ParsedFile", "ReadResult", "read_file", "read_files"]
