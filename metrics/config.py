"""The tunable evaluation rules (metrics/rules.toml): loading, validation and defaults."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType
from typing import Any

from loaders.vocab import statuses

DEFAULT_RULES = Path(__file__).with_name("rules.toml")
ENV_VAR = "STREETS_RULES"

# The five functions (五大职能), in the order docs/FORMATS.md §4 writes their score columns.
FUNCTIONS: tuple[str, ...] = (
    "community_development",
    "public_services",
    "comprehensive_management",
    "business_environment",
    "community_safety",
)
FUNCTION_ZH: dict[str, str] = {
    "community_development": "统筹社区发展",
    "public_services": "组织公共服务",
    "comprehensive_management": "实施综合管理",
    "business_environment": "优化营商环境",
    "community_safety": "维护社区平安",
    "investment_attraction": "招商引资",
    "tax_assistance": "协税护税",
    "economic_development": "经济发展",
}
# The statuses the loader produces (loaders/maps/values.csv); the status table must map every one of them.
REQUIRED_STATUSES: tuple[str, ...] = statuses()

_SECTIONS = {
    "removed": {"categories", "keywords", "must_keep", "keep"},
    "status": None,
    "grades": None,
    "deadlines": {"days_after_quarter", "districts"},
    "uncertainty": None,
    "access": {"no_entry_quarters"},
    "offices": {"x_min", "x_max"},
}
DEFAULT_DEADLINE_DAYS = 15
# [access] (optional): a department pushing unapproved tasks this many quarters in a row is on the 非准禁入 list.
DEFAULT_NO_ENTRY_QUARTERS = 3
MAX_NO_ENTRY_QUARTERS = 40
# [offices] (optional): how many X offices (beyond the five standard ones) a street following 5+X may have.
DEFAULT_OFFICE_X = (0, 3)
MAX_OFFICE_X = 20
# [uncertainty] (optional): the Monte Carlo's factor ranges and the bounds of "无明显差别"; key → (default, low, high).
UNCERTAINTY_KEYS: dict[str, tuple[float, float, float]] = {
    "scenarios": (500, 10, 100_000),
    "weight_spread": (0.25, 0.0, 0.9),
    "p_equal_weights": (0.5, 0.0, 1.0),
    "p_geometric": (0.5, 0.0, 1.0),
    "status_low": (0.3, 0.0, 1.0),
    "status_high": (0.7, 0.0, 1.0),
    "p_missing_own_mean": (0.5, 0.0, 1.0),
    "geometric_floor": (1.0, 0.0, 100.0),
    "unclear_low": (0.1, 0.0, 0.5),
    "unclear_high": (0.9, 0.5, 1.0),
    "bootstrap": (200, 0, 10_000),
}


class ConfigError(ValueError):
    """A rules file that cannot be used; carries a Chinese and an English message and the file."""

    def __init__(self, zh: str, en: str, path: Path | str | None = None) -> None:
        self.zh, self.en, self.path = zh, en, str(path) if path else None
        where = f"{self.path}: " if self.path else ""
        super().__init__(f"{where}{zh} / {en}")


@dataclass(frozen=True)
class Grade:
    """One grade band: scores at or above `min` (and below the band above) get `name`."""

    name: str
    min: float


@dataclass(frozen=True)
class Config:
    """Validated rules: removed-indicator categories and keywords, status mapping, grade bands."""

    removed_categories: tuple[str, ...]
    removed_keywords: tuple[str, ...]
    must_keep: tuple[str, ...]
    status: MappingProxyType  # status text -> completion in [0, 1]
    grades: tuple[Grade, ...]  # highest band first; the last starts at 0
    source: str = ""
    # Item names kept although a keyword matches them, each with its written reason (FORMATS.md §5).
    keep: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    deadline_days: int = DEFAULT_DEADLINE_DAYS  # a report is due this many days after its quarter ends
    # district -> its own number of days
    deadline_districts: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    uncertainty: MappingProxyType = field(
        default_factory=lambda: MappingProxyType({k: float(v[0]) for k, v in UNCERTAINTY_KEYS.items()})
    )
    no_entry_quarters: int = DEFAULT_NO_ENTRY_QUARTERS  # 非准禁入: consecutive quarters with unapproved tasks
    office_x: tuple[int, int] = DEFAULT_OFFICE_X  # 5+X: the fewest and most X offices accepted

    @property
    def grade_names(self) -> tuple[str, ...]:
        return tuple(g.name for g in self.grades)

    @property
    def varied_status(self) -> str | None:
        """The status whose value the uncertainty varies (进行中 as shipped): the first valued strictly in (0, 1)."""
        return next((name for name, value in self.status.items() if 0.0 < value < 1.0), None)


def load_config(path: str | os.PathLike | None = None) -> Config:
    """Load and validate the rules: `path`, else $STREETS_RULES, else the shipped metrics/rules.toml."""
    chosen = Path(path or os.environ.get(ENV_VAR) or DEFAULT_RULES).resolve()
    try:
        stat = chosen.stat()
    except OSError as exc:
        raise ConfigError(f"找不到规则文件：{chosen}", f"rules file not found: {chosen}", chosen) from exc
    return _load_cached(str(chosen), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _load_cached(path: str, _mtime_ns: int, _size: int) -> Config:
    # Keyed on mtime and size so the file is read once, yet an edited file is read again.
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"规则文件格式错误：{exc}", f"rules file is not valid TOML: {exc}", path) from exc
    return parse_config(raw, source=path)


def parse_config(raw: dict[str, Any], source: str = "") -> Config:
    """Validate a parsed rules mapping and build a Config; raise ConfigError naming what is wrong."""
    unknown = set(raw) - set(_SECTIONS)
    if unknown:
        _fail(f"未知的配置节：{sorted(unknown)}", f"unknown sections: {sorted(unknown)}", source)
    removed = _table(raw, "removed", source)
    extra = set(removed) - _SECTIONS["removed"]
    if extra:
        _fail(f"[removed] 中有未知的键：{sorted(extra)}", f"unknown keys in [removed]: {sorted(extra)}", source)
    categories = _strings(removed, "categories", "removed", source)
    keywords = _strings(removed, "keywords", "removed", source)
    must_keep = _strings(removed, "must_keep", "removed", source, required=False)
    _check_categories(categories, source)
    _check_keywords(keywords, must_keep, source)
    return Config(
        removed_categories=categories,
        removed_keywords=keywords,
        must_keep=must_keep,
        status=MappingProxyType(_status(_table(raw, "status", source), source)),
        grades=_grades(raw.get("grades"), source),
        source=source,
        keep=MappingProxyType(_keep(removed.get("keep", []), source)),
        **_deadlines(raw.get("deadlines", {}), source),
        uncertainty=MappingProxyType(_uncertainty(raw.get("uncertainty", {}), source)),
        no_entry_quarters=_access(raw.get("access", {}), source),
        office_x=_offices(raw.get("offices", {}), source),
    )


def _keep(entries: object, source: str) -> dict[str, str]:
    """`[[removed.keep]]` entries: an item name kept from removal by name, and the reason written for it."""
    out = {}
    ok = isinstance(entries, list)
    for e in entries if ok else []:
        name, reason = (e.get("name"), e.get("reason")) if isinstance(e, dict) else (None, None)
        if not (isinstance(name, str) and name.strip() and isinstance(reason, str) and reason.strip()):
            ok = False
            break
        out[name.strip()] = reason.strip()
    if not ok:
        _fail(
            "[[removed.keep]] 每项须有事项名称 name 和书面理由 reason",
            "each [[removed.keep]] entry needs an item name and a written reason",
            source,
        )
    return out


def _fail(zh: str, en: str, source: str) -> None:
    raise ConfigError(zh, en, source or None)


def _table(raw: dict, key: str, source: str) -> dict:
    value = raw.get(key)
    if not isinstance(value, dict):
        _fail(f"缺少配置节 [{key}]", f"missing section [{key}]", source)
    return value


def _strings(section: dict, key: str, name: str, source: str, required: bool = True) -> tuple[str, ...]:
    value = section.get(key, None if required else [])
    ok = isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
    if not ok or (required and not value):
        _fail(
            f"[{name}] {key} 必须是非空文字的列表",
            f"[{name}] {key} must be a list of non-empty strings",
            source,
        )
    return tuple(v.strip() for v in value)


def _check_categories(categories: tuple[str, ...], source: str) -> None:
    core = sorted(set(categories) & set(FUNCTIONS))
    if core:
        names = "、".join(FUNCTION_ZH[c] for c in core)
        _fail(
            f"五大职能不能列为取消指标：{names}",
            f"the five functions cannot be removed categories: {core}",
            source,
        )


def _check_keywords(keywords: tuple[str, ...], must_keep: tuple[str, ...], source: str) -> None:
    protected = [FUNCTION_ZH[f] for f in FUNCTIONS] + list(must_keep)
    for kw in keywords:
        hit = [name for name in protected if kw in name]
        if hit:
            _fail(
                f"关键词“{kw}”会误删必须保留的事项：{'、'.join(hit)}",
                f"keyword {kw!r} would remove items that must be kept: {hit}",
                source,
            )


def _status(section: dict, source: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, value in section.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            _fail(
                f"[status] “{name}” 的完成度必须是 0 到 1 之间的数",
                f"[status] {name!r} must map to a number between 0 and 1",
                source,
            )
        out[str(name).strip()] = float(value)
    missing = [s for s in REQUIRED_STATUSES if s not in out]
    if missing:
        _fail(f"[status] 缺少状态：{'、'.join(missing)}", f"[status] missing statuses: {missing}", source)
    return out


def _grades(value: Any, source: str) -> tuple[Grade, ...]:
    if not isinstance(value, list) or not value:
        _fail("缺少等级设置 [[grades]]", "missing grade bands [[grades]]", source)
    grades = []
    for g in value:
        ok = (
            isinstance(g, dict)
            and set(g) == {"name", "min"}
            and isinstance(g["name"], str)
            and g["name"].strip()
            and isinstance(g["min"], int | float)
            and not isinstance(g["min"], bool)
            and 0 <= g["min"] <= 100
        )
        if not ok:
            _fail(
                f"等级设置有误：{g!r}（需要 name 与 0–100 的 min）",
                f"bad grade band {g!r}: needs name and a min between 0 and 100",
                source,
            )
        grades.append(Grade(g["name"].strip(), float(g["min"])))
    mins = [g.min for g in grades]
    if any(a <= b for a, b in pairwise(mins)) or mins[-1] != 0:
        _fail(
            "等级须按分数线从高到低排列，且最后一级的分数线为 0",
            "grade bands must be listed highest first with strictly falling mins, the last at 0",
            source,
        )
    if len({g.name for g in grades}) != len(grades):
        _fail("等级名称重复", "grade names repeat", source)
    return tuple(grades)


def _days(value: Any, name: str, source: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 366:
        _fail(
            f"[deadlines] {name} 必须是 0 到 366 之间的整数（天）",
            f"[deadlines] {name} must be a whole number of days between 0 and 366",
            source,
        )
    return value


def _deadlines(section: Any, source: str) -> dict[str, Any]:
    """[deadlines]: days after the quarter's end a report is due, and districts with their own number."""
    if not isinstance(section, dict) or set(section) - _SECTIONS["deadlines"]:
        _fail(
            "[deadlines] 只能有 days_after_quarter 和 [deadlines.districts]",
            "[deadlines] may hold only days_after_quarter and [deadlines.districts]",
            source,
        )
    days = _days(section.get("days_after_quarter", DEFAULT_DEADLINE_DAYS), "days_after_quarter", source)
    districts = section.get("districts", {})
    if not isinstance(districts, dict):
        _fail("[deadlines.districts] 必须是 区县 = 天数", "[deadlines.districts] must map district = days", source)
    per = {str(k).strip(): _days(v, str(k), source) for k, v in districts.items()}
    return {"deadline_days": days, "deadline_districts": MappingProxyType(per)}


def _uncertainty(section: Any, source: str) -> dict[str, float]:
    if not isinstance(section, dict):
        _fail("[uncertainty] 必须是一个配置节", "[uncertainty] must be a table", source)
    unknown = sorted(set(section) - set(UNCERTAINTY_KEYS))
    if unknown:
        _fail(f"[uncertainty] 中有未知的键：{unknown}", f"unknown keys in [uncertainty]: {unknown}", source)
    out = {k: float(v[0]) for k, v in UNCERTAINTY_KEYS.items()}
    for key, value in section.items():
        _, low, high = UNCERTAINTY_KEYS[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            _fail(
                f"[uncertainty] {key} 必须是 {low:g} 到 {high:g} 之间的数",
                f"[uncertainty] {key} must be a number between {low:g} and {high:g}",
                source,
            )
        out[key] = float(value)
    if out["status_low"] > out["status_high"] or out["unclear_low"] >= out["unclear_high"]:
        _fail(
            "[uncertainty] 下限须小于上限（status_low ≤ status_high，unclear_low < unclear_high）",
            "[uncertainty] lower bounds must lie below upper ones "
            "(status_low ≤ status_high, unclear_low < unclear_high)",
            source,
        )
    return out


def _offices(section: Any, source: str) -> tuple[int, int]:
    """[offices] x_min, x_max: whole numbers, 0 <= x_min <= x_max <= MAX_OFFICE_X."""
    if not isinstance(section, dict) or set(section) - _SECTIONS["offices"]:
        _fail("[offices] 只能有 x_min 和 x_max", "[offices] may hold only x_min and x_max", source)
    low = section.get("x_min", DEFAULT_OFFICE_X[0])
    high = section.get("x_max", DEFAULT_OFFICE_X[1])
    whole = all(not isinstance(v, bool) and isinstance(v, int) for v in (low, high))
    if not whole or not 0 <= low <= high <= MAX_OFFICE_X:
        _fail(
            f"[offices] x_min、x_max 必须是整数，且 0 ≤ x_min ≤ x_max ≤ {MAX_OFFICE_X}",
            f"[offices] x_min and x_max must be whole numbers with 0 <= x_min <= x_max <= {MAX_OFFICE_X}",
            source,
        )
    return low, high


def _access(section: Any, source: str) -> int:
    """[access] no_entry_quarters: a whole number of quarters, 1 to MAX_NO_ENTRY_QUARTERS."""
    if not isinstance(section, dict) or set(section) - _SECTIONS["access"]:
        _fail("[access] 只能有 no_entry_quarters", "[access] may hold only no_entry_quarters", source)
    value = section.get("no_entry_quarters", DEFAULT_NO_ENTRY_QUARTERS)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_NO_ENTRY_QUARTERS:
        _fail(
            f"[access] no_entry_quarters 必须是 1 到 {MAX_NO_ENTRY_QUARTERS} 之间的整数（连续季度数）",
            f"[access] no_entry_quarters must be a whole number of quarters between 1 and {MAX_NO_ENTRY_QUARTERS}",
            source,
        )
    return value
