"""A small, deterministic Dataset built in code (canonical tables, no Excel) for dashboard tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from loaders.findings import ParsedFile
from loaders.schema import LIST_ITEMS, PERFORMANCE, REGISTER, SERVICE, UNLISTED, Dataset

FUNCS = (
    "community_development",
    "public_services",
    "comprehensive_management",
    "business_environment",
    "community_safety",
)
STREETS = {
    "武侯区": [
        ("玉林街道", "城区街道"),
        ("簇桥街道", "涉农街道"),
        ("华兴街道", "城区街道"),
        ("金花桥街道", "涉农街道"),
    ],
    "龙泉驿区": [("十陵街道", "城区街道"), ("洛带镇", "镇"), ("龙泉街道", "城区街道")],
    "邛崃市": [("临邛街道", "城区街道"), ("平乐镇", "镇"), ("羊安街道", "涉农街道")],
    "彭州市": [("天彭街道", "城区街道"), ("军乐镇", "镇"), ("白鹿镇", "镇"), ("丹景山镇", "镇"), ("三界镇", "镇")],
}
PERIODS = ("2019Q3", "2019Q4", "2020Q1", "2020Q2")


def build_dataset(seed: int = 7) -> Dataset:
    """Register, 2019 and 2020 duty lists, four quarters of reports with service and unlisted tasks."""
    rng = np.random.default_rng(seed)
    register = pd.DataFrame(
        [
            {"district": d, "street": s, "street_type": ty, "population": 50000 + 1000 * i, "pilot": True}
            for d, rows in STREETS.items()
            for i, (s, ty) in enumerate(rows)
        ]
    )
    lists, perf, service, unlisted = [], [], [], []
    for d_i, district in enumerate(STREETS):
        for year in (2019, 2020):
            n = 12 + d_i + (1 if year == 2020 else 0)
            for k in range(n):
                lists.append(
                    {
                        "district": district,
                        "year": year,
                        "list_type": "duty",
                        "item_code": f"{district[:2]}-{k + 1:03d}",
                        "function": FUNCS[k % 5],
                        "item_name": f"履职事项{k + 1}",
                        "weight": float(1 + (k % 3) + (1 if year == 2020 and k == 0 else 0)),
                        "source_department": "区民政局" if k % 4 == 0 else None,
                        "access_approved": True if k % 4 == 0 else None,
                        "funds_matched": (k % 8 == 0) if k % 4 == 0 else None,
                    }
                )
            lists.append(
                {
                    "district": district,
                    "year": year,
                    "list_type": "duty",
                    "item_code": f"{district[:2]}-E01",
                    "function": "investment_attraction",
                    "item_name": "招商引资任务",
                    "weight": 5.0,
                }
            )
    list_items = pd.DataFrame(lists)
    for district, rows in STREETS.items():
        codes = list_items.loc[list_items["district"].eq(district) & list_items["year"].eq(2019), "item_code"]
        for s_i, (street, _ty) in enumerate(rows):
            base = 0.55 + 0.08 * s_i + 0.05 * (district == "武侯区")
            for p_i, period in enumerate(PERIODS):
                year_codes = codes if period.startswith("2019") else [*codes, f"{district[:2]}-{len(codes):03d}"]
                for k, code in enumerate(year_codes):
                    if (k + s_i + p_i) % 9 == 0:
                        continue  # a missing report row
                    c = float(np.clip(base + 0.04 * p_i * (1 if s_i % 2 else -1) + rng.normal(0, 0.12), 0, 1.1))
                    perf.append(
                        {
                            "district": district,
                            "street": street,
                            "period": period,
                            "item_code": code,
                            "item_name": f"履职事项{k + 1}",
                            "target": 100.0,
                            "actual": round(100 * c, 1),
                            "on_time": bool(rng.random() > 0.2),
                            "evidence": "台账" if k % 2 else None,
                        }
                    )
                service.append(
                    {
                        "district": district,
                        "street": street,
                        "period": period,
                        "cases": 800.0 + 50 * s_i,
                        "online_cases": 400.0 + 40 * s_i,
                        "one_visit_cases": 600.0,
                        "no_visit_approvals": 30.0,
                        "satisfaction": 0.9 + 0.01 * s_i,
                    }
                )
                for j in range((3 if district == "龙泉驿区" else 1) + s_i % 2):
                    unlisted.append(
                        {
                            "district": district,
                            "street": street,
                            "period": period,
                            "task_name": f"临时任务{j + 1}",
                            "assigning_department": ("区住建局", "区城管局", "区应急局")[j % 3],
                            "assigned_date": pd.Timestamp(int(period[:4]), int(period[-1]) * 3, 1),
                            "access_approved": j % 2 == 0,
                            "funds_matched": j % 3 == 0,
                            "workdays": 2.0 + j,
                        }
                    )
    return Dataset(
        register=REGISTER.conform(register),
        list_items=LIST_ITEMS.conform(list_items),
        performance=PERFORMANCE.conform(pd.DataFrame(perf)),
        service=SERVICE.conform(pd.DataFrame(service)),
        unlisted=UNLISTED.conform(pd.DataFrame(unlisted)),
    )


def as_parsed_files(ds: Dataset) -> list[ParsedFile]:
    """The dataset as parsed files the store can ingest: the register first, then one per table."""
    out = []
    rated = tuple(n for n in ("dept_ratings", "advice", "offices") if not ds.table(n).empty)  # issue 15: when given
    for name in ("register", "list_items", "performance", "service", "unlisted", *rated):
        df = ds.table(name)
        out.append(
            ParsedFile(
                path=f"{name}.xlsx",
                name=f"built_{name}.xlsx",
                sha256=f"built-{name}",
                tables={name: df},
                rows_read=len(df),
                rows_used=len(df),
            )
        )
    return out


def write_report(path: Path, district: str, street: str, period: str, rows: list[tuple[str, object]]) -> Path:
    """A 履职情况 workbook as officers send it: a title line, then 事项编号 / 完成率 rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "履职情况"
    ws.append([f"{district}街道履职情况季度报表"])
    ws.append([f"填报单位：{street}    报告期：{period}"])
    ws.append(["事项编号", "事项名称", "完成率"])
    for code, completion in rows:
        ws.append([code, "事项", completion])
    wb.save(path)
    return path
