"""Recording one outcome post: checked against the caller, kept as an event, folded.

Outcomes arrive over weeks from several systems (the survey tool, the CRM's retention
job, the telephony platform's handle time), and two of them may post for the same
interaction at the same moment. Each post therefore takes the interaction's row lock
first: on PostgreSQL that serialises posts for one interaction, and on SQLite the write
lock is taken before anything is read.

Who may post: the authorization layer decides (`access.authorization`): an agent only for
its own contacts, and retention and wallet only from a data feed, a lead or an admin.
A stranger's post gets the same 404 as an unknown id, and no error repeats the id.

Retries and corrections: a client names a retry with an `Idempotency-Key` header (the same
key again changes nothing; the same key with a different body is a 409). Without one,
every post is a new event — a content hash cannot tell a retry from a correction back to
an earlier value (csat 5 -> 3 -> 5 left 3). The current value of each field is the one of
the event with the latest event time (`observed_at` if the client sent it, else when it
was received; ties: the later post), so a late retry of an old value cannot undo a
correction, and "latest value wins" holds.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from assist_api.errors import Conflict
from assist_api.services.access.authorization import (
    Caller,
    InteractionOwner,
    require_fields_role,
    require_interaction,
)
from assist_api.services.clock import as_utc
from assist_api.services.outcomes.integrity import check_card_used
from assist_api.store.store import Store
from assist_api.store.tables import Interaction, Outcome, OutcomeEvent
from features.columns import OUTCOME_FIELDS
from features.vocabulary import is_ve_success

SOURCE = "api"


@dataclass
class RecordedOutcome:
    interaction_id: str
    retry: bool  # this Idempotency-Key (or observed_at and body) was already stored
    events: int  # distinct posts stored for the interaction so far
    outcome: dict  # the current value of every outcome field, plus ve_success


def record_outcome(
    store: Store,
    post: dict,
    *,
    now: datetime,
    caller: Caller | None = None,
    idempotency_key: str | None = None,
) -> RecordedOutcome:
    """Store `post` ({"interaction_id", "observed_at"?, <outcome fields>}) for `caller`
    (None: a trusted in-process caller) and return the merged outcome."""
    interaction_id = post["interaction_id"]
    fields = {k: post[k] for k in OUTCOME_FIELDS if post.get(k) is not None}
    require_fields_role(caller, fields)
    event_at = post.get("observed_at") or now
    with store.uow() as uow:
        require_interaction(caller, _lock_interaction(uow.session, interaction_id))
        # after the ownership check, so a stranger's 404 never turns into a telling 409
        check_card_used(uow.session, interaction_id, post.get("card_id_used"))
        digest = _dedupe_key(interaction_id, fields, event_at, idempotency_key)
        stored = uow.session.scalar(
            select(OutcomeEvent.payload).where(
                OutcomeEvent.interaction_id == interaction_id,
                OutcomeEvent.payload_hash == digest,
            )
        )
        if stored is not None and stored != fields:
            raise Conflict("this Idempotency-Key was already used for a different outcome post")
        if stored is None:
            uow.session.add(
                OutcomeEvent(
                    interaction_id=interaction_id,
                    received_at=now,
                    event_at=event_at,
                    payload=fields,
                    payload_hash=digest,
                    source=SOURCE,
                )
            )
            uow.session.flush()
            _fold(uow.session, interaction_id, now)
        recorded = RecordedOutcome(
            interaction_id=interaction_id,
            retry=stored is not None,
            events=_event_count(uow.session, interaction_id),
            outcome=_current(uow.session, interaction_id),
        )
        uow.commit()
    return recorded


def _dedupe_key(interaction_id: str, fields: dict, event_at: datetime, key: str | None) -> str:
    """What identifies a retry: the client's key, else the body at its event time."""
    identity = {"idempotency_key": key} if key else {"fields": fields, "at": event_at.isoformat()}
    canonical = json.dumps({"interaction_id": interaction_id, **identity}, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _lock_interaction(session: Session, interaction_id: str) -> InteractionOwner | None:
    """Take the interaction's row lock (a write, so SQLite locks too) and return who owns
    it; None if unknown.

    The write sets `updated_at` to its own value, so nothing changes; it is the
    transaction's first statement, so SQLite never has to upgrade a stale read snapshot.
    """
    locked = session.execute(
        update(Interaction)
        .where(Interaction.interaction_id == interaction_id)
        .values(updated_at=Interaction.updated_at)
        .execution_options(synchronize_session=False)
    )
    if locked.rowcount != 1:
        return None
    row = session.execute(
        select(
            Interaction.customer_id,
            Interaction.owner_key_id,
            Interaction.agent_id,
            Interaction.pool,
        ).where(Interaction.interaction_id == interaction_id)
    ).one()
    return InteractionOwner(*row)


def _fold(session: Session, interaction_id: str, now: datetime) -> None:
    """The current outcome from every event, in event-time order (latest value wins)."""
    events = session.execute(
        select(OutcomeEvent.payload)
        .where(OutcomeEvent.interaction_id == interaction_id)
        .order_by(func.coalesce(OutcomeEvent.event_at, OutcomeEvent.received_at), OutcomeEvent.id)
    ).scalars()
    values = dict.fromkeys(OUTCOME_FIELDS)
    for payload in events:
        values.update({k: v for k, v in payload.items() if k in values})
    row = session.get(Outcome, interaction_id)
    if row is None:
        session.add(Outcome(interaction_id=interaction_id, updated_at=now, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = now
    session.flush()


def _event_count(session: Session, interaction_id: str) -> int:
    return session.scalar(
        select(func.count())
        .select_from(OutcomeEvent)
        .where(OutcomeEvent.interaction_id == interaction_id)
    )


def _current(session: Session, interaction_id: str) -> dict:
    row = session.get(Outcome, interaction_id, populate_existing=True)
    values = {name: getattr(row, name) for name in OUTCOME_FIELDS}
    values["ve_success"] = is_ve_success(values["ves_confidence"], values["ves_ability"])
    values["updated_at"] = as_utc(row.updated_at)
    return values
