"""Street-name resolution: 玉林 / 玉林街道 / 玉林街道办事处 all mean the register's 玉林街道."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from loaders.text import key

# Longest first: 镇人民政府 must go before 镇, 街道办事处 before 街道. 镇 is stripped too so that
# 白鹿镇人民政府 and 白鹿 both meet the register's 白鹿镇 on the stem 白鹿.
SUFFIXES = ("街道办事处", "镇人民政府", "镇政府", "办事处", "街道", "镇")
DISTRICT_SUFFIXES = ("市辖区", "区", "市", "县")


def stem(name: object) -> str:
    """The name without the office suffixes; the whole name if nothing would remain."""
    k = key(name)
    for suffix in SUFFIXES:
        if k.endswith(suffix) and len(k) > len(suffix):
            return k[: -len(suffix)]
    return k


def stems(name: object) -> list[str]:
    """Every way to read the name without one office suffix, longest suffix first (三街道办事处: 三, 三街道)."""
    k = key(name)
    return [k[: -len(suffix)] for suffix in SUFFIXES if k.endswith(suffix) and len(k) > len(suffix)] or [k]


def district_stem(name: object) -> str:
    """A district name without 区/市/县, so 武侯 and 武侯区 match."""
    k = key(name)
    for suffix in DISTRICT_SUFFIXES:
        if k.endswith(suffix) and len(k) > len(suffix):
            return k[: -len(suffix)]
    return k


@dataclass
class StreetResolver:
    """Resolves street and district names against the street register (a frame, or any mapping of its
    district and street columns)."""

    register: Mapping[str, Sequence]
    _by_district: dict[tuple[str, str], list[tuple[str, str]]] = field(init=False, default_factory=dict)
    _by_stem: dict[str, list[tuple[str, str]]] = field(init=False, default_factory=dict)
    _districts: dict[str, str] = field(init=False, default_factory=dict)
    # (street, district) texts → resolve's answer: every report names the same streets again and again.
    _resolved: dict[tuple, tuple[str, str] | str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for district, street in zip(self.register["district"], self.register["street"], strict=True):
            entry = (str(district), str(street))
            self._districts[district_stem(district)] = str(district)
            self._by_district.setdefault((district_stem(district), stem(street)), []).append(entry)
            self._by_stem.setdefault(stem(street), []).append(entry)

    @property
    def empty(self) -> bool:
        return not self._by_stem

    def district(self, name: object) -> str | None:
        """The register's spelling of a district name, or None if unknown."""
        return self._districts.get(district_stem(name))

    def resolve(self, street: object, district: object = None) -> tuple[str, str] | str:
        """(district, street) in the register's spelling, or an error code: 'unknown' or 'ambiguous'."""
        if street.__class__ is not str or (district is not None and district.__class__ is not str):
            return self._resolve(street, district)
        got = self._resolved.get((street, district))
        if got is None:
            got = self._resolved[street, district] = self._resolve(street, district)
        return got

    def _resolve(self, street: object, district: object) -> tuple[str, str] | str:
        """resolve's answer, looked up in the register."""

        def lookup(probe: str) -> list[tuple[str, str]]:
            if district is not None and str(district).strip():
                return self._by_district.get((district_stem(district), probe), [])
            return self._by_stem.get(probe, [])

        # The longest suffix first; a shorter one when that finds nothing (三街道办事处 is the register's 三街道街道).
        found = next((hit for probe in stems(street) if (hit := lookup(probe))), [])
        exact = [e for e in found if key(e[1]) == key(street)]
        if len(exact) == 1:
            return exact[0]
        # A stem may itself end like a suffix: 三镇 is the register's 三镇街道 (stem 三镇), not a town 三.
        whole = lookup(key(street))
        if len(whole) == 1:
            return whole[0]
        if len(found) == 1:
            return found[0]
        return "ambiguous" if found or whole else "unknown"
