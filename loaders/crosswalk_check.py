"""A 清单对照 sheet checked against the lists of its own workbook (issue 15): a 事务编码 not on the 事务清单, or a
清单编码 not on the 职责任务清单, of that district and year is a warning at its cell (a typo, or last year's code).
A crosswalk sent without its lists is checked by the coverage view instead (`pairs_off_list`)."""

from __future__ import annotations

from collections.abc import Sequence

from loaders.findings import Finding, ParsedFile
from loaders.parse import SheetResult

SHOWN = 30
_KINDS = (("affairs_code", "affairs_cell", "affairs", "事务清单"), ("duty_code", "duty_cell", "duty", "职责任务清单"))


def _codes(lists: Sequence[tuple[str, SheetResult]]) -> dict[tuple, set[str]]:
    """(district, year, list kind) → item codes of the workbook's lists."""
    out: dict[tuple, set[str]] = {}
    for _, result in lists:
        cols, none = result.columns, [None] * result.rows_used
        keys = zip(cols.get("district", none), cols.get("year", none), cols.get("list_type", none), strict=True)
        for (d, y, kind), code in zip(keys, cols.get("item_code", none), strict=True):
            out.setdefault((d, y, kind), set()).add(code)
    return out


def check_crosswalk(
    parsed: ParsedFile, crosswalks: Sequence[tuple[str, SheetResult]], lists: Sequence[tuple[str, SheetResult]]
) -> None:
    """Warnings in `parsed` for each crosswalk code its workbook's list of that district and year lacks."""
    listed = _codes(lists)
    shown = 0
    for sheet, result in crosswalks:
        cols, none = result.columns, [None] * result.rows_used
        for k, (code_key, cell_key, kind, zh) in enumerate(_KINDS):
            rows = zip(cols.get("district", none), cols.get("year", none), cols.get(code_key, none), strict=True)
            for (d, y, code), cell in zip(rows, cols.get(cell_key, none), strict=True):
                on_list = listed.get((d, y, kind))
                if on_list is None or code is None or code in on_list or shown >= SHOWN:
                    continue  # no such list in this workbook: nothing to check against here
                shown += 1
                en = ("affairs list", "duty list")[k]
                parsed.findings.append(
                    Finding(
                        "warning",
                        "crosswalk_code_off_list",
                        f"编码“{code}”不在 {d} {y} 年{zh}上：请核对清单对照",
                        f"code '{code}' is not on the {d} {y} {en}: check the crosswalk",
                        parsed.name,
                        sheet,
                        cell or "",
                    )
                )
