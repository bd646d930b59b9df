"""docs/FORMATS.md and the templates' 填报说明 come from the loader's own maps: they cannot drift apart."""

from __future__ import annotations

from pathlib import Path

from loaders.guide import columns, markdown, sheet_rows
from loaders.text import key
from loaders.vocab import column_aliases, map_rows

DOC = Path(__file__).resolve().parents[2] / "docs" / "FORMATS.md"
APPENDIX = "## 附录 A"
NOTE = "do not edit by hand."


def test_the_docs_appendix_is_the_generated_guide() -> None:
    text = DOC.read_text(encoding="utf-8")
    generated = text.split(APPENDIX, 1)[1].split(NOTE, 1)[1].lstrip("\n")
    assert generated == markdown(), "docs/FORMATS.md is stale: run `python -m loaders guide` and paste its output"


def test_every_alias_of_the_maps_is_in_the_guide() -> None:
    doc = markdown()
    for row in map_rows("columns.csv"):
        assert row["alias"] in doc, row
    for row in map_rows("values.csv"):
        assert row["alias"] in doc, row
    for row in map_rows("sheets.csv"):
        if row["table"] != "_ignored":
            assert f"`{row['sheet']}`" in doc, row


def test_every_header_the_guide_names_is_one_the_loader_reads() -> None:
    for table in ("register", "list_items", "performance", "service", "unlisted"):
        aliases = column_aliases(table)
        for c in columns(table):
            for header in (c.header, *c.forms):
                assert aliases.get(key(header)) == c.key, (table, header)


def test_the_guide_sheet_names_every_report_column() -> None:
    rows = sheet_rows()
    named = {(r[0], r[1]) for r in rows if len(r) >= 5}
    for table, zh in (("performance", "履职情况"), ("service", "便民服务"), ("unlisted", "清单外事项")):
        for c in columns(table):
            assert (zh, c.header) in named
