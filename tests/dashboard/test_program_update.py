"""A web worker whose program is updated on disk while it runs: it keeps serving what it has, starts no results
process (one would compute under the new program's key while this one waits for its own, again at every look)
and says on every page that it must be restarted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from builders import as_parsed_files, build_dataset

from dashboard import data as appdata
from dashboard.results_note import note
from loaders.store import Store
from metrics import results, results_peek

ROOT = Path(__file__).resolve().parents[2]


def test_an_updated_program_makes_the_worker_ask_for_a_restart_instead_of_computing(tmp_path, monkeypatch):
    files = as_parsed_files(build_dataset())
    late = next(f for f in files if f.name == "built_unlisted.xlsx")
    store = Store(f"sqlite:///{tmp_path / 'streets.sqlite'}")
    for parsed in files:
        if parsed is not late:
            store.ingest(parsed, user="test")
    data = appdata.AppData(store=store)
    data.refresh(wait=True)
    served = data.results.key
    assert not data.stale_program and not data.recomputing

    # The update: the metrics package on disk is another program than the one this process imported.
    copy = tmp_path / "metrics"
    shutil.copytree(ROOT / "metrics", copy, ignore=shutil.ignore_patterns("__pycache__"))
    with (copy / "score.py").open("a", encoding="utf-8") as f:
        f.write("\n# a line the update added\n")
    monkeypatch.setattr(results_peek, "_CODE_ROOTS", (copy, ROOT / "loaders" / "schema.py"))
    assert results.program_changed()

    store.ingest(late, user="test")  # new data: new results are wanted
    started = data.computing
    data.refresh()
    wanted = results.current_key(store)
    assert wanted != served and data.recomputing
    assert data.computing is started  # no results process was started for it
    assert results.run_state(store, wanted) is None  # nor was the key claimed, so another worker may take it
    assert data.stale_program and data.results.key == served  # the previous results stay served
    with pytest.raises(RuntimeError, match="restart"):  # a worker starting now fails at once, not after 30 min
        data.refresh(wait=True)

    app = __import__("flask").Flask(__name__)
    app.extensions[appdata.EXTENSION_KEY] = data
    with app.test_request_context("/"):
        assert "请重启看板" in str(note("zh")) and "Restart the dashboard" in str(note("en"))
    store.close()
