"""What every test shares: pandas' string storage as the runtime has it."""

from __future__ import annotations

import os

import pandas as pd

# requirements-dev.txt brings pyarrow (for the tests that write string[pyarrow] columns), and with pyarrow installed
# pandas 3 backs its default `str` dtype with it. The runtime (requirements.txt) has no pyarrow, so the tests keep the
# storage the dashboard and the command line get: a string[pyarrow] column appears only where a test asks for one.
pd.set_option("mode.string_storage", "python")

# A web process's results process ends after each computation in tests (dashboard.data.FOLLOW_IDLE): the many
# AppData a session makes would otherwise each keep one alive, with its snapshot, until the session ends.
os.environ.setdefault("STREETS_RESULTS_IDLE", "0")
