"""AG Grid rows and column definitions for the dashboard's tables (display only)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from dashboard.constants import FUNCTIONS
from dashboard.i18n import column, paren, shown, t
from metrics.labels import label

NUM1 = {"function": "params.value == null ? '' : d3.format('.1f')(params.value)"}
SIGNED1 = {"function": "params.value == null ? '' : d3.format('+.1f')(params.value)"}
PCT0 = {"function": "params.value == null ? '' : d3.format('.0%')(params.value)"}

RANKING_COLUMNS = (
    "rank_city",
    "tier_city",
    "band_city",
    "n_unclear_city",
    "district",
    "street",
    "street_type",
    "score",
    "completeness",
    "points_lost_missing",
    "share_status",
    "status_share_reported",
    "grade",
    "rank_district",
    "change_year_ago",
    "change_prev_quarter",
    "items_missing",
    "removed_indicators",
    "unlisted_tasks",
)


def records(df: pd.DataFrame, columns: Sequence[str]) -> list[dict]:
    """JSON-ready rows: NaN/NA → None, numpy scalars → Python."""
    # Column by column, then zipped: a province's 3,100-row table in ~1/4 of DataFrame.to_dict("records")'s time.
    names = list(columns)
    if not names:
        return [{} for _ in range(len(df))]
    values = [python_values(df[name]) for name in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]


def python_values(column: pd.Series) -> list:
    """A column's values as Python objects: NaN/NA → None, numpy scalars → Python."""
    out = column.astype(object)
    out = out.where(out.notna().to_numpy(), None).tolist()
    return [v.item() if isinstance(v, np.generic) else v for v in out]


def col(field: str, lang: str, header: str | None = None, **kw: object) -> dict:
    """One column definition with a translated header."""
    name = header or column(field, lang)
    return {"field": field, "headerName": name, "headerTooltip": name, **kw}


def ranking(df: pd.DataFrame, column: str, lang: str) -> tuple[list[dict], list[dict]]:
    """The ranking table of the filtered streets by column (overall or one function)."""
    header = t("score", lang) if column == "overall" else t(column, lang)
    cols = [
        col("rank_city", lang, minWidth=90, pinned="left", type="numericColumn"),
        *band_cols(lang, pinned="left"),  # pinned like the rank, so the band stays beside it
        col("district", lang, pinned="left"),
        col("street", lang, pinned="left", minWidth=130, cellClass="street-link"),
        col("street_type", lang),
        col("score", lang, header=header, type="numericColumn", valueFormatter=NUM1, sort="desc"),
        col("completeness", lang, valueFormatter=PCT0),
        *evidence_cols(lang),
        col("grade", lang),
        col("rank_district", lang, type="numericColumn"),
        col("change_year_ago", lang, type="numericColumn", valueFormatter=SIGNED1),
        col(
            "change_prev_quarter",
            lang,
            header=t("change_prev_quarter_seasonal", lang),
            type="numericColumn",
            valueFormatter=SIGNED1,
        ),
        col("items_missing", lang, type="numericColumn"),
        col("removed_indicators", lang, type="numericColumn"),
        col("unlisted_tasks", lang, type="numericColumn"),
    ]
    if df.empty:
        return [], cols
    view = shown(df, lang).assign(score=df[column])
    return records(view, RANKING_COLUMNS), cols


def scenario_words(lang: str) -> dict[str, object]:
    """What the rank-band texts name from the rules: scenarios (n), the varied status (s) and its range."""
    from metrics.config import load_config

    config = load_config()
    u = config.uncertainty
    status = label("status", config.varied_status or "—", lang)
    return {"n": int(u["scenarios"]), "s": status, "low": f"{u['status_low']:g}", "high": f"{u['status_high']:g}"}


def band_cols(lang: str, **kw: object) -> list[dict]:
    """The city tier (档次), the rank band ("2–6") and how many streets are not clearly different (metrics.pairwise)."""
    from metrics.config import load_config

    u = load_config().uncertainty
    bounds = {"low": u["unclear_low"], "high": u["unclear_high"]}
    return [
        col("tier_city", lang, minWidth=80, type="numericColumn", headerTooltip=t("tier_tip", lang, **bounds), **kw),
        col("band_city", lang, minWidth=90, headerTooltip=t("band_tip", lang, **scenario_words(lang)), **kw),
        col(
            "n_unclear_city",
            lang,
            minWidth=90,
            type="numericColumn",
            headerTooltip=t("unclear_tip", lang, **bounds),
            **kw,
        ),
    ]


# the evidence column is coloured by what backs the score: mostly a status word (amber) or measured values
EVIDENCE_STYLE = {
    "styleConditions": [
        {
            "condition": "params.data && params.data.status_share_reported >= 0.5",
            "style": {"backgroundColor": "#FBE3B4"},
        },
    ]
}


def evidence_cols(lang: str) -> list[dict]:
    """Points lost to unreported items and the share of weight backed by a status only (filterable, coloured)."""
    return [
        col("points_lost_missing", lang, minWidth=110, type="numericColumn", valueFormatter=NUM1),
        col(
            "share_status",
            lang,
            minWidth=110,
            valueFormatter=PCT0,
            filter="agNumberColumnFilter",
            cellStyle=EVIDENCE_STYLE,
            headerTooltip=t("evidence_status", lang) + " ≥ 50 %",
        ),
    ]


def peer_header(field: str, lang: str, peer_of: str | None) -> str:
    """The header of peer_median / gap_peers, naming the function compared unless it is the overall score."""
    name = t(field, lang)
    if peer_of in (None, "overall"):
        return name
    return name + paren(t(peer_of, lang), lang)


def compare_fields(peer_of: str | None = None) -> list[str]:
    """The comparison table's fields in screen order (peer median and gap after completeness when peer_of)."""
    return [
        "district",
        "street",
        "street_type",
        "overall",
        "completeness",
        *(["peer_median", "gap_peers"] if peer_of else []),
        *FUNCTIONS,
        "grade",
        "rank_district",
        "rank_city",
        "tier_city",
        "band_city",
        "n_unclear_city",
        "points_lost_missing",
        "share_status",
    ]


def compare(df: pd.DataFrame, lang: str, peer_of: str | None = None) -> tuple[list[dict], list[dict]]:
    """The comparison table: one row per street with overall, completeness, functions, grade, ranks and band.

    peer_of: the score (overall or a function) whose peer median and gap to peers (columns peer_median and
    gap_peers of df) are shown after completeness; None shows no peer columns.
    """
    fields = compare_fields(peer_of)
    peer_cols = [
        col(
            "peer_median",
            lang,
            peer_header("peer_median", lang, peer_of),
            minWidth=120,
            type="numericColumn",
            valueFormatter=NUM1,
        ),
        col(
            "gap_peers",
            lang,
            peer_header("gap_peers", lang, peer_of),
            minWidth=110,
            type="numericColumn",
            valueFormatter=SIGNED1,
        ),
    ]
    cols = [
        col("district", lang, pinned="left"),
        col("street", lang, pinned="left", minWidth=130, cellClass="street-link"),
        col("street_type", lang),
        col("overall", lang, type="numericColumn", valueFormatter=NUM1, sort="desc"),
        col("completeness", lang, valueFormatter=PCT0),
        *(peer_cols if peer_of else []),
        *[col(f, lang, type="numericColumn", valueFormatter=NUM1) for f in FUNCTIONS],
        col("grade", lang),
        col("rank_district", lang, type="numericColumn"),
        col("rank_city", lang, type="numericColumn"),
        *band_cols(lang),
        *evidence_cols(lang),
    ]
    # status_share_reported rides along unseen: it colours the 按状态折算 cell
    return (records(shown(df, lang), [*fields, "status_share_reported"]) if not df.empty else []), cols


ITEM_FIELDS = (
    "item_code",
    "item_name",
    "function",
    "category",
    "weight",
    "target",
    "actual",
    "c",
    "status",
    "on_time",
    "evidence",
)


def item_rows(items: pd.DataFrame, lang: str) -> tuple[list[dict], list[dict]]:
    """The street's item table: item, function, target, actual, completion, on time, evidence."""
    cols = [
        col("item_code", lang, minWidth=110, pinned="left"),
        col("item_name", lang, minWidth=220, pinned="left"),
        col("function", lang, minWidth=130),
        col("category", lang, minWidth=150),
        col("weight", lang, type="numericColumn"),
        col("target", lang, type="numericColumn"),
        col("actual", lang, type="numericColumn"),
        col("c", lang, header=t("completion", lang), type="numericColumn", valueFormatter=PCT0),
        col("status", lang),
        col("on_time", lang),
        col("evidence", lang, minWidth=160),
    ]
    if items.empty:
        return [], cols
    return records(item_view(items, lang), ITEM_FIELDS), cols


def item_view(items: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The items as displayed: function, status, scoring category and on time in lang (screen and download)."""
    return shown(items, lang, ("function", "status")).assign(
        category=items["category"]
        .astype("string")
        .map(lambda c: CATEGORY[c][0 if lang == "zh" else 1] if c in CATEGORY else c),
        on_time=items["on_time"].astype("boolean").map({True: t("yes", lang), False: t("no", lang)}),
    )


CATEGORY = {
    "scored": ("计分", "scored"),
    "missing": ("未报送（计0分）", "missing (0)"),
    "removed": ("已取消指标（不计分）", "removed (not scored)"),
    "unlisted": ("清单外（不计分）", "not on list (not scored)"),
}


def frame_rows(
    df: pd.DataFrame, fields: Sequence[str], lang: str, formats: dict | None = None
) -> tuple[list[dict], list[dict]]:
    """A generic table of df's fields with translated headers and optional formatters per field."""
    formats = formats or {}
    cols = [col(f, lang, **({"valueFormatter": formats[f]} if f in formats else {})) for f in fields]
    return (records(df, fields) if not df.empty else []), cols
