"""Statuses and street types renamed in tuned maps ($STREETS_MAPS) and rules ($STREETS_RULES): the loader, the
scores, the what-if and sensitivity texts, the templates and the exports all follow (run in a fresh process, as an
officer would start the tool with the tuned files)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from loaders.vocab import MAPS
from metrics.config import DEFAULT_RULES

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "data" / "samples").glob("*.xlsx"))
STATUS = ("进行中", "推进中")  # (shipped, renamed): 推进中 is also read as before, so the samples still read
TYPE = ("涉农街道", "农业街道")

PROBE = """
import io, json, sys
import openpyxl
from loaders import read_files
from loaders.template import template_bytes
from metrics import evaluate, export
from metrics.sensitivity import sensitivity
from dashboard.constants import STREET_TYPES
from dashboard.status_view import section

status, street_type = sys.argv[1], sys.argv[2]
ds = read_files(sys.argv[3:]).dataset
ev = evaluate(ds)
period = ev.periods[-1]
row = ev.scores_for(period=period).dropna(subset=["grade"])
row = row.loc[row["street_type"].eq(street_type).to_numpy(dtype=bool, na_value=False)].iloc[0]

def cells(content):
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return " ".join(str(c.value) for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value is not None)

def validations(content):
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return " ".join(str(dv.formula1) for ws in wb.worksheets for dv in ws.data_validations.dataValidation)

_, template = template_bytes(ds, str(row["district"]), period, str(row["street"]))
print(json.dumps({
    "types_scored": sorted(set(ev.scores["street_type"].dropna().astype(str))),
    "statuses_read": sorted(set(ev.items["status"].dropna().astype(str))),
    "varied_status": ev.config.varied_status,
    "status_section": str(section(ev, period, "zh")),
    "sensitivity": " ".join(sensitivity(ev, period)["label_zh"]),
    "street_types_shown": list(STREET_TYPES),
    "scorecard": cells(export.street_scorecard(ev, str(row["district"]), str(row["street"]), period)),
    "ranking": cells(export.ranking(ev, period)),
    "template_lists": validations(template),
}, ensure_ascii=False))
"""


def _tuned_maps(folder: Path) -> Path:
    """values.csv with the status and the street type renamed (their old words kept as aliases of the new names)."""
    folder.mkdir()
    with (MAPS / "values.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        for vocabulary, (old, new) in (("status", STATUS), ("street_type", TYPE)):
            if r["vocabulary"] == vocabulary and r["value"] == old:
                r["value"] = new
    with (folder / "values.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


def _run(tmp_path: Path, tuned: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("STREETS_MAPS", "STREETS_RULES")}
    if tuned:
        rules = tmp_path / "rules.toml"
        rules.write_text(DEFAULT_RULES.read_text(encoding="utf-8").replace(f'"{STATUS[0]}" =', f'"{STATUS[1]}" ='))
        env |= {"STREETS_MAPS": str(_tuned_maps(tmp_path / "maps")), "STREETS_RULES": str(rules)}
    names = (STATUS[1], TYPE[1]) if tuned else (STATUS[0], TYPE[0])
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *names, *map(str, SAMPLES)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not SAMPLES, reason="no sample workbooks in data/samples")
@pytest.mark.parametrize("tuned", [False, True], ids=["shipped", "renamed"])
def test_a_renamed_status_and_street_type_reach_every_page_export_and_template(tmp_path: Path, tuned: bool):
    got = _run(tmp_path, tuned)
    (old_status, status), (old_type, street_type) = STATUS, TYPE
    if not tuned:
        status, street_type = old_status, old_type
    assert street_type in got["types_scored"] and street_type in got["street_types_shown"]
    assert status in got["statuses_read"] and got["varied_status"] == status
    for where in ("status_section", "sensitivity", "template_lists"):
        assert status in got[where], where
    for where in ("scorecard", "ranking"):
        assert street_type in got[where], where
    if tuned:
        assert old_type not in got["types_scored"] and old_type not in got["street_types_shown"]
        assert old_status not in got["statuses_read"]
        for where in ("status_section", "sensitivity", "scorecard", "ranking"):
            assert old_status not in got[where] and old_type not in got[where], where
