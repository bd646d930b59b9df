"""The file guard refuses non-xlsx, damaged, macro-enabled, encrypted and oversized files by content."""

from __future__ import annotations

import io
import os
import random
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.fileguard import FileRefusal, check_bytes, check_file

NAME = "玉林街道_2019Q2.xlsx"
SHEET = "xl/worksheets/sheet1.xml"
ENDOFCHAIN, FREESECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFF


def workbook_bytes(rows: int = 30) -> bytes:
    """A real openpyxl workbook with a Chinese header and some rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "履职清单"
    ws.append(["街道", "事项编码", "完成率"])
    for i in range(rows):
        ws.append(["玉林街道", f"YL-{i:03d}", i / rows])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rezip(data: bytes, replace: dict[str, bytes | None] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """Copy a zip, replacing (or with None dropping) some parts and adding others."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = replace.get(info.filename, src.read(info))
            if body is not None:
                dst.writestr(info.filename, body)
        for part, body in (add or {}).items():
            dst.writestr(part, body)
    return out.getvalue()


def data_span(data: bytes, part: str) -> tuple[int, int]:
    """Where a part's compressed bytes lie in the zip."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(part)
    nlen, xlen = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + nlen + xlen
    return start, start + info.compress_size


def central_records(data: bytes, part: str) -> list[int]:
    """Offsets of the central directory records naming ``part``."""
    found, at = [], data.find(b"PK\x01\x02")
    while at >= 0:
        nlen = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + nlen] == part.encode():
            found.append(at)
        at = data.find(b"PK\x01\x02", at + 4)
    return found


def ole2(*streams: str) -> bytes:
    """A minimal but well-formed OLE2 compound file whose root holds empty streams of these names."""
    header = bytearray(512)
    header[:8] = bytes.fromhex("d0cf11e0a1b11ae1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<LLLLLLLLL", header, 40, 0, 1, 1, 0, 0x1000, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
    struct.pack_into("<L108L", header, 76, 0, *[FREESECT] * 108)
    fat = struct.pack("<128L", 0xFFFFFFFD, ENDOFCHAIN, *[FREESECT] * 126)
    names = ["Root Entry", *streams]
    assert len(names) <= 4, "one directory sector holds four entries"
    directory = bytearray()
    for i, entry in enumerate(names):
        encoded = (entry + "\0").encode("utf-16-le")
        kind = 5 if i == 0 else 2
        child = 1 if i == 0 and streams else NOSTREAM
        right = i + 1 if 0 < i < len(names) - 1 else NOSTREAM  # a right-leaning chain of siblings
        directory += struct.pack(
            "<64sHBBLLL16sL8s8sLQ", encoded, len(encoded), kind, 1, NOSTREAM, right, child, b"", 0, b"", b"",
            ENDOFCHAIN, 0,
        )  # fmt: skip
    directory += bytes(128) * (4 - len(names))
    return bytes(header) + fat + bytes(directory)


def write(tmp_path: Path, data: bytes, name: str = NAME) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refused(path: Path, code: str, **limits: int | bool) -> FileRefusal:
    """Check the file both from disk and as an upload; both must refuse with ``code``, naming it."""
    from_disk = check_file(path, **limits)
    uploaded = check_bytes(path.read_bytes(), path.name, **limits)
    assert from_disk is not None, f"{path.name} was accepted"
    assert from_disk == uploaded
    assert from_disk.code == code, str(from_disk)
    assert path.name in from_disk.zh
    assert path.name in from_disk.en
    return from_disk


@pytest.fixture(scope="module")
def xlsx() -> bytes:
    return workbook_bytes()


def test_valid_workbook_passes(tmp_path, xlsx):
    path = write(tmp_path, xlsx)
    assert check_file(path) is None
    assert check_file(path, deep=True) is None
    assert check_bytes(xlsx, f"C:\\uploads\\{NAME}") is None


def test_valid_workbook_from_other_writers_passes(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"街道": ["玉林街道"] * 500, "完成率": [0.85] * 500})
    for engine in ("xlsxwriter", "openpyxl"):
        path = tmp_path / f"{engine}.xlsx"
        frame.to_excel(path, index=False, engine=engine)
        assert check_file(path, deep=True) is None, engine


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("街道,事项编码,完成率\n玉林街道,YL-001,85%\n", "utf-8"),
        ("街道,事项编码,完成率\n玉林街道,YL-001,85%\n", "utf-8-sig"),
        ("街道\t事项编码\t完成率\r\n玉林街道\tYL-001\t0.85\r\n" * 300, "gbk"),  # Excel on Chinese Windows
        ("街道,完成率\n玉林街道,0.85\n", "utf-16"),
    ],
)
def test_csv_renamed_to_xlsx(tmp_path, text, encoding):
    refusal = refused(write(tmp_path, text.encode(encoding)), "not_xlsx_csv")
    assert "CSV" in refusal.zh


def test_html_saved_as_xls(tmp_path):
    page = "<html><head><meta charset='utf-8'></head><body><table><tr><td>玉林街道</td></tr></table></body></html>"
    refused(write(tmp_path, page.encode(), "报表.xls"), "not_xlsx_html")


def test_old_xls_passes_the_guard(tmp_path):
    # FORMATS.md §5: .xls (Excel 97-2003, WPS's default) is read; the guard lets it through to calamine.
    path = write(tmp_path, ole2("Workbook", "\x05SummaryInformation"), "玉林街道.xls")
    assert check_file(path) is None
    assert check_bytes(path.read_bytes(), path.name) is None


def test_crafted_ole2_is_well_formed():
    olefile = pytest.importorskip("olefile")
    ole = olefile.OleFileIO(ole2("EncryptionInfo", "EncryptedPackage"))
    assert sorted(ole.listdir()) == [["EncryptedPackage"], ["EncryptionInfo"]]


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="libreoffice not on PATH")
def test_old_xls_from_libreoffice(tmp_path, xlsx):
    src = write(tmp_path, xlsx, "source.xlsx")
    out = tmp_path / "out"
    subprocess.run(
        ["libreoffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "xls",
         "--outdir", str(out), str(src)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    xls = out / "source.xls"
    assert check_file(xls) is None
    assert check_file(write(tmp_path, xls.read_bytes(), "renamed.xlsx")) is None


@pytest.mark.parametrize("keep", [0.5, 0.9, -100, -30, -10])
def test_truncated_xlsx(tmp_path, xlsx, keep):
    cut = int(len(xlsx) * keep) if isinstance(keep, float) else len(xlsx) + keep
    refused(write(tmp_path, xlsx[:cut]), "truncated_zip")


def test_garbage_over_workbook_part(tmp_path, xlsx):
    start, end = data_span(xlsx, "xl/workbook.xml")
    data = bytearray(xlsx)
    data[start:end] = random.Random(7).randbytes(end - start)
    refused(write(tmp_path, bytes(data)), "corrupt_zip")


def test_garbage_over_sheet_part_needs_deep(tmp_path, xlsx):
    start, end = data_span(xlsx, SHEET)
    data = bytearray(xlsx)
    data[start:end] = random.Random(7).randbytes(end - start)
    path = write(tmp_path, bytes(data))
    # The default check reads only the central directory, headers and the small parts.
    assert check_file(path) is None
    refused(path, "corrupt_zip", deep=True)


def test_garbage_content_as_workbook_part(tmp_path, xlsx):
    garbage = random.Random(3).randbytes(600)
    refused(write(tmp_path, rezip(xlsx, replace={"xl/workbook.xml": garbage})), "corrupt_zip")


def test_overwritten_local_header(tmp_path, xlsx):
    info = zipfile.ZipFile(io.BytesIO(xlsx)).getinfo(SHEET)
    data = bytearray(xlsx)
    data[info.header_offset : info.header_offset + 30] = bytes(30)
    refused(write(tmp_path, bytes(data)), "corrupt_zip")


def test_empty_file(tmp_path):
    refused(write(tmp_path, b""), "empty")


@pytest.mark.parametrize("variant", ["vba_and_type", "vba_only", "type_only", "macrosheet"])
def test_macro_enabled(tmp_path, xlsx, variant):
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        types = zf.read("[Content_Types].xml").decode()
    add: dict[str, bytes] = {}
    if variant in ("vba_and_type", "vba_only"):
        add["xl/vbaProject.bin"] = ole2("VBA", "PROJECT")
    if variant in ("vba_and_type", "type_only"):
        types = types.replace(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        ).replace("</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
        assert "macroEnabled" in types
    if variant == "macrosheet":
        add["xl/macrosheets/sheet1.xml"] = b"<xm:macrosheet/>"
    data = rezip(xlsx, replace={"[Content_Types].xml": types.encode()}, add=add)
    refused(write(tmp_path, data, "宏.xlsm"), "macro_enabled")


def test_encrypted_crafted(tmp_path):
    container = ole2("EncryptionInfo", "EncryptedPackage") + bytes(4096)
    refused(write(tmp_path, container), "encrypted")


def test_encrypted_real(tmp_path, xlsx):
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    out = io.BytesIO()
    ooxml.OOXMLFile(io.BytesIO(xlsx)).encrypt("密码123", out)
    refused(write(tmp_path, out.getvalue()), "encrypted")


def test_zip_level_encrypted_part(tmp_path, xlsx):
    # Set the "encrypted" flag bit of the sheet part in its local header and its directory entry.
    data = bytearray(xlsx)
    info = zipfile.ZipFile(io.BytesIO(xlsx)).getinfo(SHEET)
    data[info.header_offset + 6] |= 1
    for central in central_records(xlsx, SHEET):
        data[central + 8] |= 1
    refused(write(tmp_path, bytes(data)), "encrypted")


def test_too_large_by_limit(tmp_path, xlsx):
    refused(write(tmp_path, xlsx), "too_large", max_bytes=len(xlsx) - 1)
    assert check_file(write(tmp_path, xlsx, "ok.xlsx"), max_bytes=len(xlsx)) is None


def test_too_large_is_checked_before_reading(tmp_path):
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as fh:
        fh.truncate(4 * 2**30)  # sparse: 4 GB of nothing, never written to disk
    refusal = check_file(path)
    assert refusal is not None
    assert refusal.code == "too_large"  # read first, 4 GB of zeros would be refused as no workbook, not as too large


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """A workbook whose sheet is 300 MB of zeros, compressed while streaming (about 0.3 MB on disk)."""
    path = tmp_path_factory.mktemp("bomb") / "炸弹.xlsx"
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(1))) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != SHEET:
                dst.writestr(info.filename, src.read(info))
        with dst.open(SHEET, "w", force_zip64=True) as sheet:
            zeros = bytes(2**20)
            for _ in range(300):
                sheet.write(zeros)
    return path


def test_zip_bomb_over_total(bomb):
    assert bomb.stat().st_size < 2 * 2**20
    refusal = refused(bomb, "zip_bomb")
    assert "MB" in refusal.zh


def test_zip_bomb_by_ratio(tmp_path, xlsx):
    # 50 MB of zeros stays under the 200 MB total but compresses about 1000:1.
    data = rezip(xlsx, replace={SHEET: bytes(50 * 2**20)})
    refused(write(tmp_path, data), "zip_bomb")


def test_zip_bomb_small_limit(tmp_path, xlsx):
    unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(xlsx)).infolist())
    refused(write(tmp_path, xlsx), "zip_bomb", max_unzipped=unpacked - 1)
    assert check_file(write(tmp_path, xlsx, "ok.xlsx"), max_unzipped=unpacked) is None


def test_understated_size_is_caught_by_deep(tmp_path, xlsx):
    # The sheet really unpacks to 20 MB but both headers declare 2 kB: only decompressing tells.
    data = bytearray(rezip(xlsx, replace={SHEET: b"<row/>" * (20 * 2**20 // 6)}))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(SHEET)
    struct.pack_into("<L", data, info.header_offset + 22, 2048)
    for central in central_records(bytes(data), SHEET):
        struct.pack_into("<L", data, central + 24, 2048)
    refused(write(tmp_path, bytes(data)), "zip_bomb", max_unzipped=10 * 2**20, deep=True)
    refused(write(tmp_path, bytes(data), "b.xlsx"), "corrupt_zip", deep=True)


def test_directory_entry_pointing_at_another_part(tmp_path, xlsx):
    data = bytearray(xlsx)
    target = zipfile.ZipFile(io.BytesIO(xlsx)).getinfo("xl/workbook.xml").header_offset
    for central in central_records(xlsx, SHEET):
        struct.pack_into("<L", data, central + 42, target)
    refused(write(tmp_path, bytes(data)), "corrupt_zip")


def test_overlapping_parts(tmp_path, xlsx):
    # The overlapping-entry bomb: a part's whole local record (valid header, matching name and
    # sizes) is quoted inside another stored part, and the directory points at that copy.
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/extra.xml", b"<x/>" * 1000)
    record_end = data_span(inner.getvalue(), "xl/extra.xml")[1]
    record = inner.getvalue()[:record_end]
    outer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as dst:
        dst.writestr("xl/quote.bin", record, compress_type=zipfile.ZIP_STORED)
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr("xl/extra.xml", b"<x/>" * 1000)
    data = bytearray(outer.getvalue())
    quoted_at = data_span(bytes(data), "xl/quote.bin")[0]
    for central in central_records(bytes(data), "xl/extra.xml"):
        struct.pack_into("<L", data, central + 42, quoted_at)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        assert zf.read("xl/extra.xml") == b"<x/>" * 1000, "the quoted copy must itself be readable"
    refusal = refused(write(tmp_path, bytes(data)), "corrupt_zip")
    assert "overlaps" in refusal.en


def test_duplicate_part_names(tmp_path, xlsx):
    with pytest.warns(UserWarning, match="Duplicate name"):
        data = rezip(xlsx, add={"xl/workbook.xml": b"<workbook/>"})
    refused(write(tmp_path, data), "corrupt_zip")


def test_not_found(tmp_path):
    refusal = check_file(tmp_path / NAME)
    assert refusal is not None
    assert refusal.code == "not_found"
    assert NAME in refusal.zh
    assert NAME in refusal.en
    folder = tmp_path / "文件夹.xlsx"
    folder.mkdir()
    refusal = check_file(folder)
    assert refusal is not None
    assert refusal.code == "not_found"


@pytest.mark.parametrize(
    ("parts", "hint"),
    [
        ({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}, "Word"),
        ({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01"}, "xlsb"),
        ({"报表/玉林街道.xlsx": b"PK\x03\x04"}, "xl/workbook.xml"),
    ],
)
def test_zip_that_is_not_a_workbook(tmp_path, parts, hint):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for part, body in parts.items():
            zf.writestr(part, body)
    refusal = refused(write(tmp_path, out.getvalue()), "not_workbook")
    assert hint in refusal.zh


def test_other_binaries(tmp_path):
    refused(write(tmp_path, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(100)), "not_xlsx")
    refused(write(tmp_path, bytes(range(256)) * 4, "random.xlsx"), "not_xlsx")


def test_ods_passes_the_guard(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", b"<x/>")
    assert check_file(write(tmp_path, out.getvalue(), "报表.ods")) is None


def test_excel_lock_file(tmp_path):
    owner = b"\x04user" + bytes(49) + "张三".encode("utf-16-le") + bytes(100)
    refused(write(tmp_path, owner, "~$" + NAME), "lock_file")


def test_unreadable_file(tmp_path, xlsx):
    if os.geteuid() == 0:
        pytest.skip("root reads everything")
    path = write(tmp_path, xlsx)
    path.chmod(0)
    refused_ = check_file(path)
    assert refused_ is not None
    assert refused_.code == "unreadable"


FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(data=st.binary(max_size=4096), name=st.text(min_size=1, max_size=30))
def test_random_bytes_never_raise(data, name):
    result = check_bytes(data, name, deep=True)
    assert result is None or isinstance(result, FileRefusal)


@st.composite
def damaged(draw, base: bytes) -> bytes:
    """A real workbook with random bytes flipped, a random cut, or a random splice."""
    data = bytearray(base)
    kind = draw(st.sampled_from(["flip", "cut", "splice"]))
    if kind == "flip":
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    elif kind == "cut":
        del data[draw(st.integers(0, len(data) - 1)) :]
    else:
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(st.binary(min_size=1, max_size=64))
    return bytes(data)


BASE = workbook_bytes(5)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(data=damaged(BASE))
def test_damaged_workbooks_never_raise(fuzz_dir, data):
    path = fuzz_dir / NAME
    path.write_bytes(data)
    for deep in (False, True):
        result = check_file(path, deep=deep)
        assert result is None or isinstance(result, FileRefusal)
        assert result == check_bytes(data, NAME, deep=deep)
        if result is not None:
            assert NAME in result.zh


@FUZZ
@given(text=st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1))
def test_any_text_is_refused_as_text(text):
    result = check_bytes(text.encode("utf-8"), NAME)
    assert result is not None
    assert result.code in {"not_xlsx_csv", "not_xlsx_html", "not_xlsx"}
    if result.code == "not_xlsx":
        assert text.startswith(("%PDF", "GIF8", "Rar!"))
