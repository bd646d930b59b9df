"""A small generated city (bench/citygen.py, 2 districts) stored by the fast ingest path (reading workers,
prepared tables streamed into the store) holds exactly what the plain path stores: every file read in this
process as frames (`read_files`, as `check` and `metrics score` read), then stored file by file."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from loaders import read_files
from loaders.ingest import ingest_paths
from loaders.resolve import ingest_order
from loaders.store import Store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    spec = importlib.util.spec_from_file_location("citygen", ROOT / "bench" / "citygen.py")
    citygen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(citygen)
    return citygen.generate(tmp_path_factory.mktemp("city"), seed=11, n_districts=2, workers=1)


def _log(store: Store) -> list[tuple]:
    """The ingest log without ids and times, findings parsed."""
    cols = ["file_name", "sha256", "outcome", "rows_read", "rows_used", "rows_skipped", "n_errors", "n_warnings"]
    hist = store.history().sort_values("id")
    return [
        (*(row[c] for c in cols), json.loads(row["findings"]), json.loads(row["summary"])) for _, row in hist.iterrows()
    ]


def test_fast_ingest_stores_what_the_plain_path_stores(city: list[Path], tmp_path: Path) -> None:
    # Two workers (the pool path) with a register, lists and reports; a report given twice is a duplicate.
    files = [*city, city[-1]]
    with Store(f"sqlite:///{tmp_path / 'fast.sqlite'}") as fast:
        outcomes = ingest_paths(fast, files, user="u", workers=2)
        assert [o.outcome for o in outcomes] == ["ingested"] * len(city) + ["duplicate"]
        fast_state = (fast.fingerprint(), _log(fast))
    result = read_files(files, workers=1)
    with Store(f"sqlite:///{tmp_path / 'plain.sqlite'}") as plain:
        for i in ingest_order(result.files):
            plain.ingest(result.files[i], "u")
        plain_state = (plain.fingerprint(), _log(plain))
    assert fast_state[0] == plain_state[0]
    assert sorted(fast_state[1], key=repr) == sorted(plain_state[1], key=repr)
    assert sum(entry[4] for entry in fast_state[1]) > 5_000  # rows used: the city's reports were stored


def test_the_ingest_path_imports_neither_pandas_nor_numpy(city: list[Path], tmp_path: Path) -> None:
    # In a fresh process (this one has imported both): reading (in-process, as a worker reads) and storing every
    # sheet kind of the city, 执法情况's whole-number counts included, needs neither (importing them costs ~0.4 s).
    import subprocess
    import sys

    script = (
        "import sys; from loaders.ingest import ingest_paths; from loaders.store import Store\n"
        "from loaders.store_peek import peek_register\n"  # as `python -m loaders ingest` reads the register
        "store = Store(sys.argv[1])\n"
        "out = ingest_paths(store, sys.argv[2:], user='u', workers=1, register=peek_register(sys.argv[1]))\n"
        "assert all(o.outcome == 'ingested' for o in out), [o.outcome for o in out]\n"
        "print(sorted(m for m in ('pandas', 'numpy') if m in sys.modules))"
    )
    url = f"sqlite:///{tmp_path / 'bare.sqlite'}"
    command = [sys.executable, "-c", script, url, *map(str, city)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
