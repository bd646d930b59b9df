"""Service efficiency (便民服务效能) per street and quarter: online and one-visit rates, satisfaction."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.schema import Dataset
from metrics.keys import KEY
from metrics.validate import check_not_negative

SERVICE_COLUMNS: list[str] = [
    *KEY,
    "cases",
    "online_cases",
    "one_visit_cases",
    "no_visit_approvals",
    "satisfaction",
    "online_rate",
    "one_visit_rate",
]
_COUNTS = ["cases", "online_cases", "one_visit_cases", "no_visit_approvals"]


def service_efficiency(ds: Dataset) -> pd.DataFrame:
    """One row per 便民服务 report: figures as sent, online_rate and one_visit_rate (NaN if no cases)."""
    svc = ds.service
    check_not_negative(svc, [*_COUNTS, "satisfaction"], "便民服务")
    if svc.duplicated(KEY).any():
        row = svc.loc[svc.duplicated(KEY)].iloc[0]
        where = f"{row['district']} {row['street']} {row['period']}"
        raise ValueError(f"便民服务同一街道同一报告期有多行：{where} / service reported twice: {where}")
    out = svc[KEY + _COUNTS + ["satisfaction"]].copy()
    cases = out["cases"].to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        for rate, col in (("online_rate", "online_cases"), ("one_visit_rate", "one_visit_cases")):
            part = out[col].to_numpy(dtype="float64", na_value=np.nan)
            out[rate] = np.where(cases > 0, part / cases, np.nan)
    return out.sort_values(KEY, ignore_index=True)[SERVICE_COLUMNS]
