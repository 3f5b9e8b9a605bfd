"""The benchmark's stores: the demo world seeded the same way on SQLite and PostgreSQL."""

from pathlib import Path

from _common import agent_key


def seed_store(database_url: str, world: Path, tracking_uri: str) -> str:
    """The demo world's history, pools (skill from the champion) and an agent key in a
    fresh store; returns the key."""
    from assist_api.config import load_settings
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
        return agent_key(store, "bench")
    finally:
        store.close()
