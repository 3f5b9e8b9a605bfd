"""The decision log: one durable row per /v1/assist answer, plus the interaction snapshot.

Both are written in one transaction, so an answer's decision and the customer facts it
was based on are stored together or not at all. The snapshot makes live interactions
trainable later (outcomes join to it) exactly like imported ones.
"""

from datetime import datetime

from sqlalchemy import bindparam, select

from assist_api.privacy.redact import redact
from assist_api.store.store import Store
from assist_api.store.tables import CardImpression, Decision, Interaction
from assist_api.store.upsert import upsert

SNAPSHOT_UPDATED_COLUMNS = (
    "channel",
    "language",
    "contact_reason",
    "transcript",
    "customer_sentiment",
    "elapsed_seconds",
    "agent_id",
    "pool",
    "days_since_purchase",
    "persona",
    "plan_tier",
    "products_owned",
    "feature_adoption",
    "prior_contacts_90d",
    "clv",
    "switching_effort",
    "updated_at",
)


# Built once: executing prepared statements with parameters keeps the write under a
# millisecond; constructing them per request would cost several.
PREVIOUS_DECISION = (
    select(Decision.sequence, Decision.top_card_id)
    .where(Decision.interaction_id == bindparam("interaction_id"))
    .order_by(Decision.sequence.desc())
    .limit(1)
)
INSERT_DECISION = Decision.__table__.insert()
INSERT_IMPRESSION = CardImpression.__table__.insert()
# Cards already shown earlier in this interaction (the customer filter uses the index).
SEEN_IN_INTERACTION = (
    select(CardImpression.card_id)
    .join(Decision, Decision.decision_id == CardImpression.decision_id)
    .where(
        CardImpression.customer_id == bindparam("customer_id"),
        CardImpression.card_id.in_(bindparam("card_ids", expanding=True)),
        Decision.interaction_id == bindparam("interaction_id"),
    )
)


class DecisionLog:
    def __init__(self, store: Store):
        self._store = store

    def write(self, decision: dict, snapshot: dict) -> dict:
        """Store the decision as the interaction's next one; fills `sequence` and
        `top_card_changed` (compared with the interaction's previous answer) and returns it.

        The interaction's snapshot is written first: that write locks the interaction's row
        (PostgreSQL) or the database (SQLite) until commit, so two answers for the same
        interaction written at the same moment take their sequence numbers one after the
        other instead of both picking the same one.
        """
        with self._store.engine.begin() as connection:
            upsert(
                connection,
                Interaction.__table__,
                snapshot,
                keys=("interaction_id",),
                update=SNAPSHOT_UPDATED_COLUMNS,
            )
            previous = connection.execute(
                PREVIOUS_DECISION, {"interaction_id": decision["interaction_id"]}
            ).first()
            decision["sequence"] = previous.sequence + 1 if previous else 1
            decision["top_card_changed"] = bool(
                previous and previous.top_card_id != decision["top_card_id"]
            )
            connection.execute(INSERT_DECISION, decision)
            record_impressions(connection, decision, repeat=previous is not None)
        return decision


def record_impressions(connection, decision: dict, *, repeat: bool) -> None:
    """One row per card first shown in this interaction, for the per-customer frequency
    cap: it counts contacts, so asking again within one conversation adds nothing."""
    shown = [card["card_id"] for card in decision["cards"]]
    if shown and repeat:
        keys = {
            "customer_id": decision["customer_id"],
            "card_ids": shown,
            "interaction_id": decision["interaction_id"],
        }
        seen = set(connection.execute(SEEN_IN_INTERACTION, keys).scalars())
        shown = [card_id for card_id in shown if card_id not in seen]
    if shown:
        connection.execute(
            INSERT_IMPRESSION,
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


def interaction_snapshot(record: dict, *, holdout: bool, pool: str, now: datetime) -> dict:
    """The interactions row for a live request (import-format columns), transcript redacted:
    the raw text was only needed in memory, for scoring."""
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
    }
