"""MLflow's tracking and registry URIs for one block, restored after it (no process-wide leak).

`mlflow.set_tracking_uri` / `set_registry_uri` change module globals and export
`MLFLOW_TRACKING_URI` / `MLFLOW_REGISTRY_URI` to the environment, so every later
subprocess inherited the last training's registry: `mlflow models serve -m
models:/…@champion`, started after a test had trained against another registry, served
that registry's champion.
"""

import os
from contextlib import contextmanager

import mlflow

ENVIRONMENT = ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")


@contextmanager
def mlflow_uris(uri: str):
    """Set both URIs to `uri` inside the block; put back the globals and environment after."""
    from mlflow.tracking._model_registry import utils as registry_utils
    from mlflow.tracking._tracking_service import utils as tracking_utils

    saved_env = {name: os.environ.get(name) for name in ENVIRONMENT}
    saved_tracking, saved_registry = tracking_utils._tracking_uri, registry_utils._registry_uri
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    try:
        yield
    finally:
        mlflow.set_tracking_uri(saved_tracking)
        registry_utils._registry_uri = saved_registry
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
