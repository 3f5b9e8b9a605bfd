"""Training leaves MLflow's process-wide URIs (globals and environment) as it found them.

Before: `train` exported MLFLOW_REGISTRY_URI, so `mlflow models serve -m models:/…@champion`
started later by the same process (tests/integration/test_mlflow_serving.py, after
tests/cli/test_readme.py had trained) served another registry's champion.
"""

import os

import mlflow

from training.pipeline import TrainConfig, train_from_dir
from training.simulator.family import write_family_world


def test_training_leaves_the_tracking_and_registry_uris_as_they_were(tmp_path, monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.delenv("MLFLOW_REGISTRY_URI", raising=False)
    before = (mlflow.get_tracking_uri(), mlflow.get_registry_uri())
    world = write_family_world("interactions", tmp_path / "world", 3000)
    tracking = f"sqlite:///{tmp_path / 'mlflow.db'}"
    config = TrainConfig(tracking_uri=tracking, artifact_root=tmp_path / "artifacts")
    result = train_from_dir(world, config)
    assert result.version == "1"  # it did register, in `tracking`
    assert "MLFLOW_TRACKING_URI" not in os.environ
    assert "MLFLOW_REGISTRY_URI" not in os.environ
    assert (mlflow.get_tracking_uri(), mlflow.get_registry_uri()) == before
    assert tracking not in before
