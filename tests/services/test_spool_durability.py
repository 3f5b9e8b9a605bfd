"""The spool keeps every acknowledged decision through a full disk and a torn write,
and syncs each append before it returns (issue 22, finding 4).

Before: a short write left half a line; the next (fsync'd, acknowledged) append was glued
to it and the combined line was set aside as rejected. And no test failed if `os.fsync`
was removed from the append.
"""

import errno
import os

import pytest

from assist_api.services.decisions import spool as spool_module
from assist_api.services.decisions.drain import drain
from assist_api.services.decisions.spool import Spool
from tests.helpers.spool_entries import decision_rows, spool_entry


def _full_disk_once(monkeypatch):
    """The next write to a spool file stores half its bytes, the one after fails ENOSPC."""
    real_write = os.write
    calls = {"n": 0}

    def write(fd, data):
        calls["n"] += 1
        if calls["n"] == 1:
            return real_write(fd, bytes(data[: len(data) // 2]))
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(spool_module.os, "write", write)


def test_a_short_write_on_a_full_disk_loses_only_the_unacknowledged_entry(
    tmp_path, sqlite_store, monkeypatch
):
    spool = Spool(tmp_path / "spool")
    spool.append(spool_entry(1))
    with monkeypatch.context() as patch:
        _full_disk_once(patch)
        with pytest.raises(OSError):
            spool.append(spool_entry(2))  # not acknowledged: the answer was a 503
    spool.append(spool_entry(3))  # space again: acknowledged
    report = drain(spool, sqlite_store)
    assert [row[0] for row in decision_rows(sqlite_store)] == ["d-1", "d-3"]
    assert report.rejected_lines == 0


def test_a_torn_record_that_could_not_be_cut_off_is_skipped_not_glued(tmp_path, sqlite_store):
    """A crash mid-write leaves a torn record; the next append must still be read."""
    spool = Spool(tmp_path / "spool")
    spool.append(spool_entry(1))
    (path,) = spool.files()
    whole = path.read_bytes()
    with open(path, "ab") as handle:
        handle.write(whole[: len(whole) // 2])  # a torn copy of a record
    spool.append(spool_entry(2))
    report = drain(spool, sqlite_store)
    assert [row[0] for row in decision_rows(sqlite_store)] == ["d-1", "d-2"]
    assert report.rejected_lines == 1


class RecordingFiles(spool_module.FileLayer):
    """The real file calls, each one noted."""

    def __init__(self):
        self.calls = []

    def write(self, fd, data):
        written = super().write(fd, data)
        self.calls.append(("write", fd))
        return written

    def fsync(self, fd):
        super().fsync(fd)
        self.calls.append(("fsync", fd))

    def close(self, fd):
        self.calls.append(("close", fd))
        super().close(fd)


def test_every_append_is_fsynced_after_its_last_write_and_before_it_returns(tmp_path):
    files = RecordingFiles()
    spool = Spool(tmp_path / "spool", files=files)
    for i in range(3):
        spool.append(spool_entry(i))
        kinds = [kind for kind, _fd in files.calls]
        assert kinds[-2:] == ["fsync", "close"], kinds
        last_write = max(i for i, (kind, _) in enumerate(files.calls) if kind == "write")
        assert files.calls[last_write + 1][0] == "fsync"
        assert files.calls[last_write][1] == files.calls[last_write + 1][1]  # the same file
        files.calls.clear()
