"""Settings: the only module that reads the environment.

Every setting has an embedded default so `value-assist demo` runs with nothing set:
SQLite and a local MLflow store, both under the data directory.
"""

import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

ENV_PREFIX = "VALUE_ASSIST_"


def _default_data_dir() -> Path:
    return Path(os.environ.get(f"{ENV_PREFIX}DATA_DIR", "data")).resolve()


@dataclass(frozen=True)
class Settings:
    """All settings. Environment name: VALUE_ASSIST_<FIELD> (upper case), except MLflow's."""

    data_dir: Path = field(default_factory=_default_data_dir)
    database_url: str = ""  # default: sqlite:///<data_dir>/value_assist.db
    mlflow_tracking_uri: str = ""  # env MLFLOW_TRACKING_URI; default sqlite:///<data_dir>/mlflow.db
    model_name: str = "ve-openness"
    model_alias: str = "champion"
    model_check_seconds: float = 30.0  # how often workers look for a moved champion alias
    holdout_rate: float = 0.10
    holdout_salt: str = "value-assist-holdout-v1"
    routing_holdout_rate: float = 0.10
    routing_holdout_salt: str = "value-assist-routing-v1"
    band_medium: float = 0.35  # openness >= this is "medium"
    band_high: float = 0.55  # openness >= this is "high"
    max_transcript_chars: int = 20_000
    max_request_bytes: int = 256 * 1024
    reasons_shown: int = 3
    cards_shown: int = 3
    two_person_publish: bool = False
    playbook_refresh_seconds: float = 2.0
    secret_key: str = ""  # default: generated once and kept under the data directory
    rate_limit_per_minute: int = 0  # per API key; 0 = unlimited
    retention_days: int = 365
    auth_required: bool = True
    outbound_timeout_seconds: float = 5.0
    log_level: str = "INFO"

    def __post_init__(self):
        data_dir = Path(self.data_dir)
        object.__setattr__(self, "data_dir", data_dir)
        if not self.database_url:
            object.__setattr__(self, "database_url", f"sqlite:///{data_dir / 'value_assist.db'}")
        if not self.mlflow_tracking_uri:
            object.__setattr__(self, "mlflow_tracking_uri", f"sqlite:///{data_dir / 'mlflow.db'}")
        if not 0.0 <= self.holdout_rate < 1.0:
            raise ValueError(f"holdout_rate must be in [0, 1), got {self.holdout_rate}")
        if not 0.0 <= self.routing_holdout_rate < 1.0:
            raise ValueError(
                f"routing_holdout_rate must be in [0, 1), got {self.routing_holdout_rate}"
            )
        if not 0.0 < self.band_medium < self.band_high < 1.0:
            raise ValueError("band thresholds must satisfy 0 < band_medium < band_high < 1")

    @property
    def model_cache_dir(self) -> Path:
        return self.data_dir / "model_cache"

    @property
    def spool_dir(self) -> Path:
        return self.data_dir / "spool"

    @property
    def artifact_root(self) -> Path:
        return self.data_dir / "mlartifacts"

    def with_overrides(self, **overrides) -> "Settings":
        return replace(self, **overrides)

    def public_dict(self) -> dict:
        """Settings safe to show (no secrets, URLs without passwords)."""
        shown = asdict(self)
        shown.pop("secret_key")
        shown["data_dir"] = str(self.data_dir)
        for key in ("database_url", "mlflow_tracking_uri"):
            shown[key] = _hide_password(shown[key])
        return shown


def _hide_password(url: str) -> str:
    if "://" not in url or "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in credentials else url


def _parse(kind: type, raw: str, name: str):
    if kind is bool:
        lowered = raw.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off", ""):
            return False
        raise ValueError(f"{name} must be true or false, got {raw!r}")
    if kind is Path:
        return Path(raw)
    try:
        return kind(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be {kind.__name__}, got {raw!r}") from exc


def load_settings(environ=None, **overrides) -> Settings:
    """Settings from the environment (VALUE_ASSIST_*, MLFLOW_TRACKING_URI) plus overrides."""
    environ = os.environ if environ is None else environ
    values = {}
    types = {"bool": bool, "int": int, "float": float, "str": str, "Path": Path}
    for f in fields(Settings):
        env_name = f"{ENV_PREFIX}{f.name.upper()}"
        if f.name == "mlflow_tracking_uri":
            env_name = "MLFLOW_TRACKING_URI"
        if env_name in environ:
            kind = types[f.type if isinstance(f.type, str) else f.type.__name__]
            values[f.name] = _parse(kind, environ[env_name], env_name)
    values.update(overrides)
    return Settings(**values)


def settings_reference() -> list[tuple[str, str]]:
    """(environment variable, default) for every setting: the README's table."""
    defaults = Settings(data_dir=Path("data"))
    rows = []
    for f in fields(Settings):
        env_name = "MLFLOW_TRACKING_URI" if f.name == "mlflow_tracking_uri" else (
            f"{ENV_PREFIX}{f.name.upper()}"
        )
        rows.append((env_name, str(getattr(defaults, f.name))))
    return rows
