"""Requests being served by this process, so background work can wait for a pause in them."""

from __future__ import annotations

import threading
import time

import flask

from dashboard import heap

# The background Monte Carlo holds the GIL in stretches of up to ~0.1 s: it waits for a pause in the requests
# (none for QUIET_SECONDS), but no longer than WARM_PATIENCE per period, so steady traffic still gets it done.
QUIET_SECONDS = 0.5
WARM_PATIENCE = 10.0


class RequestCounter:
    """How many requests are being served, and since when none has been."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active = 0
        self.quiet_since = 0.0  # time.monotonic() when the last request ended

    def started(self) -> None:
        """Count a request in (a Flask before_request hook)."""
        with self.lock:
            self.active += 1
        flask.g.street_counted = time.monotonic()

    def ended(self, _exc: BaseException | None = None) -> None:
        """Count a request out (a Flask teardown_request hook), one counted in; a heavy one's freed heap is returned."""
        started = flask.g.pop("street_counted", None)
        if started is None:
            return
        now = time.monotonic()
        with self.lock:
            self.active -= 1
            self.quiet_since = now
        if now - started >= heap.HEAVY_SECONDS:
            heap.trim()

    def wait_quiet(self, quiet: float = QUIET_SECONDS, patience: float = WARM_PATIENCE) -> None:
        """Return once no request has been served for quiet seconds, or after patience seconds at most."""
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            with self.lock:
                if self.active == 0 and time.monotonic() - self.quiet_since >= quiet:
                    return
            time.sleep(0.05)
