"""How a setting is named in the environment and how its text becomes a value."""

from pathlib import Path

ENV_PREFIX = "VALUE_ASSIST_"


def env_name(setting: str) -> str:
    if setting == "mlflow_tracking_uri":
        return "MLFLOW_TRACKING_URI"
    return f"{ENV_PREFIX}{setting.upper()}"


def parse_value(kind: type, raw: str, name: str):
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
