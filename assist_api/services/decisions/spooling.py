"""The decision log the app uses: write through, spool when the store is unreachable.

A decision is the evidence the ROI stands on, so an unreachable database must neither
fail the agent's request nor lose the decision. When the write fails because the store
is down, locked or timed out (or a concurrent answer took the interaction's next
sequence number), the decision and its interaction snapshot go to the local spool,
fsync'd before the answer leaves, and the answer says `"degraded":
["decision_log_spooled"]`. After a failure the store is left alone for
RETRY_STORE_SECONDS, so a dead database costs each request one append, not a timeout.
A drain thread in each worker replays the spool every DRAIN_SECONDS once the store
answers; it starts on the first spooled decision, or at start-up if files are waiting.
"""

import logging
import os
import threading
import time

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from assist_api.errors import NotReady
from assist_api.services.decisions.drain import DrainReport, drain, store_unreachable
from assist_api.services.decisions.log import DecisionLog, LoggedDecision
from assist_api.services.decisions.spool import Spool
from assist_api.store.store import Store

log = logging.getLogger(__name__)

SPOOLED = "decision_log_spooled"
DRAIN_SECONDS = 2.0
RETRY_STORE_SECONDS = 1.0


class SpoolingDecisionLog:
    def __init__(self, decision_log: DecisionLog, spool: Spool, store: Store):
        self.spool = spool
        self._log = decision_log
        self._store = store
        self._retry_store_at = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._thread_pid: int | None = None
        self._thread_lock = threading.Lock()

    def write(self, decision: dict, snapshot: dict, access: dict | None = None) -> LoggedDecision:
        """DecisionLog.write, or spool the decision (no sequence yet) when it cannot.

        The spooled copy carries SPOOLED in its `degraded` list, so the stored row says
        how it arrived; the caller adds it to the answer when `spooled` is true.
        """
        if time.monotonic() >= self._retry_store_at:
            try:
                return self._log.write(decision, snapshot, access)
            except IntegrityError:
                # another worker took the interaction's next sequence number at the same
                # moment: the drain gives this one the number after it
                log.info("decision %s raced for its sequence: spooling", decision["decision_id"])
            except SQLAlchemyError as exc:
                if not store_unreachable(exc):
                    raise  # a bug, not an outage: spooling would only postpone it
                log.warning("decision log unavailable (%s): spooling", type(exc).__name__)
                self._retry_store_at = time.monotonic() + RETRY_STORE_SECONDS
        spooled = {
            **decision,
            "sequence": None,
            "top_card_changed": False,
            "degraded": [*decision["degraded"], SPOOLED],
        }
        try:
            self.spool.append({"decision": spooled, "snapshot": snapshot, "access": access})
        except OSError as exc:
            log.error("decision %s could not be spooled: %s", decision["decision_id"], exc)
            raise NotReady("the decision could not be stored or spooled; retry") from exc
        self.start_draining()
        return LoggedDecision(sequence=None, top_card_changed=False, spooled=True)

    def drain_now(self) -> DrainReport:
        return drain(self.spool, self._store)

    def start_draining(self, interval: float = DRAIN_SECONDS) -> bool:
        """Start this worker's drain thread unless it runs already; True if started."""
        with self._thread_lock:
            alive = self._thread is not None and self._thread.is_alive()
            if alive and self._thread_pid == os.getpid():
                return False
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._drain_loop, args=(interval,), name="spool-drain", daemon=True
            )
            self._thread_pid = os.getpid()
            self._thread.start()
        return True

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)

    def _drain_loop(self, interval: float) -> None:
        while not self._stop.wait(interval):
            try:
                report = self.drain_now()
            except Exception:  # the drain handles store errors; this guards the thread
                log.exception("spool drain: unexpected error")
                continue
            if report.replayed:
                log.info("spool drain: %d decisions written to the store", report.replayed)
