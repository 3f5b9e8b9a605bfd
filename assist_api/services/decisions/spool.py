"""A durable local spool: JSON-lines files that several worker processes share safely.

When the database cannot take a decision (spooling_decision_log.py), the decision must
still survive a crash of the worker that answered, and be replayed exactly once
(spool_drain.py). The files and their locks make that hold across processes:
- each worker appends to `decisions-<pid>.jsonl`, opening it per append and holding an
  exclusive flock while it writes and fsyncs, so a reader never sees half a line and an
  entry is on disk before the answer goes out;
- a drainer claims an active file under that same lock by renaming it
  `claimed-<uuid>.jsonl` (later appends create a fresh active file), then reads and
  replays it holding the claimed file's lock, so two workers never drain one file; a
  drainer killed mid-way releases its lock and the next drain takes the file over;
- lines that cannot be used (cut short by a crash, or refused by the store) are moved to
  `rejected.txt` for inspection, never silently dropped.
"""

import fcntl
import json
import logging
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

log = logging.getLogger(__name__)

ACTIVE_PREFIX = "decisions-"
CLAIMED_PREFIX = "claimed-"
SUFFIX = ".jsonl"
REJECTED_FILE = "rejected.txt"
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

    def claim(self, path: Path) -> Path | None:
        """An active file renamed to a claimed one under its lock (None: busy or gone)."""
        if not path.name.startswith(ACTIVE_PREFIX):
            return path
        with _locked(path) as fd:
            if fd is None:
                return None
            claimed = path.with_name(f"{CLAIMED_PREFIX}{uuid.uuid4().hex}{SUFFIX}")
            os.rename(path, claimed)
            _fsync_dir(self.folder)
            return claimed

    @contextmanager
    def taken(self, path: Path) -> Iterator[list[tuple[bytes, dict | None]] | None]:
        """A claimed file's (line, entry or None if unreadable) pairs, under its lock;
        None when another worker holds it. Call `finish` inside the block when done."""
        with _locked(path) as fd:
            if fd is None:
                yield None
                return
            with os.fdopen(os.dup(fd), "rb") as handle:
                yield [(line, _decode(line)) for line in handle]

    def finish(self, path: Path, rejected: list[bytes]) -> None:
        """Delete a replayed file, keeping its `rejected` lines in REJECTED_FILE."""
        if rejected:
            log.error("spool %s: %d line(s) set aside", path.name, len(rejected))
            with open(self.folder / REJECTED_FILE, "ab") as kept:
                for line in rejected:
                    kept.write(line if line.endswith(b"\n") else line + b"\n")
                kept.flush()
                os.fsync(kept.fileno())
        path.unlink()
        _fsync_dir(self.folder)


@contextmanager
def _locked(path: Path) -> Iterator[int | None]:
    """The file's descriptor under an exclusive lock taken without waiting, or None."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        yield None
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield None
            return
        yield fd if _same_file(fd, path) else None
    finally:
        os.close(fd)


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
