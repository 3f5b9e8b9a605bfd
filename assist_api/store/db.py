"""The engine and session factory, with the SQLite settings a concurrent service needs."""

import json
from functools import partial

import orjson
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

# int keys become strings as with json.dumps; datetimes are left to json.dumps to refuse
JSON_COLUMN_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
PREPARE_THRESHOLD = 1  # psycopg prepares a statement from its second run on a connection


def make_engine(
    url: str,
    *,
    timeout_seconds: float = 5.0,
    statement_timeout_seconds: float | None = None,
    sqlite_synchronous: str = "FULL",
) -> Engine:
    """An engine for `url`: SQLite in WAL mode with foreign keys on, or any other database.

    `timeout_seconds` bounds connecting (on PostgreSQL also each statement, unless
    `statement_timeout_seconds` says otherwise — 0 means none, for batch commands; on SQLite
    the wait for another writer's lock) so a dead or locked database makes requests fail
    fast instead of hanging a worker. Errors never carry the statement's parameters
    (`hide_parameters`): they may hold personal data, and errors end up in logs.
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": timeout_seconds, "check_same_thread": False},
            hide_parameters=True,
            json_serializer=json_column_text,
        )
        if sqlite_synchronous not in ("FULL", "NORMAL"):
            raise ValueError(f"sqlite_synchronous must be FULL or NORMAL, not {sqlite_synchronous}")
        event.listen(engine, "connect", partial(_sqlite_pragmas, sqlite_synchronous))
        return engine
    connect_args = {}
    statement_timeout = (
        timeout_seconds if statement_timeout_seconds is None else (statement_timeout_seconds)
    )
    if url.startswith("postgresql"):
        if "+" not in url.split("://", 1)[0]:
            url = url.replace("postgresql://", "postgresql+psycopg://", 1)
        connect_args = {
            "connect_timeout": max(1, int(timeout_seconds)),
            "options": f"-c statement_timeout={int(statement_timeout * 1000)}",
            # server-side prepared statements for what a connection runs again: the hot
            # path's few statements repeat on every request
            "prepare_threshold": PREPARE_THRESHOLD,
        }
    return create_engine(
        url,
        # no round trip per checkout: a lost connection is found when used, and the hot
        # path then drops the pool and retries (store/prepared.py), as SQLAlchemy's own
        # Connection drops the pool on a disconnect
        pool_pre_ping=False,
        connect_args=connect_args,
        hide_parameters=True,
        json_serializer=json_column_text,
    )


def json_column_text(value) -> str:
    """The text stored for a JSON column: orjson's (the decision row's four JSON columns
    cost ~20 µs through `json.dumps`), the standard library's for anything orjson refuses
    (a datetime, an integer over 64 bits), so what could be stored before still can,
    and what failed before fails the same way."""
    try:
        return orjson.dumps(value, option=JSON_COLUMN_OPTIONS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value)


def _sqlite_pragmas(synchronous: str, dbapi_connection, _record):
    """WAL for concurrent readers; `synchronous=FULL` by default because an answer's
    decision is acknowledged once committed, and in WAL mode NORMAL may lose the last
    commits on power loss (only FULL syncs the WAL at every commit; NORMAL is a setting
    for those who accept that); `secure_delete` so a purged transcript is overwritten
    with zeros, not left readable in a free page."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA synchronous={synchronous}")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
