"""Decisions as the spool holds them, and the decision rows a drain wrote (spool tests)."""

from datetime import UTC, datetime

from sqlalchemy import select

from assist_api.services.decisions.log import interaction_snapshot
from assist_api.services.decisions.spooling import SPOOLED
from assist_api.store.tables import Decision
from tests.helpers.assist_requests import OMIT, assist_request

PHONE = "090-1234-5678"


def assist_body(interaction_id: str) -> dict:
    return assist_request(
        interaction_id=interaction_id,
        customer_id=f"c-{interaction_id}",
        transcript=[f"設定方法を教えてください。電話番号は{PHONE}です。"],
        contact_reason=OMIT,
        customer_sentiment=OMIT,
        elapsed_seconds=OMIT,
    )


def spool_entry(i: int) -> dict:
    """A decision and snapshot as the assist pipeline hands them to the decision log."""
    now = datetime.now(UTC)
    record = {
        **assist_body(f"i-{i % 7}")["customer"],
        "interaction_id": f"i-{i % 7}",
        "channel": "chat",
        "language": "en",
        "transcript": "How do I share a report?",
    }
    decision = {
        "decision_id": f"d-{i}",
        "interaction_id": record["interaction_id"],
        "sequence": None,
        "customer_id": record["customer_id"],
        "created_at": now,
        "model_name": None,
        "model_version": None,
        "score": None,
        "band": None,
        "activity_scores": None,
        "reasons": [],
        "cards": [],
        "top_card_id": None,
        "top_card_changed": False,
        "pool": "standard",
        "route_reason": "test",
        "route_fallback": False,
        "holdout": False,
        "routing_holdout": False,
        "degraded": [SPOOLED],
        "latency_ms": 1.0,
    }
    snapshot = interaction_snapshot(record, holdout=False, pool="standard", now=now)
    return {"decision": decision, "snapshot": snapshot}


def decision_rows(store) -> list[tuple[str, str, int]]:
    with store.uow() as uow:
        rows = uow.session.execute(
            select(Decision.decision_id, Decision.interaction_id, Decision.sequence)
        )
        return sorted(tuple(row) for row in rows)
