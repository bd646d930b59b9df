"""Rank bands of one Evaluation's periods: one computation per period at a time, and the warm-up thread."""

from __future__ import annotations

import logging
import os
import threading
import weakref
from collections.abc import Callable, Sequence

import pandas as pd

from dashboard.request_count import RequestCounter
from metrics.evaluation import Evaluation
from metrics.uncertainty import PeriodResult

log = logging.getLogger(__name__)

_COMPUTING: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Evaluation → {period: Lock}
_COMPUTING_GUARD = threading.Lock()


def _fresh_locks_after_fork() -> None:
    # A worker forked from a loaded app (gunicorn --preload) has no warming thread: a lock it held must not stay held.
    global _COMPUTING, _COMPUTING_GUARD
    _COMPUTING, _COMPUTING_GUARD = weakref.WeakKeyDictionary(), threading.Lock()


os.register_at_fork(after_in_child=_fresh_locks_after_fork)


def period_lock(ev: Evaluation, period: str) -> threading.Lock:
    """The lock held while one period of ev is computed (kept while ev lives)."""
    with _COMPUTING_GUARD:
        return _COMPUTING.setdefault(ev, {}).setdefault(period, threading.Lock())


def empty_result() -> PeriodResult:
    """Bands and sensitivity with no rows, for a period with nothing to rank."""
    from metrics.sensitivity import SENSITIVITY_COLUMNS
    from metrics.uncertainty import BAND_COLUMNS

    return PeriodResult(pd.DataFrame(columns=BAND_COLUMNS), pd.DataFrame(columns=SENSITIVITY_COLUMNS), 0.0)


def start_warming(
    ev: Evaluation,
    periods: Sequence[str],
    get: Callable[[str], PeriodResult],
    still_current: Callable[[], bool],
    requests: RequestCounter,
) -> threading.Thread:
    """A daemon thread getting each period's bands (newest first) in pauses between requests, until ev is replaced."""

    def warm() -> None:
        for period in periods:
            requests.wait_quiet()
            if not still_current():
                return
            try:
                get(period)
            except Exception:  # a request computes it again on first use and shows its own error
                log.exception("rank bands of %s could not be precomputed", period)

    thread = threading.Thread(target=warm, name="warm-bands", daemon=True)
    thread.start()
    return thread
