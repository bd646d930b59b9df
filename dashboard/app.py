"""The Dash app: create_app(db_url) for tests and `server` for gunicorn."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import dash
from dash import ALL, Dash, Input, Output, html

from dashboard import data as appdata
from dashboard import faults, results_note, unsubmitted
from dashboard.auth import web as authweb
from dashboard.auth.accounts import Accounts
from dashboard.auth.audit import AuditLog
from dashboard.constants import NAV, SHARED_KEYS, Id
from dashboard.i18n import t

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent

# Mirrors the page's view state into the URL without a reload (replaceState fires no event, so the
# pages router does not rebuild the page) and keeps the menu links carrying the shared filters.
URL_SYNC_JS = """
function(queries) {
    const q = (queries && queries.length) ? (queries[0] || {}) : {};
    const params = new URLSearchParams();
    Object.keys(q).sort().forEach(function(k) {
        let v = q[k];
        if (Array.isArray(v)) { v = v.join(","); }
        if (v === null || v === undefined || v === "") { return; }
        if (k === "lang" && v === "zh") { return; }
        params.set(k, v);
    });
    const s = params.toString();
    const search = s ? "?" + s : "";
    if (window.location.search !== search) {
        window.history.replaceState(window.history.state, "", window.location.pathname + search);
    }
    const keep = new URLSearchParams();
    SHARED.forEach(function(k) { if (params.has(k)) { keep.set(k, params.get(k)); } });
    const ks = keep.toString() ? "?" + keep.toString() : "";
    const other = new URLSearchParams(params);
    if (params.get("lang") === "en") { other.delete("lang"); } else { other.set("lang", "en"); }
    const os = other.toString() ? "?" + other.toString() : "";
    return PATHS.map(function(p) { return p + ks; }).concat([window.location.pathname + os]);
}
"""


def _url_sync_js() -> str:
    paths = "[" + ",".join(f'"{p}"' for _, p in NAV) + "]"
    keys = "[" + ",".join(f'"{k}"' for k in SHARED_KEYS) + "]"
    return (
        "function(queries){const PATHS=" + paths + ";const SHARED=" + keys + ";return (" + URL_SYNC_JS + ")(queries);}"
    )


def _register_shell_callbacks(app: Dash) -> None:
    app.clientside_callback(
        _url_sync_js(),
        [Output(f"{Id.NAV_PREFIX}{key}", "href") for key, _ in NAV] + [Output(Id.LANG_LINK, "href")],
        Input({"type": Id.QUERY, "page": ALL}, "data"),
    )


def _register_page_callbacks(app: Dash) -> None:
    # Dash executes the page files itself (as dashboard.pages.*); their callbacks are bound to this
    # app here rather than through dash.callback, so several apps can live in one process (tests).
    for page in dash.page_registry.values():
        module = sys.modules.get(page["module"])
        register = getattr(module, "register_callbacks", None)
        if register is not None:
            register(app)
    unsubmitted.register_callbacks(app)  # the 未报送 line of every page with a placeholder


def create_app(db_url: str | None = None, seed: bool | None = None) -> Dash:
    """A new app on the store at db_url; an empty default store is first filled with the sample data.

    seed None: seed only the default store, never one named by db_url or STREETS_DB (a mistyped path must
    stay empty, not fill with synthetic data).
    """
    store = appdata.open_store(db_url)
    if seed is None:
        seed = appdata.is_default_store(db_url)
    if seed and appdata.store_is_empty(store):
        with appdata.seeding_lock(store.url):  # gunicorn workers boot together: one seeds, the others wait
            if appdata.store_is_empty(store):
                n = appdata.seed_samples(store)
                log.info("empty store: ingested %d sample workbooks", n)
    data = appdata.AppData(store=store)
    data.wait_current()  # the store's results, computed first by one process if nobody has yet

    app = Dash(
        "dashboard",
        use_pages=True,
        pages_folder=str(HERE / "pages"),
        assets_folder=str(HERE / "assets"),
        external_stylesheets=[],
        suppress_callback_exceptions=True,
        title=t("app_title"),
        update_title=None,
        serve_locally=True,
    )
    # The page's language is set again by assets/a11y.js once the page knows it (?lang=en).
    app.index_string = app.index_string.replace("<html>", '<html lang="zh-CN">', 1)
    app.layout = lambda: html.Div(
        [authweb.account_bar(), _sample_banner(data), dash.page_container], className="app-root"
    )
    appdata.install(app.server, data)
    authweb.install(app.server, Accounts(store.engine), AuditLog(store.engine))
    faults.install(app.server)
    _register_shell_callbacks(app)
    _register_page_callbacks(app)
    results_note.wrap_page_layouts()
    return app


def _sample_banner(data: appdata.AppData) -> html.Div:
    """A band on every page while the store holds only the synthetic samples (empty otherwise)."""
    if not data.samples_only:
        return html.Div(id=Id.SAMPLE_BANNER, hidden=True)
    return html.Div(t("sample_banner"), id=Id.SAMPLE_BANNER, className="sample-banner", role="note")


def _lazy_default_app() -> Dash:
    return create_app()


def __getattr__(name: str):  # module-level lazy `app` / `server`, so importing tests create none
    if name in ("app", "server"):
        app = globals().get("_app") or _lazy_default_app()
        globals()["_app"] = app
        return app if name == "app" else app.server
    raise AttributeError(name)
