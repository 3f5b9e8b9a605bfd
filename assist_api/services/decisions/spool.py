"""A durable local spool: files of framed records that several worker processes share.

When the database cannot take a decision (spooling_decision_log.py), the decision must
still survive a crash of the worker that answered, and be replayed exactly once
(spool_drain.py). The files and their locks make that hold across processes:
- each worker appends to `decisions-<pid>.jsonl`, opening it per append and holding an
  exclusive flock while it writes and fsyncs, so a reader never sees half a record and
  an entry is on disk before the answer goes out;
- each entry is a self-delimiting, checksummed record (`spool_records`): a write cut
  short (a full disk) is cut back off the file, and if it cannot be (or a crash tore it)
  the reader sets aside only the torn record, never the acknowledged one after it;
- a drainer claims an active file under that same lock by renaming it
  `claimed-<uuid>.jsonl` (later appends create a fresh active file), then reads and
  replays it holding the claimed file's lock, so two workers never drain one file; a
  drainer killed mid-way releases its lock and the next drain takes the file over;
- records that cannot be used (torn, or refused by the store) are moved to
  `rejected-<day>.txt` for inspection, never silently dropped; the retention purge
  deletes those files once their day is past the retention period.

All file calls go through a `FileLayer`, so tests can watch them (every append must be
fsync'd before it returns) or make them fail (a short write on a full disk).
"""

import fcntl
import json
import logging
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from assist_api.services.decisions.spool_records import encode_record, split_records

log = logging.getLogger(__name__)

ACTIVE_PREFIX = "decisions-"
CLAIMED_PREFIX = "claimed-"
SUFFIX = ".jsonl"
REJECTED_PREFIX = "rejected-"
REJECTED_SUFFIX = ".txt"
DATETIME_FIELDS = {"decision": ("created_at",), "snapshot": ("started_at", "updated_at")}


class FileLayer:
    """The file calls an append makes; tests subclass it to watch or break them."""

    def open(self, path: Path) -> int:
        return os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def write(self, fd: int, data: memoryview) -> int:
        return os.write(fd, data)

    def fsync(self, fd: int) -> None:
        os.fsync(fd)

    def truncate(self, fd: int, size: int) -> None:
        os.ftruncate(fd, size)

    def close(self, fd: int) -> None:
        os.close(fd)


class Spool:
    """Append-only files of framed records in `folder`, safe across threads and processes."""

    def __init__(self, folder: Path, files: FileLayer | None = None):
        self.folder = Path(folder)
        self._files = files or FileLayer()
        self._lock = threading.Lock()

    def append(self, entry: dict) -> None:
        """Write one entry durably (fsync'd) before returning; OSError if it could not be."""
        payload = json.dumps(entry, default=_encode, ensure_ascii=False).encode("utf-8")
        record = encode_record(payload)
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._lock:
            while not self._append_once(record):
                pass  # the file was claimed between open and lock: write to a fresh one

    def _append_once(self, record: bytes) -> bool:
        path = self.folder / f"{ACTIVE_PREFIX}{os.getpid()}{SUFFIX}"
        created = not path.exists()
        files = self._files
        fd = files.open(path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if not _same_file(fd, path):
                return False
            start = os.fstat(fd).st_size
            try:
                view = memoryview(record)
                while view:
                    view = view[files.write(fd, view) :]
                files.fsync(fd)
            except OSError:
                _cut_back(files, fd, start)
                raise
        finally:
            files.close(fd)
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
                chunks = split_records(handle.read())
            yield [(c.raw, None if c.payload is None else _decode(c.payload)) for c in chunks]

    def finish(self, path: Path, rejected: list[bytes], today: date | None = None) -> None:
        """Delete a replayed file, keeping its `rejected` records in today's rejected file."""
        if rejected:
            log.error("spool %s: %d record(s) set aside", path.name, len(rejected))
            day = (today or datetime.now(UTC).date()).isoformat()
            with open(self.folder / f"{REJECTED_PREFIX}{day}{REJECTED_SUFFIX}", "ab") as kept:
                for raw in rejected:
                    kept.write(raw if raw.endswith(b"\n") else raw + b"\n")
                kept.flush()
                os.fsync(kept.fileno())
        path.unlink()
        _fsync_dir(self.folder)

    def rejected_files(self) -> list[Path]:
        """The files of set-aside records, oldest day first."""
        if not self.folder.is_dir():
            return []
        return sorted(self.folder.glob(f"{REJECTED_PREFIX}*{REJECTED_SUFFIX}"))

    def rejected_bytes(self) -> bytes:
        return b"".join(path.read_bytes() for path in self.rejected_files())

    def purge_rejected(self, cutoff: date) -> int:
        """Delete the rejected files of days before `cutoff` (retention); how many went.
        They hold decisions and snapshots, so they are personal data like the rest."""
        gone = 0
        for path in self.rejected_files():
            day = path.name[len(REJECTED_PREFIX) : -len(REJECTED_SUFFIX)]
            if day < cutoff.isoformat():
                path.unlink()
                gone += 1
        return gone


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


def _cut_back(files: FileLayer, fd: int, size: int) -> None:
    """Take a failed append's partial record back off the file, so the next append starts
    on a record boundary; if even that fails, the reader skips the torn record."""
    try:
        files.truncate(fd, size)
        files.fsync(fd)
    except OSError as exc:
        log.error("spool: a torn record could not be cut off (%s); the reader skips it", exc)


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
