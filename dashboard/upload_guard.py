"""Uploads are read in a child process with memory and time limits, so no workbook can take a worker down."""

from __future__ import annotations

import logging
import os
import pickle
import resource
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from loaders.findings import Finding, ParsedFile

log = logging.getLogger(__name__)

# A 20 MB workbook of real reports reads in well under 1 GiB of address space (python + pandas + calamine
# mapped, ~0.6 GiB, measured); one cell at XFD1048576 asks the reader for 512 GiB.
MEMORY_BYTES = int(os.environ.get("STREETS_UPLOAD_MEMORY_MB", "1536")) * 2**20
SECONDS = float(os.environ.get("STREETS_UPLOAD_SECONDS", "60"))
ROOT = Path(__file__).resolve().parent.parent


class LimitExceeded(RuntimeError):
    """The child ran out of memory or time, or died: what happened, in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def _child() -> None:
    """The child's side: limits first, then the pickled call from stdin, its pickled outcome to stdout."""
    out = sys.stdout.buffer
    memory, seconds = int(sys.argv[1]), float(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    try:
        fn, args = pickle.loads(sys.stdin.buffer.read())
        answer = ("ok", fn(*args))
    except MemoryError:
        answer = ("memory", None)
    except BaseException as exc:  # any reader failure becomes a refusal, never a dead worker
        answer = ("error", f"{type(exc).__name__}: {exc}"[:300])
    try:
        data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps(("memory", None))
    out.write(data)
    out.flush()


def run_limited(fn: Callable, args: tuple = (), memory: int | None = None, seconds: float | None = None) -> Any:
    """fn(*args) in a fresh child process limited to memory bytes of address space and seconds of time.

    fn must be importable by name (a module-level function); LimitExceeded when the child breaks a limit,
    raises, or dies. A new interpreter rather than a fork: forking a threaded web worker can inherit held locks.
    """
    memory, seconds = memory or MEMORY_BYTES, seconds or SECONDS
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    cmd = [sys.executable, "-m", "dashboard.upload_guard", str(memory), str(seconds)]
    try:
        done = subprocess.run(
            cmd, input=pickle.dumps((fn, args)), capture_output=True, timeout=seconds, env=env, check=False
        )
    except subprocess.TimeoutExpired as exc:  # run() has killed the child
        raise LimitExceeded(f"读取超过 {seconds:.0f} 秒", f"reading took longer than {seconds:.0f} s") from exc
    try:
        kind, value = pickle.loads(done.stdout)
    except Exception as exc:  # the child died without answering (killed, aborted, out of memory)
        log.warning("reading child ended with %s: %s", done.returncode, done.stderr[-500:])
        died = ("读取进程异常终止（可能内存不足）", "the reading process died (likely out of memory)")
        raise LimitExceeded(*died) from exc
    if kind == "memory":
        raise LimitExceeded(f"读取所需内存超过 {memory // 2**20} MB", f"reading needs more than {memory // 2**20} MB")
    if kind == "error":
        raise LimitExceeded(f"读取失败：{value}", f"reading failed: {value}")
    return value


def _read(paths: list[str], register: Any, lists: Any = None) -> list[ParsedFile]:
    from loaders import read_files

    # One process: the limits above hold for the whole child, so no reader pool inside it.
    return read_files(paths, register=register, workers=1, lists=lists).files


def refused(path: str, problem: LimitExceeded) -> ParsedFile:
    """A ParsedFile of path refused with the bilingual reason of problem."""
    name = Path(path).name
    parsed = ParsedFile(path=str(path), name=name, sha256="")
    parsed.findings.append(
        Finding(
            "error",
            "read_limits",
            f"文件无法在限定的内存和时间内读取，已拒绝：{problem.zh}",
            f"the file cannot be read within the memory and time limits, refused: {problem.en}",
            name,
        )
    )
    return parsed


def scoped_register(register: Any, districts: frozenset[str] | None) -> Any:
    """The register rows of districts (None: all): an officer's upload is resolved against their own streets
    only, so a refusal can never say which other district a guessed street belongs to."""
    if districts is None or register is None or getattr(register, "empty", True):
        return register
    mask = register["district"].astype("string").isin(list(districts)).to_numpy(dtype=bool, na_value=False)
    return register.loc[mask].reset_index(drop=True)


def read_isolated(paths: Sequence[str], register: Any, lists: Any = None) -> list[ParsedFile]:
    """Read the uploads in one limited child process (reports checked against the stored duty lists); when it
    fails, each file alone, refusing those that fail."""
    paths = [str(p) for p in paths]
    try:
        # Together first: a register among the uploads resolves the other files' street names.
        return run_limited(_read, (paths, register, lists))
    except LimitExceeded as exc:
        if len(paths) == 1:
            log.warning("upload %s refused: %s", Path(paths[0]).name, exc.en)
            return [refused(paths[0], exc)]
    out = []
    for path in paths:
        try:
            out.extend(run_limited(_read, ([path], register, lists)))
        except LimitExceeded as exc:
            log.warning("upload %s refused: %s", Path(path).name, exc.en)
            out.append(refused(path, exc))
    return out


if __name__ == "__main__":
    _child()
