"""The decision log: one durable row per /v1/assist answer, plus the interaction snapshot.

Both are written in one transaction, so an answer's decision and the customer facts it
was based on are stored together or not at all. The snapshot makes live interactions
trainable later (outcomes join to it) exactly like imported ones.

The snapshot's upsert carries the authorization rule (`owned_by_caller`): an existing
interaction is updated only when it is the same customer's and the caller may touch it
(`access.authorization.can_touch_interaction`, as SQL). Otherwise nothing is written and
the caller gets 409 (another customer's id) or 403 (another agent's contact): one
statement, so no other write can slip between the check and the update.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import Boolean, and_, bindparam, insert, or_, select, true

from assist_api.privacy.redact import redact
from assist_api.services.access.authorization import (
    InteractionOwner,
    interaction_access,
    refused_snapshot,
)
from assist_api.store.card_tables import CardImpression
from assist_api.store.prepared import AnyConnection, PreparedStatement, run
from assist_api.store.store import Store
from assist_api.store.tables import Decision, Interaction
from assist_api.store.upsert import upsert_statement
from features.columns import CUSTOMER_COLUMN_NAMES

SNAPSHOT_UPDATED_COLUMNS = (
    "channel",
    "language",
    "contact_reason",
    "transcript",
    "customer_sentiment",
    "elapsed_seconds",
    "agent_id",
    "pool",
    *CUSTOMER_COLUMN_NAMES[1:],  # the customer id is the key, never updated
    "updated_at",
)

# Nullable decision columns a writer may leave out: a decision spooled by an older version
# (before a column existed) still drains, and gets NULL there.
OPTIONAL_DECISION_COLUMNS = {c.name: None for c in Decision.__table__.columns if c.nullable}


# Built once: the real-time path only executes them (assist_api.store.prepared).
PREVIOUS_DECISION = (
    select(Decision.sequence, Decision.top_card_id)
    .where(Decision.interaction_id == bindparam("interaction_id"))
    .order_by(Decision.sequence.desc())
    .limit(1)
)
# Cards already shown earlier in this interaction (the customer filter uses the index).
SHOWN_IN_INTERACTION = (
    select(CardImpression.card_id)
    .join(Decision, Decision.decision_id == CardImpression.decision_id)
    .where(
        CardImpression.customer_id == bindparam("customer_id"),
        Decision.interaction_id == bindparam("interaction_id"),
    )
)
IMPRESSION_COLUMNS = ("customer_id", "card_id", "decision_id", "shown_at")
# Columns added after decisions were first spooled (migration 0005): a spool file written
# by an older worker lacks them, and drains with these values.
LATER_COLUMNS = {"inputs": None, "as_of": None, "policy": None, "test": False}
_STORED = Interaction.__table__.c


def owned_by_caller(excluded):
    """can_touch_interaction in SQL (parameters: authorization.interaction_access), and
    the same customer as the row proposed (`excluded`)."""
    return and_(
        _STORED.customer_id == excluded.customer_id,
        or_(
            bindparam("access_unrestricted", type_=Boolean) == true(),
            _STORED.owner_key_id == bindparam("access_key_id"),
            _STORED.agent_id == bindparam("access_agent_id"),
            _STORED.pool == bindparam("access_team"),
        ),
    )


OWNER = select(
    Interaction.customer_id, Interaction.owner_key_id, Interaction.agent_id, Interaction.pool
).where(Interaction.interaction_id == bindparam("interaction_id"))


@dataclass(frozen=True)
class LoggedDecision:
    """What the log decided about one decision: the answer reports it as given here."""

    sequence: int | None  # its place in the interaction; None while it waits in the spool
    top_card_changed: bool  # the best card differs from the interaction's previous answer
    spooled: bool = False  # the store was unreachable: kept on disk, replayed later


class DecisionWriter(Protocol):
    """What the assist pipeline needs of a decision log (DecisionLog, SpoolingDecisionLog)."""

    def write(
        self, decision: dict, snapshot: dict, access: dict | None = None
    ) -> LoggedDecision: ...


class DecisionLog:
    def __init__(self, store: Store):
        self.store = store
        dialect = store.engine.dialect
        self._upsert_snapshot = PreparedStatement(
            upsert_statement(
                dialect.name,
                Interaction.__table__,
                ("interaction_id",),
                SNAPSHOT_UPDATED_COLUMNS,
                where=owned_by_caller,
            ).returning(Interaction.interaction_id),
            dialect,
        )
        self._owner = PreparedStatement(OWNER, dialect)
        self._previous = PreparedStatement(PREVIOUS_DECISION, dialect)
        self._insert_decision = PreparedStatement(Decision.__table__.insert(), dialect)
        self._shown = PreparedStatement(SHOWN_IN_INTERACTION, dialect)
        self._insert_impression = PreparedStatement(
            insert(CardImpression).values({name: bindparam(name) for name in IMPRESSION_COLUMNS}),
            dialect,
        )

    def write(self, decision: dict, snapshot: dict, access: dict | None = None) -> LoggedDecision:
        """Store the decision as the interaction's next one, with its snapshot.

        `access` (authorization.interaction_access of the caller; None: a trusted caller)
        decides whether an existing interaction may be updated; refused, nothing is stored
        and Conflict or Forbidden is raised.

        `decision` is left as given; the sequence number and whether the top card changed
        (compared with the interaction's previous answer) come back as a LoggedDecision.

        The interaction's snapshot is written first: that write locks the interaction's row
        (PostgreSQL) or the database (SQLite) until commit, so two answers for the same
        interaction written at the same moment take their sequence numbers one after the
        other instead of both picking the same one.
        """
        values = {**snapshot, **(access or interaction_access(None))}

        def store_both(connection: AnyConnection) -> LoggedDecision:
            if not self._upsert_snapshot.rows(connection, values):
                raise self._refusal(connection, snapshot)
            return self.append(connection, decision)

        return run(self.store.engine, store_both, commit=True)

    def _refusal(self, connection: AnyConnection, snapshot: dict) -> Exception:
        found = self._owner.rows(connection, {"interaction_id": snapshot["interaction_id"]})
        return refused_snapshot(InteractionOwner(*found[0]), snapshot["customer_id"])

    def append(self, connection: AnyConnection, decision: dict) -> LoggedDecision:
        """Insert `decision` as its interaction's next one, in the caller's transaction."""
        for name, value in LATER_COLUMNS.items():
            decision.setdefault(name, value)
        found = self._previous.rows(connection, {"interaction_id": decision["interaction_id"]})
        previous = found[0] if found else None
        logged = LoggedDecision(
            sequence=previous[0] + 1 if previous else 1,
            top_card_changed=bool(previous and previous[1] != decision["top_card_id"]),
        )
        row = {
            **OPTIONAL_DECISION_COLUMNS,
            **decision,
            "sequence": logged.sequence,
            "top_card_changed": logged.top_card_changed,
        }
        self._insert_decision.rows(connection, row)
        self._record_impressions(connection, decision, repeat=previous is not None)
        return logged

    def _record_impressions(
        self, connection: AnyConnection, decision: dict, *, repeat: bool
    ) -> None:
        """One row per card first shown in this interaction, for the per-customer frequency
        cap: it counts contacts, so asking again within one conversation adds nothing."""
        shown = [card["card_id"] for card in decision["cards"]]
        if shown and repeat:
            keys = {
                "customer_id": decision["customer_id"],
                "interaction_id": decision["interaction_id"],
            }
            seen = {row[0] for row in self._shown.rows(connection, keys)}
            shown = [card_id for card_id in shown if card_id not in seen]
        if shown:
            self._insert_impression.run_many(
                connection,
                [
                    {
                        "customer_id": decision["customer_id"],
                        "card_id": card_id,
                        "decision_id": decision["decision_id"],
                        "shown_at": decision["created_at"],
                    }
                    for card_id in shown
                ],
            )


def interaction_snapshot(
    record: dict,
    *,
    holdout: bool,
    pool: str,
    now: datetime,
    test: bool = False,
    owner_key_id: str | None = None,
) -> dict:
    """The interactions row for a live request (import-format columns), transcript redacted:
    the raw text was only needed in memory, for scoring. `owner_key_id` is kept only when
    the row is created: the key that opened the contact owns it.

    `elapsed_seconds` is NOT NULL in this table (since 0001; making it nullable would
    rebuild the table on SQLite), so a missing one is written as 0.0 here — training
    never reads it from here for a live interaction: it takes the decision's `as_of`,
    where a missing elapsed time stays null (learning.snapshots)."""
    return {
        "interaction_id": record["interaction_id"],
        "customer_id": record["customer_id"],
        "started_at": now,
        "channel": record["channel"],
        "language": record["language"],
        "contact_reason": record.get("contact_reason"),
        "transcript": redact(record.get("transcript")),
        "customer_sentiment": record.get("customer_sentiment"),
        "elapsed_seconds": record.get("elapsed_seconds") or 0.0,
        "agent_id": record.get("agent_id"),
        "pool": pool,
        "days_since_purchase": record["days_since_purchase"],
        "persona": record["persona"],
        "plan_tier": record["plan_tier"],
        "products_owned": record["products_owned"],
        "feature_adoption": record["feature_adoption"],
        "prior_contacts_90d": record["prior_contacts_90d"],
        "clv": record["clv"],
        "switching_effort": record["switching_effort"],
        "holdout": holdout,
        "activity_attempted": None,
        "updated_at": now,
        "test": test,
        "owner_key_id": owner_key_id,
    }
