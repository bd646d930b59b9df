"""What backs each score: points lost to unreported items (因未报送失分) and the evidence mix of its weight.

Public:
- `evidence_mix(items)` → KEY + EVIDENCE_COLUMNS, one row per street and period with included items.
- `evidence_text(row, lang)` → "按状态折算 38 % · 完成率 40 % · 目标/完成值 12 % · 未报送 10 %".

points_lost_missing = 100 · Σ_missing w / Σ w: what the score would gain if every unreported item were filled at
c = 1 (full marks), i.e. the points the official rule "missing counts 0" takes from the street.
The shares split the included weight by where c came from: a ratio of actual to target (目标/完成值), a completion
rate (完成率), only a status word (完成状态, or a row with nothing usable), or no report row (未报送); they sum to 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.keys import KEY

EVIDENCE_COLUMNS: list[str] = [
    "points_lost_missing",
    "share_ratio",
    "share_completion",
    "share_status",
    "share_missing",
    "status_share_reported",
    "evidence_class",
]
# evidence_class: "status" when at least STATUS_MAJORITY of the reported weight rests on a status word only.
STATUS_MAJORITY = 0.5
EVIDENCE_CLASSES = {"status": ("以状态折算为主", "mostly status only"), "measured": ("以数值为主", "mostly measured")}
_PARTS = {"ratio": "share_ratio", "completion": "share_completion", "status": "share_status", "none": "share_status"}


def evidence_mix(items: pd.DataFrame) -> pd.DataFrame:
    """KEY + EVIDENCE_COLUMNS from the item detail (Evaluation.items): included items only."""
    rows = items.loc[items["included"].to_numpy(dtype=bool)]
    keys = rows[KEY].astype("string")
    key_id, uniques = pd.factorize(pd.MultiIndex.from_frame(keys), sort=True)
    n = len(uniques)
    w = rows["weight"].to_numpy(dtype="float64")
    source = rows["c_source"].astype("string").to_numpy(dtype=object, na_value="")
    missing = ~rows["category"].astype("string").eq("scored").to_numpy(dtype=bool, na_value=False)
    total = np.bincount(key_id, w, minlength=n)
    out = pd.DataFrame(list(uniques), columns=KEY).astype("string")
    with np.errstate(invalid="ignore", divide="ignore"):
        share = {col: np.zeros(n) for col in ("share_ratio", "share_completion", "share_status")}
        for src, col in _PARTS.items():
            share[col] += np.bincount(key_id, w * ((source == src) & ~missing), minlength=n) / total
        lost = np.bincount(key_id, w * missing, minlength=n) / total
        out["points_lost_missing"] = 100.0 * lost
        for col, values in share.items():
            out[col] = values
        out["share_missing"] = lost
        reported = 1.0 - lost
        out["status_share_reported"] = np.where(reported > 0, share["share_status"] / reported, np.nan)
    cls = np.where(out["status_share_reported"].to_numpy() >= STATUS_MAJORITY, "status", "measured")
    out["evidence_class"] = pd.Series(cls, index=out.index, dtype="string").where(out["status_share_reported"].notna())
    return out[[*KEY, *EVIDENCE_COLUMNS]]


def evidence_text(row: pd.Series, lang: str = "zh") -> str:
    """The evidence mix of one score row as text, largest part first; "" when the row has none."""
    names = {
        "share_status": ("按状态折算", "status only"),
        "share_completion": ("完成率", "completion rate"),
        "share_ratio": ("目标/完成值", "target/actual"),
        "share_missing": ("未报送", "not reported"),
    }
    parts = [(float(row.get(c)), names[c][0 if lang == "zh" else 1]) for c in names if pd.notna(row.get(c))]
    parts = sorted((p for p in parts if p[0] > 0), key=lambda p: -p[0])
    return " · ".join(f"{label} {p * 100:.0f} %" for p, label in parts)
