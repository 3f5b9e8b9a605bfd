"""Fixtures for the training tests: small worlds on disk and a throwaway MLflow store."""

from pathlib import Path

import pytest

from tests.training.alt_world import write_alt_world
from training.pipeline import TrainConfig

SMALL_WORLD = 12_000  # ~4,000 labelled rows: a real model in about a second


@pytest.fixture(scope="session")
def small_world(tmp_path_factory) -> Path:
    """Import-format files (and truth.csv) of a small second-world contact centre."""
    return write_alt_world(tmp_path_factory.mktemp("alt_world"), SMALL_WORLD, seed=1)


@pytest.fixture
def tracking_uri(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'mlflow.db'}"


@pytest.fixture
def train_config(tmp_path, tracking_uri) -> TrainConfig:
    return TrainConfig(tracking_uri=tracking_uri, artifact_root=tmp_path / "mlartifacts")
