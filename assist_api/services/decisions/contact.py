"""A live contact as the store knows it, so a desk that reloads can pick the call back up.

The desk keeps the conversation in the page; a reload (or a second screen) would lose it
and with it the interaction id the outcome must be attached to. The interactions row
already holds what the last decision was made from — the customer snapshot, channel,
language and the transcript (redacted as stored) — so that is what comes back, including
the CLV the desk itself sent (the request still needs it until profiles are stored).
"""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assist_api.services.access.authorization import (
    Caller,
    InteractionOwner,
    require_interaction,
)
from assist_api.services.clock import as_utc
from assist_api.store.tables import Decision, Interaction
from features.columns import CUSTOMER_COLUMN_NAMES

CUSTOMER_FIELDS = CUSTOMER_COLUMN_NAMES


def contact_state(session: Session, interaction_id: str, caller: Caller | None = None) -> dict:
    """The stored contact; NotFound when it is unknown or not the caller's to see."""
    row = session.get(Interaction, interaction_id)
    owner = row and InteractionOwner(row.customer_id, row.owner_key_id, row.agent_id, row.pool)
    require_interaction(caller, owner)
    last = session.scalar(
        select(func.max(Decision.sequence)).where(Decision.interaction_id == interaction_id)
    )
    return {
        "interaction_id": row.interaction_id,
        "channel": row.channel,
        "language": row.language,
        "contact_reason": row.contact_reason,
        "customer": {name: getattr(row, name) for name in CUSTOMER_FIELDS},
        "transcript": [line for line in (row.transcript or "").split("\n") if line.strip()],
        "last_sequence": last,
        "updated_at": as_utc(row.updated_at),  # SQLite hands back naive datetimes
    }
