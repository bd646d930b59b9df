"""`python -m metrics export …` on real sample workbooks: each kind writes a workbook equal to the API's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from test_export_common import assert_no_formulas, open_xlsx

from loaders import read_files
from metrics import evaluate
from metrics.__main__ import main
from metrics.export import street_scorecard

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"


@pytest.fixture(scope="module")
def files() -> list[str]:
    """The register, two districts' 2019 lists and their 2019Q2 reports from the shipped samples."""
    wanted = [
        *SAMPLES.glob("00_街道名册.xlsx"),
        *SAMPLES.glob("10_清单_彭州市_2019年.xlsx"),
        *SAMPLES.glob("10_清单_武侯区_2019年.xlsx"),
        *SAMPLES.glob("20_履职报表_2019Q2_彭州市_*.xlsx"),
        *SAMPLES.glob("20_履职报表_2019Q2_武侯区_玉*.xlsx"),
        *SAMPLES.glob("20_履职报表_2019Q2_武侯区_石*.xlsx"),
    ]
    if len(wanted) < 6:
        pytest.skip("sample workbooks missing (python data/generate.py)")
    return [str(p) for p in sorted(wanted)]


def values(ws) -> list[list]:
    # everything but the generated-at time
    return [[c.value for c in row if not (isinstance(c.value, str) and c.value[:2] == "20" and ":" in c.value)]
            for row in ws.iter_rows()]  # fmt: skip


def test_street_from_workbooks_matches_the_api(files: list[str], tmp_path: Path) -> None:
    out = tmp_path / "card.xlsx"
    # a short street name and a spelled-out period are accepted like everywhere else
    argv = ["export", "street", *files, "--district", "武侯区", "--street", "玉林", "--period", "2019年第二季度"]
    assert main([*argv, "--out", str(out)]) == 0
    ev = evaluate(read_files(files).dataset)
    api = open_xlsx(street_scorecard(ev, "武侯区", "玉林街道", "2019Q2")).active
    got = open_xlsx(out.read_bytes())
    assert values(got.active) == values(api)
    assert_no_formulas(got)


@pytest.mark.parametrize(
    ("kind", "extra", "sheets"),
    [
        ("compare", ["--district", "武侯区", "--district", "彭州市"], 4),  # summary, 2 districts, 口径对比 (#14)
        ("ranking", [], 4),  # the ranking, its signable tier annex, 事权财权匹配 and 准入台账 (issue 15)
        ("batch", ["--district", "彭州市", "--lang", "en"], 6),
    ],
)
def test_other_kinds_write_their_workbook(files, tmp_path: Path, monkeypatch, kind, extra, sheets) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", kind, *files, "--period", "2019Q2", *extra]) == 0
    written = list(tmp_path.glob("*.xlsx"))
    assert len(written) == 1
    names = open_xlsx(written[0].read_bytes()).sheetnames
    assert len([n for n in names if n not in ("未报送", "Not submitted")]) == sheets  # + a 未报送 sheet when any


def test_bad_arguments_and_unknown_names_fail_with_a_message(files, tmp_path: Path, capsys) -> None:
    assert main(["export", "compare", *files, "--period", "2019Q2", "--district", "武侯区"]) == 2
    assert "2 to 4" in capsys.readouterr().err
    out = str(tmp_path / "x.xlsx")
    assert main(["export", "street", *files, "--period", "2019Q2", "--district", "武侯区", "--street", "无此街道",
                 "--out", out]) == 2  # fmt: skip
    assert "no such street" in capsys.readouterr().err
    assert not Path(out).exists()


def test_module_entry_point_runs(files: list[str], tmp_path: Path) -> None:
    out = tmp_path / "ranking.xlsx"
    cmd = [sys.executable, "-m", "metrics", "export", "ranking", *files, "--period", "2019Q2", "--out", str(out)]
    run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    assert open_xlsx(out.read_bytes()).active["A1"].value.startswith("街道履职考核排名表")


@pytest.mark.parametrize("command", [["score"], ["export", "ranking"]])
def test_an_unreadable_period_is_refused_with_its_reason(command: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main([*command, "--period", "2019X9"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "报告期“2019X9”无法识别" in err and "period '2019X9' cannot be read" in err


def test_street_export_finds_the_district_in_the_register(files: list[str], tmp_path: Path, capsys) -> None:
    out = tmp_path / "玉林.xlsx"
    assert main(["export", "street", *files, "--street", "玉林街道", "--period", "2019Q2", "--out", str(out)]) == 0
    assert "玉林街道" in open_xlsx(out.read_bytes()).active["A1"].value + str(
        [c.value for row in open_xlsx(out.read_bytes()).active.iter_rows(max_row=4) for c in row]
    )


def test_a_street_name_in_several_districts_asks_which(tmp_path: Path) -> None:
    from types import SimpleNamespace

    import pandas as pd

    from metrics import selection

    ev = SimpleNamespace(
        streets=pd.DataFrame({"district": ["武侯区", "彭州市", "彭州市"], "street": ["石羊街道", "石羊街道", "丽春镇"]})
    )
    with pytest.raises(selection.SelectionError) as raised:
        selection.street(ev, "石羊")
    assert "武侯区·石羊街道" in str(raised.value) and "彭州市·石羊街道" in str(raised.value)
    assert selection.street(ev, "石羊", "彭州市") == ("彭州市", "石羊街道")
    assert selection.street(ev, "丽春") == ("彭州市", "丽春镇")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "ranking", "--district", "无此区", "--period", "2019Q2"], "unknown district"),
        (["export", "ranking", "--period", "2024Q1"], "no data for period 2024Q1"),
        (["export", "street", "--street", "无此街道", "--period", "2019Q2"], "no such street"),
        (["score", "--district", "无此区"], "unknown district"),
        (["score", "--period", "2024Q1"], "no data for period 2024Q1"),
    ],
)
def test_selections_that_match_nothing_exit_2_with_a_message(files, tmp_path: Path, capsys, argv, message) -> None:
    out = tmp_path / "x.xlsx"
    words = 2 if argv[0] == "export" else 1
    assert main([*argv[:words], *files, *argv[words:], "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and "✘" in err
    assert not out.exists()


@pytest.mark.parametrize("command", [["export", "ranking"], ["score", "--format", "csv"]])
def test_an_output_folder_that_does_not_exist_is_an_error(files, tmp_path: Path, capsys, command) -> None:
    out = tmp_path / "没有这个文件夹" / "x.xlsx"
    assert main([*command, *files, "--period", "2019Q2", "--out", str(out)]) == 2
    assert "output folder does not exist" in capsys.readouterr().err
    assert not out.parent.exists()
