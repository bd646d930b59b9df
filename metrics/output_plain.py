"""Output rules that need no pandas: which columns round to 2 decimals (scores) and which to 4 (rates), and the CSV
of a kept frame written straight from its stored buffers.

`python -m metrics score --db` writes the kept scores with these (numpy and the csv module: ~0.2 s in all instead
of ~1 s importing pandas). `frame_csv` is byte for byte what metrics.output.to_csv writes of the decoded frame:
the same rounding (numpy's), number text (numpy's `astype(str)`, as pandas' to_csv), empty cells for missing
values, formula guard and csv dialect; a column kind it does not know gives None, and the caller decodes the
frame and uses to_csv (tests/metrics/test_output_plain.py compares the two).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

from metrics.config import FUNCTIONS
from metrics.formula_guard import defuse

# The spread of the overall score over a district's scored streets (score-scaled: rounded as scores on output).
SPREAD_COLUMNS: list[str] = ["mean", "median", "q1", "q3", "min", "max"]
SCORE_LIKE = [
    "overall",
    *FUNCTIONS,
    "overall_prev_quarter",
    "change_prev_quarter",
    "overall_year_ago",
    "change_year_ago",
    "percentile_city",
    *SPREAD_COLUMNS,
    "unlisted_workdays",
    *[f"median_{f}" for f in FUNCTIONS],
]
SCORE_DECIMALS = 2
RATE_DECIMALS = 4  # rates are fractions (0.8533 = 85.33%): 4 decimals keep 2 in percent
_INTEGER_MASKED = {"Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64"}


def decimals(column: str) -> int:
    """The decimals a float column is rounded to on output."""
    return SCORE_DECIMALS if column in SCORE_LIKE else RATE_DECIMALS


def frame_csv(payload: bytes, where: Mapping[str, str] | None = None) -> tuple[str, int] | None:
    """(CSV text, rows written) of a stored frame (metrics.frames_codec), only the rows whose text columns equal
    `where`'s values; None when a column is of a kind this writer does not know (then decode it and use to_csv)."""
    import numpy as np

    from metrics.frames_codec import buffer, frame_header

    header, view, base = frame_header(payload)
    specs = header["columns"]
    by_name = {c["name"]: c for c in specs}
    keep = np.ones(header["rows"], dtype=bool)
    for name, value in (where or {}).items():
        spec = by_name.get(name)
        if spec is None or spec["kind"] != "text":
            return None
        hits = [i for i, label in enumerate(spec["labels"]) if label == value]
        keep &= np.isin(buffer(view, base, spec["codes"]), hits)
    cells = []
    for spec in specs:
        kind, name = spec["kind"], spec["name"]
        if kind == "numpy":
            values = buffer(view, base, spec["data"])[keep]
            if values.dtype == np.float64:
                values = np.round(values, decimals(name))
                text = values.astype(str).astype(object)
                text[np.isnan(values)] = ""
            elif values.dtype.kind in "iub":
                text = values.astype(str).astype(object)
            else:
                return None
        elif kind == "masked" and (spec["dtype"] in _INTEGER_MASKED or spec["dtype"] == "boolean"):
            text = buffer(view, base, spec["data"])[keep].astype(str).astype(object)
            text[buffer(view, base, spec["mask"])[keep]] = ""
        elif kind == "text" and all(isinstance(label, str) for label in spec["labels"]):
            labels = np.array([*(defuse(label) for label in spec["labels"]), ""], dtype=object)
            text = labels[buffer(view, base, spec["codes"])[keep]]  # code -1 (missing) takes the last: ""
        else:
            return None
        cells.append(text)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")  # pandas' to_csv: the same dialect, given the same text
    writer.writerow([defuse(c["name"]) for c in specs])
    writer.writerows(zip(*cells, strict=True))
    return out.getvalue(), int(keep.sum())
