"""Scores and indicators of street duty performance (docs/FORMATS.md §4) from a loaders.schema.Dataset."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from metrics.config import FUNCTIONS, Config, ConfigError, load_config
    from metrics.evaluation import Evaluation, evaluate
    from metrics.score import item_detail, score_streets

# Imported on first use: `python -m metrics score --db` reading kept results needs none of the scoring code.
_WHERE = {
    "FUNCTIONS": "metrics.config",
    "Config": "metrics.config",
    "ConfigError": "metrics.config",
    "load_config": "metrics.config",
    "Evaluation": "metrics.evaluation",
    "evaluate": "metrics.evaluation",
    "item_detail": "metrics.score",
    "score_streets": "metrics.score",
}

__all__ = [
    "FUNCTIONS",
    "Config",
    "ConfigError",
    "Evaluation",
    "evaluate",
    "item_detail",
    "load_config",
    "score_streets",
]


def __getattr__(name: str) -> object:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'metrics' has no attribute {name!r}")
