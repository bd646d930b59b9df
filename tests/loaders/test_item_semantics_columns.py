"""FORMATS.md §2/§6 list columns 指标方向 and 适用类型, and §1's optional register context columns, read from xlsx."""

from __future__ import annotations

import openpyxl
import pytest
import sqlalchemy as sa

from loaders import read_files
from loaders.store import Store
from loaders.store_schema import SCHEMA_VERSION, store_meta


def _write(path, sheet, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    wb.save(path)
    return str(path)


def test_direction_and_applies_to_are_read_in_their_short_forms(tmp_path):
    rows = [
        ["区(市)县：武侯区", None, None, None, None, None],
        ["年度：2019", None, None, None, None, None],
        ["事项编号", "职能板块", "事项名称", "权重", "方向", "适用街道类型"],
        ["A1", "社区平安", "安全事故数", 2, "反向", None],
        ["A2", "社区发展", "耕地保护", 1, "正向", "涉农、镇"],
        ["A3", "公共服务", "就业服务", 1, None, "全部"],
    ]
    ds = read_files([_write(tmp_path / "清单.xlsx", "职责任务清单", rows)]).dataset
    li = ds.list_items.set_index("item_code")
    assert li.loc["A1", "direction"] == "反向" and li.loc["A2", "direction"] == "正向"
    assert pd_na(li.loc["A3", "direction"]) and pd_na(li.loc["A1", "applies_to"]) and pd_na(li.loc["A3", "applies_to"])
    assert li.loc["A2", "applies_to"] == "涉农街道、镇"


def test_an_unknown_street_type_in_applies_to_is_an_error_at_its_cell(tmp_path):
    rows = [
        ["区(市)县", "年度", "事项编号", "职能板块", "事项名称", "适用类型"],
        ["武侯区", 2019, "A1", "社区发展", "耕地保护", "农村"],
    ]
    result = read_files([_write(tmp_path / "清单.xlsx", "职责任务清单", rows)])
    errors = [f for f in result.findings if f.level == "error"]
    assert not result.ok and errors and "农村" in errors[0].zh and "F2" in errors[0].location


def test_register_context_columns(tmp_path):
    rows = [
        ["区(市)县", "街道(镇)", "类型", "面积(平方公里)", "社区数", "涉农人口占比", "市场主体数"],
        ["武侯区", "玉林街道", "城区街道", 6.5, 9, "2.5%", 5300],
    ]
    reg = read_files([_write(tmp_path / "名册.xlsx", "街道名册", rows)]).dataset.register.iloc[0]
    assert (reg["area"], reg["communities"], reg["firms"]) == (6.5, 9, 5300)
    assert reg["agri_share"] == pytest.approx(0.025)


def test_a_version_1_store_gains_the_new_columns_in_place(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    Store(url).engine.dispose()
    with sa.create_engine(url).begin() as conn:  # make it a version-1 store: without the §6 and context columns
        for table, cols in (("list_items", ("direction", "applies_to")), ("register", ("area", "firms"))):
            for col in cols:
                conn.exec_driver_sql(f'ALTER TABLE "{table}" DROP COLUMN "{col}"')
        conn.execute(store_meta.update().values(value="1"))
    with Store(url) as store:
        assert len(store.load_dataset().list_items.columns) > 0
    with sa.create_engine(url).connect() as conn:
        cols = {c["name"] for c in sa.inspect(conn).get_columns("list_items")}
        version = conn.execute(sa.select(store_meta.c.value)).scalar()
    assert {"direction", "applies_to"} <= cols and version == str(SCHEMA_VERSION)


def pd_na(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))
