"""Settings: the only module that reads the environment.

Every setting has an embedded default so `value-assist demo` runs with nothing set:
SQLite and a local MLflow store, both under the data directory.
"""

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from assist_api.settings_checks import MIN_ROUTING_MEMORY as MIN_ROUTING_MEMORY
from assist_api.settings_checks import check_settings
from assist_api.settings_env import ENV_PREFIX, env_name, parse_value

# Threads of each gunicorn worker that guidance long-polls never take (guidance_max_waits).
THREADS_KEPT_FOR_REQUESTS = 4


def _default_data_dir() -> Path:
    return Path(os.environ.get(f"{ENV_PREFIX}DATA_DIR", "data")).resolve()


@dataclass(frozen=True)
class Settings:
    """All settings. Environment name: VALUE_ASSIST_<FIELD> (upper case), except MLflow's."""

    data_dir: Path = field(
        default_factory=_default_data_dir,
        metadata={"help": "where the SQLite store, local MLflow store, model cache and spool live"},
    )
    database_url: str = field(
        default="",
        metadata={"help": "the store (SQLAlchemy URL); default: SQLite under the data directory"},
    )
    mlflow_tracking_uri: str = field(
        default="",
        metadata={
            "help": "MLflow tracking + registry; default: SQLite + artifacts in the data dir"
        },
    )
    model_name: str = field(
        default="ve-openness", metadata={"help": "registered model the service serves"}
    )
    model_alias: str = field(
        default="champion", metadata={"help": "registry alias the service follows"}
    )
    model_check_seconds: float = field(
        default=30.0,
        metadata={"help": "how often each worker checks whether the alias moved (0: never)"},
    )
    holdout_rate: float = field(
        default=0.10, metadata={"help": "share of customers in the card control group (no cards)"}
    )
    holdout_salt: str = field(
        default="value-assist-holdout-v1",
        metadata={"help": "salt of the card control group's hash (changing it re-draws the group)"},
    )
    routing_holdout_rate: float = field(
        default=0.10,
        metadata={"help": "share of customers routed by the plain rule (routing control group)"},
    )
    routing_holdout_salt: str = field(
        default="value-assist-routing-v1",
        metadata={"help": "salt of the routing control group's hash"},
    )
    exploration_rate: float = field(
        default=0.05,
        metadata={
            "help": "share of non-holdout decisions whose first card is drawn at random "
            "from the eligible cards (0: never explore)"
        },
    )
    exploration_salt: str = field(
        default="value-assist-explore-v1",
        metadata={"help": "salt of the exploration draws' hash (per interaction)"},
    )
    routing_min_openness: float = field(
        default=0.0,
        metadata={
            "help": "floor: openness a customer needs before a value pool's seat is spent on "
            "them (above it, the seat-share bar decides)"
        },
    )
    routing_min_value: float = field(
        default=0.0,
        metadata={
            "help": "floor: expected retained value (CLV x retention gained) a value pool's "
            "seat must add (above it, the seat-share bar decides)"
        },
    )
    routing_memory: int = field(
        default=1000,
        metadata={
            "help": "recent customers whose expected value sets a value pool's admission bar"
        },
    )
    capacity_stale_seconds: float = field(
        default=120.0,
        metadata={"help": "a pool's free-seat report older than this counts as unknown"},
    )
    pool_refresh_seconds: float = field(
        default=5.0,
        metadata={"help": "how often each worker re-reads pools, skills and capacity"},
    )
    skill_min_attempts: int = field(
        default=30,
        metadata={"help": "VE attempts an agent needs before any claim about their skill"},
    )
    band_medium: float = field(
        default=0.35, metadata={"help": "openness at or above this is 'medium'"}
    )
    band_high: float = field(default=0.55, metadata={"help": "openness at or above this is 'high'"})
    max_transcript_chars: int = field(
        default=20_000, metadata={"help": "longest transcript /v1/assist accepts (413 above)"}
    )
    max_request_bytes: int = field(
        default=256 * 1024, metadata={"help": "largest request body accepted (413 above)"}
    )
    max_json_depth: int = field(
        default=16, metadata={"help": "deepest nesting a JSON body may have (400 deeper)"}
    )
    max_json_string_chars: int = field(
        default=20_000, metadata={"help": "longest string a JSON body may hold (413 above)"}
    )
    reasons_shown: int = field(default=3, metadata={"help": "reasons returned per answer"})
    cards_shown: int = field(default=3, metadata={"help": "cards returned per answer"})
    two_person_publish: bool = field(
        default=False,
        metadata={"help": "a draft card is published only by a lead other than its author"},
    )
    playbook_refresh_seconds: float = field(
        default=2.0, metadata={"help": "how quickly a published card reaches every worker"}
    )
    secret_key: str = field(
        default="",
        metadata={"help": "signs page cookies; default: generated once under the data directory"},
    )
    rate_limit_per_minute: int = field(
        default=1200,
        metadata={"help": "requests per minute per API key, in each worker (0: unlimited)"},
    )
    login_attempts_per_minute: int = field(
        default=10,
        metadata={"help": "sign-in attempts per minute per client address (0: unlimited)"},
    )
    retention_days: int = field(
        default=365, metadata={"help": "transcripts and raw events older than this are purged"}
    )
    secure_cookies: bool = field(
        default=True,
        metadata={
            "help": "page session cookies only over HTTPS (browsers treat localhost as secure)"
        },
    )
    sqlite_synchronous: str = field(
        default="FULL",
        metadata={
            "help": "SQLite's sync at commit: FULL keeps every acknowledged decision through "
            "a power loss; NORMAL is faster but may lose the last commits then"
        },
    )
    outbound_timeout_seconds: float = field(
        default=5.0, metadata={"help": "timeout of every call to the database and the registry"}
    )
    cost_per_agent_minute: float = field(
        default=1.0,
        metadata={
            "help": "cost of one agent minute (CLV's currency) for the ROI report when the "
            "ROI plan in force sets none"
        },
    )
    currency: str = field(
        default="USD",
        metadata={
            "help": "ISO 4217 code of the money in CLV, wallet change and agent-minute cost; "
            "reports format it per reader's locale"
        },
    )
    log_level: str = field(default="INFO", metadata={"help": "Python logging level"})
    serve_threads: int = field(
        default=16,
        metadata={
            "help": "threads per gunicorn worker: requests (and long-poll waits) it answers "
            "at once; idle keep-alive connections hold none"
        },
    )
    serve_keepalive_seconds: int = field(
        default=75,
        metadata={"help": "how long an idle client connection is kept open (0: close each)"},
    )
    profile_cache_seconds: float = field(
        default=5.0,
        metadata={"help": "how long a worker reuses a customer's profile before reading it again"},
    )
    guidance_wait_seconds: float = field(
        default=20.0,
        metadata={"help": "longest a desk's guidance long-poll waits before answering 204"},
    )
    guidance_max_waits: int = field(
        default=-1,
        metadata={
            "help": "open guidance waits per worker, each holding a thread (beyond it: 204 at "
            "once with Retry-After); -1: serve_threads - 4, so 4 threads always answer the rest"
        },
    )
    guidance_poll_seconds: float = field(
        default=0.5,
        metadata={"help": "how often a waiting desk looks for guidance made by other workers"},
    )
    twilio_auth_token: str = field(
        default="",
        metadata={"help": "Twilio auth token: checks X-Twilio-Signature (empty: connector off)"},
    )
    zendesk_webhook_secret: str = field(
        default="",
        metadata={"help": "Zendesk webhook signing secret (empty: connector off)"},
    )
    public_base_url: str = field(
        default="",
        metadata={
            "help": "the service's public URL (https://host), the one Twilio signs; empty: "
            "the URL the request arrived on"
        },
    )

    def __post_init__(self):
        data_dir = Path(self.data_dir)
        object.__setattr__(self, "data_dir", data_dir)
        if not self.database_url:
            object.__setattr__(self, "database_url", f"sqlite:///{data_dir / 'value_assist.db'}")
        if not self.mlflow_tracking_uri:
            object.__setattr__(self, "mlflow_tracking_uri", f"sqlite:///{data_dir / 'mlflow.db'}")
        check_settings(self)

    @property
    def model_cache_dir(self) -> Path:
        return self.data_dir / "model_cache"

    @property
    def guidance_waits_per_worker(self) -> int:
        """Open long-poll waits a worker may hold: the setting, or its threads minus the
        THREADS_KEPT_FOR_REQUESTS that always answer /v1/assist and the rest."""
        if self.guidance_max_waits >= 0:
            return self.guidance_max_waits
        return max(self.serve_threads - THREADS_KEPT_FOR_REQUESTS, 0)

    @property
    def spool_dir(self) -> Path:
        return self.data_dir / "spool"

    @property
    def artifact_root(self) -> Path:
        return self.data_dir / "mlartifacts"

    def with_overrides(self, **overrides) -> "Settings":
        return replace(self, **overrides)


def load_settings(environ=None, **overrides) -> Settings:
    """Settings from the environment (VALUE_ASSIST_*, MLFLOW_TRACKING_URI) plus overrides."""
    environ = os.environ if environ is None else environ
    values = {}
    types = {"bool": bool, "int": int, "float": float, "str": str, "Path": Path}
    for f in fields(Settings):
        name = env_name(f.name)
        if name in environ:
            kind = types[f.type if isinstance(f.type, str) else f.type.__name__]
            values[f.name] = parse_value(kind, environ[name], name)
    values.update(overrides)
    return Settings(**values)


def settings_reference() -> list[tuple[str, str, str]]:
    """(environment variable, default, meaning) for every setting: the README's table."""
    defaults = Settings(data_dir=Path("data"))
    return [
        (env_name(f.name), str(getattr(defaults, f.name)), f.metadata.get("help", ""))
        for f in fields(Settings)
    ]
