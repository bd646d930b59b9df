"""LibreOffice's print of an exported workbook, for the export tests (CI=true fails where it is missing)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def xlsx_pdf(xlsx: bytes, tmp_path: Path, name: str) -> Path:
    """The PDF LibreOffice prints of the workbook `xlsx` (saved as `name`.xlsx in tmp_path)."""
    soffice = shutil.which("libreoffice") or shutil.which("soffice")
    if soffice is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice and poppler-utils are required under CI=true")
        pytest.skip("LibreOffice or poppler-utils is not installed")
    src = tmp_path / f"{name}.xlsx"
    src.write_bytes(xlsx)
    profile = f"-env:UserInstallation=file:///tmp/lo_profile_{os.getpid()}"
    cmd = [soffice, "--headless", profile, "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    return tmp_path / f"{name}.pdf"


def pdf_text(pdf: Path) -> str:
    """The text of a PDF as laid out on the page."""
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
