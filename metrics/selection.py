"""What a command line asked for, checked against the evaluation: districts, streets, periods, output paths.

Each check returns the canonical value or raises SelectionError with a zh/en message that says what exists.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from loaders.streets import district_stem, stem

if TYPE_CHECKING:
    import pandas as pd


class SelectionError(ValueError):
    """A --district, --street, --period or --out that matches nothing; the message names what does."""


def _listing(names: list[str], limit: int = 12) -> str:
    shown = "、".join(names[:limit])
    return shown + (f" 等 {len(names)} 个" if len(names) > limit else "")


def district(ev, given: str) -> str:
    """The evaluation's spelling of a district given with or without its suffix (武侯 → 武侯区)."""
    names = list(ev.districts)
    if given in names:
        return given
    hits = [n for n in names if district_stem(n) == district_stem(given)]
    if len(hits) == 1:
        return hits[0]
    raise SelectionError(f"没有区(市)县 {given!r}；可选：{_listing(names)}（unknown district; choose one of these）")


def street(ev, given: str, in_district: str | None = None) -> tuple[str, str]:
    """(district, street) for a street name, the district resolved from the register when the name is unique."""
    streets: pd.DataFrame = ev.streets
    if in_district is not None:
        streets = streets.loc[streets["district"].eq(in_district).fillna(False).to_numpy(dtype=bool)]
    names = streets["street"].astype("string")
    exact = streets.loc[names.eq(given).fillna(False).to_numpy(dtype=bool)]
    hits = exact if len(exact) else streets.loc[names.map(stem).eq(stem(given)).to_numpy(dtype=bool)]
    if len(hits) == 1:
        return str(hits["district"].iloc[0]), str(hits["street"].iloc[0])
    where = f"{in_district}" if in_district else "名册"
    if hits.empty:
        raise SelectionError(f"{where}中没有街道(镇) {given!r}（no such street in {in_district or 'the register'}）")
    found = sorted(f"{d}·{s}" for d, s in zip(hits["district"], hits["street"], strict=True))
    raise SelectionError(
        f"街道(镇) {given!r} 在多个区(市)县都有：{_listing(found)}；请加 --district 指定"
        f"（{given} exists in several districts; add --district）"
    )


def period(ev, given: str) -> str:
    """The period itself when the evaluation holds scores for it."""
    if given in ev.periods:
        return given
    have = list(ev.periods)
    listed = f"已有：{_listing(have)}" if have else "尚无任何报告期的数据"
    raise SelectionError(f"报告期 {given} 没有数据；{listed}（no data for period {given}）")


def out_path(given: str | Path) -> Path:
    """An output file path whose folder exists (a missing folder is an error, not a traceback)."""
    path = Path(given)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise SelectionError(f"输出文件夹不存在：{folder}（output folder does not exist）")
    if path.is_dir():
        raise SelectionError(f"输出路径是文件夹，请给出文件名：{path}（--out names a folder, not a file）")
    return path
