"""Every kind of export opens in a real spreadsheet program: LibreOffice converts it to PDF (A4, one page wide)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from test_export_common import HOSTILE_STREET, build_dataset, open_xlsx

from metrics import evaluate
from metrics.export import batch, district_comparison, ranking, street_scorecard

pytestmark = pytest.mark.libreoffice
PERIOD = "2019Q2"
A4_POINTS = (595, 842)


@pytest.fixture(scope="module")
def soffice() -> str:
    found = shutil.which("libreoffice") or shutil.which("soffice")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is required under CI=true (apt-get install libreoffice-calc-nogui)")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui poppler-utils)")
    for tool in ("pdftotext", "pdfinfo", "pdftoppm"):
        if shutil.which(tool) is None:
            if os.environ.get("CI") == "true":
                pytest.fail(f"{tool} (poppler-utils) is required under CI=true")
            pytest.skip(f"{tool} is not installed (apt-get install poppler-utils)")
    return found


@pytest.fixture(scope="module")
def pdfs(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each kind of export written to .xlsx and converted to PDF in one LibreOffice run."""
    ev = evaluate(build_dataset(hostile=True))
    out = tmp_path_factory.mktemp("lo")
    exports = {
        "street": street_scorecard(ev, "武侯区", HOSTILE_STREET, PERIOD),
        "street_en": street_scorecard(ev, "武侯区", "武侯乙街道", PERIOD, lang="en"),
        "compare": district_comparison(ev, ["武侯区", "龙泉驿区", "彭州市"], PERIOD),
        "ranking": ranking(ev, PERIOD),
        "batch": batch(ev, PERIOD),
    }
    files = []
    for name, data in exports.items():
        (out / f"{name}.xlsx").write_bytes(data)
        files.append(str(out / f"{name}.xlsx"))
    profile = f"file:///tmp/lo_profile_{os.getpid()}"
    cmd = [soffice, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf", "--outdir", str(out)]
    run = subprocess.run([*cmd, *files], capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    return {name: out / f"{name}.pdf" for name in exports}


def pdf_info(path: Path) -> dict[str, str]:
    run = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return dict(line.split(":", 1) for line in run.stdout.splitlines() if ":" in line)


def page_text(path: Path, page: int = 1) -> str:
    run = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout


@pytest.mark.parametrize("kind", ["street", "street_en", "compare", "ranking", "batch"])
def test_every_export_converts_to_an_a4_portrait_pdf(pdfs: dict[str, Path], kind: str) -> None:
    pdf = pdfs[kind]
    assert pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-"
    size = pdf_info(pdf)["Page size"].split()
    assert (round(float(size[0])), round(float(size[2]))) == A4_POINTS


def test_scorecard_fits_one_page_wide_and_shows_hostile_text_as_text(pdfs: dict[str, Path]) -> None:
    first = page_text(pdfs["street"])
    # the rightmost column of the item table and of the header block are on the first page: one page wide
    assert "街道履职考核评分表" in first and "按时" in first and "全区中位数" in first
    assert HOSTILE_STREET in first  # shown as typed, not evaluated into a link
    pages = int(pdf_info(pdfs["street"])["Pages"])
    assert "评价人" in page_text(pdfs["street"], pages)
    fonts = subprocess.run(["pdffonts", str(pdfs["street"])], capture_output=True, text=True, check=False).stdout
    assert "CJK" in fonts or "Song" in fonts or "Hei" in fonts, fonts


def test_batch_prints_every_street(pdfs: dict[str, Path]) -> None:
    text = "".join(page_text(pdfs["batch"], p) for p in range(1, int(pdf_info(pdfs["batch"])["Pages"]) + 1))
    assert text.count("街道履职考核评分表") >= 12


def test_first_page_renders_to_png(pdfs: dict[str, Path], tmp_path: Path) -> None:
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdfs["street"]), str(tmp_path / "page")], check=True
    )
    pngs = list(tmp_path.glob("page*.png"))
    assert len(pngs) == 1 and pngs[0].stat().st_size > 10_000


def test_hostile_text_survives_a_libreoffice_round_trip(soffice: str, tmp_path: Path) -> None:
    """LibreOffice reads the scorecard and saves it again: formula-like text is still text, numbers numbers."""
    ev = evaluate(build_dataset(hostile=True))
    src = tmp_path / "in" / "card.xlsx"
    src.parent.mkdir()
    src.write_bytes(street_scorecard(ev, "武侯区", HOSTILE_STREET, PERIOD))
    out = tmp_path / "out"
    profile = f"-env:UserInstallation=file:///tmp/lo_profile_{os.getpid()}"
    cmd = [soffice, "--headless", profile, "--convert-to", "xlsx", "--outdir", str(out), str(src)]
    subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=True)
    wb = open_xlsx((out / "card.xlsx").read_bytes())
    cells = [c for row in wb.active.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if c.data_type == "s"}
    assert HOSTILE_STREET in texts and "@SUM(A1)" in texts and "+1" in texts
    overall = next(c for c in cells if c.value == "总分")
    assert wb.active.cell(overall.row, 3).data_type == "n"
