"""Sample 机构设置 (issue 15 point 4): each pilot street's offices in the 5+X model, with staff, sent with the
register; a street that does not follow 5+X in 武侯区 and 邛崃市; list items whose 责任科室 no street has, or none;
and the 承办科室 of the unlisted tasks."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from data import names
from data.layouts import Column, table_sheet
from data.world import District, Item, rng_for
from data.xlsx import Sheet

STANDARD = ("综合办公室", "党群办公室", "社区发展办公室", "社区治理办公室", "民生服务办公室")
# How a district's officer writes the five (龙泉驿's form uses the short names the lists' officers also say).
SHORT = {"综合办公室": "综合办", "党群办公室": "党群办", "民生服务办公室": "民生办"}
SHORT_DISTRICTS = ("龙泉驿区",)
# X offices by street type (the lists' 责任科室 name both), and the centre and team every street has.
X_BY_TYPE = {
    "城区街道": ("城乡治理办公室",),
    "涉农街道": ("乡村振兴办公室", "城乡治理办公室"),
    "镇": ("乡村振兴办公室",),
}
UNITS = ("便民服务中心", "综合执法队")
# Streets that do not follow 5+X: 火车南站 folded 民生服务 into a 社会事务办公室; 羊安 keeps four X offices.
NOT_5X = {
    ("武侯区", "火车南站街道"): {"drop": ("民生服务办公室",), "x": ("社会事务办公室",)},
    ("邛崃市", "羊安街道"): {"drop": (), "x": ("文旅发展办公室", "规划建设办公室", "安全生产办公室")},
}
POSTS = {"综合办公室": (6, 10), "党群办公室": (4, 7), "便民服务中心": (8, 14), "综合执法队": (8, 16)}
DEFAULT_POSTS = (3, 7)
DUTIES = {
    "综合办公室": "文秘、财务、机关后勤",
    "党群办公室": "党建、群团、宣传",
    "社区发展办公室": "社区规划、产业发展、营商环境",
    "社区治理办公室": "基层治理、平安建设、矛盾调解",
    "民生服务办公室": "社会保障、民政、卫生健康",
}
# List items whose 责任科室 no street has (an office the lists still name after a merger), or none at all.
GONE_OFFICE = "城市管理科"
GAPS = {"武侯区": (4, 11), "龙泉驿区": (6,), "邛崃市": (9,), "彭州市": (3, 14)}
EMPTY_AT = {"武侯区": 20, "彭州市": 8}
HEADERS = ("序号", "区(市)县", "街道(镇)", "科室名称", "科室类别", "编制人数", "在岗人数", "主要职能")


def office_rows(seed: int, district: District) -> list[list[object]]:
    """One row per office of every street: 区(市)县, 街道(镇), 科室名称, 科室类别, 编制人数, 在岗人数, 主要职能."""
    rows = []
    for street in district.streets:
        special = NOT_5X.get((district.name, street.name), {})
        standard = [o for o in STANDARD if o not in special.get("drop", ())]
        extra = [*X_BY_TYPE[street.street_type], *special.get("x", ())]
        rng = rng_for(seed, "offices", district.name, street.name)
        for name in [*standard, *extra, *UNITS]:
            kind = "基本科室" if name in STANDARD else "直属单位" if name in UNITS else "X科室"
            written = SHORT.get(name, name) if district.name in SHORT_DISTRICTS else name
            posts = int(rng.integers(*POSTS.get(name, DEFAULT_POSTS)))
            staff = max(0, posts - int(rng.integers(0, 2)))
            category = None if district.name == "彭州市" and kind != "直属单位" else kind  # 彭州 leaves it to the name
            rows.append([district.name, street.name, written, category, posts, staff, DUTIES.get(name)])
    return rows


def offices_sheet(seed: int, districts: list[District]) -> Sheet:
    """The 机构设置 sheet of the register workbook: every pilot street's offices."""
    keys = ("seq", "district", "street", "office", "category", "posts", "staff", "duties")
    widths = {"office": 16, "duties": 26, "street": 14}
    columns = [Column(k, h, width=widths.get(k, 10)) for k, h in zip(keys, HEADERS, strict=True)]
    rows: list[list[object] | None] = []
    for district in districts:
        rows += [[len(rows) + 1, *r] for r in office_rows(seed, district)]
    return table_sheet(
        "机构设置",
        columns,
        rows,
        title="成都市试点街道（镇）机构设置情况表（5+X）",
        footers=([f"注：{names.SYNTHETIC_NOTE}"],),
    )


def with_office_gaps(district: District, items: list[Item]) -> list[Item]:
    """The duty list with a few 责任科室 no street has (GAPS) and one left empty (EMPTY_AT), by position."""
    out = list(items)
    for k in GAPS.get(district.name, ()):
        if k < len(out):
            out[k] = replace(out[k], office=GONE_OFFICE)
    k = EMPTY_AT.get(district.name)
    if k is not None and k < len(out):
        out[k] = replace(out[k], office="")
    return out


# The office a task pushed onto a street lands on; one in five is written without one.
TASK_OFFICES = (*STANDARD, "城乡治理办公室", "乡村振兴办公室")


def with_task_offices(seed: int, district: District, period: str, tasks: pd.DataFrame) -> pd.DataFrame:
    """The 承办科室 of each unlisted task (None for a fifth of them); a generator of its own, so the tasks
    themselves stay as they were drawn."""
    rng = rng_for(seed, "task_office", district.name, period)
    picks = [
        None if rng.random() < 0.2 else str(rng.choice(TASK_OFFICES[:5] if k % 3 else TASK_OFFICES))
        for k in range(len(tasks))
    ]
    return tasks.assign(office=picks)
