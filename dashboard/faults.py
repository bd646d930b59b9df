"""Faults of the machine, not of the request (a full disk), answered with a clean bilingual page."""

from __future__ import annotations

import logging

import flask

from loaders.diskfull import is_disk_full, message

log = logging.getLogger(__name__)
PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>街道履职评价看板</title>
<link rel="stylesheet" href="/assets/bootstrap.min.css"></head><body class="bg-light">
<main class="container" style="max-width:640px;margin-top:10vh"><div class="alert alert-danger" id="fault">
{text}<br>请通知管理员；已有数据未受影响。/ Please tell the administrator; stored data are unchanged.</div>
<a href="/">返回首页 Back to the start page</a></main></body></html>"""


def _answer(exc: Exception):
    if not is_disk_full(exc):
        raise exc
    log.error("disk full while serving %s: %s", flask.request.path, exc)
    if flask.request.path.startswith("/_dash"):
        return flask.Response(message() + "\n", 507, mimetype="text/plain")
    return flask.Response(PAGE.format(text=message()), 507, mimetype="text/html")


def install(server: flask.Flask) -> None:
    """A full disk anywhere in a request gives 507 with a clean message instead of a bare 500."""
    server.register_error_handler(OSError, _answer)
    try:
        from sqlalchemy.exc import OperationalError
    except ImportError:  # pragma: no cover - the store always brings SQLAlchemy
        return
    server.register_error_handler(OperationalError, _answer)
