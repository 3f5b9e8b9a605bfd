"""Retention: transcripts and raw events past their time are deleted; aggregates stay.

Transcripts are personal data kept only for retraining, and raw events (each outcome
post, each card shown, each page session) only for audit and the frequency cap, so past
the retention period they go. What the ROI and the models stand on stays: the
interaction's customer facts (without its transcript), every decision and the merged
outcome of each interaction. The purge itself is recorded in the audit log.
"""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlalchemy.orm import Session

from assist_api.errors import InvalidFields
from assist_api.services.audit import record_audit
from assist_api.store.card_tables import CardImpression
from assist_api.store.tables import Interaction, OutcomeEvent, UiSession


@dataclass
class PurgeReport:
    cutoff: datetime
    transcripts_cleared: int
    outcome_events_deleted: int
    card_impressions_deleted: int
    ui_sessions_deleted: int


def purge(session: Session, *, older_than_days: int, actor: str, now: datetime) -> PurgeReport:
    """Clear transcripts and delete raw events from before `now - older_than_days`.

    Runs in the caller's transaction with its audit entry: commit to apply, roll back
    for a dry run (the counts are the same).
    """
    if older_than_days < 1:
        raise InvalidFields({"older_than": ["must be at least 1 day"]})
    cutoff = now - timedelta(days=older_than_days)
    report = PurgeReport(
        cutoff=cutoff,
        transcripts_cleared=session.execute(
            update(Interaction)
            .where(Interaction.started_at < cutoff, Interaction.transcript.is_not(None))
            .values(transcript=None)
            .execution_options(synchronize_session=False)
        ).rowcount,
        outcome_events_deleted=_delete(session, OutcomeEvent, OutcomeEvent.received_at < cutoff),
        card_impressions_deleted=_delete(session, CardImpression, CardImpression.shown_at < cutoff),
        ui_sessions_deleted=_delete(
            session, UiSession, or_(UiSession.created_at < cutoff, UiSession.expires_at < now)
        ),
    )
    details = {**asdict(report), "cutoff": cutoff.isoformat(), "older_than_days": older_than_days}
    record_audit(
        session,
        actor=actor,
        action="purge",
        entity_type="retention",
        entity_id=cutoff.date().isoformat(),
        details=details,
        now=now,
    )
    return report


def _delete(session: Session, table, condition) -> int:
    statement = delete(table).where(condition).execution_options(synchronize_session=False)
    return session.execute(statement).rowcount
