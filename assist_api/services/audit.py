"""The audit log: who changed playbooks, pools, plans, keys and models, and when."""

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from assist_api.store.tables import AuditEntry


def record_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    details: dict | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Add an audit entry to the caller's transaction (it commits with the change itself)."""
    entry = AuditEntry(
        at=now or datetime.now(UTC),
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        details=details or {},
    )
    session.add(entry)
    return entry
