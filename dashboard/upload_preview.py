"""The data page's upload preview: which stored data the checked files replace and whose scores would change.

The figures come from metrics.preview, worked out on a copy of the stored tables; nothing here scores.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard.i18n import t
from dashboard.upload_guard import LimitExceeded, run_limited
from loaders.findings import ParsedFile
from loaders.schema import TABLES
from metrics.labels import label
from metrics.preview import Preview, preview_store

log = logging.getLogger(__name__)
MEMORY_BYTES = int(os.environ.get("STREETS_PREVIEW_MEMORY_MB", "3072")) * 2**20  # two evaluations of the city
SECONDS = float(os.environ.get("STREETS_PREVIEW_SECONDS", "120"))


def compute(data: Any, files: list[ParsedFile]) -> Preview | str | None:
    """The Preview of confirming files (None when there is nothing to confirm; the error text when it failed)."""
    if not files or data.store is None:
        return None
    try:
        # In a limited child process, like the reading: a web worker never holds a whole evaluation (SCALING.md).
        preview = run_limited(preview_store, (data.store.url, [f.tables for f in files]), MEMORY_BYTES, SECONDS)
    except LimitExceeded as exc:  # the check itself stands; only its preview is missing
        log.warning("upload preview failed: %s", exc.en)
        return exc.zh + "（" + exc.en + "）"
    districts = getattr(data, "districts", None)
    if districts is None:
        return preview
    keep = list(districts)
    return Preview(
        preview.replaced[preview.replaced["district"].isin(keep).to_numpy(dtype=bool)],
        preview.changes[preview.changes["district"].isin(keep).to_numpy(dtype=bool)],
        preview.others_moved,
        preview.tiers_shown,
    )


def _pair(old: object, new: object, fmt: str = "{}") -> str:
    def one(v: object) -> str:
        return "—" if v is None or pd.isna(v) else fmt.format(v)

    return f"{one(old)} → {one(new)}"


def _unit(row: pd.Series, lang: str) -> str:
    sheet = TABLES[row["table_name"]].sheet_zh if lang == "zh" else row["table_name"]
    parts = [row[k] for k in ("district", "street", "period", "year") if pd.notna(row[k])]
    return " ".join([sheet, *(str(p) for p in parts)])


def _table(head: list[str], rows: list[list[str]], class_name: str) -> dbc.Table:
    return dbc.Table(
        [html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody([html.Tr([html.Td(v) for v in r]) for r in rows])],
        size="sm",
        striped=True,
        className=f"mb-2 {class_name}",
    )


def view(preview: Preview | str | None, lang: str) -> Any:
    """The preview card (nothing when there is nothing to confirm)."""
    if preview is None:
        return None
    if isinstance(preview, str):
        body = [html.P(t("pv_failed", lang, error=preview), className="text-warning mb-0")]
        return dbc.Card([dbc.CardHeader(t("pv_title", lang)), dbc.CardBody(body)], className="mb-2 upload-preview")
    body: list[Any] = [html.H6(t("pv_replaces", lang))]
    if preview.replaced.empty:
        body.append(html.P(t("pv_replaces_none", lang), className="small"))
    else:
        rows = [
            [_unit(r, lang), r["file_name"], r["user_name"], str(r["ingested_at"])[:16]]
            for _, r in preview.replaced.iterrows()
        ]
        head = [t(k, lang) for k in ("pv_unit", "pv_file", "pv_by", "pv_when")]
        body.append(_table(head, rows, "preview-replaced"))
    body.append(html.H6(t("pv_changes", lang)))
    if preview.changes.empty:
        body.append(html.P(t("pv_changes_none", lang), className="small"))
    else:
        rows = [
            [
                f"{r['district']} {r['street']}",
                r["period"],
                _pair(r["overall_old"], r["overall_new"], "{:.1f}"),
                _pair(label("grade", r["grade_old"], lang), label("grade", r["grade_new"], lang)),
                _pair(r["rank_city_old"], r["rank_city_new"], "{:.0f}"),
                _pair(r["tier_city_old"], r["tier_city_new"]),
            ]
            for _, r in preview.changes.iterrows()
        ]
        head = [t(k, lang) for k in ("pv_street", "pv_period", "pv_score", "pv_grade", "pv_rank", "pv_tier")]
        body.append(_table(head, rows, "preview-changes"))
        if not preview.tiers_shown:
            body.append(html.P(t("pv_no_tiers", lang), className="small text-muted"))
    if preview.others_moved:
        body.append(html.P(t("pv_others", lang, n=preview.others_moved), className="small text-muted mb-0"))
    return dbc.Card(
        [dbc.CardHeader(t("pv_title", lang), className="fw-bold"), dbc.CardBody(body)], className="mb-2 upload-preview"
    )
