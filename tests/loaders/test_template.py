"""Report templates: pre-filled from the list in force, locked where it matters, and read back with zero findings.

Round trip: template → filled by openpyxl (and once more after a LibreOffice re-save) → check → ingest → score.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from loaders import read_files
from loaders.__main__ import main
from loaders.guide import columns, sheet_rows
from loaders.store import Store
from loaders.template import TemplateError, make_templates, template_bytes
from metrics.score import score_streets

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
PERIOD = "2021Q1"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A store with the sample register and the sample lists (no reports)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('tpl') / 's.sqlite'}"
    s = Store(url)
    files = [SAMPLES / "00_街道名册.xlsx", *sorted(SAMPLES.glob("10_清单_*.xlsx"))]
    for parsed in read_files([str(f) for f in files]).files:
        assert s.ingest(parsed, user="test").outcome == "ingested"
    return s


def fill(path: Path, out: Path) -> Path:
    """Fill every report row so that c = 0.9, the service sheet and one unlisted task."""
    wb = openpyxl.load_workbook(path)
    ws = wb["履职情况"]
    col = {c.value: c.column for c in ws[3]}
    for r in range(4, ws.max_row + 1):
        if ws.cell(r, col["事项编号"]).value is not None:
            # c = 0.9 either way: 9 of 10 (正向), or 10 against a ceiling of 9 (反向, FORMATS §6)
            reverse = ws.cell(r, col["指标方向"]).value == "反向"
            ws.cell(r, col["目标值"]).value = 9 if reverse else 10
            ws.cell(r, col["完成值"]).value = 10 if reverse else 9
            ws.cell(r, col["完成状态"]).value = "进行中"
            ws.cell(r, col["是否按时"]).value = "是"
    sv = wb["便民服务"]
    head = {c.value: c.column for c in sv[3]}
    for r in range(4, sv.max_row + 1):
        for h in ("办件量", "网上办理量", "一次办结量", "不见面审批量"):
            sv.cell(r, head[h]).value = 100
        sv.cell(r, head["群众满意度"]).value = 0.97
    un = wb["清单外事项"]
    head = {c.value: c.column for c in un[3]}
    task = {"事项名称": "迎检台账整理", "交办部门": "区教育局", "交办日期": dt.datetime(2021, 2, 3)}
    task |= {"经准入审批": "否", "经费同步下放": "否", "耗用工作日": 3}
    if "街道(镇)" in head:
        task["街道(镇)"] = sv.cell(4, 1).value
    for h, v in task.items():
        un.cell(4, head[h]).value = v
    if "执法情况" in wb.sheetnames:  # districts with a 执法监管清单 (issue 15 point 3)
        en = wb["执法情况"]
        head = {c.value: c.column for c in en[3]}
        for r in range(4, en.max_row + 1):
            figures = {"案件数": 20, "按时办结数": 18, "复议/诉讼纠错数": 1, "联合执法次数": 2, "执法人员数": 6}
            for h, v in figures.items():
                en.cell(r, head[h]).value = v
    wb.save(out)
    return out


def findings(store: Store, *paths: Path) -> list:
    result = read_files([str(p) for p in paths], register=store.load_register(), lists=store.list_index())
    return [(f.level, f.location, f.zh) for p in result.files for f in p.findings]


def test_one_template_per_street_prefilled_from_the_list_in_force(store: Store, tmp_path: Path) -> None:
    paths = make_templates(store.load_dataset(), "武侯区", PERIOD, tmp_path)
    reg = store.load_register()
    assert len(paths) == int((reg["district"] == "武侯区").sum()) == 13
    wb = openpyxl.load_workbook(tmp_path / "履职报表模板_2021Q1_武侯区_玉林街道.xlsx")
    assert wb.sheetnames == ["履职情况", "便民服务", "清单外事项", "执法情况", "填报说明"]  # 武侯 has a 执法监管清单
    ws = wb["履职情况"]
    assert "填报单位：玉林街道" in ws["A2"].value and "报告期：2021年第一季度" in ws["A2"].value
    head = [c.value for c in ws[3]]
    assert head[:3] == ["事项编号", "事项名称", "职能板块"]
    # 2021 has no list: the 2020 list is in force; every one of its duty items that applies to a 城区街道 (§6),
    # none removed (no economic items)
    items = store.load_dataset().list_items
    duty = items[(items["district"] == "武侯区") & (items["year"] == 2020) & (items["list_type"] == "duty")]
    applies_to = duty["applies_to"].astype("string").fillna("")
    duty = duty[(applies_to.eq("") | applies_to.str.contains("城区街道")).to_numpy(dtype=bool)]
    assert reg.loc[reg["street"] == "玉林街道", "street_type"].item() == "城区街道"
    codes = [ws.cell(r, 1).value for r in range(4, ws.max_row + 1)]
    assert codes == list(duty["item_code"])
    assert ws.cell(4, 3).value == "统筹社区发展"  # the function in words, not its key


def test_codes_locked_inputs_open_drop_downs_and_numbers(store: Store, tmp_path: Path) -> None:
    (path,) = make_templates(store.load_dataset(), "武侯区", PERIOD, tmp_path, street="玉林")
    ws = openpyxl.load_workbook(path)["履职情况"]
    assert ws.protection.sheet and not ws.protection.password  # protected, no password
    col = {c.value: c.column_letter for c in ws[3]}
    assert ws[f"{col['事项编号']}4"].protection.locked and ws[f"{col['事项名称']}4"].protection.locked
    for h in ("目标值", "完成值", "完成率", "完成状态", "是否按时", "备注"):
        assert not ws[f"{col[h]}4"].protection.locked, h
    rules = {str(dv.sqref).split(":")[0][:1]: dv for dv in ws.data_validations.dataValidation}
    assert rules[col["完成状态"]].type == "list" and "已完成" in rules[col["完成状态"]].formula1
    assert rules[col["是否按时"]].formula1 == '"是,否"'
    assert rules[col["完成值"]].type == "decimal" and rules[col["完成率"]].type == "decimal"
    assert ws[f"{col['完成率']}4"].number_format == "0%"


def test_guide_sheet_is_the_loaders_alias_table(store: Store, tmp_path: Path) -> None:
    (path,) = make_templates(store.load_dataset(), "武侯区", PERIOD, tmp_path, street="玉林街道")
    ws = openpyxl.load_workbook(path)["填报说明"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    for c in columns("performance"):
        assert c.header in text
        for form in c.forms:
            assert form in text, form
    assert len([r for r in sheet_rows() if r]) > 30


def test_unknown_district_or_street_is_refused(store: Store, tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="名册"):
        make_templates(store.load_dataset(), "青羊区", PERIOD, tmp_path)
    with pytest.raises(TemplateError, match="没有"):
        make_templates(store.load_dataset(), "武侯区", "2018Q4", tmp_path)


def test_round_trip_filled_template_reads_clean_and_scores(store: Store, tmp_path: Path) -> None:
    (blank,) = make_templates(store.load_dataset(), "武侯区", PERIOD, tmp_path / "t", street="玉林街道")
    assert any(level == "warning" for level, *_ in findings(store, blank))  # an empty template is not a report
    name, data = template_bytes(store.load_dataset(), "武侯区", PERIOD)  # the district workbook, as downloaded
    combined = tmp_path / name
    combined.write_bytes(data)
    one, all_ = fill(blank, tmp_path / "one.xlsx"), fill(combined, tmp_path / "all.xlsx")
    assert findings(store, one, all_) == []
    copy = Store(f"sqlite:///{tmp_path / 'copy.sqlite'}")
    for parsed in read_files([str(p) for p in sorted(SAMPLES.glob("[01]0_*.xlsx"))]).files:
        copy.ingest(parsed, user="t")
    assert main(["ingest", str(all_), "--db", copy.url, "--user", "officer"]) == 0
    scores = score_streets(copy.load_dataset())
    wh = scores[(scores["district"] == "武侯区") & (scores["period"] == PERIOD)]
    assert len(wh) == 13
    assert wh["overall"].round(6).eq(90.0).all()  # every listed item reported with actual 9 of target 10
    assert wh["items_missing"].eq(0).all() and wh["list_year"].eq(2020).all() and wh["unlisted_tasks"].sum() == 1
    enf = copy.load_dataset().enforcement  # 武侯 has a 执法监管清单: its template carries 执法情况, one row a street
    assert len(enf) == 13 and enf["cases"].eq(20).all() and enf["officers"].eq(6).all()


def test_only_districts_with_an_enforcement_list_get_the_enforcement_sheet(store: Store) -> None:
    for district, expected in (("武侯区", True), ("邛崃市", False)):
        _, data = template_bytes(store.load_dataset(), district, PERIOD)
        wb = openpyxl.load_workbook(io.BytesIO(data))
        assert ("执法情况" in wb.sheetnames) is expected, district
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes(store.load_dataset(), "彭州市", PERIOD, "白鹿镇")[1]))
    ws = wb["执法情况"]
    assert [c.value for c in ws[3]] == ["案件数", "按时办结数", "复议/诉讼纠错数", "联合执法次数", "执法人员数"]
    assert "填报单位：白鹿镇" in str(ws["A2"].value)


@pytest.mark.libreoffice
def test_round_trip_after_a_libreoffice_resave(store: Store, tmp_path: Path) -> None:
    soffice = shutil.which("libreoffice") or shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is required under CI=true")
        pytest.skip("LibreOffice is not installed")
    (blank,) = make_templates(store.load_dataset(), "彭州市", PERIOD, tmp_path / "t", street="三界镇")
    (tmp_path / "in").mkdir()
    filled = fill(blank, tmp_path / "in" / "三界镇.xlsx")
    profile = f"-env:UserInstallation=file:///tmp/lo_profile_tpl_{os.getpid()}"
    out = tmp_path / "out"
    cmd = [soffice, "--headless", profile, "--convert-to", "xlsx", "--outdir", str(out), str(filled)]
    subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=True)
    resaved = out / "三界镇.xlsx"
    assert findings(store, resaved) == []
    wb = openpyxl.load_workbook(resaved)
    assert wb["履职情况"].protection.sheet  # the lock survives the re-save


def test_cli_writes_templates_and_refuses_unknown(store: Store, tmp_path: Path, capsys) -> None:
    args = ["template", "--district", "武侯区", "--period", "2021年第一季度", "--street", "玉林街道"]
    assert main([*args, "--out", str(tmp_path), "--db", store.url]) == 0
    assert (tmp_path / "履职报表模板_2021Q1_武侯区_玉林街道.xlsx").is_file()
    assert main(["template", "--district", "无此区", "--period", "2021Q1", "--out", str(tmp_path), "--db", store.url])
    assert "无此区" in capsys.readouterr().err
