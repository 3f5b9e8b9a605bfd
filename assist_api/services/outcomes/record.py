"""Recording one outcome post: stored as an event, folded into the current outcome.

Outcomes arrive over weeks from several systems (the survey tool, the CRM's retention
job, the telephony platform's handle time), and two of them may post for the same
interaction at the same moment. Each post therefore takes the interaction's row lock
first: on PostgreSQL that serialises posts for one interaction, and on SQLite the write
lock is taken before anything is read. Without it, two concurrent first posts would both
try to insert the outcome row, and two concurrent later posts would each write back the
fields they read before the other committed, losing one post's values.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from assist_api.errors import NotFound
from assist_api.services.clock import as_utc
from assist_api.services.outcomes.events import apply_outcome_events
from assist_api.services.outcomes.integrity import check_card_used
from assist_api.store.store import Store
from assist_api.store.tables import Interaction, Outcome, OutcomeEvent
from features.columns import OUTCOME_FIELDS
from features.vocabulary import is_ve_success

SOURCE = "api"


@dataclass
class RecordedOutcome:
    interaction_id: str
    retry: bool  # an identical post was already stored: nothing changed
    events: int  # distinct posts stored for the interaction so far
    outcome: dict  # the current value of every outcome field, plus ve_success


def record_outcome(store: Store, post: dict, *, now: datetime) -> RecordedOutcome:
    """Store `post` ({"interaction_id", <any outcome fields>}) and return the merged outcome.

    Raises NotFound when the interaction is not in the store (neither imported nor seen by
    /v1/assist), so a mistyped id never creates an orphan outcome, and Conflict when the
    card used cannot have been (outcomes.integrity).
    """
    interaction_id = post["interaction_id"]
    with store.uow() as uow:
        if not _lock_interaction(uow.session, interaction_id, now):
            raise NotFound(
                f"no interaction {interaction_id!r} is known: record it through /v1/assist "
                "or `value-assist import` before posting its outcome",
                details={"interaction_id": interaction_id},
            )
        check_card_used(uow.session, interaction_id, post.get("card_id_used"))
        result = apply_outcome_events(uow.session, [post], source=SOURCE, now=now)
        uow.session.flush()
        recorded = RecordedOutcome(
            interaction_id=interaction_id,
            retry=result.stored == 0,
            events=_event_count(uow.session, interaction_id),
            outcome=_current(uow.session, interaction_id),
        )
        uow.commit()
    return recorded


def _lock_interaction(session: Session, interaction_id: str, now: datetime) -> bool:
    """Take the interaction's row lock (a write, so SQLite locks too); False if unknown.

    The write sets `updated_at` to its own value, so nothing changes; it is the
    transaction's first statement, so SQLite never has to upgrade a stale read snapshot.
    """
    locked = session.execute(
        update(Interaction)
        .where(Interaction.interaction_id == interaction_id)
        .values(updated_at=Interaction.updated_at)
        .execution_options(synchronize_session=False)
    )
    return locked.rowcount == 1


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
