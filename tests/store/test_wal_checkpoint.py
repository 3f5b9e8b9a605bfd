"""The service checkpoints SQLite's write-ahead log in the background, not in a commit."""

import gc
import time

from sqlalchemy import text

from assist_api.store.db import make_engine
from assist_api.store.wal_checkpoint import FALLBACK_PAGES, WalCheckpointer

PAGE = 4096


def _write_pages(engine, commits: int) -> None:
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS blobs (body BLOB)"))
    for _ in range(commits):
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO blobs VALUES (randomblob(:n))"), {"n": PAGE})
        time.sleep(0.002)


def _wal_pages(path) -> float:
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size / PAGE if wal.exists() else 0.0


def test_the_log_stays_small_with_the_checkpointer_and_grows_without(tmp_path):
    with_thread, without = tmp_path / "with.db", tmp_path / "without.db"
    engine = make_engine(f"sqlite:///{with_thread}")
    checkpointer = WalCheckpointer(engine, interval=0.02).start()
    control = make_engine(f"sqlite:///{without}")
    WalCheckpointer(control)  # the raised threshold, but no thread started

    _write_pages(engine, 300)
    _write_pages(control, 300)
    checkpointer.stop()

    assert _wal_pages(without) >= 300  # nothing folded the log back: ~2 pages per commit
    # a checkpoint lets the next commit write from the log's start again; how often one
    # runs depends on the machine's load, so the bound is relative
    assert _wal_pages(with_thread) < _wal_pages(without) / 2


def test_service_connections_use_the_raised_threshold(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    WalCheckpointer(engine)
    with engine.connect() as connection:
        pages = connection.execute(text("PRAGMA wal_autocheckpoint")).scalar()
    assert pages == FALLBACK_PAGES


def test_the_thread_ends_with_its_engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    thread = WalCheckpointer(engine, interval=0.01).start()._thread
    engine.dispose()
    del engine
    gc.collect()
    thread.join(timeout=2)
    assert not thread.is_alive()
