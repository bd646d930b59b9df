"""One label table for screen and export: a key both print reads the same in both, in zh and en."""

from __future__ import annotations

from dashboard.i18n import STRINGS, column
from metrics.export.labels import _TEXT, text
from metrics.labels import FIELD_LABELS


def screen_keys() -> set[str]:
    return set(STRINGS) | {k.removeprefix("col_") for k in STRINGS if k.startswith("col_")}


def test_every_key_the_screen_and_the_exports_share_is_printed_alike():
    shared = set(_TEXT) & screen_keys()
    assert shared >= {"grade", "period", "overall", "rank_city", "item_code", "unlisted_tasks"}
    differ = {
        k: ((column(k, "zh"), column(k, "en")), _TEXT[k])
        for k in shared
        if (column(k, "zh"), column(k, "en")) != _TEXT[k]
    }
    assert not differ


def test_the_shared_wording_comes_from_metrics_labels():
    for key, (zh, en) in FIELD_LABELS.items():
        assert (text(key, "zh"), text(key, "en")) == (zh, en)
        assert (column(key, "zh"), column(key, "en")) == (zh, en)
