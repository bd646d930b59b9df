"""Write workbooks from plain sheet specs with xlsxwriter: fixed properties, merged cells, number formats."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

# A fixed timestamp keeps the files byte-identical from run to run.
FIXED_TIME = dt.datetime(2021, 1, 15, 9, 0, 0)

NUM_FORMATS = {
    "pct": "0%",
    "pct1": "0.0%",
    "date": "yyyy-mm-dd",
    "date_cn": 'yyyy"年"m"月"d"日"',
    "int": "0",
    "num2": "0.00",
}


@dataclass(frozen=True)
class Styled:
    """A cell value written with a named number format (see NUM_FORMATS)."""

    value: object
    fmt: str


@dataclass
class Sheet:
    """One worksheet as rows of values, with merged ranges and styled row roles."""

    name: str
    rows: list[list[object]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2 (0-based)
    title_rows: set[int] = field(default_factory=set)
    header_rows: set[int] = field(default_factory=set)
    widths: dict[int, float] = field(default_factory=dict)

    def add(self, row: list[object], role: str = "") -> int:
        """Append a row; role 'title' or 'header' styles it. Returns its 0-based index."""
        self.rows.append(row)
        r = len(self.rows) - 1
        if role == "title":
            self.title_rows.add(r)
        elif role == "header":
            self.header_rows.add(r)
        return r

    def blank(self) -> None:
        """Append an empty row."""
        self.rows.append([])

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        """Merge a range; the value is the one in its top-left cell."""
        self.merges.append((r1, c1, r2, c2))


class _Formats:
    """Cached xlsxwriter formats keyed by (role, number format)."""

    def __init__(self, wb: xlsxwriter.Workbook):
        self.wb = wb
        self.cache: dict[tuple[str, str], object] = {}

    def get(self, role: str, num: str = "") -> object | None:
        if not role and not num:
            return None
        key = (role, num)
        if key not in self.cache:
            props: dict[str, object] = {}
            if role == "title":
                props.update(bold=True, font_size=13, align="center", valign="vcenter")
            elif role == "header":
                props.update(bold=True, align="center", valign="vcenter", text_wrap=True, border=1)
            if num:
                props["num_format"] = NUM_FORMATS[num]
            self.cache[key] = self.wb.add_format(props)
        return self.cache[key]


def _write_cell(ws, r: int, c: int, value: object, fmt: object | None, fmts: _Formats, role: str) -> None:
    if isinstance(value, Styled):
        fmt = fmts.get(role, value.fmt)
        value = value.value
    if value is None or value == "":
        if fmt is not None:
            ws.write_blank(r, c, None, fmt)
        return
    if isinstance(value, bool):
        ws.write_boolean(r, c, value, fmt)
    elif isinstance(value, int | float):
        ws.write_number(r, c, value, fmt)
    elif isinstance(value, dt.datetime | dt.date):
        ws.write_datetime(r, c, value, fmt or fmts.get("", "date"))
    else:
        ws.write_string(r, c, str(value), fmt)


def _write_sheet(wb: xlsxwriter.Workbook, sheet: Sheet, fmts: _Formats) -> None:
    ws = wb.add_worksheet(sheet.name)
    for c, width in sheet.widths.items():
        ws.set_column(c, c, width)
    # Officers print these: landscape, one page wide, header rows kept in view and repeated.
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    if sheet.header_rows:
        last_header = max(sheet.header_rows)
        ws.freeze_panes(last_header + 1, 0)
        ws.repeat_rows(min(sheet.header_rows), last_header)
    merges_at: dict[int, list[tuple[int, int, int, int]]] = {}
    for m in sheet.merges:
        merges_at.setdefault(m[0], []).append(m)
    for r, row in enumerate(sheet.rows):
        role = "title" if r in sheet.title_rows else "header" if r in sheet.header_rows else ""
        base = fmts.get(role)
        merged_cols: set[int] = set()
        # Merges go first so that constant-memory mode still sees rows in order.
        for r1, c1, r2, c2 in merges_at.get(r, []):
            value = row[c1] if c1 < len(row) else None
            if isinstance(value, Styled):
                value = value.value
            ws.merge_range(r1, c1, r2, c2, "" if value is None else value, base or fmts.get("header"))
            merged_cols.update(range(c1, c2 + 1))
        for c, value in enumerate(row):
            if c not in merged_cols:
                _write_cell(ws, r, c, value, base, fmts, role)


def write_workbook(path: Path, sheets: list[Sheet], constant_memory: bool = False) -> Path:
    """Write sheets to path as .xlsx with fixed document properties; returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    options = {"constant_memory": constant_memory, "strings_to_numbers": False, "strings_to_formulas": False}
    wb = xlsxwriter.Workbook(str(path), options)
    wb.set_properties(
        {
            "title": "示例数据（合成） Synthetic sample data",
            "author": "street-duty-scorecard data generator",
            "comments": "Synthetic data, not real figures",
            "created": FIXED_TIME,
        }
    )
    fmts = _Formats(wb)
    for sheet in sheets:
        _write_sheet(wb, sheet, fmts)
    wb.close()
    return path


# --- a lean writer for the city-scale benchmark files -------------------------------------------
# xlsxwriter spends most of its time per cell; this writer builds each sheet's XML with f-strings,
# which is several times faster for the ~3 million cells of the city data. It writes values,
# shared strings, merged ranges, column widths and the number formats of NUM_FORMATS, nothing else.

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_STYLE_IDS = {"": 0, "bold": 1, "pct": 2, "pct1": 3, "date": 4, "date_cn": 5, "int": 6, "num2": 7}
_EPOCH = dt.datetime(1899, 12, 30)


def _col_name(c: int) -> str:
    name = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        name = chr(65 + rem) + name
    return name


_COLS = [_col_name(c) for c in range(64)]


_X_ESCAPE = re.compile(r"(_x[0-9A-Fa-f]{4}_)")


def _esc(text: str) -> str:
    if "_x" in text:  # a literal _xHHHH_ would be read as an escaped character
        text = _X_ESCAPE.sub(r"_x005F\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _styles_xml() -> str:
    custom = {"pct1": 164, "date": 165, "date_cn": 166}
    num_fmts = "".join(
        f'<numFmt numFmtId="{i}" formatCode="{_esc(NUM_FORMATS[k]).replace(chr(34), "&quot;")}"/>'
        for k, i in custom.items()
    )
    ids = {"pct": 9, "int": 1, "num2": 2, **custom}
    xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
    xfs.append(
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
        '<alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    )
    for key in ("pct", "pct1", "date", "date_cn", "int", "num2"):
        xfs.append(f'<xf numFmtId="{ids[key]}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>')
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {_NS}>'
        f'<numFmts count="{len(custom)}">{num_fmts}</numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="宋体"/></font>'
        '<font><b/><sz val="11"/><name val="宋体"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    )


def _sheet_xml(sheet: Sheet, strings: dict[str, int]) -> str:
    parts = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS} {_NS_R}>']
    if sheet.widths:
        cols = "".join(
            f'<col min="{c + 1}" max="{c + 1}" width="{w}" customWidth="1"/>' for c, w in sorted(sheet.widths.items())
        )
        parts.append(f"<cols>{cols}</cols>")
    parts.append("<sheetData>")
    bold_rows = sheet.title_rows | sheet.header_rows
    for r, row in enumerate(sheet.rows):
        n = r + 1
        base = 1 if r in bold_rows else 0
        cells = []
        for c, value in enumerate(row):
            style = base
            if isinstance(value, Styled):
                style = _STYLE_IDS[value.fmt]
                value = value.value
            if value is None or value == "":
                continue
            ref = f"{_COLS[c]}{n}"
            s = f' s="{style}"' if style else ""
            if isinstance(value, str):
                idx = strings.setdefault(value, len(strings))
                cells.append(f'<c r="{ref}" t="s"{s}><v>{idx}</v></c>')
            elif isinstance(value, bool):
                cells.append(f'<c r="{ref}" t="b"{s}><v>{int(value)}</v></c>')
            elif isinstance(value, int | float):
                cells.append(f'<c r="{ref}"{s}><v>{value!r}</v></c>')
            elif isinstance(value, dt.datetime | dt.date):
                when = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
                serial = (when - _EPOCH).total_seconds() / 86400
                cells.append(f'<c r="{ref}" s="{style if style > 1 else 4}"><v>{serial!r}</v></c>')
            else:
                idx = strings.setdefault(str(value), len(strings))
                cells.append(f'<c r="{ref}" t="s"{s}><v>{idx}</v></c>')
        if cells:
            parts.append(f'<row r="{n}">{"".join(cells)}</row>')
    parts.append("</sheetData>")
    if sheet.merges:
        refs = "".join(f'<mergeCell ref="{_COLS[c1]}{r1 + 1}:{_COLS[c2]}{r2 + 1}"/>' for r1, c1, r2, c2 in sheet.merges)
        parts.append(f'<mergeCells count="{len(sheet.merges)}">{refs}</mergeCells>')
    parts.append("</worksheet>")
    return "".join(parts)


def _shared_strings_xml(strings: dict[str, int]) -> str:
    items = []
    for text in strings:  # dicts keep insertion order, which is the index order
        space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
        items.append(f"<si><t{space}>{_esc(text)}</t></si>")
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {_NS} count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">{"".join(items)}</sst>'
    )


def write_workbook_fast(path: Path, sheets: list[Sheet]) -> Path:
    """Write sheets to path as .xlsx without xlsxwriter (values, merges, widths, number formats only)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    strings: dict[str, int] = {}
    sheet_xml = [_sheet_xml(s, strings) for s in sheets]
    n = len(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{k}.xml" ContentType="{_CT}.worksheet+xml"/>' for k in range(1, n + 1)
    )
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>{overrides}'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
            'metadata/core-properties" Target="docProps/core.xml"/></Relationships>'
        ),
        "docProps/core.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            "<dc:title>示例数据（合成） Synthetic sample data</dc:title>"
            "<dc:creator>street-duty-scorecard data generator</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_TIME:%Y-%m-%dT%H:%M:%SZ}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_TIME:%Y-%m-%dT%H:%M:%SZ}</dcterms:modified>'
            "</cp:coreProperties>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS} {_NS_R}><sheets>'
            + "".join(
                f'<sheet name="{_esc(s.name)}" sheetId="{k}" r:id="rId{k}"/>' for k, s in enumerate(sheets, start=1)
            )
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_REL}">'
            + "".join(
                f'<Relationship Id="rId{k}" Type="{_REL}/worksheet" Target="worksheets/sheet{k}.xml"/>'
                for k in range(1, n + 1)
            )
            + f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            + f'<Relationship Id="rId{n + 2}" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            + "</Relationships>"
        ),
        "xl/styles.xml": _styles_xml(),
        **{f"xl/worksheets/sheet{k}.xml": xml for k, xml in enumerate(sheet_xml, start=1)},
        "xl/sharedStrings.xml": _shared_strings_xml(strings),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))
    return path
