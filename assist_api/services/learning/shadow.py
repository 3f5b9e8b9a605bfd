"""Shadow challengers: each worker also scores a challenger on every decision, off the
answer's path, and logs the card it would have put first.

Budget on the request: after the decision is logged (the answer is already complete and
nothing in it depends on the shadow), `submit` puts one small tuple on a bounded queue —
no scoring, no I/O. A per-worker daemon thread takes the jobs, scores the challenger on
the decision's own feature matrix (the champion's features: the row `decisions.inputs`
keeps and `evaluate-policy` re-scores), picks its greedy top card over the decision's
eligible cards (learning.evaluation.greedy, the policy evaluate-policy values), and
writes the rows in batches: what queues within FLUSH_SECONDS of a first job is scored in
one burst and written in one transaction (measured: writing each row as it came added
0.5 ms to the served p50, by contending with the next request for SQLite's write lock
and the GIL). A full queue drops the job (`dropped`): a shadow may miss decisions, never
slow one down. A worker's exit writes what is queued (`close`, registered with atexit;
without it the last second of rows was lost). Holdout decisions and decisions without
eligible cards are not shadowed.

The setting lives in the store (`models shadow`); the thread re-reads it through a
RefreshGate (the per-worker cache pattern) and loads a new version there, never in a
request (the app reads it once when a worker starts, as it loads the champion).
"""

import atexit
import logging
import os
import queue
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from assist_api.services.clock import RefreshGate
from assist_api.services.learning.evaluation import greedy
from assist_api.services.learning.shadow_store import shadow_version, write_shadow_rows
from assist_api.store.store import Store
from features.vocabulary import ACTIVITIES
from models.loaded import LoadedModel

log = logging.getLogger(__name__)

MAX_QUEUE = 10_000
MAX_BATCH = 500
FLUSH_SECONDS = 1.0  # a shadow row reaches the store within about this (plus scoring)


def greedy_top(eligible: list, probabilities: np.ndarray) -> str:
    """The card id the greedy top-card policy puts first. `eligible`: [[id, weight, p], ...]."""
    pick = greedy([(c, w) for c, w, *_ in eligible], probabilities)
    return eligible[int(np.argmax(pick))][0]


def shadow_row(job: tuple, version: str, scores: np.ndarray) -> dict:
    """The shadow_decisions row of one queued decision, given the challenger's scores."""
    decision_id, interaction_id, created_at, champion_version, champion_scores, eligible = job[:6]
    champion = np.array([champion_scores[a] for a in ACTIVITIES]) if champion_scores else None
    return {
        "decision_id": decision_id,
        "interaction_id": interaction_id,
        "created_at": created_at,
        "challenger_version": version,
        "champion_version": champion_version,
        "top_card_id": greedy_top(eligible, scores),
        "champion_top_card_id": greedy_top(eligible, champion) if champion is not None else None,
        "activity_scores": dict(zip(ACTIVITIES, (round(float(s), 6) for s in scores), strict=True)),
        "test": job[6],
    }


class ShadowScorer:
    """`submit(decision, matrix)` from the pipeline; everything else runs in its thread."""

    def __init__(
        self,
        store: Store,
        model_name: str,
        load: Callable[[str], LoadedModel],
        refresh_seconds: float,
        max_queue: int = MAX_QUEUE,
        flush_seconds: float = FLUSH_SECONDS,
    ):
        self._store, self._name, self._load = store, model_name, load
        self._seconds = refresh_seconds
        self._gate = RefreshGate(self.refresh, refresh_seconds)
        self._max_queue = max_queue
        self._queue: queue.Queue = queue.Queue(max_queue)
        self._start_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._wake = max(0.05, min(refresh_seconds, 5.0))
        self._flush_seconds = flush_seconds
        self._closing = False
        self.model: LoadedModel | None = None  # the loaded challenger (None: off)
        self.version: str | None = None  # what the setting said at the last refresh
        self.dropped = self.written = 0
        self.last_error: str | None = None

    def submit(self, decision: dict, matrix: np.ndarray) -> None:
        """Queue a logged decision for the challenger: never blocks, never raises."""
        if self._pid != os.getpid():
            self._start()
        if self.model is None or decision["holdout"]:
            return
        eligible = (decision.get("policy") or {}).get("eligible")
        if not eligible:
            return
        job = (
            decision["decision_id"],
            decision["interaction_id"],
            decision["created_at"],
            decision["model_version"],
            decision["activity_scores"],
            eligible,
            bool(decision.get("test")),
            matrix,
        )
        try:
            self._queue.put_nowait(job)
        except queue.Full:
            self.dropped += 1

    def refresh(self) -> bool:
        """Re-read the setting; load the challenger when its version changed."""
        try:
            version = shadow_version(self._store, self._name)
        except Exception as exc:  # the store is down: keep what we have
            self.last_error = f"{type(exc).__name__}: {exc}"
            return self.model is not None
        if version == self.version:
            return True
        model = None
        if version is not None:
            try:
                model = self._load(version)
                self.last_error = None
            except Exception as exc:  # shadow nothing now; the next refresh tries again
                self.model = None
                self.last_error = f"version {version}: {type(exc).__name__}: {exc}"
                log.warning("shadow challenger not loaded: %s", self.last_error)
                return True
        self.model, self.version = model, version
        return True

    def drain(self) -> None:
        """Wait until every queued decision is scored and written (tests)."""
        self._queue.join()

    def close(self, timeout: float = 2.0) -> None:
        """Write what is queued now, waiting up to `timeout` (a worker's exit, via atexit):
        the thread stops waiting out its batch interval."""
        if self._pid != os.getpid() or self._thread is None or not self._thread.is_alive():
            return
        self._closing = True
        try:
            self._queue.put_nowait(None)  # wakes the thread's wait
        except queue.Full:
            pass
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)

    def status(self) -> dict:
        return {
            "version": self.version,
            "loaded": self.model is not None,
            "queued": self._queue.qsize(),
            "written": self.written,
            "dropped": self.dropped,
            "last_error": self.last_error,
        }

    def _start(self) -> None:
        with self._start_lock:
            if self._pid == os.getpid():
                return
            if self._pid is not None:  # forked from a process whose thread ran: fresh locks
                self._queue = queue.Queue(self._max_queue)
                self._gate = RefreshGate(self.refresh, self._seconds)
            thread = threading.Thread(target=self._run, name="shadow-challenger", daemon=True)
            self._thread, self._pid = thread, os.getpid()
            thread.start()
            atexit.register(self.close)

    def _run(self) -> None:
        while True:
            jobs = self._collect()
            try:
                self._gate()
                self._write(jobs)
            except Exception:  # guards the thread's life; the rows of this batch are lost
                log.exception("shadow challenger: batch of %d lost", len(jobs))
            finally:
                for _ in jobs:
                    self._queue.task_done()

    def _collect(self) -> list:
        """The jobs queued within `flush_seconds` of the first one (none after a quiet
        `_wake`): one burst of scoring and one transaction per interval, not per request."""
        try:
            jobs = [self._queue.get(timeout=self._wake)]
        except queue.Empty:
            return []
        deadline = time.monotonic() + self._flush_seconds
        while len(jobs) < MAX_BATCH and jobs[-1] is not None and not self._closing:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                jobs.append(self._queue.get(timeout=remaining))
            except queue.Empty:
                break
        while self._closing and len(jobs) < MAX_BATCH:  # closing: take the rest, no waiting
            try:
                jobs.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return jobs  # may hold close()'s None: _write skips it, task_done counts it

    def _write(self, jobs: list) -> None:
        model = self.model  # read once: a refresh may swap it
        jobs = [job for job in jobs if job is not None]
        if model is None or not jobs:
            return
        scores = model.score(np.vstack([job[7] for job in jobs]))
        rows = [
            shadow_row(job, model.version, scores[k * len(ACTIVITIES) : (k + 1) * len(ACTIVITIES)])
            for k, job in enumerate(jobs)
        ]
        write_shadow_rows(self._store, rows)
        self.written += len(rows)


def registry_loader(settings) -> Callable[[str], LoadedModel]:
    """version -> LoadedModel from the worker's disk cache, else the registry (the cache's
    `current` pointer is the champion's and is left alone)."""
    from models import model_cache, registry
    from models.loaded import load_model

    def load(version: str) -> LoadedModel:
        client = registry.connect(settings.mlflow_tracking_uri, settings.outbound_timeout_seconds)
        info = registry.version_info(client, settings.model_name, version)
        facts = dict(name=info.name, version=info.version, run_id=info.run_id, metrics=info.metrics)
        folder = model_cache.version_dir(settings.model_cache_dir, info.name, info.version)
        if model_cache.is_complete(folder):
            return load_model(folder, **facts)
        with tempfile.TemporaryDirectory(prefix="value-assist-shadow-") as scratch:
            return load_model(registry.download_fast_path(client, info, Path(scratch)), **facts)

    return load
