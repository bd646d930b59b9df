"""The README's serving commands answer: `python -m dashboard` on the default store (seeded with the samples when
empty), the accounts and session secret it names, and its gunicorn line on a store of the test's own."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.ports import free_port
from tests.readme.readme_tools import PASSWORD, answers, readme_commands, run

pytestmark = pytest.mark.slow


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
