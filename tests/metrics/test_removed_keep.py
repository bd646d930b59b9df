"""FORMATS.md §5: an item removed by its name only can be kept through the rules file, with a written reason."""

from __future__ import annotations

import pandas as pd
import pytest

from metrics.config import ConfigError, load_config, parse_config
from metrics.removed import is_removed

NAMES = pd.Series(["招商银行网点便民服务协调", "吸引资金投入社区养老", "招商引资任务"], dtype="string")
FUNCTIONS = pd.Series(["public_services", "public_services", "public_services"], dtype="string")


def test_shipped_rules_keep_the_bank_item_with_a_reason() -> None:
    config = load_config()
    assert config.keep.get("招商银行网点便民服务协调")
    assert list(is_removed(FUNCTIONS, NAMES, config)) == [False, True, True]


def test_a_kept_name_needs_a_written_reason() -> None:
    raw = {
        "removed": {
            "categories": ["investment_attraction"],
            "keywords": ["招商"],
            "keep": [{"name": "招商银行网点便民服务协调", "reason": " "}],
        },
        "status": {"已完成": 1.0, "进行中": 0.5, "未开始": 0.0, "未完成": 0.0},
        "grades": [{"name": "合格", "min": 0}],
    }
    with pytest.raises(ConfigError, match="reason"):
        parse_config(raw)
