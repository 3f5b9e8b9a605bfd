"""A throwaway MLflow store per test, settings pointing at it, and a tiny champion.

Creating an MLflow SQLite store runs its migrations (seconds), so the empty store is
made once per session and copied for each test.
"""

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from assist_api.config import Settings
from tests.helpers.tiny_model import register_tiny_model


@dataclass(frozen=True)
class MlflowStore:
    uri: str
    artifacts: Path

    def register(self, **kwargs) -> str:
        return register_tiny_model(self.uri, self.artifacts, **kwargs)


@pytest.fixture(scope="session")
def empty_mlflow_db(tmp_path_factory) -> Path:
    from mlflow import MlflowClient

    path = tmp_path_factory.mktemp("mlflow-template") / "mlflow.db"
    MlflowClient(tracking_uri=f"sqlite:///{path}").search_experiments()
    return path


@pytest.fixture
def fast_registry_errors(monkeypatch):
    """Fail fast against a dead registry: short timeout, no retries, no back-off."""
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "1")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "0")


@pytest.fixture
def mlflow_store(tmp_path, empty_mlflow_db, fast_registry_errors) -> MlflowStore:
    db = tmp_path / "mlflow.db"
    shutil.copyfile(empty_mlflow_db, db)
    return MlflowStore(uri=f"sqlite:///{db}", artifacts=tmp_path / "mlartifacts")


@pytest.fixture
def settings(tmp_path, mlflow_store) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        mlflow_tracking_uri=mlflow_store.uri,
        outbound_timeout_seconds=1.0,
        model_check_seconds=0.1,
    )


@pytest.fixture
def champion(mlflow_store) -> str:
    """Version 1 of ve-openness, with the champion alias."""
    return mlflow_store.register(seed=0)
