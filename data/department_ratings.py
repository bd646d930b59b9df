"""Synthetic 考核权 data (issue 15): 龙泉驿区's streets rate its departments each quarter (on a 5-point form in 2019,
on 百分制 from 2020), and its 建议权 record on major plans. Deterministic: one generator per district and period."""

from __future__ import annotations

import datetime as dt

import numpy as np

from data import pilots
from data.layouts import Column, period_text, table_sheet
from data.world import PERIODS, District, rng_for
from data.xlsx import Sheet

RATING_DISTRICTS = ("龙泉驿区",)
FEW_RATERS = ("公安分局",)  # rated by two streets only: the scorecard says "too few ratings"
RATING_HEADER = [
    Column("street", "街道", width=14),
    Column("department", "被评部门", width=14),
    Column("scale", "满分", width=8),
    Column("guidance", "指导支持", width=10),
    Column("responsiveness", "响应时效", width=10),
    Column("funding", "经费保障", width=10),
    Column("coordination", "协同配合", width=10),
    Column("comment", "意见建议", width=30),
]
COMMENTS = (
    "希望提前告知工作安排",
    "业务培训可再加强",
    "经费到位较慢",
    "对接及时，配合良好",
    "交办事项过多，建议走准入程序",
)
DECISIONS = (
    ("龙泉驿区国土空间总体规划（2020—2035年）", "增加社区综合体和养老设施用地"),
    ("龙泉驿区老旧小区改造三年计划", "优先改造无物业管理的院落"),
    ("龙泉驿区城市更新行动方案", "保留街区商业业态，避免整体拆迁"),
    ("龙泉驿区农贸市场布局规划", "在新建小区周边增设便民菜市场"),
    ("龙泉驿区智慧社区建设方案", "统一平台，减少街道重复填报"),
    ("龙泉驿区公共交通线网优化方案", "增开通往街道便民服务中心的公交线路"),
)
ANSWERS = ("采纳", "部分采纳", "未采纳", None)


def _scale(period: str) -> int:
    return 5 if period.startswith("2019") else 100


def simulate_ratings(seed: int, district: District, period: str) -> list[list[object]]:
    """One row per (street, department) rated in the quarter: scores under the quarter's 满分, a comment now and then.
    Each department has a level of its own that drifts up over the quarters; streets differ around it."""
    depts = [district.dept_prefix + d for d in pilots.LQ_DEPARTMENTS]
    base = rng_for(seed, "dept_level", district.name).uniform(55, 85, len(depts))
    drift = rng_for(seed, "dept_drift", district.name).normal(0.8, 1.2, len(depts))
    rng = rng_for(seed, "dept_ratings", district.name, period)
    step, scale = PERIODS.index(period), _scale(period)
    rows: list[list[object]] = []
    for street in district.streets:
        for k, dept in enumerate(depts):
            few = any(dept.endswith(d) for d in FEW_RATERS)
            if (few and street not in district.streets[:2]) or (not few and rng.random() < 0.15):
                continue
            level = np.clip(base[k] + drift[k] * step + rng.normal(0, 8, 4), 0, 100)
            scores = [_on_scale(x, scale) for x in level]
            if rng.random() < 0.1:
                scores[2] = None  # 经费保障 not scored: no funds came with the department's work
            comment = str(rng.choice(COMMENTS)) if rng.random() < 0.2 else None
            rows.append([street.name, dept, scale, *scores, comment])
    return rows


def _on_scale(x: float, scale: int) -> float:
    """A 0–100 level as an officer writes it on the form: whole points 1–5, or 百分制 to one decimal."""
    return float(np.clip(round(x / 20), 1, 5)) if scale == 5 else round(float(x), 1)


def ratings_sheet(seed: int, district: District, period: str) -> Sheet:
    """The 部门评价 sheet of a district's quarter (title lines give the district and the quarter)."""
    return table_sheet(
        "部门评价",
        RATING_HEADER,
        [list(r) for r in simulate_ratings(seed, district, period)],
        title=f"{district.name}街道评价区级部门情况表",
        meta=(("区(市)县", district.name), ("报告期", period_text(period, "cn"))),
        footers=([f"注：本期满分 {_scale(period)} 分。"],),
    )


def advice_rows(seed: int, district: District) -> list[list[object]]:
    """The 建议权 record: each major plan put to a few streets for their opinion, with the answer."""
    rng = rng_for(seed, "advice", district.name)
    rows: list[list[object]] = []
    for k, (decision, opinion) in enumerate(DECISIONS):
        day = dt.datetime(2019, 3, 1) + dt.timedelta(days=int(120 * k + rng.integers(0, 60)))
        for street in rng.choice(len(district.streets), size=int(rng.integers(1, 4)), replace=False):
            answer = ANSWERS[int(rng.choice(4, p=[0.4, 0.3, 0.2, 0.1]))]
            rows.append([district.streets[int(street)].name, decision, day.strftime("%Y-%m-%d"), opinion, answer])
    return rows


def advice_sheet(seed: int, district: District) -> Sheet:
    """The 建议权 sheet of a district."""
    columns = [
        Column("street", "街道", width=14),
        Column("decision", "重大规划/决策", width=36),
        Column("date", "征求意见日期", width=14),
        Column("opinion", "街道意见", width=32),
        Column("adopted", "是否采纳", width=10),
    ]
    return table_sheet(
        "建议权",
        columns,
        [list(r) for r in advice_rows(seed, district)],
        title=f"{district.name}街道建议权行使情况",
        meta=(("区(市)县", district.name),),
    )
