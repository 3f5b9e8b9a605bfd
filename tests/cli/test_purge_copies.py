"""The purge reaches the copies too (issue 22, finding 5): the training export, the
spool's set-aside records, and the deleted text in SQLite's log and free pages."""

from datetime import UTC, datetime, timedelta

import pandas as pd
from click.testing import CliRunner

from assist_api.cli import main
from assist_api.cli.models import dask_export
from assist_api.services.decisions.spool import Spool
from assist_api.services.outcomes.imports import import_files
from assist_api.store.migrate import upgrade
from assist_api.store.store import Store
from tests.helpers.records import interaction, write_csv

SECRET = "MY-SECRET-TRANSCRIPT-TEXT"
OLD = datetime.now(UTC) - timedelta(days=400)


def _purge(tmp_path, url):
    env = {"VALUE_ASSIST_DATABASE_URL": url, "VALUE_ASSIST_DATA_DIR": str(tmp_path)}
    result = CliRunner().invoke(main, ["purge", "--older-than", "30"], env=env)
    assert result.exit_code == 0, result.output
    return result


def test_the_purge_leaves_no_deleted_transcript_in_the_sqlite_files(tmp_path):
    """The service keeps connections open, so SQLite never deletes its log on close:
    the purged text stayed readable in value_assist.db-wal."""
    url = f"sqlite:///{tmp_path / 'value_assist.db'}"
    upgrade(url)
    service = Store.open(url)
    row = interaction(1, started_at=OLD.isoformat(), transcript=SECRET * 20)
    assert import_files(service, write_csv(tmp_path / "i.csv", [row])).committed
    with service.engine.connect() as held_open:
        held_open.exec_driver_sql("SELECT 1")
        _purge(tmp_path, url)
        for path in tmp_path.glob("value_assist.db*"):
            assert SECRET.encode() not in path.read_bytes(), path.name
    service.close()


def test_the_purge_deletes_old_exports_and_set_aside_spool_records(tmp_path):
    url = f"sqlite:///{tmp_path / 'value_assist.db'}"
    upgrade(url)
    left_behind = tmp_path / "training_export"
    left_behind.mkdir()
    (left_behind / "interactions.parquet").write_bytes(SECRET.encode())
    spool = Spool(tmp_path / "spool")
    spool.folder.mkdir()
    old_day = (OLD.date()).isoformat()
    today = datetime.now(UTC).date().isoformat()
    (spool.folder / f"rejected-{old_day}.txt").write_bytes(SECRET.encode())
    (spool.folder / f"rejected-{today}.txt").write_bytes(b"kept for inspection")
    result = _purge(tmp_path, url)
    assert not left_behind.exists()
    assert [p.name for p in spool.rejected_files()] == [f"rejected-{today}.txt"]
    assert "1 training exports, 1 set-aside spool files" in result.output


def test_train_dask_export_is_deleted_when_training_ends(tmp_path):
    frame = pd.DataFrame({"interaction_id": ["i-1"], "transcript": [SECRET]})
    with dask_export(tmp_path, frame, frame) as export:
        assert (export / "interactions.parquet").exists()
    assert not export.exists() and list(tmp_path.iterdir()) == []
