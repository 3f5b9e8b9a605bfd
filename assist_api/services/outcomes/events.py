"""Outcome events and current outcomes: every post kept, the latest value of each field wins.

Shared by `POST /v1/outcomes` (one event at a time) and `value-assist import` (thousands),
so a survey answer means the same thing whichever way it arrives.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from assist_api.store.bulk import bulk_insert, bulk_update
from assist_api.store.tables import Outcome, OutcomeEvent
from features.columns import OUTCOME_FIELDS

CHUNK = 500


@dataclass
class OutcomeApplyResult:
    stored: int  # new events stored
    duplicates: int  # identical events already stored (retries), ignored


def payload_hash(interaction_id: str, fields: dict) -> str:
    canonical = json.dumps({"interaction_id": interaction_id, **fields}, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def apply_outcome_events(
    session: Session, events: list[dict], *, source: str, now: datetime
) -> OutcomeApplyResult:
    """Store new events (in order) and fold them into each interaction's current outcome.

    Each event is {"interaction_id": ..., <field>: value, ...} holding only the fields it
    reports. An event identical to one already stored changes nothing.
    """
    ids = sorted({e["interaction_id"] for e in events})
    seen = _existing_hashes(session, ids)
    current = _current_outcomes(session, ids)
    new_events, changed = [], {}
    for event in events:
        interaction_id = event["interaction_id"]
        fields = {k: event[k] for k in OUTCOME_FIELDS if k in event and event[k] is not None}
        digest = payload_hash(interaction_id, fields)
        if digest in seen.get(interaction_id, ()):
            continue
        seen.setdefault(interaction_id, set()).add(digest)
        new_events.append(
            {
                "interaction_id": interaction_id,
                "received_at": now,
                "payload": fields,
                "payload_hash": digest,
                "source": source,
            }
        )
        merged = changed.setdefault(interaction_id, dict(current.get(interaction_id, {})))
        merged.update(fields)
    bulk_insert(session, OutcomeEvent, new_events)
    inserts = [
        {**_blank(), **values, "interaction_id": i, "updated_at": now}
        for i, values in changed.items()
        if i not in current
    ]
    updates = [
        {**values, "interaction_id": i, "updated_at": now}
        for i, values in changed.items()
        if i in current
    ]
    bulk_insert(session, Outcome, inserts)
    bulk_update(session, Outcome, updates, key="interaction_id")
    return OutcomeApplyResult(len(new_events), len(events) - len(new_events))


def _blank() -> dict:
    return dict.fromkeys(OUTCOME_FIELDS)


def _existing_hashes(session: Session, ids: list[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for start in range(0, len(ids), CHUNK):
        rows = session.execute(
            select(OutcomeEvent.interaction_id, OutcomeEvent.payload_hash).where(
                OutcomeEvent.interaction_id.in_(ids[start : start + CHUNK])
            )
        )
        for interaction_id, digest in rows:
            found.setdefault(interaction_id, set()).add(digest)
    return found


def _current_outcomes(session: Session, ids: list[str]) -> dict[str, dict]:
    found = {}
    for start in range(0, len(ids), CHUNK):
        rows = session.scalars(
            select(Outcome).where(Outcome.interaction_id.in_(ids[start : start + CHUNK]))
        )
        for row in rows:
            found[row.interaction_id] = {f: getattr(row, f) for f in OUTCOME_FIELDS}
    return found
