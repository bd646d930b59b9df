"""Every command the README shows runs, on the sample data, in tmp_path: a README example cannot drift from the CLI.

The install commands (pip, venv) and the test command itself are what `.ci/run` executes; the servers (`python -m
dashboard`, gunicorn) are started on a free port and must answer a request; the benchmark scripts named in the
README's table must exist and take their arguments (`--help`), since running them takes minutes.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SAMPLES = ROOT / "data" / "samples"
PASSWORD = "readme-口令-2026"
SERVERS = ("python -m dashboard", "gunicorn ")
TEST_COMMAND = "python -m pytest -n 2 --dist loadfile"  # what .ci/run runs: two workers, a file on one
INSTALLS = ("python -m pip install", "python3 -m venv", ". .venv/bin/activate", "python -m pytest")

pytestmark = pytest.mark.slow


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


def test_the_readme_starts_with_the_two_commands() -> None:
    first, second = README.read_text(encoding="utf-8").split("```bash\n", 1)[1].splitlines()[:2]
    assert "pip install -r requirements.txt" in first and first.split("#")[0].rstrip().endswith("python -m dashboard")
    assert second.split("#")[0].strip() == f"python -m pip install -r requirements-dev.txt && {TEST_COMMAND}"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "venv --clear" in ci and "check_requirements.py" in ci and "python -m pytest" in README.read_text()


def test_every_everyday_command_of_the_readme_runs(workdir: Path, env: dict[str, str]) -> None:
    commands = [c for c in readme_commands() if not c.startswith(INSTALLS + SERVERS) and "gunicorn" not in c]
    commands = [c for c in commands if not c.startswith(("python -m dashboard users", "export "))]
    assert len(commands) >= 9, commands
    for command in commands:
        done = run(command, workdir, env)
        assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        out = re.search(r"--out (\S+)", command)
        if out and out.group(1) == "-":
            lines = done.stdout.splitlines()
            assert lines[0].startswith("district,street,period,overall") and len(lines) > 10, command
        elif out and out.group(1).endswith("/"):  # a folder of workbooks
            written = sorted((workdir / out.group(1)).glob("*.xlsx"))
            assert written and all(openpyxl.load_workbook(w, read_only=True).sheetnames for w in written), command
        elif out:
            written = workdir / out.group(1)
            assert written.stat().st_size > 0, command
            assert openpyxl.load_workbook(written, read_only=True).sheetnames, command
        elif command.startswith("python -m loaders ingest"):
            assert "✘" not in done.stdout, done.stdout[-2000:]


def test_the_serving_commands_of_the_readme_answer(workdir: Path, env: dict[str, str], serve) -> None:
    for command in (c for c in readme_commands() if c.startswith("python -m dashboard users")):
        done = run(command, workdir, env, stdin=f"{PASSWORD}\n{PASSWORD}\n")
        assert done.returncode == 0, f"{command}\n{done.stderr[-2000:]}"
    # The first command serves the default store (no STREETS_DB), seeding it with the samples when it is empty.
    first = next(c for c in readme_commands() if c == "python -m dashboard")
    port = free_port()
    default_env = {k: v for k, v in env.items() if k != "STREETS_DB"}
    server = serve(f"{first} --port {port}", default_env)
    assert answers(f"http://127.0.0.1:{port}/", server) == 200, server.stdout and server.stdout.read()
    # The session secret its workers share: the README's line, with the file in this test's folder.
    make = next(c for c in readme_commands() if c.startswith("python -m dashboard secret"))
    secret_file = str(workdir / "session_secret")
    done = run(re.sub(r" /\S+", f" {secret_file}", make), workdir, env)
    assert done.returncode == 0, done.stderr[-2000:]
    exported = [c for c in readme_commands() if c.startswith("export ")]
    assert exported == [f"export STREETS_SECRET_FILE={make.split()[-1]}"], exported
    # The shared server: the README's gunicorn line on this test's store (with the accounts added above).
    line = next(c for c in readme_commands() if "gunicorn" in c)
    port = free_port()
    command = re.sub(r"-b \S+", f"-b 127.0.0.1:{port}", line.split("gunicorn", 1)[1])
    assigned = dict(re.findall(r"(\w+)=(\S+)", line.split("gunicorn", 1)[0]))
    assigned |= {"STREETS_DB": env["STREETS_DB"], "STREETS_SECRET_FILE": secret_file}
    server = serve(f"{sys.executable} -m gunicorn {command}", {**env, **assigned})
    assert answers(f"http://127.0.0.1:{port}/login", server) == 200, server.stdout and server.stdout.read()


@pytest.mark.parametrize("command", bench_scripts())
def test_the_benchmarks_the_readme_names_exist(command: str, env: dict[str, str]) -> None:
    script = command.split()[1]
    done = run(f"python {script} --help", ROOT, env)
    assert done.returncode == 0 and "usage" in done.stdout.lower(), done.stderr[-2000:]
