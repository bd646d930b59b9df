"""Hostile names an attacker puts into their own register and reports, and the built dataset carrying them."""

from __future__ import annotations

import pandas as pd
from builders import build_dataset

from loaders.schema import TABLES, Dataset

LINK = '<a href="https://evil.example/login">点此重新登录</a>'
FORMULA = '=HYPERLINK("https://evil.example","点此")'
SHEETLESS = "玉林/街道?*[x]:y"  # no sheet name may hold / ? * [ ] :, no file name / ?
PAYLOADS = [
    LINK,
    "<b>粗体</b>街道",
    '<span style="font-size:80px">大字</span>',
    "<img src=x onerror=alert(1)>",
    "%{customdata[0]}街道",
    "&lt;a href=x&gt;街道",
    "<br>",
    "</extra><extra>",
    FORMULA,
    SHEETLESS,
]


def hostile_dataset(streets: dict[str, str], departments: dict[str, str] | None = None) -> Dataset:
    """build_dataset() with streets (old → new name) and assigning departments renamed in every table."""
    ds = build_dataset()
    tables = {}
    for name in TABLES:
        df = ds.table(name)
        if df is None:
            continue
        df = df.copy()
        if "street" in df:
            df["street"] = df["street"].astype(object).replace(streets)
        if departments and "assigning_department" in df:
            df["assigning_department"] = df["assigning_department"].astype(object).replace(departments)
        tables[name] = TABLES[name].conform(pd.DataFrame(df))
    return Dataset(**tables)
