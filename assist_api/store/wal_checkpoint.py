"""SQLite write-ahead-log checkpoints off the request path.

SQLite folds the WAL back into the database file once it passes 1000 pages, inside
whichever commit crosses the mark, and a checkpoint fsyncs. Measured on a decision
write: the median commit takes ~55 µs, the one that checkpoints 10–20 ms — the service's
p99. So the service checkpoints from a background thread every CHECKPOINT_SECONDS
(PASSIVE: it never waits for, or blocks, a writer) and raises the automatic threshold
on its own connections to FALLBACK_PAGES, which only a stalled thread ever reaches.
Command-line tools keep SQLite's default. The thread holds the engine weakly and ends
with it (tests build hundreds of apps).
"""

import logging
import threading
import weakref

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

CHECKPOINT_SECONDS = 1.0
FALLBACK_PAGES = 20_000  # ~80 MB of WAL


class WalCheckpointer:
    """Runs `PRAGMA wal_checkpoint(PASSIVE)` on `engine` every `interval` seconds."""

    def __init__(self, engine: Engine, interval: float = CHECKPOINT_SECONDS):
        event.listen(engine, "connect", _raise_autocheckpoint)
        engine.dispose()  # connections opened before now keep the default: reopen them
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=_checkpoint_loop,
            args=(weakref.ref(engine), interval, self._stop),
            name="wal-checkpoint",
            daemon=True,
        )

    def start(self) -> "WalCheckpointer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def checkpoint(engine: Engine) -> None:
    with engine.connect() as connection:
        # fetched, so the statement is finished: an open one would pin the log it folds
        connection.execute(text("PRAGMA wal_checkpoint(PASSIVE)")).all()


def _checkpoint_loop(engine_ref, interval: float, stop: threading.Event) -> None:
    while not stop.wait(interval):
        engine = engine_ref()
        if engine is None:
            return
        try:
            checkpoint(engine)
        except SQLAlchemyError as exc:  # locked or gone: the next round tries again
            log.debug("WAL checkpoint skipped: %s", exc)
        del engine


def _raise_autocheckpoint(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA wal_autocheckpoint={FALLBACK_PAGES}")
    cursor.close()
