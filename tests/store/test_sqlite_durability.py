"""SQLite keeps what it acknowledged and forgets what it deleted (issue 22, findings 4, 5).

`synchronous=FULL`: in WAL mode, NORMAL syncs the log only at checkpoints, so a commit
acknowledged to a client can vanish on power loss (SQLite's own documentation); FULL
syncs at every commit. `secure_delete`: deleted text is overwritten, not left in a free
page for anyone who copies the file.
"""

from sqlalchemy import text

SYNCHRONOUS_FULL = 2


def test_every_connection_syncs_each_commit_and_overwrites_deletes(sqlite_store):
    with sqlite_store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA synchronous")).scalar() == SYNCHRONOUS_FULL
        assert connection.execute(text("PRAGMA secure_delete")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_deleted_text_is_not_left_in_the_file(sqlite_store, tmp_path):
    secret = "SECRET-TRANSCRIPT-" * 50
    with sqlite_store.engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (body TEXT)"))
        connection.execute(text("INSERT INTO notes VALUES (:b)"), {"b": secret})
    with sqlite_store.engine.begin() as connection:
        connection.execute(text("DELETE FROM notes"))
    with sqlite_store.engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    database = sqlite_store.engine.url.database
    for path in (database, database + "-wal"):
        try:
            with open(path, "rb") as handle:
                assert b"SECRET-TRANSCRIPT" not in handle.read(), path
        except FileNotFoundError:
            pass
