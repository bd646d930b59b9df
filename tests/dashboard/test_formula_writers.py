"""Every workbook and CSV the project writes goes through metrics.export.formula, whatever the text's dtype."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hostile import FORMULA, hostile_dataset

from dashboard import collect, downloads
from loaders.template import template_bytes
from metrics import submissions
from metrics.export.formula import FORMULA_START, defuse, defused, write_table_xlsx
from metrics.output import write_xlsx

TEXTS = [FORMULA, "+1", "-2", "@SUM(A1)", "\tx", "玉林街道"]
DTYPES = {
    "object": object,
    "str (pandas 3 default)": "str",
    "string[python]": "string[python]",
    "string[pyarrow]": "string[pyarrow]",
    "category": "category",
}


def frame(dtype: object) -> pd.DataFrame:
    if dtype == "string[pyarrow]":
        pytest.importorskip("pyarrow")
    return pd.DataFrame({"street": pd.Series(TEXTS, dtype=dtype), "overall": range(len(TEXTS))})


def first_column(content: bytes) -> list[openpyxl.cell.Cell]:
    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    return [row[0] for row in ws.iter_rows(min_row=2)]


def assert_defused(cells: list) -> None:
    """Text cells only, each hostile text with its quote, the harmless one unchanged."""
    assert all(c.data_type == "s" for c in cells)  # never a formula cell
    assert [c.value for c in cells] == [defuse(v) for v in TEXTS]
    assert all(c.value.startswith("'") for c in cells[:-1]) and cells[-1].value == "玉林街道"


def writers(tmp_path: Path) -> dict:
    """Each table writer of the project as text → workbook bytes (the first column holds the text)."""

    def via_path(write) -> object:
        def run(df: pd.DataFrame) -> bytes:
            path = tmp_path / "out.xlsx"
            write(df, path)
            return path.read_bytes()

        return run

    def missing_list(df: pd.DataFrame) -> pd.DataFrame:
        # the 催报 list's table: the street column carries the text
        return df.assign(district=df["street"], period="2021Q1", deadline="2021-04-15", submitted=False)

    return {
        "write_table_xlsx": via_path(lambda df, p: write_table_xlsx(df, p, "s")),
        "metrics score xlsx": via_path(lambda df, p: write_xlsx(df, p)),
        "dashboard download": lambda df: downloads.xlsx_bytes(df, "s"),
        "催报名单 (CLI)": via_path(lambda df, p: submissions.write_missing(missing_list(df), str(p))),
        "催报名单 (dashboard)": lambda df: base64.b64decode(
            collect.missing_workbook(missing_list(df), "2021Q1")["content"]
        ),
    }


@pytest.mark.parametrize("dtype", list(DTYPES.values()), ids=list(DTYPES))
def test_every_table_writer_defuses_every_string_dtype(tmp_path, dtype):
    df = frame(dtype)
    for write in writers(tmp_path).values():
        assert_defused(first_column(write(df)))


@pytest.mark.parametrize("dtype", list(DTYPES.values()), ids=list(DTYPES))
def test_defused_and_the_csv_writer_on_every_string_dtype(tmp_path, dtype):
    df = frame(dtype)
    out = defused(df)
    assert out["street"].tolist() == [defuse(v) for v in TEXTS]
    assert out["overall"].tolist() == list(range(len(TEXTS)))  # numbers untouched
    path = tmp_path / "missing.csv"
    submissions.write_missing(df.assign(district=df["street"], period="q", deadline="d", submitted=False), str(path))
    first = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False).iloc[:, 0].tolist()
    assert not any(v.startswith(FORMULA_START) for v in first)


def test_a_template_names_a_hostile_street_as_text_never_a_formula():
    ds = hostile_dataset({"玉林街道": FORMULA})
    row = ds.register.loc[ds.register["street"].eq(FORMULA)].iloc[0]
    _, content = template_bytes(ds, str(row["district"]), "2021Q1", FORMULA)
    wb = openpyxl.load_workbook(io.BytesIO(content))
    hostile = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value and "HYPERLINK" in str(c.value)]
    assert hostile and all(c.data_type == "s" for c in hostile)
