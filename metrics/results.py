"""Results computed once per data change and kept in the store, for every web worker, host and the CLI.

A run is keyed by the **results key**: a hash of which batches are active (Store.data_digest), the rules
file's bytes, the metrics code (every .py of metrics/ and loaders/schema.py) and RESULTS_FORMAT. Any new
list year, superseded report, rules edit or program update therefore gives a new key; nothing is ever
invalidated by hand. One process claims a key (a row in result_runs), computes the whole Evaluation from
one snapshot of the store, and writes every field of it (metrics.frames_codec), the tables pages read
beside it (SERVED_TABLES) and every period's rank bands; the others read them. The newest KEEP_RUNS
ready runs are kept, so a reader can show the previous results while the next ones are computed.
Payloads are read and decoded one at a time (`decoded`); a web worker leaves each period's order
probabilities (two streets × streets matrices) in the store and reads one period when asked (`stored_order`).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import socket
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from loaders.store_schema import result_frames, result_runs
from metrics.results_peek import EVALUATION_PREFIX, results_key
from metrics.results_peek import RESULTS_FORMAT as RESULTS_FORMAT  # the key is made there: no SQLAlchemy
from metrics.results_peek import code_digest as code_digest
from metrics.results_peek import program_changed as program_changed
from metrics.results_peek import rules_path as rules_path

if TYPE_CHECKING:
    import pandas as pd

    from loaders.schema import Dataset
    from loaders.store import Store
    from metrics.evaluation import Evaluation
    from metrics.pairwise import OrderProbabilities
    from metrics.uncertainty import PeriodResult

log = logging.getLogger(__name__)

KEEP_RUNS = 3  # ready runs kept: the current one, and older ones a reader may still show
STALE_CLAIM = timedelta(minutes=10)  # a claim not finished by then is taken over (its process died)
RETRY_FAILED = timedelta(minutes=1)  # a failed run is tried again after this, not at every poll
SERVED_TABLES = (
    "register",
    "unlisted",
    "list_items",
)  # stored tables the pages read beside the Evaluation (list_items: the templates)
DATASET_PREFIX = "dataset/"
BANDS_PREFIX = "bands/"
PEERS_PREFIX = "peers/"  # each period's city-wide peers (metrics.peers.nearest_peers, DEFAULT_K)
PEER_GAPS_PREFIX = "peer_gaps/"  # each street's gaps to those peers' medians (metrics.peers.peer_gaps)
WORKBOOKS_PREFIX = "workbooks/"  # each period's city ranking workbook (metrics.export.ranking) per language
# Read on demand, never by load(): a province's peers are ~25 k rows a period, a ranking workbook ~1 MB.
ON_DEMAND = (PEERS_PREFIX, PEER_GAPS_PREFIX, WORKBOOKS_PREFIX)
WORKBOOK_LANGS = ("zh", "en")


def current_key(store: Store, rules: str | os.PathLike | None = None) -> str:
    """The results key of what the store holds now."""
    return results_key(store.data_digest(), rules)


# ---- the Evaluation as named payloads (generic over its fields, so fields added later are kept too)


def evaluation_payloads(ev: Evaluation) -> dict[str, bytes]:
    """Every field of ev (but config, which the rules file gives, and derived `_` fields) as bytes."""
    import pandas as pd

    from metrics.frames_codec import encode_frame, encode_value

    out = {}
    for f in dataclasses.fields(ev):
        if f.name == "config" or f.name.startswith("_"):
            continue
        value = getattr(ev, f.name)
        encoded = encode_frame(value) if isinstance(value, pd.DataFrame) else encode_value(value)
        out[EVALUATION_PREFIX + f.name] = encoded
    return out


def evaluation_from(payloads: dict[str, Any], config: Any) -> Evaluation:
    """The Evaluation evaluation_payloads wrote (as bytes, or decoded already), its derived fields computed again."""
    from metrics.evaluation import Evaluation, derived_fields

    values = {
        name.removeprefix(EVALUATION_PREFIX): _decode(p) if isinstance(p, bytes | memoryview) else p
        for name, p in payloads.items()
    }
    wanted = {f.name for f in dataclasses.fields(Evaluation) if f.init and f.name != "config"}
    missing = {n for n in wanted if not n.startswith("_")} - set(values)
    if missing:
        raise KeyError(f"stored results lack {sorted(missing)}")
    kept = {k: v for k, v in values.items() if k in wanted}
    return Evaluation(config=config, **kept, **derived_fields(kept))


def _decode(payload: bytes) -> Any:
    from metrics.frames_codec import FRAME_MAGIC, decode_frame, decode_value

    return decode_frame(payload) if payload[:4] == FRAME_MAGIC else decode_value(payload)


# ---- runs in the store


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def run_state(store: Store, key: str) -> str | None:
    """computing / ready / failed, or None when nobody has claimed key."""
    with store.engine.connect() as conn:
        return conn.execute(sa.select(result_runs.c.state).where(result_runs.c.key == key)).scalar()


def run_error(store: Store, key: str) -> str | None:
    """Why key's computation failed (None when it did not)."""
    with store.engine.connect() as conn:
        return conn.execute(sa.select(result_runs.c.error).where(result_runs.c.key == key)).scalar()


def latest_ready(store: Store) -> str | None:
    """The key of the most recently finished ready run."""
    stmt = (
        sa.select(result_runs.c.key)
        .where(result_runs.c.state == "ready")
        .order_by(result_runs.c.batches.desc(), result_runs.c.finished_at.desc())
        .limit(1)
    )
    with store.engine.connect() as conn:
        return conn.execute(stmt).scalar()


def claim(store: Store, key: str, batches: int) -> bool:
    """Take key for this process to compute; False when another process has it (or it is ready)."""
    me = f"{socket.gethostname()}:{os.getpid()}"
    row = {"key": key, "state": "computing", "claimed_at": _now(), "batches": batches, "worker": me}
    try:
        with store.writing() as conn:
            conn.execute(result_runs.insert().values(**row))
        return True
    except sa.exc.IntegrityError:
        pass
    # Taken before: a failed run, or a claim whose process died, may be taken over (compare-and-set).
    retake = (
        result_runs.update()
        .where(
            result_runs.c.key == key,
            ((result_runs.c.state == "failed") & (result_runs.c.claimed_at < _now() - RETRY_FAILED))
            | ((result_runs.c.state == "computing") & (result_runs.c.claimed_at < _now() - STALE_CLAIM)),
        )
        .values(**{k: v for k, v in row.items() if k != "key"}, error=None)
    )
    with store.writing() as conn:
        return conn.execute(retake).rowcount == 1


def release(store: Store, key: str) -> None:
    """Give up a claim that was not computed (the data changed before the computation began)."""
    with store.writing() as conn:
        conn.execute(result_runs.delete().where(result_runs.c.key == key, result_runs.c.state == "computing"))


def _write(store: Store, key: str, payloads: dict[str, bytes], seconds: float) -> None:
    with store.writing() as conn:
        conn.execute(result_frames.delete().where(result_frames.c.key == key))  # a failed run's leftovers
        for name, payload in payloads.items():
            conn.execute(result_frames.insert().values(key=key, name=name, payload=payload))
        conn.execute(
            result_runs.update()
            .where(result_runs.c.key == key)
            .values(state="ready", finished_at=_now(), seconds=seconds, error=None)
        )
    _prune(store)


def _prune(store: Store) -> None:
    """Drop the frames of all but the newest KEEP_RUNS ready runs (and their run rows)."""
    with store.writing() as conn:
        ready = conn.execute(
            sa.select(result_runs.c.key)
            .where(result_runs.c.state == "ready")
            .order_by(result_runs.c.batches.desc(), result_runs.c.finished_at.desc())
        ).scalars()
        old = list(ready)[KEEP_RUNS:]
        if old:
            conn.execute(result_frames.delete().where(result_frames.c.key.in_(old)))
            conn.execute(result_runs.delete().where(result_runs.c.key.in_(old)))


def _fail(store: Store, key: str, error: str) -> None:
    with store.writing() as conn:
        conn.execute(result_runs.update().where(result_runs.c.key == key).values(state="failed", error=error[:2000]))


def payloads(store: Store, key: str, names: Iterable[str] | None = None) -> dict[str, bytes]:
    """The stored payloads of key (only those named, when names are given)."""
    stmt = sa.select(result_frames.c.name, result_frames.c.payload).where(result_frames.c.key == key)
    if names is not None:
        stmt = stmt.where(result_frames.c.name.in_(list(names)))
    with store.engine.connect() as conn:
        return {name: bytes(payload) for name, payload in conn.execute(stmt)}


# ---- computing and reading whole results


@dataclass(frozen=True, eq=False)
class Results:
    """One run's results: the Evaluation, the stored tables pages read, and each period's rank bands."""

    key: str
    evaluation: Evaluation | None  # None when the store holds no reports
    dataset: Dataset  # SERVED_TABLES filled, the other tables empty
    bands: dict[str, PeriodResult]


@dataclass(frozen=True)
class RunOutcome:
    """What compute() did: computed (and how long it took), found ready, or left to another process."""

    key: str
    state: str  # computed / ready / busy
    seconds: float = 0.0
    evaluation: Evaluation | None = field(default=None, compare=False, repr=False)  # when computed


def compute(
    store: Store, rules: str | os.PathLike | None = None, bands: bool = True, claimed: str | None = None
) -> RunOutcome:
    """Compute and store the results of the store's current data, unless they are ready or being computed.

    claimed: a key the caller claimed for this computation (a web worker claims before it starts the process);
    if the data changed since, that claim is given up and the current key claimed as usual.
    The run is marked ready as soon as the Evaluation is stored; the rank bands (a Monte Carlo per period,
    the larger part of the time) follow newest period first, each readable once written (keep_bands).
    """
    from metrics.config import load_config
    from metrics.evaluation import evaluate

    start = time.perf_counter()
    config = load_config(rules)  # a bad rules file fails here, before anything is claimed
    version, digest, ds = store.snapshot()
    key = results_key(digest, rules)
    if claimed is not None and claimed != key:
        release(store, claimed)
    if run_state(store, key) == "ready":  # also a key claimed for this process, computed meanwhile (--follow)
        return RunOutcome(key, "ready")
    if claimed != key and not claim(store, key, version):
        return RunOutcome(key, "busy")
    try:
        ev = None if ds.performance.empty else evaluate(ds, config)
        out = dict(evaluation_payloads(ev)) if ev is not None else {}
        _write(store, key, out | dataset_payloads(ds), time.perf_counter() - start)
    except BaseException as exc:
        _fail(store, key, f"{type(exc).__name__}: {exc}")
        raise
    seconds = time.perf_counter() - start
    if ev is not None and bands:
        keep_bands(store, key, ev)
    return RunOutcome(key, "computed", seconds, ev)


def keep_bands(store: Store, key: str, ev: Evaluation) -> None:
    """Compute and keep what follows key's Evaluation: every period's city-wide peers, then each period's rank
    bands and city ranking workbooks, newest period first."""
    from metrics.uncertainty import for_period

    keep_peers(store, key, ev)
    for period in reversed(ev.periods):
        result = for_period(ev, period)
        _add(store, key, _band_payloads(period, result))
        _add(store, key, workbook_payloads(ev, period, result.bands))


def keep_peers(store: Store, key: str, ev: Evaluation) -> None:
    """Compute and keep every period's city-wide peers of key's Evaluation (with the register kept beside it) and
    each street's gaps to them."""
    found = dict(decoded(store, key, [DATASET_PREFIX + "register"]))
    register = found.get(DATASET_PREFIX + "register")
    if register is None:
        return  # pruned meanwhile
    for period in reversed(ev.periods):
        _add(store, key, peer_payloads(ev, register, period))


def peer_payloads(ev: Evaluation, register: pd.DataFrame, period: str) -> dict[str, bytes]:
    """The period's city-wide peers (metrics.peers.nearest_peers, DEFAULT_K) and the gaps to them as payloads."""
    from metrics.frames_codec import encode_frame
    from metrics.peers import nearest_peers, peer_gaps

    peers = nearest_peers(ev, register, period)
    return {
        PEERS_PREFIX + period: encode_frame(peers),
        PEER_GAPS_PREFIX + period: encode_frame(peer_gaps(ev, peers, period)),
    }


def stored_peers(store: Store, key: str, period: str) -> pd.DataFrame | None:
    """The period's city-wide peers as kept with key's results, or None when not (yet) there."""
    found = payloads(store, key, [PEERS_PREFIX + period])
    return _decode(found[PEERS_PREFIX + period]) if found else None


def stored_peer_gaps(store: Store, key: str, period: str) -> pd.DataFrame | None:
    """The period's gaps to the city-wide peers as kept with key's results, or None when not (yet) there."""
    found = payloads(store, key, [PEER_GAPS_PREFIX + period])
    return _decode(found[PEER_GAPS_PREFIX + period]) if found else None


def workbook_payloads(ev: Evaluation, period: str, bands: pd.DataFrame) -> dict[str, bytes]:
    """The period's city ranking workbook (metrics.export.ranking with its rank bands) in every language."""
    from metrics.export import ranking

    return {_workbook_name(period, lang): ranking(ev, period, None, lang, bands=bands) for lang in WORKBOOK_LANGS}


def _workbook_name(period: str, lang: str) -> str:
    return f"{WORKBOOKS_PREFIX}{period}/ranking_{lang}.xlsx"


def stored_workbook(store: Store, key: str, period: str, lang: str) -> bytes | None:
    """The period's city ranking workbook in lang as kept with key's results, or None when not (yet) there."""
    return payloads(store, key, [_workbook_name(period, lang)]).get(_workbook_name(period, lang))


def _add(store: Store, key: str, more: dict[str, bytes]) -> None:
    """Add payloads to a ready run, all or none (nothing when it was pruned, or another process added them first)."""
    try:
        with store.writing() as conn:
            if conn.execute(sa.select(result_runs.c.state).where(result_runs.c.key == key)).scalar() != "ready":
                return
            conn.execute(result_frames.insert(), [{"key": key, "name": n, "payload": p} for n, p in more.items()])
    except sa.exc.IntegrityError:
        pass  # the same payloads (they are computed deterministically), committed by another process


def dataset_payloads(ds: Dataset) -> dict[str, bytes]:
    """The SERVED_TABLES of ds as payloads."""
    from metrics.frames_codec import encode_frame

    return {DATASET_PREFIX + name: encode_frame(ds.table(name)) for name in SERVED_TABLES}


def band_payloads(ev: Evaluation, period: str) -> dict[str, bytes]:
    """The period's rank bands and sensitivity (metrics.uncertainty.for_period) as payloads."""
    from metrics.uncertainty import for_period

    return _band_payloads(period, for_period(ev, period))


BAND_PARTS = ("bands", "sensitivity", "seconds")  # always kept; "order", "order_streets", "grades" when computed
# Read on demand, one period at a time (stored_order): a province's order probabilities are two
# streets × streets matrices a period (154 MB at 3,100 streets), so readers do not load every period's.
ORDER_PARTS = ("order", "order_streets")


def _band_payloads(period: str, result: PeriodResult) -> dict[str, bytes]:
    from metrics.frames_codec import encode_frame, encode_value

    out = {
        f"{BANDS_PREFIX}{period}/bands": encode_frame(result.bands),
        f"{BANDS_PREFIX}{period}/sensitivity": encode_frame(result.sensitivity),
        f"{BANDS_PREFIX}{period}/seconds": encode_value(result.seconds),
    }
    if result.order is not None:
        import pandas as pd

        op = result.order
        pairs = pd.DataFrame({"above": op.above.ravel(), "tie": op.tie.ravel()})
        out[f"{BANDS_PREFIX}{period}/order"] = encode_frame(pairs)
        out[f"{BANDS_PREFIX}{period}/order_streets"] = encode_frame(op.streets)
    if result.grades is not None:
        out[f"{BANDS_PREFIX}{period}/grades"] = encode_frame(result.grades)
    return out


def _period_result(period: str, parts: dict[str, Any]) -> PeriodResult:
    """A PeriodResult from its decoded parts (order probabilities and grade odds when they were kept)."""
    from metrics.pairwise import OrderProbabilities
    from metrics.uncertainty import PeriodResult

    order = None
    if "order" in parts and "order_streets" in parts:
        k = len(parts["order_streets"])
        above, tie = (parts["order"][c].to_numpy(dtype="float64").reshape(k, k) for c in ("above", "tie"))
        order = OrderProbabilities(period, parts["order_streets"], above, tie)
    return PeriodResult(parts["bands"], parts["sensitivity"], parts["seconds"], order, parts.get("grades"))


def add_bands(store: Store, key: str, period: str, result: PeriodResult) -> None:
    """Keep bands a reader computed itself with key's results, for the other readers."""
    _add(store, key, _band_payloads(period, result))


def stored_bands(store: Store, key: str, period: str, order: bool = True) -> PeriodResult | None:
    """The period's rank bands as stored with key's results, or None when not (yet) there (order: with the
    order probabilities, else without: stored_order reads them)."""

    prefix = f"{BANDS_PREFIX}{period}/"
    names = [prefix + part for part in (*BAND_PARTS, *(ORDER_PARTS if order else ()), "grades")]
    found = payloads(store, key, names)
    if any(prefix + part not in found for part in BAND_PARTS):
        return None
    return _period_result(period, {n.removeprefix(prefix): _decode(p) for n, p in found.items()})


def stored_order(store: Store, key: str, period: str) -> OrderProbabilities | None:
    """The period's order probabilities as stored with key's results (None when not kept)."""
    prefix = f"{BANDS_PREFIX}{period}/"
    try:
        parts = dict(decoded(store, key, [prefix + part for part in ORDER_PARTS]))
    except LookupError:  # pruned while being read: the reader serves newer results soon
        return None
    if len(parts) < len(ORDER_PARTS):
        return None
    empty = {"bands": None, "sensitivity": None, "seconds": 0.0}
    return _period_result(period, empty | {n.removeprefix(prefix): v for n, v in parts.items()}).order


def decoded(
    store: Store,
    key: str,
    names: Iterable[str] | None = None,
    skip: tuple[str, ...] = (),
    skip_prefixes: tuple[str, ...] = (),
) -> Iterator[tuple[str, Any]]:
    """(name, decoded value) of key's stored payloads, read and decoded one at a time.

    A worker reading a province's results never holds every payload's bytes beside the decoded frames: only
    one payload's bytes at a time (the items frame's ~100 MB), so its peak stays near the decoded size.
    """
    stmt = sa.select(result_frames.c.name).where(result_frames.c.key == key).order_by(result_frames.c.name)
    if names is not None:
        stmt = stmt.where(result_frames.c.name.in_(list(names)))
    with store.engine.connect() as conn:
        listed = [n for n in conn.execute(stmt).scalars() if not n.endswith(skip) and not n.startswith(skip_prefixes)]
    for name in listed:
        one = sa.select(result_frames.c.payload).where(result_frames.c.key == key, result_frames.c.name == name)
        with store.engine.connect() as conn:
            payload = conn.execute(one).scalar()
        if payload is None:
            raise LookupError(f"results {key[:12]} lost {name} while being read (pruned)")
        value = _decode(payload)
        del payload
        yield name, value


def load(store: Store, key: str, rules: str | os.PathLike | None = None, order: bool = True) -> Results | None:
    """The ready results of key, or None when they are not (yet) stored (order: False leaves each period's order
    probabilities in the store, for stored_order)."""
    from loaders.schema import Dataset
    from metrics.config import load_config

    if run_state(store, key) != "ready":
        return None
    try:
        skip = () if order else tuple(f"/{part}" for part in ORDER_PARTS)
        stored = dict(decoded(store, key, skip=skip, skip_prefixes=ON_DEMAND))
    except LookupError:
        return None  # pruned while being read: a newer run is ready, the caller looks again
    if not stored and run_state(store, key) != "ready":
        return None  # pruned between the two reads
    tables = {n.removeprefix(DATASET_PREFIX): v for n, v in stored.items() if n.startswith(DATASET_PREFIX)}
    evaluation_part = {n: v for n, v in stored.items() if n.startswith(EVALUATION_PREFIX)}
    ev = evaluation_from(evaluation_part, load_config(rules)) if evaluation_part else None
    bands: dict[str, dict[str, Any]] = {}
    for name, value in stored.items():
        if name.startswith(BANDS_PREFIX):
            period, part = name.removeprefix(BANDS_PREFIX).rsplit("/", 1)
            bands.setdefault(period, {})[part] = value
    done = {p: _period_result(p, b) for p, b in bands.items() if set(BAND_PARTS) <= set(b)}
    return Results(key, ev, Dataset(**tables), done)


def stored_fields(store: Store, key: str, names: Iterable[str]) -> dict[str, Any] | None:
    """Only the named Evaluation fields of key's ready results (None when not kept, or no Evaluation)."""
    wanted = {EVALUATION_PREFIX + n: n for n in names}
    if run_state(store, key) != "ready":
        return None
    found = payloads(store, key, wanted)
    if len(found) != len(wanted):
        return None
    return {wanted[name]: _decode(p) for name, p in found.items()}


def stored_scores(store: Store, key: str) -> pd.DataFrame | None:
    """Only the scores frame of key's ready results (what `python -m metrics score --db` prints)."""
    name = EVALUATION_PREFIX + "scores"
    if run_state(store, key) != "ready":
        return None
    found = payloads(store, key, [name])
    return _decode(found[name]) if name in found else None
