"""The README tests' fixtures: a work folder with the samples where the README expects them, its environment, and
servers started for a test and stopped after it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.readme.readme_tools import ROOT, SAMPLES


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the samples where the README expects officers' files (报表/) and the repo's (data/samples/)."""
    work = tmp_path_factory.mktemp("readme")
    shutil.copytree(SAMPLES, work / "报表")
    shutil.copytree(SAMPLES, work / "data" / "samples")
    return work


@pytest.fixture(scope="module")
def env(workdir: Path) -> dict[str, str]:
    """The commands' environment: this Python first on PATH, the repo importable, a store of their own."""
    out = {k: v for k, v in os.environ.items() if k not in ("STREETS_DB", "STREETS_RULES")}
    out["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{out.get('PATH', '')}"
    out["PYTHONPATH"] = str(ROOT)
    out["STREETS_DB"] = f"sqlite:///{workdir / 'streets.sqlite'}"
    return out


@pytest.fixture
def serve(workdir: Path) -> Iterator:
    """Start a server command in an environment; stopped at the end of the test."""
    started: list[subprocess.Popen] = []

    def start(command: str, environment: dict[str, str]) -> subprocess.Popen:
        proc = subprocess.Popen(
            ["bash", "-c", f"exec {command}"],
            cwd=workdir,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
