"""Every command the README shows runs, on the sample data, in tmp_path: a README example cannot drift from the CLI.

The install commands (pip, venv) and the test command itself are what `.ci/run` executes; the servers are
test_readme_servers.py's (a file of their own, so the two slow halves run on both test workers); the benchmark
scripts named in the README's table must exist and take their arguments (`--help`), since running them takes minutes.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from tests.readme.readme_tools import INSTALLS, README, ROOT, SERVERS, TEST_COMMAND, bench_scripts, readme_commands, run

pytestmark = pytest.mark.slow


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


@pytest.mark.parametrize("command", bench_scripts())
def test_the_benchmarks_the_readme_names_exist(command: str, env: dict[str, str]) -> None:
    script = command.split()[1]
    done = run(f"python {script} --help", ROOT, env)
    assert done.returncode == 0 and "usage" in done.stdout.lower(), done.stderr[-2000:]
