"""The import format's columns (CONTRACT.md), with their types and allowed values.

Used by the simulator (writes them), the importer (validates them), the store (keeps them)
and the features (reads them): one definition, so the four cannot drift apart.
"""

from dataclasses import dataclass, replace

from features.ids import MAX_ID_CHARS
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
    plain_id: bool = False  # an id: features/ids.py's rule (no control or bidi characters)


# Upper limits: far beyond any real value, low enough that every value fits the store's
# columns (32-bit integers on PostgreSQL) and sums and squares in reports stay finite.
MAX_DAYS = 36_500
MAX_PRODUCTS = 1_000
MAX_CONTACTS = 10_000
MAX_SECONDS = 10_000_000.0
MAX_MONEY = 1e12

INTERACTION_COLUMNS = (
    Column("interaction_id", "str", max_length=MAX_ID_CHARS, plain_id=True),
    Column("customer_id", "str", max_length=MAX_ID_CHARS, plain_id=True),
    Column("started_at", "datetime"),
    Column("channel", "enum", choices=CHANNELS),
    Column("language", "str", max_length=35),
    Column("contact_reason", "enum", required=False, choices=CONTACT_REASONS),
    Column("transcript", "str", required=False, max_length=100_000),
    Column("customer_sentiment", "float", required=False, minimum=-1.0, maximum=1.0),
    Column("elapsed_seconds", "float", minimum=0.0, maximum=MAX_SECONDS),
    Column("agent_id", "str", required=False, max_length=MAX_ID_CHARS, plain_id=True),
    Column("pool", "str", required=False, max_length=128),
    Column("days_since_purchase", "int", minimum=0, maximum=MAX_DAYS),
    Column("persona", "str", max_length=64),
    Column("plan_tier", "str", max_length=64),
    Column("products_owned", "int", minimum=0, maximum=MAX_PRODUCTS),
    Column("feature_adoption", "float", minimum=0.0, maximum=1.0),
    Column("prior_contacts_90d", "int", minimum=0, maximum=MAX_CONTACTS),
    Column("clv", "float", minimum=0.0, maximum=MAX_MONEY),
    Column("switching_effort", "enum", choices=SWITCHING_EFFORTS),
    Column("holdout", "bool"),
    Column("activity_attempted", "enum", required=False, choices=ACTIVITIES),
)

OUTCOME_COLUMNS = (
    Column("interaction_id", "str", max_length=MAX_ID_CHARS, plain_id=True),
    Column("card_id_used", "str", required=False, max_length=200),
    Column("ves_confidence", "int", required=False, minimum=1, maximum=7),
    Column("ves_ability", "int", required=False, minimum=1, maximum=7),
    Column("csat", "int", required=False, minimum=1, maximum=5),
    Column("nps", "int", required=False, minimum=0, maximum=10),
    Column("ces", "int", required=False, minimum=1, maximum=7),
    Column("resolved", "bool", required=False),
    Column("retained_60d", "bool", required=False),
    Column("wallet_change", "float", required=False, minimum=-MAX_MONEY, maximum=MAX_MONEY),
    Column("handle_seconds", "float", required=False, minimum=0.0, maximum=MAX_SECONDS),
)

# The customer's own facts (beyond the id): the one list the profile, the snapshot,
# the closed-loop world and the benchmarks all use.
CUSTOMER_FACT_NAMES = (
    "days_since_purchase",
    "persona",
    "plan_tier",
    "products_owned",
    "feature_adoption",
    "prior_contacts_90d",
    "clv",
    "switching_effort",
)
# A CRM profile (`import --customers`): the interaction format's customer columns, each
# optional (the CRM may not know it), with the moment from which the values are true.
CUSTOMER_COLUMNS = (
    Column("customer_id", "str", max_length=MAX_ID_CHARS, plain_id=True),
    Column("as_of", "datetime"),
    *(
        replace(column, required=False)
        for column in INTERACTION_COLUMNS
        if column.name in CUSTOMER_FACT_NAMES
    ),
)

INTERACTION_COLUMN_NAMES = tuple(c.name for c in INTERACTION_COLUMNS)
OUTCOME_COLUMN_NAMES = tuple(c.name for c in OUTCOME_COLUMNS)
OUTCOME_FIELDS = OUTCOME_COLUMN_NAMES[1:]
# The customer's own facts: the API's `customer` object, and what a live interaction's
# snapshot refreshes about the customer (the rest of a record is the contact itself).
CUSTOMER_COLUMN_NAMES = ("customer_id", *CUSTOMER_FACT_NAMES)
