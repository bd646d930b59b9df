"""The rules file: defaults shipped, read once, validated with clear errors; the removed-indicator rule."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest
from metrics_test_data import dataset, item, one, row

from metrics import ConfigError, load_config, score_streets
from metrics.config import DEFAULT_RULES, parse_config
from metrics.removed import is_removed


def raw_defaults() -> dict:
    return tomllib.loads(DEFAULT_RULES.read_text(encoding="utf-8"))


def write_rules(path: Path, raw: dict) -> Path:
    """Write a rules mapping as TOML (enough of TOML for the rules file)."""
    lines = ["[removed]"]
    for k, v in raw["removed"].items():
        if k == "keep":  # an array of tables: written inline
            entries = ", ".join(f'{{name = "{e["name"]}", reason = "{e["reason"]}"}}' for e in v)
            lines.append(f"keep = [{entries}]")
            continue
        lines.append(f"{k} = [{', '.join(repr(x).replace(chr(39), chr(34)) for x in v)}]")
    lines.append("[status]")
    lines += [f'"{k}" = {v}' for k, v in raw["status"].items()]
    for g in raw["grades"]:
        lines += ["[[grades]]", f'name = "{g["name"]}"', f"min = {g['min']}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_defaults():
    c = load_config()
    assert c.removed_categories == ("investment_attraction", "tax_assistance", "economic_development")
    assert c.removed_keywords == ("招商引资", "招商", "引资", "协税护税", "协税", "护税", "税收任务")
    assert dict(c.status) == {"已完成": 1.0, "进行中": 0.5, "未开始": 0.0, "未完成": 0.0}
    assert [(g.name, g.min) for g in c.grades] == [("优秀", 90), ("良好", 80), ("合格", 60), ("不合格", 0)]


def test_env_var_points_to_another_file(tmp_path, monkeypatch):
    raw = raw_defaults()
    raw["grades"] = [{"name": "好", "min": 50}, {"name": "差", "min": 0}]
    path = write_rules(tmp_path / "rules.toml", raw)
    monkeypatch.setenv("STREETS_RULES", str(path))
    config = load_config()
    assert config.grade_names == ("好", "差")
    # a score of 50 is 好 under these rules, 不合格 under the defaults
    ds = dataset([item("A1")], [row("A1", completion=0.5)])
    assert one(score_streets(ds, config))["grade"] == "好"
    assert one(score_streets(ds, load_config(DEFAULT_RULES)))["grade"] == "不合格"


def test_read_once_and_again_after_an_edit(tmp_path):
    path = write_rules(tmp_path / "rules.toml", raw_defaults())
    assert load_config(path) is load_config(path)  # cached: read once
    raw = raw_defaults()
    raw["status"]["进行中"] = 0.6
    write_rules(path, raw)
    import os

    os.utime(path, ns=(1, 1))  # a different mtime, as an edit gives
    assert load_config(path).status["进行中"] == 0.6


def _bad(mutate) -> dict:
    raw = raw_defaults()
    mutate(raw)
    return raw


@pytest.mark.parametrize(
    ("mutate", "zh_part"),
    [
        (lambda r: r.pop("status"), "缺少配置节"),
        (lambda r: r.update(extra={}), "未知的配置节"),
        (lambda r: r["removed"].update(keywords=[]), "keywords"),
        (lambda r: r["removed"].update(keywords=["招商", ""]), "keywords"),
        (lambda r: r["removed"].update(categories=["investment_attraction", "business_environment"]), "五大职能"),
        (lambda r: r["removed"].update(keywords=["招商", "营商"]), "误删"),
        (lambda r: r["removed"].update(keywords=["招商", "税"]), "误删"),  # would hit 减税降费政策宣传
        (lambda r: r["removed"].update(typo=["x"]), "未知的键"),
        (lambda r: r["status"].update({"进行中": 1.5}), "0 到 1"),
        (lambda r: r["status"].update({"进行中": "一半"}), "0 到 1"),
        (lambda r: r["status"].pop("未完成"), "缺少状态"),
        (lambda r: r.update(grades=[]), "等级"),
        (lambda r: r.update(grades=[{"name": "合格", "min": 60}, {"name": "优秀", "min": 90}]), "从高到低"),
        (lambda r: r.update(grades=[{"name": "优秀", "min": 90}, {"name": "合格", "min": 60}]), "为 0"),
        (lambda r: r.update(grades=[{"name": "优秀", "min": 90}, {"name": "优秀", "min": 0}]), "重复"),
        (lambda r: r.update(grades=[{"name": "优秀", "min": 190}, {"name": "差", "min": 0}]), "0–100"),
    ],
)
def test_bad_config_is_a_clear_error(mutate, zh_part, tmp_path):
    with pytest.raises(ConfigError) as err:
        parse_config(_bad(mutate), source="rules.toml")
    assert zh_part in err.value.zh
    assert any(ch.isascii() and ch.isalpha() for ch in err.value.en)  # an English message beside the Chinese
    assert "rules.toml" in str(err.value)


def test_not_toml_and_missing_file(tmp_path):
    bad = tmp_path / "rules.toml"
    bad.write_text("[removed\nkeywords = ", encoding="utf-8")
    with pytest.raises(ConfigError, match="TOML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="找不到"):
        load_config(tmp_path / "none.toml")


# The removed-indicator rule: one function, vectorised.


def removed(functions, names) -> list[bool]:
    return is_removed(pd.Series(functions, dtype="string"), pd.Series(names, dtype="string"), load_config()).tolist()


def test_is_removed_by_category_and_by_keyword():
    functions = ["investment_attraction", "tax_assistance", "economic_development", "public_services", None]
    names = ["甲", "乙", "丙", "丁", None]
    assert removed(functions, names) == [True, True, True, False, False]


@pytest.mark.parametrize("keyword", ["招商引资", "招商", "引资", "协税护税", "协税", "护税", "税收任务"])
def test_is_removed_each_keyword(keyword):
    assert removed(["community_safety", None], [f"开展{keyword}", f"{keyword}考核"]) == [True, True]


@pytest.mark.parametrize("name", ["优化营商环境", "减税降费政策宣传", "经济普查", "营商环境投诉处理", "税务咨询引导"])
def test_is_removed_keeps(name):
    assert removed(["business_environment"], [name]) == [False]


def test_is_removed_keeps_index():
    f = pd.Series(["tax_assistance", "public_services"], index=[7, 3], dtype="string")
    n = pd.Series(["a", "招商"], index=[7, 3], dtype="string")
    out = is_removed(f, n, load_config())
    assert list(out.index) == [7, 3] and out.tolist() == [True, True]


def test_is_removed_judges_repeated_names_as_one_row_at_a_time_would(tmp_path):
    import re

    import numpy as np

    raw = raw_defaults()
    keep = raw["removed"].get("keep", [])
    config = load_config(write_rules(tmp_path / "r.toml", raw))
    assert config.keep, "the shipped rules keep some names: the test would not try the kept ones"
    kept = [e["name"] for e in keep]
    names = ["开展招商引资", f" {kept[0]} ", kept[0], "社区安全", None, "协税护税", "经济普查", np.nan, "招商", 3]
    functions = ["investment_attraction", None, "public_services", "tax_assistance", "community_safety"]
    rng = np.random.default_rng(7)
    n = 500
    pattern = "|".join(re.escape(k) for k in config.removed_keywords)
    for kind in ("object", "category", "string"):
        name = pd.Series([names[i] for i in rng.integers(0, len(names), n)], dtype=object)
        function = pd.Series([functions[i] for i in rng.integers(0, len(functions), n)], dtype=object)
        if kind != "object":
            name, function = name.map(lambda v: None if pd.isna(v) else str(v)).astype(kind), function.astype(kind)

        def one(f, v) -> bool:
            if f is not None and not pd.isna(f) and f in config.removed_categories:
                return True
            if v is None or pd.isna(v):
                return False
            return bool(re.search(pattern, str(v))) and str(v).strip() not in config.keep

        want = [one(f, v) for f, v in zip(function.astype(object), name.astype(object), strict=True)]
        assert is_removed(function, name, config).tolist() == want, kind


def test_uncertainty_section_sets_the_monte_carlo_and_the_bounds():
    from metrics.uncertainty import Settings

    raw = raw_defaults()
    assert Settings.from_config(parse_config(raw)) == Settings()  # the shipped file holds the documented defaults
    raw["uncertainty"] = {"scenarios": 300, "unclear_low": 0.05, "unclear_high": 0.95, "p_missing_own_mean": 0}
    got = Settings.from_config(parse_config(raw))
    assert (got.n, got.unclear_low, got.unclear_high, got.p_missing_mean) == (300, 0.05, 0.95, 0.0)
    del raw["uncertainty"]
    assert Settings.from_config(parse_config(raw)) == Settings()  # the section is optional


@pytest.mark.parametrize(
    ("section", "zh_part"),
    [
        ({"unclear_high": 1.5}, "unclear_high"),
        ({"unclear_low": 0.4, "unclear_high": 0.5, "status_low": 0.8}, "下限须小于上限"),
        ({"scenarios": "many"}, "scenarios"),
        ({"spread": 0.2}, "未知的键"),
    ],
)
def test_bad_uncertainty_section_is_refused(section, zh_part):
    raw = raw_defaults()
    raw["uncertainty"] = section
    with pytest.raises(ConfigError) as err:
        parse_config(raw)
    assert zh_part in err.value.zh
