"""What the README tests share: the README's commands and benchmark lines, running a command as the officer would,
and waiting for a server to answer."""

from __future__ import annotations

import re
import shlex
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SAMPLES = ROOT / "data" / "samples"
PASSWORD = "readme-口令-2026"
SERVERS = ("python -m dashboard", "gunicorn ")
TEST_COMMAND = "python -m pytest -n 2 --dist loadfile"  # what .ci/run runs: two workers, a file on one
INSTALLS = ("python -m pip install", "python3 -m venv", ". .venv/bin/activate", "python -m pytest")


def readme_commands() -> list[str]:
    """Each command of the README's bash blocks (lines split at &&, comments dropped), in order."""
    commands, inside = [], False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside = line.strip() == "```bash"
            continue
        if inside and line.strip():
            code = " ".join(shlex.split(line, comments=True))
            commands += [part.strip() for part in code.split("&&") if part.strip()]
    return commands


def bench_scripts() -> list[str]:
    """The `python bench/….py …` commands of the README's benchmark table."""
    return re.findall(r"`(python bench/[\w./-]+\.py[^`]*)`", README.read_text(encoding="utf-8"))


def run(command: str, cwd: Path, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    """One README command through bash (globs expand as they would for the officer)."""
    return subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        start_new_session=True,  # no terminal: getpass reads the password from standard input
    )


def answers(url: str, server: subprocess.Popen, deadline: float = 90.0) -> int:
    """The HTTP status of url once the server answers (polled until deadline seconds, or the server exits)."""
    until = time.monotonic() + deadline
    while time.monotonic() < until and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            time.sleep(0.2)
    return 0
