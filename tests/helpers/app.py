"""Build a real app on a throwaway store and hand out API keys for each role."""

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from assist_api import create_app
from assist_api.config import Settings
from assist_api.services.access.keys import create_key
from assist_api.store.migrate import upgrade
from features.vocabulary import ROLES

_EMPTY_REGISTRY = Path(tempfile.mkdtemp(prefix="va-empty-registry-")) / "mlflow.db"


def make_test_settings(data_dir: Path, database_url: str | None = None, **overrides) -> Settings:
    """Settings for tests: everything under `data_dir`, no background model watcher.

    Unless told otherwise the app looks for its model in one empty MLflow store shared by
    the test process: creating MLflow's tables costs seconds, so it is done once.
    """
    values = {
        "data_dir": data_dir,
        "database_url": database_url or f"sqlite:///{data_dir / 'store.db'}",
        "mlflow_tracking_uri": f"sqlite:///{_EMPTY_REGISTRY}",
        "model_check_seconds": 0.0,
        "secret_key": "test-secret",
        "secure_cookies": False,
        # rankings stay deterministic unless a test is about exploration (tests/learning)
        "exploration_rate": 0.0,
    }
    values.update(overrides)
    return Settings(**values)


def build_app(settings: Settings):
    upgrade(settings.database_url)
    app = create_app(settings)
    app.config["TESTING"] = True
    return app


def make_keys(app) -> dict[str, str]:
    """One fresh API key per role: {"agent": "va_…", "lead": …, …}."""
    store = app.extensions["store"]
    keys = {}
    with store.uow() as uow:
        for role in ROLES:
            keys[role] = create_key(
                uow.session, role=role, name=f"test {role}", actor="tests", now=datetime.now(UTC)
            )
        uow.commit()
    return keys


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
