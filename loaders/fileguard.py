"""Refuse files that are not plain readable .xlsx workbooks, judged by content, before any parsing.

The guard runs on every file of a city-scale ingest, so the default check reads only the first
bytes, the zip central directory, each part's local header, and two small parts
([Content_Types].xml and xl/workbook.xml). Nothing large is decompressed.

On the zip central directory's size fields (the zip-bomb check). They are written by whoever made
the file, so they are not trusted alone:
- every part's compressed bytes must sit in their own slice of the file, before the central
  directory, with a local header that agrees with the directory (same name, method, sizes, CRC);
  this refuses overlapping-entry bombs, whose sizes may be honest but share one compressed run;
- only "stored" and "deflate" are accepted, because deflate cannot expand more than about
  1032:1; a declared ratio above ``max_ratio`` is refused as a bomb, and together with the slice
  rule the real output is bounded by ~1032 x the file size even when a size field understates it;
- the remaining gap (a size field that understates a deflate part) is closed by the readers,
  measured with a 300 MB sheet declared as 1 MB: python-calamine stops with "File is larger than
  its declared uncompressed size" (0.1 s, 17 MB RSS) and openpyxl (Python's zipfile stops at the
  declared size) with "Bad CRC-32". Where that is not enough (uploads from outside, other
  readers), ``deep=True`` streams every part through zlib, counts the real bytes against
  ``max_unzipped`` and checks each CRC; it costs a full decompression (~38 ms for a 2 MB workbook
  against ~0.14 ms for the default check; calamine takes ~0.4 s to read that workbook).
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

MAX_BYTES = 20 * 2**20
MAX_UNZIPPED = 200 * 2**20
MAX_RATIO = 100  # real sheets compress about 10-20:1 (measured on openpyxl and xlsxwriter output)
RATIO_FLOOR = 2**20  # a high ratio on a part smaller than this cannot hurt anyone
MAX_PARTS = 10_000
SMALL_PART = 16 * 2**20  # parts the guard itself reads must declare less than this

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# Refusals that are not errors: the file is no report and is skipped with a note (FORMATS.md §5).
SKIPPED_CODES = frozenset({"lock_file", "empty"})
OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
ZIP_LOCAL = b"PK\x03\x04"
ZIP_END = b"PK\x05\x06"
LOCAL_HEADER = struct.Struct("<4s5H3L2H")
SNIFF = 4096
STORED, DEFLATED = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    ValueError,
    struct.error,
    NotImplementedError,
    OSError,
)

MAGIC_KINDS = (
    (b"%PDF", "PDF 文档", "a PDF document"),
    (b"\x89PNG", "PNG 图片", "a PNG image"),
    (b"\xff\xd8\xff", "JPEG 图片", "a JPEG image"),
    (b"GIF8", "GIF 图片", "a GIF image"),
    (b"Rar!", "RAR 压缩包", "a RAR archive"),
    (b"7z\xbc\xaf", "7z 压缩包", "a 7z archive"),
    (b"\x1f\x8b", "gzip 压缩包", "a gzip archive"),
)
OTHER_OOXML = (
    ("word/document.xml", "Word 文档（.docx）", "a Word document (.docx)"),
    ("ppt/presentation.xml", "PowerPoint 演示文稿（.pptx）", "a PowerPoint presentation (.pptx)"),
)
WORKBOOK_TAG = re.compile(rb"<(?:\w+:)?workbook[\s>/]")
MACRO_TYPES = (b"macroenabled", b"vbaproject", b"macrosheet")
SAVE_AS = (
    "请在 Excel 中打开后“另存为” Excel 工作簿 (.xlsx) 再提交",
    "open it in Excel and save it as an Excel Workbook (.xlsx)",
)


@dataclass(frozen=True)
class FileRefusal:
    """Why a file is refused before parsing: a stable code and a message in Chinese and English."""

    code: str
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh}（{self.en}）"


def check_file(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = MAX_BYTES,
    max_unzipped: int = MAX_UNZIPPED,
    max_ratio: int = MAX_RATIO,
    deep: bool = False,
) -> FileRefusal | None:
    """Return why the file at ``path`` cannot be an acceptable .xlsx workbook, or None if it may be one."""
    name = os.path.basename(os.fspath(path))
    if name.startswith("~$"):
        return _lock_file(name)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return _refuse("not_found", name, "找不到该文件", "the file does not exist")
    except OSError as exc:
        return _unreadable(name, exc)
    if not stat.S_ISREG(st.st_mode):
        return _refuse("not_found", name, "不是普通文件（可能是文件夹）", "is not a regular file (a folder?)")
    refusal = _check_size(st.st_size, name, max_bytes)
    if refusal:
        return refusal
    try:
        with open(path, "rb") as fh:
            return _check_stream(fh, st.st_size, name, _Limits(max_unzipped, max_ratio, deep))
    except OSError as exc:
        return _unreadable(name, exc)


def check_bytes(
    data: bytes,
    name: str,
    *,
    max_bytes: int = MAX_BYTES,
    max_unzipped: int = MAX_UNZIPPED,
    max_ratio: int = MAX_RATIO,
    deep: bool = False,
) -> FileRefusal | None:
    """Return why uploaded ``data`` (named ``name``) cannot be an acceptable .xlsx workbook, or None."""
    name = os.path.basename(name.replace("\\", "/"))
    refusal = _check_size(len(data), name, max_bytes)
    if refusal:
        return refusal
    return _check_stream(io.BytesIO(data), len(data), name, _Limits(max_unzipped, max_ratio, deep))


@dataclass(frozen=True)
class _Limits:
    max_unzipped: int
    max_ratio: int
    deep: bool


def _refuse(code: str, name: str, zh: str, en: str) -> FileRefusal:
    return FileRefusal(code, f"文件 {name} {zh}", f"File {name} {en}")


def _unreadable(name: str, exc: OSError) -> FileRefusal:
    why = exc.strerror or type(exc).__name__
    return _refuse("unreadable", name, f"无法读取（{why}）", f"cannot be read ({why})")


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB"


def _check_size(size: int, name: str, max_bytes: int) -> FileRefusal | None:
    if size == 0:
        return _refuse("empty", name, "是空文件（0 字节）", "is empty (0 bytes)")
    if size > max_bytes:
        return _refuse(
            "too_large",
            name,
            f"大小为 {_mb(size)}，超过上限 {_mb(max_bytes)}",
            f"is {_mb(size)}, over the {_mb(max_bytes)} limit",
        )
    return None


def _check_stream(fh: BinaryIO, size: int, name: str, limits: _Limits) -> FileRefusal | None:
    head = fh.read(SNIFF)
    if head.startswith(OLE2_MAGIC):
        fh.seek(0)
        return _check_ole2(fh.read(), name)
    if head.startswith((ZIP_LOCAL, ZIP_END)):
        return _check_zip(fh, size, name, limits)
    return _not_xlsx(head, name)


def _check_ole2(data: bytes, name: str) -> FileRefusal | None:
    # A password-protected .xlsx is an OLE2 container holding EncryptionInfo and EncryptedPackage
    # streams. Stream names are UTF-16LE in the directory; the whole file (already capped at
    # max_bytes) is searched rather than walking the sector chains, which may be damaged.
    if any(s.encode("utf-16-le") in data for s in ("EncryptionInfo", "EncryptedPackage")):
        return _refuse(
            "encrypted",
            name,
            "设有打开密码（已加密），无法读取；请在 Excel 中取消密码后另存为 .xlsx",
            "is password-protected (encrypted); remove the password in Excel and save it as .xlsx",
        )
    if "WordDocument".encode("utf-16-le") in data or "PowerPoint Document".encode("utf-16-le") in data:
        return _refuse(
            "not_xlsx",
            name,
            "是旧版 Word/PowerPoint 文件，不是 Excel 工作簿",
            "is an old Word/PowerPoint file, not an Excel workbook",
        )
    return None  # an Excel 97-2003 (.xls) workbook, as WPS still saves by default: python-calamine reads it


def _lock_file(name: str) -> FileRefusal:
    return _refuse(
        "lock_file",
        name,
        "是 Excel 打开文件时生成的临时锁文件，不是报表，已跳过",
        "is a lock file Excel leaves while a workbook is open, not a report; skipped",
    )


def _not_xlsx(head: bytes, name: str) -> FileRefusal:
    for magic, zh, en in MAGIC_KINDS:
        if head.startswith(magic):
            return _refuse("not_xlsx", name, f"是{zh}，不是 Excel 工作簿", f"is {en}, not an Excel workbook")
    text = _as_text(head)
    if text is None:
        if name.startswith("~$"):
            return _lock_file(name)
        return _refuse(
            "not_xlsx",
            name,
            "不是 Excel 工作簿（无法识别的格式）",
            "is not an Excel workbook (unknown format)",
        )
    lowered = text.lstrip().lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in lowered or lowered.startswith(
        ("<html", "<!doctype html", "<table", "<meta")
    ):
        return _refuse(
            "not_xlsx_html",
            name,
            f"是网页 (HTML) 或 XML 表格，只是扩展名像 Excel；{SAVE_AS[0]}",
            f"is a web page (HTML) or XML spreadsheet with an Excel-like name; {SAVE_AS[1]}",
        )
    return _refuse(
        "not_xlsx_csv",
        name,
        f"是文本/CSV 文件，不是 Excel 工作簿（可能改过扩展名）；{SAVE_AS[0]}",
        f"is a text/CSV file, not an Excel workbook (renamed?); {SAVE_AS[1]}",
    )


def _as_text(head: bytes) -> str | None:
    """Decode the first bytes as text (UTF-8, UTF-16 with BOM, GB18030) if they look like text."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif b"\x00" in head:
        return None
    else:
        candidates = ["utf-8-sig", "gb18030"]
    for encoding in candidates:
        # The sniffed block may end inside a multi-byte character: decode it incrementally.
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ch < " " and ch not in "\t\r\n\f")
        if text and controls <= len(text) // 100:
            return text
    return None


def _check_zip(fh: BinaryIO, size: int, name: str, limits: _Limits) -> FileRefusal | None:
    try:
        zf = zipfile.ZipFile(fh)
    except ZIP_ERRORS as exc:
        return _broken_zip(fh, size, name, exc)
    with zf:
        try:
            return (
                _check_layout(zf, fh, name)
                or _check_sizes(zf.infolist(), name, limits)
                or _check_package(zf, name)
                or (_check_deep(zf, fh, name, limits) if limits.deep else None)
            )
        except ZIP_ERRORS as exc:
            return _corrupt(name, exc)


def _broken_zip(fh: BinaryIO, size: int, name: str, exc: Exception) -> FileRefusal:
    # The end-of-central-directory record (22 bytes + comment) is the last thing in a zip:
    # a file cut short loses it, or keeps only part of it.
    tail_start = max(0, size - (2**16 + 22))
    fh.seek(tail_start)
    end = fh.read().rfind(ZIP_END)
    if end < 0 or tail_start + end + 22 > size:
        return _refuse(
            "truncated_zip",
            name,
            "不完整（文件末尾缺失，可能复制或上传中断），请重新发送完整文件",
            "is incomplete (its end is missing; copy or upload interrupted?); send the whole file again",
        )
    return _corrupt(name, exc)


def _corrupt(name: str, exc: Exception | str) -> FileRefusal:
    why = str(exc) or type(exc).__name__
    return _refuse(
        "corrupt_zip",
        name,
        f"已损坏（{why}），请重新导出或在 Excel 中另存为 .xlsx",
        f"is damaged ({why}); export it again or re-save it as .xlsx in Excel",
    )


def _check_layout(zf: zipfile.ZipFile, fh: BinaryIO, name: str) -> FileRefusal | None:
    """Each part: supported method, not encrypted, local header agreeing, bytes in its own slice."""
    infos = zf.infolist()
    if len(infos) > MAX_PARTS:
        return _bomb(name, f"含 {len(infos)} 个部件", f"has {len(infos)} parts")
    if len({i.filename.lower() for i in infos}) < len(infos):
        # Two parts with one name: readers disagree on which one counts.
        return _corrupt(name, "duplicate part names")
    end_of_data = getattr(zf, "start_dir", None)
    previous_end = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        if info.flag_bits & 0x1:
            return _refuse(
                "encrypted",
                name,
                "内部部件设有密码（已加密），无法读取",
                "has password-protected (encrypted) parts",
            )
        if info.compress_type not in (STORED, DEFLATED):
            return _corrupt(name, f"{info.filename}: compression method {info.compress_type}")
        if info.header_offset < previous_end:
            return _corrupt(name, f"{info.filename}: overlaps the previous part")
        data_start = _local_header_end(fh, info)
        previous_end = data_start + info.compress_size
        if end_of_data is not None and previous_end > end_of_data:
            return _corrupt(name, f"{info.filename}: runs past the central directory")
    return None


def _local_header_end(fh: BinaryIO, info: zipfile.ZipInfo) -> int:
    """Check a part's local header against the central directory; return where its data starts."""
    fh.seek(info.header_offset)
    raw = fh.read(LOCAL_HEADER.size)
    if len(raw) < LOCAL_HEADER.size:
        raise zipfile.BadZipFile(f"{info.filename}: local header cut off")
    sig, _ver, flags, method, _t, _d, crc, csize, usize, nlen, xlen = LOCAL_HEADER.unpack(raw)
    local_name = fh.read(nlen).decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
    if sig != ZIP_LOCAL or local_name != info.orig_filename or method != info.compress_type:
        raise zipfile.BadZipFile(f"{info.filename}: local header does not match the directory")
    # Bit 3: sizes and CRC follow the data instead; 0xFFFFFFFF: the real sizes are in zip64 extras.
    if not flags & 0x8 and crc != info.CRC:
        raise zipfile.BadZipFile(f"{info.filename}: CRC differs between local header and directory")
    sizes_local = (csize, usize)
    if not flags & 0x8 and 0xFFFFFFFF not in sizes_local and sizes_local != (info.compress_size, info.file_size):
        raise zipfile.BadZipFile(f"{info.filename}: sizes differ between local header and directory")
    return info.header_offset + LOCAL_HEADER.size + nlen + xlen


def _bomb(name: str, zh: str, en: str) -> FileRefusal:
    return _refuse(
        "zip_bomb",
        name,
        f"解压后大小异常（{zh}），疑似恶意压缩文件，不予接收",
        f"would unpack to an abnormal size ({en}); refused as a suspected zip bomb",
    )


def _check_sizes(infos: list[zipfile.ZipInfo], name: str, limits: _Limits) -> FileRefusal | None:
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped:
        return _bomb(
            name,
            f"声明解压后共 {_mb(total)}，上限 {_mb(limits.max_unzipped)}",
            f"declares {_mb(total)} unpacked, limit {_mb(limits.max_unzipped)}",
        )
    for info in infos:
        if info.file_size >= RATIO_FLOOR and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            return _bomb(
                name,
                f"{info.filename} 压缩比 {ratio}:1，上限 {limits.max_ratio}:1",
                f"{info.filename} compresses {ratio}:1, limit {limits.max_ratio}:1",
            )
    return None


def _check_package(zf: zipfile.ZipFile, name: str) -> FileRefusal | None:
    """Macro parts, a spreadsheet content type, and a readable xl/workbook.xml."""
    parts = {i.filename.lower(): i for i in zf.infolist()}
    if any(p.endswith("vbaproject.bin") or p.startswith("xl/macrosheets/") for p in parts):
        return _macro(name)
    if "mimetype" in parts and _read_small(zf, parts["mimetype"]).strip() == ODS_MIMETYPE:
        # An OpenDocument spreadsheet (.ods), as LibreOffice and WPS save it: python-calamine reads it.
        if any(p.startswith(("basic/", "scripts/")) for p in parts):
            return _macro(name)
        return None if "content.xml" in parts else _corrupt(name, "content.xml missing")
    types = parts.get("[content_types].xml")
    if types is None:
        return _not_workbook(parts, name)
    content_types = _read_small(zf, types).lower()
    if any(t in content_types for t in MACRO_TYPES):
        return _macro(name)
    workbook = parts.get("xl/workbook.xml")
    if workbook is None:
        return _not_workbook(parts, name)
    if not WORKBOOK_TAG.search(_read_small(zf, workbook)[:SNIFF]):
        return _corrupt(name, "xl/workbook.xml is not a workbook")
    return None


def _read_small(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > SMALL_PART:
        raise zipfile.BadZipFile(f"{info.filename} declares {_mb(info.file_size)}")
    return zf.read(info)  # zipfile checks the CRC


def _macro(name: str) -> FileRefusal:
    return _refuse(
        "macro_enabled",
        name,
        "是含宏的工作簿（.xlsm/.xltm，含 VBA 或宏表），出于安全考虑不予接收；请另存为不含宏的 .xlsx",
        "is a macro-enabled workbook (.xlsm/.xltm, VBA or macro sheets), refused for safety; "
        "save it as a macro-free .xlsx",
    )


def _not_workbook(parts: dict[str, zipfile.ZipInfo], name: str) -> FileRefusal:
    for part, zh, en in OTHER_OOXML:
        if part in parts:
            return _refuse("not_workbook", name, f"是{zh}，不是 Excel 工作簿", f"is {en}, not an Excel workbook")
    if "xl/workbook.bin" in parts:
        zh, en = "是 Excel 二进制工作簿 (.xlsb)", "is an Excel Binary Workbook (.xlsb)"
    elif "mimetype" in parts or "content.xml" in parts:
        zh, en = "是 OpenDocument 表格 (.ods)", "is an OpenDocument spreadsheet (.ods)"
    else:
        zh, en = "是普通压缩包，缺少 xl/workbook.xml", "is a zip archive without xl/workbook.xml"
    return _refuse("not_workbook", name, f"{zh}，{SAVE_AS[0]}", f"{en}; {SAVE_AS[1]}")


def _check_deep(zf: zipfile.ZipFile, fh: BinaryIO, name: str, limits: _Limits) -> FileRefusal | None:
    """Decompress every part from its raw bytes, counting real output and checking CRCs."""
    total = 0
    for info in zf.infolist():
        total += _inflate_part(fh, info, limits.max_unzipped - total)
        if total > limits.max_unzipped:
            return _bomb(
                name,
                f"实际解压超过 {_mb(limits.max_unzipped)}",
                f"really unpacks past {_mb(limits.max_unzipped)}",
            )
    return None


def _inflate_part(fh: BinaryIO, info: zipfile.ZipInfo, budget: int) -> int:
    """Bytes a part really unpacks to (stopping once past ``budget``); raise if size or CRC lie."""
    fh.seek(_local_header_end(fh, info))
    left = info.compress_size
    inflate = zlib.decompressobj(-zlib.MAX_WBITS) if info.compress_type == DEFLATED else None
    crc = produced = 0
    pending = b""
    while pending or left > 0:
        if not pending:
            pending = fh.read(min(left, 2**16))
            left -= len(pending)
            if not pending:
                raise zipfile.BadZipFile(f"{info.filename}: data cut off")
        if inflate is None:
            out, pending = pending, b""
        else:
            out = inflate.decompress(pending, 2**20)
            pending = inflate.unconsumed_tail
        crc, produced = zlib.crc32(out, crc), produced + len(out)
        if produced > budget:
            return produced
    if inflate is not None:
        out = inflate.flush()
        crc, produced = zlib.crc32(out, crc), produced + len(out)
        if not inflate.eof:
            raise zipfile.BadZipFile(f"{info.filename}: compressed data cut off")
    if produced != info.file_size or crc != info.CRC:
        raise zipfile.BadZipFile(f"{info.filename}: size or CRC does not match its content")
    return produced
