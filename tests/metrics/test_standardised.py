"""Within-district z-scores and the rank shift, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from metrics.standardised import rank_shift, standardised


def test_z_within_district_and_rank_shift():
    # 甲区 90, 70 → z +1, −1; 乙区 60, 40, (未报送 NaN) → z +1, −1. Official ranks 1..4; by z the two best of each
    # district tie at 1 and the two last tie at 3.
    scores = pd.DataFrame(
        {
            "district": ["甲区", "甲区", "乙区", "乙区", "乙区"],
            "street": ["a", "b", "c", "d", "e"],
            "period": ["2019Q2"] * 5,
            "overall": [90.0, 70.0, 60.0, 40.0, np.nan],
        }
    )
    z = standardised(scores).set_index("street")
    assert list(z["z_district"].iloc[:4]) == pytest.approx([1, -1, 1, -1]) and np.isnan(z.loc["e", "z_district"])
    assert z.loc["a", "percentile_district"] == 100.0 and z.loc["b", "percentile_district"] == 50.0
    shift = rank_shift(scores).set_index("street")
    assert list(shift["rank_city"]) == [1, 2, 3, 4] and list(shift["rank_city_z"]) == [1, 3, 1, 3]
    assert list(shift["rank_shift"]) == [0, -1, 2, 1] and "e" not in shift.index
