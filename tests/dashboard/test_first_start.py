"""The first command's promises: samples only in the default store, a banner while they are all it holds, and a
busy port reported before anything starts."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from builders import as_parsed_files, build_dataset
from dash import html

from dashboard import data as appdata
from dashboard.__main__ import port_problem
from dashboard.app import create_app
from dashboard.constants import Id
from loaders.store import Store

ROOT = Path(__file__).resolve().parents[2]


def banner_text(app) -> str:
    """The sample banner's text in the page shell ('' when hidden)."""
    with app.server.test_request_context("/"):
        shell = app.layout()
    banner = next(c for c in shell.children if isinstance(c, html.Div) and getattr(c, "id", None) == Id.SAMPLE_BANNER)
    return "" if getattr(banner, "hidden", False) else str(getattr(banner, "children", ""))


def test_a_store_named_by_db_or_streets_db_is_never_seeded(tmp_path: Path, monkeypatch) -> None:
    named = f"sqlite:///{tmp_path / 'typo.sqlite'}"
    create_app(named)
    assert appdata.store_is_empty(Store(named))
    monkeypatch.setenv("STREETS_DB", f"sqlite:///{tmp_path / 'env.sqlite'}")
    create_app()
    assert appdata.store_is_empty(Store(f"sqlite:///{tmp_path / 'env.sqlite'}"))
    assert appdata.is_default_store(None) is False
    monkeypatch.delenv("STREETS_DB")
    assert appdata.is_default_store(None) is True and appdata.is_default_store(named) is False


def test_every_page_says_synthetic_while_the_store_holds_only_samples(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'first.sqlite'}"
    app = create_app(url, seed=True)  # what the first start does with the default store
    assert "示例数据（合成）" in banner_text(app) and "synthetic sample data" in banner_text(app)
    store = Store(url)
    parsed = as_parsed_files(build_dataset())[-1]  # one report an officer loads
    assert store.ingest(parsed, user="wang").outcome == "ingested"
    app.server.extensions[appdata.EXTENSION_KEY].refresh()
    assert banner_text(app) == ""


def test_an_empty_store_shows_no_sample_banner(tmp_path: Path) -> None:
    assert banner_text(create_app(f"sqlite:///{tmp_path / 'empty.sqlite'}")) == ""


def test_a_busy_port_is_reported_before_anything_starts(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert "in use" in port_problem("127.0.0.1", port)
        db = tmp_path / "never.sqlite"
        run = subprocess.run(
            [sys.executable, "-m", "dashboard", "--port", str(port), "--db", f"sqlite:///{db}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert run.returncode == 2
    assert f"端口 {port} 已被占用" in run.stderr and "Traceback" not in run.stderr
    assert not db.exists()  # nothing was opened or created before the check


@pytest.mark.parametrize("host", ["no-such-host.invalid"])
def test_an_address_that_is_not_here_is_reported(host: str) -> None:
    assert "cannot resolve" in port_problem(host, 8050)
