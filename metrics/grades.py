"""Grade bands 优秀 / 良好 / 合格 / 不合格 (thresholds from the rules file)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.config import Config


def grade_of(overall: pd.Series, config: Config) -> pd.Series:
    """The grade of each score: the highest band whose min the score reaches; NA where there is no score."""
    values = overall.to_numpy(dtype="float64", na_value=np.nan)
    names = np.array(config.grade_names, dtype=object)
    mins = np.array([g.min for g in config.grades])
    # bands are highest first: count how many mins lie above the score to find its band
    band = (values[:, None] < mins[None, :]).sum(axis=1)
    band = np.minimum(band, len(names) - 1)
    grades = pd.Series(names[band], index=overall.index, dtype="string")
    return grades.mask(np.isnan(values))
