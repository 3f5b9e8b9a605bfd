"""The benchmark's stores: the demo world seeded the same way on SQLite and PostgreSQL."""

import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path


@contextmanager
def postgres_database(server_url: str | None):
    """A fresh database on the PostgreSQL server at `server_url`, dropped afterwards
    (yields None when no server is given)."""
    if not server_url:
        yield None
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(server_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"va_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def seed_store(database_url: str, world: Path, tracking_uri: str) -> str:
    """The demo world's history, pools (skill from the champion) and an agent key in a
    fresh store; returns the key."""
    from assist_api.config import load_settings
    from assist_api.services.access.keys import create_key
    from assist_api.services.outcomes.imports import import_files
    from assist_api.services.studies.demo_pools import seed_demo_pools
    from assist_api.store.migrate import upgrade
    from assist_api.store.store import Store
    from models.scorer import Scorer

    upgrade(database_url)
    store = Store.open(database_url)
    try:
        import_files(store, world / "interactions.csv", world / "outcomes.csv")
        settings = load_settings(
            data_dir=world.parent, database_url=database_url, mlflow_tracking_uri=tracking_uri
        )
        seed_demo_pools(store, world / "agents.csv", model=Scorer(settings).load())
        with store.uow() as uow:
            key = create_key(
                uow.session, role="agent", name="bench", actor="bench", now=datetime.now(UTC)
            )
            uow.commit()
    finally:
        store.close()
    return key
