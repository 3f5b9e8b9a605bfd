"""Where the measured retention per VE success is kept, and how the router reads it."""

from dataclasses import asdict

from sqlalchemy.orm import Session

from assist_api.services.audit import record_audit
from assist_api.services.routing.retention_gain import PUBLISHED, RetentionGain
from assist_api.store.routing_tables import RoutingEstimate
from assist_api.store.store import Store

NAME = "retention_gain_per_success"


def save_retention_gain(store: Store, gain: RetentionGain, *, actor: str, now) -> None:
    """Replace the stored figure (a published one too: the router then says why)."""
    low, high = gain.ci90 or (None, None)
    with store.uow() as uow:
        row = uow.session.get(RoutingEstimate, NAME) or RoutingEstimate(name=NAME)
        row.value, row.source, row.ci_low, row.ci_high = gain.value, gain.source, low, high
        row.n_offered, row.n_control, row.note = gain.n_offered, gain.n_control, gain.note
        row.measured_at = now
        uow.session.add(row)
        details = {**asdict(gain), "ci90": list(gain.ci90) if gain.ci90 else None}
        record_audit(
            uow.session,
            actor=actor,
            action="measure_retention_gain",
            entity_type="routing_estimates",
            entity_id=NAME,
            details=details,
            now=now,
        )
        uow.commit()


def read_retention_gain(session: Session) -> RetentionGain:
    """The stored figure, or the published one when none was ever measured."""
    row = session.get(RoutingEstimate, NAME)
    if row is None:
        return PUBLISHED
    ci90 = None if row.ci_low is None else (row.ci_low, row.ci_high)
    return RetentionGain(row.value, row.source, ci90, row.n_offered, row.n_control, row.note)
