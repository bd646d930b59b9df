"""Login sessions on the Dash Flask server: flask-login, CSRF on every POST, and the per-request user."""

from __future__ import annotations

import hmac
import html
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import flask
import flask_login
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard.auth.accounts import Accounts, User
from dashboard.auth.audit import AuditLog
from dashboard.auth.secret import NOT_SET, load_secret

EXTENSION_KEY = "street_scorecard_auth"
CSRF_COOKIE = "_csrf_token"  # dash-renderer sends this cookie's value as X-CSRFToken on every callback
CSRF_HEADER = "X-CSRFToken"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Static files hold no data: the login page needs them before anyone is logged in.
PUBLIC_PREFIXES = ("/_dash-component-suites/", "/assets/", "/_favicon.ico")
LOOPBACK_ADDRS = ("127.0.0.1", "::1")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
MAX_REQUEST_BYTES = 64 * 2**20
COUNT_SECONDS = 2.0  # how long the "are there accounts?" answer is reused
LOCAL_USER = User(id=0, username="local", role="admin", districts=(), active=True)
NO_ACCOUNTS = (
    "本看板尚无账户，只能在本机 127.0.0.1 使用。请先添加账户 / No accounts yet: the dashboard serves 127.0.0.1 only.\n"
    "Add one: python -m dashboard users add NAME --role admin\n"
)


@dataclass
class Auth:
    """The account and audit tables of one app, and a short-lived cache of the account count."""

    accounts: Accounts
    audit: AuditLog
    secret_configured: bool = False
    _count: tuple[float, int] = (0.0, -1)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def has_accounts(self) -> bool:
        """True once any account exists (the CLI may add one while the app runs)."""
        at, n = self._count
        if time.monotonic() - at > COUNT_SECONDS or n < 0:
            n = self.accounts.count()
            self._count = (time.monotonic(), n)
        return n > 0


class SessionUser(flask_login.UserMixin):
    """flask-login's wrapper around an account."""

    def __init__(self, user: User) -> None:
        self.user = user

    def get_id(self) -> str:
        # The account's session version rides in the cookie: bumping it ends every session made before.
        return f"{self.user.id}:{self.user.session_version}"


def install(server: flask.Flask, accounts: Accounts, audit: AuditLog) -> Auth:
    """Sessions, login/logout routes, the request guard and CSRF checks on server."""
    secret = load_secret()
    auth = Auth(accounts, audit, secret.configured)
    server.extensions[EXTENSION_KEY] = auth
    server.secret_key = secret.key
    proxies = int(os.environ.get("STREETS_PROXIES", "0") or 0)
    if proxies:  # behind a reverse proxy: the client's address (for throttling, audit) from X-Forwarded-For
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=proxies, x_proto=proxies)
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies(),
        SESSION_COOKIE_NAME="street_scorecard_session",
        PERMANENT_SESSION_LIFETIME=12 * 3600,
        # A few 20 MB workbooks, base64 in JSON; the loaders' own limits apply to each file after this.
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
    )
    manager = flask_login.LoginManager()
    manager.init_app(server)

    @manager.user_loader
    def _load(session_id: str) -> SessionUser | None:
        user_id, _, version = str(session_id).partition(":")
        user = accounts.by_id(int(user_id)) if user_id.isdigit() and version.isdigit() else None
        # A disabled account's sessions, and those made before a logout or a password or role change, end here.
        if user is None or not user.active or user.session_version != int(version):
            return None
        return SessionUser(user)

    server.before_request(_guard)
    server.after_request(_csrf_cookie)
    server.add_url_rule("/login", "login", _login, methods=["GET", "POST"])
    server.add_url_rule("/logout", "logout", _logout, methods=["POST"])
    return auth


def secure_cookies() -> bool:
    """Cookies marked Secure when the app is served over https (env STREETS_SECURE_COOKIES=1)."""
    return os.environ.get("STREETS_SECURE_COOKIES", "").lower() in ("1", "true", "yes")


def _auth() -> Auth | None:
    return flask.current_app.extensions.get(EXTENSION_KEY)


def is_loopback() -> bool:
    """The request came from this machine and named it (no proxy forwarding, no rebinding)."""
    host = urlsplit("//" + (flask.request.host or "")).hostname or ""
    return flask.request.remote_addr in LOOPBACK_ADDRS and host in LOOPBACK_HOSTS


def current_user() -> User | None:
    """The user of this request: the logged-in account, the local user when there are no accounts, or None."""
    if not flask.has_request_context():
        return LOCAL_USER  # scripts and tests calling page functions directly
    cached = flask.g.get("street_user", False)
    if cached is not False:
        return cached
    auth = _auth()
    user: User | None
    if auth is None:
        user = LOCAL_USER  # an app built without accounts (tests of the plain app)
    elif flask_login.current_user.is_authenticated:
        user = flask_login.current_user.user
    elif not auth.has_accounts() and is_loopback():
        user = LOCAL_USER
    else:
        user = None
    flask.g.street_user = user
    return user


def csrf_token() -> str:
    """This session's CSRF token (made on first use)."""
    token = flask.session.get("csrf")
    if not token:
        token = flask.session["csrf"] = secrets.token_urlsafe(32)
    return token


def _csrf_ok() -> bool:
    expected = flask.session.get("csrf")
    given = flask.request.headers.get(CSRF_HEADER) or flask.request.form.get("csrf_token", "")
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


def _guard() -> Any:
    path = flask.request.path
    if path.startswith(PUBLIC_PREFIXES):
        return None
    auth = _auth()
    if auth is not None and not auth.secret_configured and not is_loopback():
        # A secret made up by this process: fine on this machine, never for a shared server.
        return flask.Response(NOT_SET, 503, mimetype="text/plain")
    if flask.request.method not in SAFE_METHODS and not _csrf_ok():
        if auth is not None:
            auth.audit.record(_who(), "csrf", f"{flask.request.method} {path}", "refused", _addr())
        return flask.Response("CSRF token missing or wrong / 缺少或错误的 CSRF 令牌\n", 403, mimetype="text/plain")
    if path in ("/login", "/logout"):
        return None
    if current_user() is not None:
        return None
    if auth is not None and not auth.has_accounts():
        return flask.Response(NO_ACCOUNTS, 403, mimetype="text/plain")
    if path.startswith("/_dash") or flask.request.method not in SAFE_METHODS:
        return flask.Response("login required / 请先登录\n", 401, mimetype="text/plain")
    full = flask.request.full_path.rstrip("?")
    return flask.redirect("/login?next=" + flask.request.script_root + full.replace("&", "%26"))


def _csrf_cookie(response: flask.Response) -> flask.Response:
    if flask.request.path.startswith(PUBLIC_PREFIXES):
        return response
    token = csrf_token()
    if flask.request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=False, samesite="Strict", secure=secure_cookies())
    return response


def _who() -> str:
    user = current_user() if flask.has_request_context() else None
    return user.username if user else "anonymous"


def _addr() -> str | None:
    return flask.request.remote_addr if flask.has_request_context() else None


def audit(action: str, what: str, outcome: str) -> None:
    """Append an audit entry for this request's user (no-op outside a request or without accounts tables)."""
    if not flask.has_request_context():
        return
    auth = _auth()
    if auth is not None:
        auth.audit.record(_who(), action, what, outcome, _addr())


def safe_next(value: object) -> str:
    """value when it is a path on this site, else "/": never a redirect to another host.

    Browsers drop tabs and line breaks from URLs and read a backslash as a slash, so a slash, a tab and
    "/evil.example" would leave the site: any control character, space, backslash, "//" start or scheme is refused.
    """
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        return "/"
    if "\\" in value or any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/"
    return value


LOGIN_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>登录 · 街道履职评价看板</title><link rel="stylesheet" href="/assets/bootstrap.min.css"></head>
<body class="bg-light"><main class="container" style="max-width:420px;margin-top:10vh">
<h3 class="mb-1">街道履职评价看板</h3><p class="text-muted">Street Duty Scorecard · 登录 Log in</p>
{message}<form method="post" action="/login" id="login-form">
<input type="hidden" name="csrf_token" value="{token}"><input type="hidden" name="next" value="{next}">
<div class="mb-3"><label class="form-label" for="username">用户名 User name</label>
<input class="form-control" id="username" name="username" autocomplete="username" required autofocus></div>
<div class="mb-3"><label class="form-label" for="password">密码 Password</label>
<input class="form-control" id="password" name="password" type="password" autocomplete="current-password" required>
</div><button class="btn btn-primary w-100" type="submit" id="login-submit">登录 Log in</button></form>
</main></body></html>"""
MESSAGES = {
    "bad": "用户名或密码错误 / Wrong user name or password",
    "locked": "连续失败次数过多，账户已锁定 15 分钟 / Too many failed logins: locked for 15 minutes",
    "disabled": "账户已停用 / This account is disabled",
    "throttled": "本地址登录失败次数过多，请 15 分钟后再试 / Too many failed logins from here: try again in 15 minutes",
    "out": "已退出 / Logged out",
}


def _login_page(message: str = "", status: int = 200) -> flask.Response:
    note = f'<div class="alert alert-warning" id="login-message">{html.escape(MESSAGES.get(message, ""))}</div>'
    body = LOGIN_PAGE.format(
        message=note if message else "",
        token=html.escape(csrf_token()),
        next=html.escape(safe_next(flask.request.values.get("next"))),
    )
    return flask.Response(body, status, mimetype="text/html")


def _login() -> Any:
    auth = _auth()
    if flask.request.method == "GET":
        return _login_page(flask.request.args.get("msg", ""))
    name = flask.request.form.get("username", "").strip()[:80]
    user, outcome = auth.accounts.verify(name, flask.request.form.get("password", ""), _addr())
    auth.audit.record(name or "?", "login", "password", outcome, _addr())
    if user is None:
        return _login_page(outcome, 429 if outcome == "throttled" else 401)
    target = safe_next(flask.request.form.get("next"))
    flask.session.clear()  # a fresh session (and CSRF token) on login: no fixation
    flask_login.login_user(SessionUser(user))
    csrf_token()
    return flask.redirect(target)


def _logout() -> Any:
    auth = _auth()
    if auth is not None and flask_login.current_user.is_authenticated:
        user = flask_login.current_user.user
        auth.accounts.end_sessions(user.id)  # a copy of this cookie (or any other session of the account) ends too
        auth.audit.record(user.username, "logout", "session", "ok", _addr())
    flask_login.logout_user()
    flask.session.clear()
    return flask.redirect("/login?msg=out")


def account_bar() -> Any:
    """A slim bar naming the logged-in user with a logout button (nothing in single local user mode)."""
    from dash import dcc, html

    user = current_user()
    if user is None or user.id == 0:
        return html.Div(id="account-bar")
    scope = "全部 all" if user.all_districts else "、".join(user.districts)
    return html.Div(
        html.Form(
            [
                html.Span(f"{user.username} · {user.role} · {scope}", className="me-2", id="account-name"),
                html.A("管理 Admin", href="/admin", className="me-2", id="admin-link") if user.role == "admin" else "",
                dcc.Input(type="hidden", name="csrf_token", value=csrf_token(), id="logout-csrf"),
                html.Button("退出 Log out", type="submit", className="btn btn-sm btn-link p-0", id="logout-button"),
            ],
            method="post",
            action="/logout",
            className="d-flex justify-content-end align-items-center small px-3 py-1 mb-0",
        ),
        id="account-bar",
        className="bg-light border-bottom",
    )


def admin_auth() -> Auth | None:
    """The account and audit tables when this request's user is an admin (the local user is one), else None."""
    user = current_user()
    if user is None or user.role != "admin" or not flask.has_request_context():
        return None
    return _auth()
