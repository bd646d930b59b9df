"""数据管理 Data: upload workbooks, see every problem with its location, confirm to store; ingest history."""

from __future__ import annotations

import base64
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dashboard import collect, tables, upload_preview
from dashboard import components as c
from dashboard import data as appdata
from dashboard.auth import web as authweb
from dashboard.auth.scope import outside, scoped_batches
from dashboard.constants import Id, Page
from dashboard.i18n import norm_lang, t
from dashboard.uploads import Upload
from loaders.diskfull import is_disk_full
from loaders.diskfull import message as disk_full_message
from loaders.findings import Finding
from loaders.schema import TABLES

PAGE = "data"
MAX_UPLOAD = 20 * 1024 * 1024  # the loaders refuse larger files too; this stops them in the browser
# Where uploads are written to be read (and removed right after); the checked files wait in the store.
UPLOAD_ROOT = Path(os.environ.get("STREETS_UPLOADS") or Path(tempfile.gettempdir()) / "street_scorecard_uploads")
HISTORY_FIELDS = [
    "id",
    "file_name",
    "ingested_at",
    "user_name",
    "outcome",
    "rows_used",
    "rows_skipped",
    "n_errors",
    "n_warnings",
]
BATCH_FIELDS = [
    "table_name",
    "district",
    "street",
    "period",
    "year",
    "row_count",
    "active",
    "file_name",
    "ingested_at",
    "superseded_by_file",
    "superseded_at",
]
HEADERS = {
    "id": ("编号", "No."),
    "file_name": ("文件", "File"),
    "ingested_at": ("导入时间 (UTC)", "Ingested (UTC)"),
    "user_name": ("用户", "User"),
    "outcome": ("结果", "Outcome"),
    "rows_used": ("使用行数", "Rows used"),
    "rows_skipped": ("跳过行数", "Rows skipped"),
    "n_errors": ("错误", "Errors"),
    "n_warnings": ("警告", "Warnings"),
    "table_name": ("表", "Table"),
    "district": ("区(市)县", "District"),
    "street": ("街道(镇)", "Street"),
    "period": ("报告期", "Period"),
    "year": ("年度", "Year"),
    "row_count": ("行数", "Rows"),
    "active": ("当前有效", "Active"),
    "superseded_by_file": ("被替代于", "Superseded by"),
    "superseded_at": ("替代时间", "Superseded at"),
}
dash.register_page(__name__, path=Page.DATA, name="数据管理", title="数据管理 · 街道履职评价看板", order=5)


def layout(lang=None, **rest: str) -> html.Div:
    """The data page: upload area, check result, confirm button, history."""
    lang = norm_lang(lang)
    query = {k: v for k, v in rest.items() if k in ("period", "districts", "street_type", "function")} | {"lang": lang}
    return c.create_page(
        PAGE,
        lang,
        query,
        c.create_title(t("data", lang)),
        html.Div(id=Id.DATA_SUMMARY, className="mb-3"),
        dcc.Upload(
            id=Id.UPLOAD,
            children=html.Div([html.Div("⇪", className="fs-2"), t("upload_prompt", lang)]),
            multiple=True,
            max_size=MAX_UPLOAD,
            accept=".xlsx,.xlsm,.xls,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            className="upload-zone mb-3",
        ),
        dcc.Store(id=Id.PENDING),
        dcc.Loading(html.Div(id=Id.CHECK_RESULT), type="dot"),
        dbc.Button(t("confirm_ingest", lang), id=Id.CONFIRM, color="primary", disabled=True, className="mb-3"),
        dcc.Loading(html.Div(id=Id.INGEST_RESULT), type="dot"),
        collect.template_section(appdata.current(), lang),
        c.create_section(t("superseded_title", lang), c.create_grid(Id.SUPERSEDED_TABLE, height=240)),
        c.create_section(t("history_title", lang), c.create_grid(Id.HISTORY_TABLE, height=420)),
    )


def safe_name(name: str) -> str:
    """The uploaded file's own name without any path, kept readable (Chinese stays)."""
    base = Path(str(name).replace("\\", "/")).name
    # Leading dots go: ".." or "." would name the upload folder or its parent, ".x" would hide the file.
    return re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", base)[:150].lstrip(".") or "upload.xlsx"


def save_uploads(contents: list[str], names: list[str]) -> tuple[Path, list[str]]:
    """Write the uploads into a fresh private folder to be read there; the folder and the file paths."""
    UPLOAD_ROOT.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=UPLOAD_ROOT))
    paths = []
    for content, name in zip(contents, names, strict=True):
        path = folder / safe_name(name)
        path.write_bytes(base64.b64decode(content.split(",", 1)[-1]))
        paths.append(str(path))
    return folder, paths


def finding_rows(parsed: Any, lang: str) -> list[dict]:
    """One row per finding: level, location (file › sheet!cell) and the message."""
    return [
        {"level": t(f.level, lang), "location": f.location, "message": f.zh if lang == "zh" else f.en}
        for f in parsed.findings
    ]


def check_view(files: list[Any], lang: str, preview: Any = None) -> Any:
    """One card per file: ready or refused, with every problem and where it is; then what confirming would change
    (an upload_preview.compute result)."""
    cards = []
    for parsed in files:
        rows = finding_rows(parsed, lang)
        head = f"{parsed.name} — {t('check_ok' if parsed.ok else 'check_bad', lang)}"
        counts = f"{t('rows_used', lang)} {parsed.rows_used} · {t('rows_skipped', lang)} {parsed.rows_skipped}"
        body = [html.Div(counts, className="small text-muted mb-2")]
        if rows:
            body.append(
                dbc.Table(
                    [
                        html.Thead(html.Tr([html.Th(t(k, lang)) for k in ("level", "location", "message")])),
                        html.Tbody(
                            [
                                html.Tr([html.Td(r["level"]), html.Td(html.Code(r["location"])), html.Td(r["message"])])
                                for r in rows[:200]
                            ]
                        ),
                    ],
                    size="sm",
                    striped=True,
                    className="mb-0 findings-table",
                )
            )
        cards.append(
            dbc.Card(
                [
                    dbc.CardHeader(head, className="fw-bold " + ("text-success" if parsed.ok else "text-danger")),
                    dbc.CardBody(body),
                ],
                className="mb-2 check-card " + ("check-ok" if parsed.ok else "check-bad"),
            )
        )
    return html.Div([html.H5(t("check_title", lang)), *cards, upload_preview.view(preview, lang)], className="mb-2")


def refuse_out_of_scope(files: list[Any], districts: frozenset[str] | None) -> None:
    """Mark every file that would write a district beyond districts (None: no limit) as refused."""
    for parsed in files:
        beyond = outside(parsed, districts) if parsed.ok else []
        if beyond:
            where = "、".join(beyond)
            parsed.findings.append(
                Finding(
                    "error",
                    "out_of_scope",
                    f"本账户无权上传这些区(市)县的数据：{where}",
                    f"this account may not upload data of: {where}",
                    parsed.name,
                )
            )


def _owner() -> str:
    # Checked files wait under their uploader's name: another account's request cannot store them.
    user = authweb.current_user()
    return user.username if user else ""


def upload_shape_ok(contents: object, names: object) -> bool:
    """True when a request carries as many names as files, all text, each file valid base64."""
    if not isinstance(contents, list) or not isinstance(names, list) or len(contents) != len(names):
        return False
    if not all(isinstance(c, str) and isinstance(n, str) for c, n in zip(contents, names, strict=True)):
        return False
    try:
        for content in contents:
            base64.b64decode(content.split(",", 1)[-1], validate=True)
    except ValueError:  # binascii.Error is one
        return False
    return True


def check_uploads(data: appdata.AppData, contents: list[str], names: list[str], lang: str) -> tuple:
    """Read the uploads (nothing stored); keep the good ones pending in the store; return the check view and state."""
    user = authweb.current_user()
    if user is None or not user.can_upload:
        shown = names if isinstance(names, list) else []
        authweb.audit("upload", ", ".join(safe_name(str(n)) for n in shown), "refused: read-only")
        return dbc.Alert(t("upload_not_allowed", lang), color="danger"), None, True
    if not upload_shape_ok(contents, names):
        return dbc.Alert(t("upload_malformed", lang), color="danger"), None, True
    try:
        folder, paths = save_uploads(contents, names)
    except OSError as exc:
        if not is_disk_full(exc):
            raise
        return dbc.Alert(disk_full_message(), color="danger"), None, True
    try:
        files = appdata.check_files(data.store, paths, getattr(data, "districts", None))
        refuse_out_of_scope(files, getattr(data, "districts", None))
        for parsed in files:
            authweb.audit("upload", parsed.name, "checked ok" if parsed.ok else f"refused: {len(parsed.errors)} errors")
        good = [(path, p) for path, p in zip(paths, files, strict=True) if p.ok]
        # Waiting in the store, so the confirm may reach any worker process on any host.
        token = data.uploads.put(_owner(), [Upload(p.name, Path(path).read_bytes()) for path, p in good])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    with data.lock:
        data.pending[f"{_owner()}/{token}"] = [p for _, p in good]  # this process may skip reading them again
    preview = upload_preview.compute(data, [p for _, p in good])
    return check_view(files, lang, preview), {"token": token, "files": [p.name for _, p in good]}, not good


def claim_pending(data: Any, token: str) -> list[Any]:
    """The checked files of token, taken by this request alone; [] when gone, foreign or already taken."""
    waiting = data.uploads.take(_owner(), token)  # one DELETE … RETURNING: of two confirms one gets them
    with data.lock:
        checked = data.pending.pop(f"{_owner()}/{token}", None)
    if not waiting:
        return []
    if checked is not None and [p.name for p in checked] == [u.name for u in waiting]:
        return checked
    # Checked by another process or host: read again here, with the same checks, from the stored bytes.
    UPLOAD_ROOT.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=UPLOAD_ROOT))
    try:
        paths = []
        for i, upload in enumerate(waiting):
            path = folder / f"{i:03d}" / safe_name(upload.name)  # one folder each: two files may share a name
            path.parent.mkdir()
            path.write_bytes(upload.content)
            paths.append(str(path))
        files = appdata.check_files(data.store, paths, getattr(data, "districts", None))
        refuse_out_of_scope(files, getattr(data, "districts", None))
        return [p for p in files if p.ok]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def ingest_pending(data: appdata.AppData, pending: dict | None, lang: str) -> Any:
    """Store the checked good files, recompute the evaluation, and say what happened."""
    token = pending.get("token") if isinstance(pending, dict) else None
    files = claim_pending(data, token) if isinstance(token, str) else []
    if not files:
        return dbc.Alert(t("nothing_to_ingest", lang), color="secondary")
    user = authweb.current_user()
    outcomes = []
    for parsed in files:
        try:
            outcome = data.store.ingest(parsed, user=user.username if user else "dashboard")
        except Exception as exc:
            if not is_disk_full(exc):
                raise
            authweb.audit("ingest", parsed.name, "failed: disk full")
            return dbc.Alert(disk_full_message(parsed.name), color="danger", className="ingest-result")
        authweb.audit("ingest", parsed.name, outcome.outcome)
        outcomes.append(outcome)
    data.refresh()  # the results of the new data are computed by another process; pages note it meanwhile
    items = [
        html.Li(
            f"{o.file_name}：{t('outcome_' + o.outcome, lang)}，"
            + t("outcome_counts", lang, added=len(o.added), superseded=len(o.superseded))
        )
        for o in outcomes
    ]
    return dbc.Alert(
        [html.Strong(t("ingested", lang)), html.Ul(items, className="mb-0")], color="success", className="ingest-result"
    )


def history(data: appdata.AppData, lang: str) -> tuple[list[dict], list[dict], list[dict]]:
    """Every stored batch, newest first, then the superseded ones alone (rows, rows, columns)."""
    df = scoped_batches(data.store.batches_history(), getattr(data, "districts", None))
    if df.empty:
        return [], [], []
    df = df.assign(
        ingested_at=df["ingested_at"].dt.strftime("%Y-%m-%d %H:%M"),
        superseded_at=df["superseded_at"].dt.strftime("%Y-%m-%d %H:%M"),
        active=df["active"].map({True: t("yes", lang), False: t("no", lang)}),
        table_name=df["table_name"].map(lambda n: TABLES[n].sheet_zh if lang == "zh" and n in TABLES else n),
    )
    rows = tables.records(df, BATCH_FIELDS)
    old = tables.records(df[df["superseded_by_file"].notna().to_numpy()], BATCH_FIELDS)
    wide = {"file_name": 220, "superseded_by_file": 220, "ingested_at": 150, "superseded_at": 150, "table_name": 110}
    cols = [
        {"field": f, "headerName": HEADERS[f][0 if lang == "zh" else 1], "minWidth": wide.get(f, 80)}
        for f in BATCH_FIELDS
    ]
    return rows, old, cols


def store_summary(data: appdata.AppData, lang: str) -> Any:
    """What the store holds: streets, periods, latest period."""
    ev = data.evaluation
    if ev is None:
        return c.create_empty(t("empty_no_data", lang))
    cards = [
        c.create_stat(t("districts", lang), str(len(ev.districts))),
        c.create_stat(t("streets_n", lang), str(len(ev.streets))),
        c.create_stat(t("periods_n", lang), f"{ev.periods[0]}–{ev.periods[-1]}" if ev.periods else "—"),
    ]
    return html.Div([html.H5(t("store_summary", lang)), dbc.Row([dbc.Col(x) for x in cards], className="g-3")])


def register_callbacks(app: dash.Dash) -> None:
    """Bind this page's callbacks to app."""
    query_id = {"type": Id.QUERY, "page": PAGE}
    collect.register_template_callbacks(app, State(query_id, "data"))

    @app.callback(
        Output(Id.CHECK_RESULT, "children"),
        Output(Id.PENDING, "data"),
        Output(Id.CONFIRM, "disabled"),
        Input(Id.UPLOAD, "contents"),
        State(Id.UPLOAD, "filename"),
        State(query_id, "data"),
        prevent_initial_call=True,
    )
    def _check(contents, names, query):
        if not contents:
            return dash.no_update, dash.no_update, True
        return check_uploads(appdata.current(), contents, names, (query or {}).get("lang", "zh"))

    @app.callback(
        Output(Id.INGEST_RESULT, "children"),
        Output(Id.CONFIRM, "disabled", allow_duplicate=True),
        Output(Id.CHECK_RESULT, "children", allow_duplicate=True),
        Input(Id.CONFIRM, "n_clicks"),
        State(Id.PENDING, "data"),
        State(query_id, "data"),
        prevent_initial_call=True,
    )
    def _ingest(_n, pending, query):
        return ingest_pending(appdata.current(), pending, (query or {}).get("lang", "zh")), True, None

    @app.callback(
        Output(Id.HISTORY_TABLE, "rowData"),
        Output(Id.HISTORY_TABLE, "columnDefs"),
        Output(Id.SUPERSEDED_TABLE, "rowData"),
        Output(Id.SUPERSEDED_TABLE, "columnDefs"),
        Output(Id.DATA_SUMMARY, "children"),
        Input(Id.INGEST_RESULT, "children"),
        State(query_id, "data"),
    )
    def _history(_result, query):
        lang, data = (query or {}).get("lang", "zh"), appdata.current()
        rows, old, cols = history(data, lang)
        return rows, cols, old, cols, store_summary(data, lang)
