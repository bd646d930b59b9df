"""Scorecards in Excel, ready to print, sign and send (issue 5): four workbooks built from one Evaluation.

Every function takes a `metrics.Evaluation` (from `metrics.evaluate(ds)`), reads its frames and never recomputes
a score; each returns the .xlsx file as bytes (write them with `Path(p).write_bytes(data)` or `save`, or hand them
to `dcc.send_bytes`). `lang` is "zh" (default) or "en": the same layout with English captions.

- `street_scorecard(ev, district, street, period, lang="zh") -> bytes` — 街道考核评分表: header block, overall
  score and grade, ranks, the five function scores beside the district median, item counts, missing items,
  removed indicators, tasks and rows outside the list, the item table, signature lines (评价人 / 审核人 / 日期).
- `district_comparison(ev, districts, period, lang="zh") -> bytes` — 区县对比 of 2–4 districts: a summary
  sheet with native charts (bars: median of the five functions; columns: grade shares), then one sheet per
  district listing its streets.
- `ranking(ev, period, district=None, lang="zh") -> bytes` — 排名表 of the city (or one district), best first,
  grades coloured by conditional formats.
- `department_ranking(ev, period, district=None, lang="zh") -> bytes` — 部门评价排名 (issue 15, 考核权): the streets'
  ratings of the district departments, best first with rank bands and intervals, beside each department's tasks
  outside the lists; then the 建议权 record.
- `batch(ev, period, lang="zh", district=None) -> bytes` — every street's scorecard of the period, one sheet
  each, after an index sheet linking to them.

Unknown district, street or period: KeyError; a bad argument (lang, number of districts): ValueError; both carry
a Chinese / English message. All sheets print on A4 portrait, one page wide, with their header rows repeated and
panes frozen. Text that came from uploaded workbooks is always written as a text cell, never as a formula;
text starting with = + - @ tab or CR also gets Excel's quote prefix. Command line: `python -m metrics export`.
"""

from __future__ import annotations

import os

from metrics.export.batch import batch
from metrics.export.compare import district_comparison
from metrics.export.departments import department_ranking
from metrics.export.ranking import ranking
from metrics.export.street import street_scorecard


def save(data: bytes, path: str | os.PathLike) -> None:
    """Write an export's bytes to path."""
    with open(path, "wb") as fh:
        fh.write(data)


__all__ = ["batch", "department_ranking", "district_comparison", "ranking", "save", "street_scorecard"]
