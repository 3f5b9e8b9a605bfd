"""What several bench scripts need: a free port, a throwaway store database, an agent key."""

import socket
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def postgres_database(server_url: str | None, prefix: str = "va_bench"):
    """A fresh database on the PostgreSQL server at `server_url`, dropped afterwards
    (yields None when no server is given)."""
    if not server_url:
        yield None
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(server_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def store_database(kind: str, folder: Path, postgres_url: str, prefix: str = "va_bench"):
    """The URL of an empty store of `kind` ("sqlite" in `folder`, or "postgresql")."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'store.db'}"
        return
    with postgres_database(postgres_url, prefix) as url:
        yield url


def agent_key(store, name: str) -> str:
    """A new agent API key in `store`, made by the bench."""
    from assist_api.services.access.keys import create_key

    with store.uow() as uow:
        key = create_key(uow.session, role="agent", name=name, actor="bench", now=datetime.now(UTC))
        uow.commit()
    return key
