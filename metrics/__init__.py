"""Scores and indicators of street duty performance (docs/FORMATS.md §4) from a loaders.schema.Dataset."""

from metrics.config import FUNCTIONS, Config, ConfigError, load_config
from metrics.evaluation import Evaluation, evaluate
from metrics.score import item_detail, score_streets

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
