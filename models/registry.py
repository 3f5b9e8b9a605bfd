"""The MLflow model registry, as the rest of the code needs it: the champion and its files.

Registry calls go over the network when MLFLOW_TRACKING_URI is a server; `connect` bounds
them with a timeout and few retries so a dead registry fails fast instead of hanging.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

from models.artifacts import FAST_PATH_DIR

DEFAULT_MODEL_NAME = "ve-openness"
DEFAULT_ALIAS = "champion"


@dataclass(frozen=True)
class VersionInfo:
    name: str
    version: str
    run_id: str
    aliases: tuple[str, ...]
    metrics: dict
    created_at_ms: int
    params: dict = field(default_factory=dict)  # the run's: data fingerprint, rows, window
    tags: dict = field(default_factory=dict)  # the run's: promotion decision and reason


def connect(tracking_uri: str, timeout_seconds: float = 5.0):
    """An MlflowClient for `tracking_uri` with bounded HTTP timeouts and retries."""
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", str(int(max(1, timeout_seconds))))
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1")
    from mlflow import MlflowClient

    return MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)


def version_info(client, name: str, version: str) -> VersionInfo:
    model_version = client.get_model_version(name, str(version))
    run = client.get_run(model_version.run_id)
    return VersionInfo(
        name=name,
        version=str(model_version.version),
        run_id=model_version.run_id,
        aliases=tuple(getattr(model_version, "aliases", ()) or ()),
        metrics=dict(run.data.metrics),
        created_at_ms=int(model_version.creation_timestamp or 0),
        params=dict(run.data.params),
        tags=dict(run.data.tags),
    )


def champion(client, name: str = DEFAULT_MODEL_NAME, alias: str = DEFAULT_ALIAS):
    """The version the alias points to, or None when there is no such model or alias."""
    from mlflow.exceptions import MlflowException

    try:
        model_version = client.get_model_version_by_alias(name, alias)
    except MlflowException as exc:
        if exc.error_code in ("RESOURCE_DOES_NOT_EXIST", "INVALID_PARAMETER_VALUE"):
            return None
        raise
    return version_info(client, name, model_version.version)


def list_versions(client, name: str = DEFAULT_MODEL_NAME) -> list[VersionInfo]:
    versions = client.search_model_versions(f"name='{name}'")
    infos = [version_info(client, name, v.version) for v in versions]
    return sorted(infos, key=lambda v: int(v.version))


def set_alias(client, name: str, version: str, alias: str = DEFAULT_ALIAS) -> None:
    client.set_registered_model_alias(name, alias, str(version))


def download_fast_path(client, info: VersionInfo, destination: Path) -> Path:
    """Download the run's `fast_path/` folder into `destination` and return its path."""
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    local = client.download_artifacts(info.run_id, FAST_PATH_DIR, str(destination))
    return Path(local)
