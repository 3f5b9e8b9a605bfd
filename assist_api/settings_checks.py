"""The rules a Settings must satisfy, each refusal naming the setting (config's helper)."""

from urllib.parse import urlsplit

from assist_api.settings_env import env_name

# Words the shipped examples use in place of a secret: a service started with one of them
# would sign cookies with a key anyone can read in the repository.
PLACEHOLDER_SECRETS = ("change-me", "changeme", "change_me", "replace-me", "placeholder")
SQLITE_SYNCHRONOUS = ("FULL", "NORMAL")
# A value pool's admission bar is a quantile of at least this many recent customers.
MIN_ROUTING_MEMORY = 20


def check_settings(settings) -> None:
    """Raise ValueError naming the first setting out of its range."""
    if not 0.0 <= settings.holdout_rate < 1.0:
        raise ValueError(f"holdout_rate must be in [0, 1), got {settings.holdout_rate}")
    if not 0.0 <= settings.routing_holdout_rate < 1.0:
        raise ValueError(
            f"routing_holdout_rate must be in [0, 1), got {settings.routing_holdout_rate}"
        )
    if not 0.0 <= settings.exploration_rate <= 1.0:
        raise ValueError(f"exploration_rate must be in [0, 1], got {settings.exploration_rate}")
    if settings.cost_per_agent_minute < 0:
        raise ValueError(
            f"cost_per_agent_minute must be at least 0, got {settings.cost_per_agent_minute}"
        )
    if not (
        len(settings.currency) == 3 and settings.currency.isalpha() and settings.currency.isupper()
    ):
        raise ValueError(
            f"currency must be an ISO 4217 code such as USD or JPY, got {settings.currency!r}"
        )
    if not 0.0 < settings.band_medium < settings.band_high < 1.0:
        raise ValueError("band thresholds must satisfy 0 < band_medium < band_high < 1")
    if not 0.0 <= settings.routing_min_openness <= 1.0:
        raise ValueError(
            f"routing_min_openness must be in [0, 1], got {settings.routing_min_openness}"
        )
    if settings.capacity_stale_seconds <= 0 or settings.pool_refresh_seconds < 0:
        raise ValueError("capacity_stale_seconds must be > 0 and pool_refresh_seconds >= 0")
    if settings.skill_min_attempts < 1:
        raise ValueError(
            f"skill_min_attempts must be at least 1, got {settings.skill_min_attempts}"
        )
    _refuse_placeholders(settings)
    if settings.sqlite_synchronous not in SQLITE_SYNCHRONOUS:
        raise ValueError(
            f"sqlite_synchronous must be one of {', '.join(SQLITE_SYNCHRONOUS)}, "
            f"got {settings.sqlite_synchronous!r}"
        )
    if settings.rate_limit_per_minute < 0 or settings.login_attempts_per_minute < 0:
        raise ValueError("rate limits must be at least 0 (0: unlimited)")
    if settings.profile_cache_seconds < 0 or settings.guidance_max_waits < -1:
        raise ValueError("profile_cache_seconds must be >= 0 and guidance_max_waits >= -1")
    if not 0 < settings.guidance_poll_seconds <= settings.guidance_wait_seconds:
        raise ValueError("guidance_poll_seconds must be > 0 and at most guidance_wait_seconds")
    if settings.routing_memory < MIN_ROUTING_MEMORY:
        raise ValueError(
            f"routing_memory must be at least {MIN_ROUTING_MEMORY} (the admission bar "
            f"needs that many recent customers), got {settings.routing_memory}"
        )
    if settings.serve_threads < 1 or settings.serve_keepalive_seconds < 0:
        raise ValueError("serve_threads must be at least 1 and serve_keepalive_seconds >= 0")


def _is_placeholder(secret: str | None) -> bool:
    lowered = (secret or "").lower()
    return any(word in lowered for word in PLACEHOLDER_SECRETS)


def _refuse_placeholders(settings) -> None:
    """Refuse to start with a secret copied from an example file, naming the setting."""
    if _is_placeholder(settings.secret_key):
        raise ValueError(
            f"{env_name('secret_key')} is a placeholder from an example file: set a random "
            "value (python3 -c 'import secrets; print(secrets.token_hex(32))')"
        )
    for name in ("database_url", "mlflow_tracking_uri"):
        try:
            password = urlsplit(getattr(settings, name)).password
        except ValueError:
            continue
        if _is_placeholder(password):
            raise ValueError(f"{env_name(name)} holds a placeholder password: set the real one")
