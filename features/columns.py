"""The import format's columns (CONTRACT.md), with their types and allowed values.

Used by the simulator (writes them), the importer (validates them), the store (keeps them)
and the features (reads them): one definition, so the four cannot drift apart.
"""

from dataclasses import dataclass

from features.vocabulary import ACTIVITIES, CHANNELS, CONTACT_REASONS, SWITCHING_EFFORTS


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "str" | "int" | "float" | "bool" | "datetime" | "enum"
    required: bool = True  # False: the value may be empty
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None


INTERACTION_COLUMNS = (
    Column("interaction_id", "str", max_length=128),
    Column("customer_id", "str", max_length=128),
    Column("started_at", "datetime"),
    Column("channel", "enum", choices=CHANNELS),
    Column("language", "str", max_length=35),
    Column("contact_reason", "enum", required=False, choices=CONTACT_REASONS),
    Column("transcript", "str", required=False, max_length=100_000),
    Column("customer_sentiment", "float", required=False, minimum=-1.0, maximum=1.0),
    Column("elapsed_seconds", "float", minimum=0.0),
    Column("agent_id", "str", required=False, max_length=128),
    Column("pool", "str", required=False, max_length=128),
    Column("days_since_purchase", "int", minimum=0),
    Column("persona", "str", max_length=64),
    Column("plan_tier", "str", max_length=64),
    Column("products_owned", "int", minimum=0),
    Column("feature_adoption", "float", minimum=0.0, maximum=1.0),
    Column("prior_contacts_90d", "int", minimum=0),
    Column("clv", "float", minimum=0.0),
    Column("switching_effort", "enum", choices=SWITCHING_EFFORTS),
    Column("holdout", "bool"),
    Column("activity_attempted", "enum", required=False, choices=ACTIVITIES),
)

OUTCOME_COLUMNS = (
    Column("interaction_id", "str", max_length=128),
    Column("card_id_used", "str", required=False, max_length=200),
    Column("ves_confidence", "int", required=False, minimum=1, maximum=7),
    Column("ves_ability", "int", required=False, minimum=1, maximum=7),
    Column("csat", "int", required=False, minimum=1, maximum=5),
    Column("nps", "int", required=False, minimum=0, maximum=10),
    Column("ces", "int", required=False, minimum=1, maximum=7),
    Column("resolved", "bool", required=False),
    Column("retained_60d", "bool", required=False),
    Column("wallet_change", "float", required=False),
    Column("handle_seconds", "float", required=False, minimum=0.0),
)

INTERACTION_COLUMN_NAMES = tuple(c.name for c in INTERACTION_COLUMNS)
OUTCOME_COLUMN_NAMES = tuple(c.name for c in OUTCOME_COLUMNS)
OUTCOME_FIELDS = OUTCOME_COLUMN_NAMES[1:]
