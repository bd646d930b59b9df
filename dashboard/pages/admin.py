"""管理 Admin: the audit log (filter, browse, export) and the accounts; admins only."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dashboard import components as c
from dashboard import tables
from dashboard.auth.audit import ACTIONS
from dashboard.auth.web import admin_auth, audit
from dashboard.downloads import xlsx_bytes
from dashboard.i18n import norm_lang

PAGE = "admin"
AUDIT_TABLE, AUDIT_ACTION, AUDIT_USER = "audit-table", "audit-action", "audit-user"
AUDIT_DOWNLOAD_BTN, AUDIT_DOWNLOAD, USERS_TABLE = "audit-download-btn", "audit-download", "users-table"
AUDIT_FIELDS = {
    "id": ("编号", "No."),
    "at": ("时间 (UTC)", "Time (UTC)"),
    "user_name": ("用户", "User"),
    "action": ("操作", "Action"),
    "what": ("对象", "What"),
    "outcome": ("结果", "Outcome"),
    "address": ("地址", "Address"),
}
USER_FIELDS = {
    "username": ("用户名", "User"),
    "role": ("角色", "Role"),
    "districts": ("区(市)县", "Districts"),
    "active": ("启用", "Active"),
}
dash.register_page(__name__, path="/admin", name="管理", title="管理 · 街道履职评价看板", order=9)


def _columns(fields: dict, lang: str) -> list[dict]:
    i = 0 if lang == "zh" else 1
    return [{"field": f, "headerName": h[i], "minWidth": 200 if f == "what" else 90} for f, h in fields.items()]


def layout(lang=None, **_: str) -> html.Div:
    """Audit log and accounts for admins; a refusal for everyone else."""
    lang = norm_lang(lang)
    query = {"lang": lang}
    title = c.create_title("管理 Admin", "审计日志与账户 · audit log and accounts")
    if admin_auth() is None:
        return c.create_page(PAGE, lang, query, title, dbc.Alert("仅管理员可见 / Admins only", color="danger"))
    return c.create_page(
        PAGE,
        lang,
        query,
        title,
        c.create_filter_bar(
            c.create_select(AUDIT_ACTION, "操作 Action", [("", "全部 all"), *((a, a) for a in ACTIONS)], ""),
            dbc.Col([dbc.Label("用户 User"), dbc.Input(id=AUDIT_USER, debounce=True, placeholder="全部 all")], md=2),
        ),
        c.create_section(
            "审计日志 Audit log",
            c.create_grid(AUDIT_TABLE, height=480),
            actions=c.create_download(AUDIT_DOWNLOAD_BTN, AUDIT_DOWNLOAD, lang),
        ),
        c.create_section("账户 Accounts（python -m dashboard users …）", c.create_grid(USERS_TABLE, height=240)),
    )


def audit_rows(action: str | None, user: str | None, lang: str) -> tuple[list[dict], list[dict]]:
    """Audit entries for the filters, newest first (nothing for non-admins)."""
    auth = admin_auth()
    if auth is None:
        return [], []
    df = auth.audit.entries(action or None, (user or "").strip() or None)
    df["at"] = df["at"].dt.strftime("%Y-%m-%d %H:%M:%S")
    return tables.records(df, list(AUDIT_FIELDS)), _columns(AUDIT_FIELDS, lang)


def user_rows(lang: str) -> tuple[list[dict], list[dict]]:
    """Every account (nothing for non-admins)."""
    auth = admin_auth()
    if auth is None:
        return [], []
    rows = [
        {"username": u.username, "role": u.role, "districts": "、".join(u.districts) or "*", "active": u.active}
        for u in auth.accounts.list()
    ]
    return rows, _columns(USER_FIELDS, lang)


def export(action: str | None, user: str | None) -> Any:
    """The filtered audit log as 审计日志.xlsx (and an audit entry saying so)."""
    auth = admin_auth()
    if auth is None:
        return dash.no_update
    df = auth.audit.entries(action or None, (user or "").strip() or None, limit=1_000_000)
    audit("export", "审计日志.xlsx", "ok")
    return dcc.send_bytes(xlsx_bytes(df, "审计日志"), "审计日志.xlsx")


def register_callbacks(app: dash.Dash) -> None:
    """Bind this page's callbacks to app."""
    query = State({"type": "page-query", "page": PAGE}, "data")

    @app.callback(
        Output(AUDIT_TABLE, "rowData"),
        Output(AUDIT_TABLE, "columnDefs"),
        Output(USERS_TABLE, "rowData"),
        Output(USERS_TABLE, "columnDefs"),
        Input(AUDIT_ACTION, "value"),
        Input(AUDIT_USER, "value"),
        query,
    )
    def _update(action, user, q):
        lang = (q or {}).get("lang", "zh")
        return (*audit_rows(action, user, lang), *user_rows(lang))

    @app.callback(
        Output(AUDIT_DOWNLOAD, "data"),
        Input(AUDIT_DOWNLOAD_BTN, "n_clicks"),
        State(AUDIT_ACTION, "value"),
        State(AUDIT_USER, "value"),
        prevent_initial_call=True,
    )
    def _export(_n, action, user):
        return export(action, user)
