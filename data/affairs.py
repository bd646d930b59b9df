"""邛崃's 事务清单 (118 items in 9 areas, its evaluation list) and its 清单对照 crosswalk to the duty list (issue 15).

Drawn from the duty list, deterministically: a few duties are never evaluated (and the economic ones never are),
some duties are split into two 事务, and a few 事务 (party building, rural revitalisation…) have no duty behind them.
"""

from __future__ import annotations

from dataclasses import replace

from data.layouts import Column, table_sheet
from data.world import District, Item, rng_for
from data.xlsx import Sheet

AFFAIRS_SIZE = {"邛崃市": 118}  # districts that declare a 事务清单, and its size (the seed: 118 items)
NOT_EVALUATED = 10  # duties no 事务 evaluates
AREAS = ("党的建设", "社区发展治理", "公共服务", "城市管理", "生态环保", "乡村振兴", "营商环境", "平安建设", "应急管理")
# 事务 with no duty behind them: (function, area, name, office)
UNBACKED = (
    ("community_development", "党的建设", "基层党组织标准化建设", "党群办公室"),
    ("community_development", "党的建设", "党风廉政建设责任落实", "党群办公室"),
    ("community_development", "党的建设", "意识形态工作责任制落实", "党群办公室"),
    ("comprehensive_management", "乡村振兴", "乡村振兴示范点创建", "乡村振兴办公室"),
    ("comprehensive_management", "乡村振兴", "农村人居环境整治提升", "乡村振兴办公室"),
    ("comprehensive_management", "生态环保", "河长制湖长制巡河履职", "社区治理办公室"),
    ("community_safety", "应急管理", "森林防灭火宣传巡查", "综合办公室"),
    ("public_services", "公共服务", "重点民生实事项目推进", "民生服务办公室"),
)
ECONOMIC_WORDS = ("招商", "引资", "协税", "护税", "税收任务")
FIVE = (
    "community_development",
    "public_services",
    "comprehensive_management",
    "business_environment",
    "community_safety",
)


def _area(it: Item) -> str:
    """The 事务清单 area (one of the 9) of a duty item."""
    if it.major in ("农业农村",):
        return "乡村振兴"
    if it.major in ("生态环境",):
        return "生态环保"
    if it.major in ("安全生产", "应急管理"):
        return "应急管理"
    by_function = {
        "community_development": "社区发展治理",
        "public_services": "公共服务",
        "comprehensive_management": "城市管理",
        "business_environment": "营商环境",
        "community_safety": "平安建设",
    }
    return by_function[it.function]


def build_affairs(
    seed: int, district: District, duty: list[Item], size: int | None = None
) -> tuple[list[Item], list[tuple[str, str]]]:
    """The district's 事务清单 items (codes SW-001…, ordered by area) and its (事务编码, 清单编码) pairs;
    `size` items (the district's AFFAIRS_SIZE when not given)."""
    size = size or AFFAIRS_SIZE[district.name]
    rng = rng_for(seed, "affairs", district.name)
    scorable = [it for it in duty if it.function in FIVE and not any(w in it.name for w in ECONOMIC_WORDS)]
    left_out = set(rng.choice(len(scorable), NOT_EVALUATED, replace=False).tolist())
    evaluated = [it for k, it in enumerate(scorable) if k not in left_out]
    n_split = max(size - len(UNBACKED) - len(evaluated), 0)
    split = set(rng.choice(len(evaluated), n_split, replace=False).tolist())
    drafts: list[tuple[Item, str | None]] = []  # (事务 without its code yet, the duty code behind it)
    for k, it in enumerate(evaluated):
        plain = replace(it, list_type="affairs", major=_area(it), source_department="", approved=None, funds=None)
        plain = replace(plain, funds_wan=None)
        if k in split:
            drafts.append((replace(plain, name=f"{it.name}（日常工作）"), it.code))
            drafts.append((replace(plain, name=f"{it.name}（专项任务）", difficulty=it.difficulty + 0.05), it.code))
        else:
            drafts.append((plain, it.code))
    for fn, area, name, office in UNBACKED:
        new = Item("", "affairs", fn, area, name, office, weight=2.0, measure="status", difficulty=0.05)
        drafts.append((new, None))
    drafts.sort(key=lambda d: AREAS.index(d[0].major))  # stable: the duty list's order within each area
    items, pairs = [], []
    for n, (it, duty_code) in enumerate(drafts[:size], start=1):
        code = f"SW-{n:03d}"
        items.append(replace(it, code=code))
        if duty_code is not None:
            pairs.append((code, duty_code))
    return items, pairs


def with_affairs(
    seed: int, district: District, lists: dict[int, dict[str, list[Item]]], size: int | None = None
) -> dict:
    """The lists with the 事务清单 added to every year of a district that declares one (the same 事务 each year)."""
    if not (size or district.name in AFFAIRS_SIZE):
        return lists
    affairs, _ = build_affairs(seed, district, lists[min(lists)]["duty"], size)
    return {year: {**year_lists, "affairs": affairs} for year, year_lists in lists.items()}


def crosswalk_pairs(
    seed: int, district: District, lists: dict[int, dict[str, list[Item]]], size: int | None = None
) -> dict[int, list]:
    """Per year, the (事务编码, 清单编码) pairs whose duty is on that year's duty list (a dropped duty drops out)."""
    if not (size or district.name in AFFAIRS_SIZE):
        return {}
    _, pairs = build_affairs(seed, district, lists[min(lists)]["duty"], size)
    return {y: [p for p in pairs if p[1] in {it.code for it in ls["duty"]}] for y, ls in lists.items()}


def scored_items(year_lists: dict[str, list[Item]]) -> list[Item]:
    """The items a district's streets report on: its 事务清单 where it declared one, else its duty list."""
    return year_lists.get("affairs") or year_lists["duty"]


def crosswalk_sheet(district: District, year: int, pairs: list[tuple[str, str]], lists: dict) -> Sheet:
    """The 清单对照 sheet: 区(市)县 and 年度 on title lines, then 事务编码 | 事务名称 | 清单编码 | 职责事项 | 备注 (the
    two name columns are for the reader: the loader reads the codes)."""
    names = {it.code: it.name for kind in ("duty", "affairs") for it in lists[kind]}
    columns = [
        Column("seq", "序号", width=6),
        Column("affairs", "事务编码", width=10),
        Column("note", "备注", width=30),
        Column("duty", "清单编码", width=10),
    ]
    many = {a for a, _ in pairs if sum(1 for b, _ in pairs if b == a) > 1}
    rows: list[list[object] | None] = [
        [k, a, f"{names.get(a, '')} ← {names.get(d, '')}" + ("（一事务对应多职责）" if a in many else ""), d]
        for k, (a, d) in enumerate(pairs, start=1)
    ]
    meta = (("区(市)县", district.name), ("年度", f"{year}年"))
    return table_sheet(
        "清单对照", columns, rows, title=f"{district.name}事务清单与职责任务清单对照表（{year}年）", meta=meta
    )


def affairs_sheets(
    seed: int, district: District, year: int, lists: dict[int, dict[str, list[Item]]], size: int | None = None
) -> list[Sheet]:
    """The 清单对照 sheet of a declaring district's list workbook (the 事务清单 itself is one of its lists)."""
    pairs = crosswalk_pairs(seed, district, lists, size).get(year)
    return [crosswalk_sheet(district, year, pairs, lists[year])] if pairs else []
