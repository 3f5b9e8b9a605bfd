"""A durable local spool for decisions the database could not take, and its drain.

A decision is the evidence the ROI stands on, so an unreachable database must neither
fail the agent's request nor lose the decision. `SpoolingDecisionLog` wraps the
DecisionLog: when the write fails with a store error the decision and its interaction
snapshot are appended to a JSON-lines file under the spool folder (fsync'd before the
answer goes out), and the answer says `"degraded": ["decision_log_spooled"]`. A drain
thread in each worker replays spooled rows once the database answers again.

Files and locks (several gunicorn workers share one folder):
- each worker appends to `decisions-<pid>.jsonl`, opening it per append and holding an
  exclusive flock while writing, so a drainer never sees half a line;
- a drainer claims an active file under that lock by renaming it `claimed-<uuid>.jsonl`
  (later appends create a fresh active file), then replays it holding the claimed
  file's lock, so two workers never drain the same file; a drainer killed mid-way
  releases its lock and the next drain starts the file over;
- replay is idempotent: `decision_id` is the primary key (insert only if absent) and a
  snapshot replaces the stored one only if it is not older. A spooled decision gets
  its `sequence` when it is replayed, after any decisions written directly meanwhile.
"""

import fcntl
import json
import logging
import os
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from assist_api.errors import NotReady
from assist_api.services.decision_log import (
    INSERT_DECISION,
    PREVIOUS_DECISION,
    SNAPSHOT_UPDATED_COLUMNS,
    DecisionLog,
    record_impressions,
)
from assist_api.store.store import Store
from assist_api.store.tables import Decision, Interaction

log = logging.getLogger(__name__)

SPOOLED = "decision_log_spooled"
ACTIVE_PREFIX = "decisions-"
CLAIMED_PREFIX = "claimed-"
SUFFIX = ".jsonl"
REJECTED_FILE = "rejected.txt"  # lines that could not be read (a write cut by a crash)
DRAIN_SECONDS = 2.0
RETRY_STORE_SECONDS = 1.0  # after a failed write, spool directly for this long
DATETIME_FIELDS = {"decision": ("created_at",), "snapshot": ("started_at", "updated_at")}


class Spool:
    """Append-only JSON-lines files in `folder`, safe across threads and processes."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._lock = threading.Lock()

    def append(self, entry: dict) -> None:
        """Write one entry durably (fsync'd) before returning."""
        line = (json.dumps(entry, default=_encode, ensure_ascii=False) + "\n").encode("utf-8")
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._lock:
            while not self._append_once(line):
                pass  # the file was claimed between open and lock: write to a fresh one

    def _append_once(self, line: bytes) -> bool:
        path = self.folder / f"{ACTIVE_PREFIX}{os.getpid()}{SUFFIX}"
        created = not path.exists()
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if not _same_file(fd, path):
                return False
            view = memoryview(line)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            _fsync_dir(self.folder)
        return True

    def files(self) -> list[Path]:
        """Spool files not yet drained (claimed ones first: they are the oldest)."""
        if not self.folder.is_dir():
            return []
        claimed = sorted(self.folder.glob(f"{CLAIMED_PREFIX}*{SUFFIX}"))
        return claimed + sorted(self.folder.glob(f"{ACTIVE_PREFIX}*{SUFFIX}"))


@dataclass
class DrainReport:
    replayed: int = 0  # decisions written to the store
    already_stored: int = 0  # replayed before (a drain cut short), skipped
    rejected_lines: int = 0
    files_done: int = 0
    files_left: int = 0
    error: str | None = None  # the store error that stopped the drain


def drain(spool: Spool, store: Store) -> DrainReport:
    """Replay every spooled decision the store does not hold; delete each finished file."""
    report = DrainReport()
    for path in spool.files():
        if path.name.startswith(ACTIVE_PREFIX):
            path = _claim(path)
            if path is None:
                continue
        if report.error is None:
            _drain_file(path, store, report)
    report.files_left = len(spool.files())
    return report


def _claim(path: Path) -> Path | None:
    """Rename an active file to a claimed one under its lock (None: busy or gone)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if not _same_file(fd, path):
            return None
        claimed = path.with_name(f"{CLAIMED_PREFIX}{uuid.uuid4().hex}{SUFFIX}")
        os.rename(path, claimed)
        _fsync_dir(path.parent)
        return claimed
    except BlockingIOError:
        return None
    finally:
        os.close(fd)


def _drain_file(path: Path, store: Store, report: DrainReport) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if not _same_file(fd, path):
            return
        with os.fdopen(os.dup(fd), "rb") as handle:
            lines = handle.readlines()
        entries = [(line, _decode(line)) for line in lines]
        replayed = 0
        with store.engine.begin() as connection:
            for _line, entry in entries:
                replayed += entry is not None and _replay(connection, entry)
        unreadable = [line for line, entry in entries if entry is None]
        if unreadable:
            _keep_rejected(path, unreadable)
        path.unlink()
        _fsync_dir(path.parent)
        report.replayed += replayed
        report.already_stored += len(entries) - len(unreadable) - replayed
        report.rejected_lines += len(unreadable)
        report.files_done += 1
    except BlockingIOError:
        return  # another worker is draining this file
    except SQLAlchemyError as exc:
        report.error = type(exc).__name__  # rolled back: the file is replayed next time
    finally:
        os.close(fd)


def _replay(connection, entry: dict) -> bool:
    decision, snapshot = entry["decision"], entry["snapshot"]
    stored = connection.execute(
        select(Decision.decision_id).where(Decision.decision_id == decision["decision_id"])
    ).first()
    if stored is not None:
        return False
    _upsert_if_newer(connection, snapshot)
    previous = connection.execute(
        PREVIOUS_DECISION, {"interaction_id": decision["interaction_id"]}
    ).first()
    decision["sequence"] = previous.sequence + 1 if previous else 1
    decision["top_card_changed"] = bool(
        previous and previous.top_card_id != decision["top_card_id"]
    )
    connection.execute(INSERT_DECISION, decision)
    record_impressions(connection, decision, repeat=previous is not None)
    return True


def _upsert_if_newer(connection, snapshot: dict) -> None:
    """A spooled snapshot never overwrites a later one written directly meanwhile."""
    key = Interaction.interaction_id == snapshot["interaction_id"]
    row = connection.execute(select(Interaction.updated_at).where(key)).first()
    if row is None:
        connection.execute(Interaction.__table__.insert(), snapshot)
    elif _aware(row.updated_at) <= snapshot["updated_at"]:
        values = {name: snapshot[name] for name in SNAPSHOT_UPDATED_COLUMNS}
        connection.execute(update(Interaction).where(key).values(values))


class SpoolingDecisionLog:
    """The DecisionLog the app uses: writes through, spools on a store error, drains."""

    def __init__(self, decision_log: DecisionLog, spool: Spool, store: Store):
        self.spool = spool
        self._log = decision_log
        self._store = store
        self._retry_store_at = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._thread_pid: int | None = None
        self._thread_lock = threading.Lock()

    def write(self, decision: dict, snapshot: dict) -> dict:
        if time.monotonic() >= self._retry_store_at:
            try:
                return self._log.write(decision, snapshot)
            except SQLAlchemyError as exc:
                log.warning("decision log unavailable (%s): spooling", type(exc).__name__)
                self._retry_store_at = time.monotonic() + RETRY_STORE_SECONDS
        spooled = {
            **decision,
            "sequence": None,
            "top_card_changed": False,
            "degraded": [*decision["degraded"], SPOOLED],
        }
        try:
            self.spool.append({"decision": spooled, "snapshot": snapshot})
        except OSError as exc:
            log.error("decision %s could not be spooled: %s", decision["decision_id"], exc)
            raise NotReady("the decision could not be stored or spooled; retry") from exc
        self.start_draining()
        return spooled

    def drain_now(self) -> DrainReport:
        return drain(self.spool, self._store)

    def start_draining(self, interval: float = DRAIN_SECONDS) -> bool:
        """Start this worker's drain thread unless it runs already; True if started."""
        if self._thread is not None and self._thread.is_alive() and self._thread_pid == os.getpid():
            return False
        with self._thread_lock:
            if self._thread is not None and self._thread.is_alive():
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
            except Exception:  # the drain never raises by design; this guards the thread
                log.exception("spool drain: unexpected error")
                continue
            if report.replayed:
                log.info("spool drain: %d decisions written to the store", report.replayed)


def _encode(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot spool a {type(value).__name__}")


def _decode(line: bytes) -> dict | None:
    try:
        entry = json.loads(line)
        for part, names in DATETIME_FIELDS.items():
            for name in names:
                entry[part][name] = datetime.fromisoformat(entry[part][name])
        return entry
    except (ValueError, KeyError, TypeError):
        return None


def _keep_rejected(path: Path, lines: list[bytes]) -> None:
    """Lines that cannot be read (a write cut short by a crash, before any answer went
    out) are kept aside for inspection rather than deleted with their file."""
    log.error("spool %s: %d unreadable line(s) kept in %s", path.name, len(lines), REJECTED_FILE)
    with open(path.parent / REJECTED_FILE, "ab") as rejected:
        for line in lines:
            rejected.write(line if line.endswith(b"\n") else line + b"\n")
        rejected.flush()
        os.fsync(rejected.fileno())


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes for timezone-aware columns; they are stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
