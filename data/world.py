"""The synthetic world behind the sample data: districts, streets, lists and simulated quarterly results."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np
import pandas as pd

from data import names

PERIODS: tuple[str, ...] = tuple(f"{y}Q{q}" for y in (2019, 2020) for q in (1, 2, 3, 4))
YEARS: tuple[int, ...] = (2019, 2020)
FUNCTION_KEYS: tuple[str, ...] = tuple(names.FUNCTIONS)


def rng_for(seed: int, *parts: object) -> np.random.Generator:
    """A generator seeded by the seed and labels, independent of generation order."""
    keys = [seed] + [zlib.crc32(str(p).encode("utf-8")) for p in parts]
    return np.random.default_rng(keys)


@dataclass(frozen=True)
class Street:
    """A street office (街道) or town (镇) as in the register."""

    district: str
    name: str
    street_type: str  # 城区街道 / 涉农街道 / 镇
    population: int
    pilot: bool = False

    @property
    def stem(self) -> str:
        """The name without its suffix: 玉林街道 → 玉林."""
        for suffix in ("街道", "镇"):
            if self.name.endswith(suffix):
                return self.name[: -len(suffix)]
        return self.name

    def spelled(self, form: str) -> str:
        """The name as an officer writes it: 'full' 玉林街道, 'short' 玉林, 'office' 玉林街道办事处."""
        if form == "short":
            return self.stem
        if form == "office":
            return self.name + ("人民政府" if self.name.endswith("镇") else "办事处")
        if form == "gov":
            return self.name + ("政府" if self.name.endswith("镇") else "办事处")
        return self.name


@dataclass(frozen=True)
class District:
    """A district (区) or county-level city (市) with its streets."""

    name: str
    code: str
    streets: tuple[Street, ...]

    @property
    def dept_prefix(self) -> str:
        """区 or 市, the prefix of its departments' names (区民政局)."""
        return self.name[-1] if self.name[-1] in "区市县" else "区"


@dataclass(frozen=True)
class Item:
    """One item of a list, with how streets report it."""

    code: str
    list_type: str  # duty / service / enforcement
    function: str  # function key or economic category key
    major: str
    name: str
    office: str
    weight: float = 1.0
    source_department: str = ""
    approved: bool | None = None
    funds: bool | None = None
    measure: str = "pct"  # quant (target+actual) / pct (completion) / status
    target: int = 0
    difficulty: float = 0.0
    direction: str = ""  # 反向: less is better (FORMATS.md §6); blank = 正向
    applies_to: str = ""  # street types the item applies to, e.g. 涉农街道、镇; blank = all
    funds_wan: float | None = None  # 下放经费 (万元) sent with a delegated item; None = not recorded
    on_time_target: float | None = None  # 执法监管清单: 按时办结率目标 (issue 15 point 3); None = not stated
    correction_ceiling: float | None = None  # 执法监管清单: 纠错率上限

    @property
    def delegated(self) -> bool:
        return bool(self.source_department)


# Department(s) that delegate each major item's duties (事权下放), as district department names.
MAJOR_DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "社区营造": ("民政局",),
    "社会组织培育": ("民政局",),
    "社区规划建设": ("住建局",),
    "社区文化": ("文广旅局", "教育局"),
    "社会保障": ("人社局", "民政局", "医保局", "退役军人事务局"),
    "就业创业": ("人社局",),
    "养老服务": ("民政局",),
    "卫生健康": ("卫健局",),
    "便民服务": ("行政审批局",),
    "城市管理": ("城管局", "住建局"),
    "生态环境": ("生态环境局",),
    "综合执法": ("城管局",),
    "网格化管理": ("城管局",),
    "农业农村": ("农业农村局",),
    "政务服务": ("行政审批局",),
    "市场秩序": ("市场监管局",),
    "惠企服务": ("市场监管局", "人社局"),
    "产业社区": ("商务局",),
    "信用建设": ("发改局",),
    "安全生产": ("应急管理局",),
    "应急管理": ("应急管理局", "规划和自然资源局"),
    "社会治安": ("公安分局",),
    "矛盾调解": ("司法局", "信访局"),
    "平安建设": ("公安分局",),
}

# Plausible function moves made by the yearly adjustment: item name → (new function, new major).
MOVES: dict[str, tuple[str, str]] = {
    "食品安全协管": ("community_safety", "平安建设"),
    "网上办理推广": ("business_environment", "政务服务"),
    "12345热线诉求办理": ("public_services", "便民服务"),
    "消费维权投诉受理": ("community_safety", "矛盾调解"),
    "流动人口居住登记": ("comprehensive_management", "网格化管理"),
}


class CodeCtx(NamedTuple):
    """Where an item sits in its list, for building its code."""

    function_no: int  # 1–5 in the order of the five functions
    major_no: int  # major item number across the whole list
    sub_no: int  # number within its major item
    fn_seq: int  # number within its function
    seq: int  # number within the list


CodeFn = Callable[[CodeCtx], str]


def _department(district: District, major: str, k: int, allowed: tuple[str, ...] | None = None) -> str:
    depts = tuple(d for d in MAJOR_DEPARTMENTS.get(major, ()) if allowed is None or d in allowed)
    if not depts:
        return ""
    name = depts[k % len(depts)]
    if name == "公安分局" and district.dept_prefix != "区":
        name = "公安局"
    return district.dept_prefix + name


def _measure(rng: np.random.Generator) -> tuple[str, int, float]:
    measure = str(rng.choice(["quant", "pct", "status"], p=[0.45, 0.4, 0.15]))
    target = int(rng.choice([4, 6, 10, 12, 20, 24, 30, 50, 60, 100, 120, 200])) if measure == "quant" else 0
    return measure, target, float(rng.normal(0.0, 0.05))


def _weight(rng: np.random.Generator) -> float:
    if rng.random() < 0.05:
        return float(rng.choice([1.5, 2.5]))
    return float(rng.choice([1, 2, 3, 4, 5], p=[0.25, 0.3, 0.25, 0.12, 0.08]))


@dataclass
class ListSpec:
    """How one district's duty list is drawn."""

    size: int
    code: CodeFn
    majors: tuple[str, ...] | None = None  # restrict to these major items (None: all)
    delegated: int | float = 0.3  # number or share of items delegated by departments
    funds_share: float = 0.75
    must: tuple[str, ...] = ()  # item names drawn first from their pools
    departments: tuple[str, ...] | None = None  # only these departments delegate (None: any)
    economic: tuple[tuple[str, str, str], ...] = ()  # (function or category key, name, major) in 2019 only
    economic_code: Callable[[int], str] = str


def _pools(rng: np.random.Generator, spec: ListSpec) -> list[tuple[int, str, str, str, list[str]]]:
    pools = []
    for f_no, (fn, majors) in enumerate(names.DUTIES.items(), start=1):
        for major, (office, subs) in majors.items():
            if spec.majors is not None and major not in spec.majors:
                continue
            rest = [n for n in subs if n not in spec.must]
            rng.shuffle(rest)
            pools.append((f_no, fn, major, office, [n for n in subs if n in spec.must] + rest))
    return pools


def build_duty_list(seed: int, district: District, spec: ListSpec) -> list[Item]:
    """Draw the 2019 duty list of a district: items round-robin over the major items, grouped by function."""
    rng = rng_for(seed, "list", district.name)
    pools = _pools(rng, spec)
    taken = [0] * len(pools)
    need = spec.size
    while need > 0:
        progress = False
        for k, pool in enumerate(pools):
            if need and taken[k] < len(pool[4]):
                taken[k] += 1
                need -= 1
                progress = True
        if not progress:
            raise ValueError(f"{district.name}: the name pool holds fewer than {spec.size} items")
    items: list[Item] = []
    fn_seq: dict[int, int] = {}
    for k, (f_no, fn, major, office, subs) in enumerate(pools):
        chosen = sorted(subs[: taken[k]], key=names.DUTIES[fn][major][1].index)
        for s_no, name in enumerate(chosen, start=1):
            fn_seq[f_no] = fn_seq.get(f_no, 0) + 1
            ctx = CodeCtx(f_no, k + 1, s_no, fn_seq[f_no], len(items) + 1)
            measure, target, difficulty = _measure(rng)
            items.append(
                Item(
                    spec.code(ctx),
                    "duty",
                    fn,
                    major,
                    name,
                    office,
                    _weight(rng),
                    "",
                    None,
                    None,
                    measure,
                    target,
                    difficulty,
                )
            )
    items = _delegate(rng, district, items, spec)
    for k, (category, name, major) in enumerate(spec.economic, start=1):
        weight = float(rng.choice([3, 5]))
        target = int(rng.choice([2, 3, 5]))
        items.append(
            Item(
                spec.economic_code(k),
                "duty",
                category,
                major,
                name,
                "综合办公室",
                weight,
                measure="quant",
                target=target,
            )
        )
    return items


def _delegate(rng: np.random.Generator, district: District, items: list[Item], spec: ListSpec) -> list[Item]:
    candidates = [k for k, it in enumerate(items) if _department(district, it.major, 0, spec.departments)]
    count = spec.delegated if isinstance(spec.delegated, int) else round(spec.delegated * len(items))
    chosen = set(rng.choice(candidates, size=min(count, len(candidates)), replace=False).tolist())
    out = []
    for k, it in enumerate(items):
        if k in chosen:
            dept = _department(district, it.major, int(rng.integers(0, 4)), spec.departments)
            it = replace(it, source_department=dept, approved=True, funds=bool(rng.random() < spec.funds_share))
        out.append(it)
    return out


@dataclass
class Adjustment:
    """The yearly adjustment (每年动态调整) from one list year to the next."""

    adds: int
    drops: int
    reweights: int
    moves: int
    new_code: Callable[[Item, int], str]  # (template item, running number) → code for an added item


def adjust_list(seed: int, district: District, items: list[Item], adj: Adjustment) -> list[Item]:
    """The next year's list: economic items gone, some added, dropped, reweighted and moved."""
    rng = rng_for(seed, "adjust", district.name)
    economic = set(names.ECONOMIC)
    kept = [it for it in items if it.function not in economic and not _economic_name(it.name)]
    drop_idx = set(rng.choice(len(kept), size=adj.drops, replace=False).tolist())
    kept = [it for k, it in enumerate(kept) if k not in drop_idx]
    for k in rng.choice(len(kept), size=adj.reweights, replace=False).tolist():
        kept[k] = replace(kept[k], weight=float(max(1, min(5, kept[k].weight + rng.choice([-1, 1, 2])))))
    moved = 0
    for k, it in enumerate(kept):
        if moved < adj.moves and it.name in MOVES:
            fn, major = MOVES[it.name]
            kept[k] = replace(it, function=fn, major=major)
            moved += 1
    present = {it.name for it in kept}
    new_names = [n for n in names.NEW_2020 if n not in present]
    new_names = [new_names[k] for k in rng.permutation(len(new_names))]
    for n_no, name in enumerate(new_names[: adj.adds], start=1):
        fn, major, office = names.NEW_2020[name]
        template = next((it for it in kept if it.major == major), None)
        if template is None:  # the district has no such major item: file it under one of the function's
            template = next(it for it in kept if it.function == fn)
            major = template.major
        measure, target, difficulty = _measure(rng)
        item = Item(
            adj.new_code(template, n_no),
            "duty",
            fn,
            major,
            name,
            office,
            _weight(rng),
            measure=measure,
            target=target,
            difficulty=difficulty + 0.05,
        )
        at = max(k for k, it in enumerate(kept) if it.major == major) + 1
        kept.insert(at, item)
    return kept


def _economic_name(name: str) -> bool:
    return any(word in name for word in ("招商", "引资", "协税", "护税", "税收任务"))


def build_side_list(seed: int, district: District, list_type: str, size: int, code: Callable[[int], str]) -> list[Item]:
    """A 便民服务清单 or 执法监管清单 drawn from the pools."""
    rng = rng_for(seed, list_type, district.name)
    pool = names.SERVICES if list_type == "service" else names.ENFORCEMENT
    picks = sorted(rng.choice(len(pool), size=min(size, len(pool)), replace=False).tolist())
    office = "便民服务中心" if list_type == "service" else "综合执法队"
    return [Item(code(n), list_type, pool[k][0], "", pool[k][1], office) for n, k in enumerate(picks, start=1)]


# --- Simulated results ---------------------------------------------------------------------------

TYPE_EFFECT: dict[str, dict[str, float]] = {
    "城区街道": {"public_services": 0.04, "business_environment": 0.05, "comprehensive_management": 0.0},
    "涉农街道": {"community_development": -0.03, "comprehensive_management": -0.05, "business_environment": -0.03},
    "镇": {"business_environment": -0.09, "public_services": -0.04, "community_safety": 0.02},
}
QUARTER_EFFECT = {1: -0.05, 2: 0.0, 3: 0.01, 4: 0.05}
NOT_STARTED = {1: 0.05, 2: 0.025, 3: 0.015, 4: 0.01}


@dataclass(frozen=True)
class Profile:
    """How well a street performs: level, trend per quarter and the share of items it leaves unreported."""

    base: float
    trend: float = 0.0
    miss: float = 0.03
    miss_trend: float = 0.0


def simulate_performance(
    seed: int, district: District, profiles: dict[str, Profile], items: list[Item], period: str
) -> pd.DataFrame:
    """Latent quarterly results of every street of a district on every duty item (missing rows dropped)."""
    rng = rng_for(seed, "perf", district.name, period)
    t = PERIODS.index(period) if period in PERIODS else 0
    quarter = int(period[-1])
    fn = np.array([it.function for it in items])
    difficulty = np.array([it.difficulty for it in items])
    frames = []
    for street in district.streets:
        prof = profiles[street.name]
        effect = np.array([TYPE_EFFECT[street.street_type].get(f, 0.0) for f in fn])
        mu = prof.base + prof.trend * t + effect - difficulty + QUARTER_EFFECT[quarter]
        c = np.clip(mu + rng.normal(0, 0.09, len(items)), 0, 1.15)
        c = np.where((c > 0.95) & (rng.random(len(items)) < 0.6), 1.0, c)
        c = np.where(c < 0.04, 0.0, c)
        # Some work is scheduled later in the year: not started yet, most often in the first quarter.
        c = np.where(rng.random(len(items)) < NOT_STARTED[quarter], 0.0, c)
        miss = np.clip(prof.miss + prof.miss_trend * t, 0, 0.6)
        keep = rng.random(len(items)) >= miss
        frames.append(_rows(rng, street, items, c, keep, quarter))
    return pd.concat(frames, ignore_index=True)


def _rows(
    rng: np.random.Generator, street: Street, items: list[Item], c: np.ndarray, keep: np.ndarray, quarter: int
) -> pd.DataFrame:
    n = len(items)
    target = np.array([max(it.target, 0) for it in items])
    scale = rng.choice([1, 1, 1, 2], n)
    target = np.where(target > 0, target * scale, 0)
    actual = np.round(target * c).astype(int)
    completion = np.where(target > 0, actual / np.maximum(target, 1), np.round(c, 2))
    # 反向 items (accidents, petitions): a good quarter stays at or under the target; target 0 = none allowed
    reverse = np.array([it.direction == "反向" for it in items])
    over = np.round(target * (1 + np.clip(1 - c, 0, None) * 1.5)).astype(int)
    zero_hit = (rng.random(n) < np.clip(1.1 - c, 0, 1) * 0.5).astype(int)
    actual = np.where(reverse, np.where(target > 0, over, zero_hit), actual)
    with np.errstate(divide="ignore", invalid="ignore"):
        rev_c = np.where(actual <= target, 1.0, np.where(target > 0, target / np.maximum(actual, 1), 0.0))
    completion = np.where(reverse, rev_c, completion)
    idle = "未完成" if quarter == 4 else "未开始"  # at year end an untouched item is reported as not done
    status = np.where(completion >= 1, "已完成", np.where(completion >= 0.15, "进行中", idle))
    on_time = np.where(completion >= 1, rng.random(n) < 0.92, rng.random(n) < 0.25)
    evidence = rng.choice(np.array(names.EVIDENCE, dtype=object), n)
    notes = rng.choice(
        np.array(["", "", "", "", "", "", "按计划推进", "已整改到位", "受天气影响延期"], dtype=object), n
    )
    applies = np.array([not it.applies_to or street.street_type in it.applies_to.split("、") for it in items])
    keep = keep & applies  # an item that does not apply to the street is not reported by it
    df = pd.DataFrame(
        {
            "street": street.name,
            "code": [it.code for it in items],
            "name": [it.name for it in items],
            "function": [it.function for it in items],
            "measure": [it.measure for it in items],
            "target": target,
            "actual": actual,
            "completion": completion,
            "status": status,
            "on_time": on_time,
            "evidence": evidence,
            "note": notes,
        }
    )
    return df[keep].reset_index(drop=True)


def simulate_service(
    seed: int, district: District, period: str, online_share: float = 0.45, no_visit_share: float = 0.08
) -> pd.DataFrame:
    """Quarterly service-centre figures (办件量 …) of every street of a district."""
    rng = rng_for(seed, "service", district.name, period)
    t = PERIODS.index(period) if period in PERIODS else 0
    rows = []
    for street in district.streets:
        per_10k = {"城区街道": 600, "涉农街道": 420, "镇": 330}[street.street_type]
        cases = int(street.population / 10000 * per_10k * rng.uniform(0.85, 1.15))
        online = min(cases, int(cases * np.clip(online_share + 0.015 * t + rng.normal(0, 0.03), 0.05, 0.95)))
        one_visit = int(cases * np.clip(rng.normal(0.86 + 0.01 * t, 0.03), 0.5, 0.99))
        no_visit = int(cases * np.clip(rng.normal(no_visit_share, 0.01), 0.0, 0.5))
        satisfaction = round(float(np.clip(rng.normal(0.965, 0.015), 0.88, 0.999)), 3)
        rows.append((street.name, cases, online, one_visit, no_visit, satisfaction))
    return pd.DataFrame(rows, columns=["street", "cases", "online", "one_visit", "no_visit", "satisfaction"])


def simulate_unlisted(
    seed: int, district: District, period: str, rate: float, approved: float, funds: float
) -> pd.DataFrame:
    """Tasks pushed onto each street outside its list during a quarter."""
    rng = rng_for(seed, "unlisted", district.name, period)
    year, quarter = int(period[:4]), int(period[-1])
    rows = []
    for street in district.streets:
        for _ in range(int(rng.poisson(rate))):
            month = 3 * (quarter - 1) + int(rng.integers(1, 4))
            day = int(rng.integers(1, 29))
            ok = bool(rng.random() < approved)
            rows.append(
                (
                    street.name,
                    str(rng.choice(names.UNLISTED_TASKS)),
                    district.dept_prefix + str(rng.choice(names.DEPARTMENTS)),
                    pd.Timestamp(year, month, day).to_pydatetime(),
                    ok,
                    bool(ok and rng.random() < funds),
                    float(rng.choice([0.5, 1, 1, 2, 2, 3, 5, 8, 12])),
                )
            )
    cols = ["street", "task", "department", "date", "approved", "funds", "workdays"]
    return with_ledger(seed, district, period, pd.DataFrame(rows, columns=cols))


# Share of the unapproved tasks a street sends back (退回), per year: the reform lets streets refuse them, and
# 龙泉驿's streets, which may also evaluate the departments, use that most once the reform has settled.
RETURN_SHARES = {"龙泉驿区": (0.15, 0.5)}
DEFAULT_RETURN_SHARES = (0.1, 0.25)


def with_ledger(seed: int, district: District, period: str, tasks: pd.DataFrame) -> pd.DataFrame:
    """The 准入 ledger columns of the tasks (issue 15): 准入文号 and 审批日期 of approved tasks, 下放经费 (万元) of
    funded ones (0 otherwise), and whether the street returned an unapproved task. A generator of its own, so the
    tasks themselves stay as they were drawn."""
    rng = rng_for(seed, "ledger", district.name, period)
    year = int(period[:4])
    share = RETURN_SHARES.get(district.name, DEFAULT_RETURN_SHARES)[year - 2019 if year <= 2020 else -1]
    start = 10 * int(period[-1])  # document numbers run through the year
    refs, approval, money, returned = [], [], [], []
    for k, rec in enumerate(tasks.to_dict("records")):
        ok, funded = bool(rec["approved"]), bool(rec["funds"])
        refs.append(f"{district.name[0]}府准〔{year}〕{start + k + 1}号" if ok else None)
        approval.append(pd.Timestamp(rec["date"]) - pd.Timedelta(days=int(rng.integers(3, 30))) if ok else None)
        money.append(round(float(rng.uniform(0.5, 12.0)), 1) if funded else 0.0)
        returned.append(bool(not ok and rng.random() < share))
    return tasks.assign(ref=refs, approval_date=approval, funds_wan=money, returned=returned)
