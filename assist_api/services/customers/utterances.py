"""A live interaction's utterance stream, and the transcript read from it.

Platforms deliver at least once and in no guaranteed order, and speech engines send
partial results before the final one. Stored state must not depend on either, so each
utterance is keyed by (interaction, utterance_id) and merged by three rules:
- new id: stored;
- a final is never replaced (a retried or late-arriving copy changes nothing);
- a partial is replaced by its final, or by a later partial.
The transcript is the final utterances in `offset_ms` order (ties by id), each line
labelled with its speaker ("Customer: ...", "Agent: ..."), which is how `features.text`
tells the customer's words from everyone else's. Text is stored redacted, like every
stored transcript, and scoring reads the stored text, so a stream scores the same
whatever order its utterances came in.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from assist_api.privacy.redact import redact, redact_utterances
from assist_api.store.customer_tables import Utterance

LABELS = {"customer": "Customer", "agent": "Agent", "system": "System", "bot": "Bot"}
CHUNK = 500


@dataclass(frozen=True)
class MergeResult:
    stored: int  # rows inserted or changed
    customer_finals: int  # finals from the customer that are new to the stream


def merge_utterances(
    session: Session, interaction_id: str, utterances: list[dict], now: datetime
) -> MergeResult:
    """Apply the three rules to a batch (in the caller's transaction)."""
    ids = sorted({u["utterance_id"] for u in utterances})
    known: dict[str, Utterance] = {}
    for start in range(0, len(ids), CHUNK):
        known.update(
            (row.utterance_id, row)
            for row in session.scalars(
                select(Utterance).where(
                    Utterance.interaction_id == interaction_id,
                    Utterance.utterance_id.in_(ids[start : start + CHUNK]),
                )
            )
        )
    stored = customer_finals = 0
    for item in utterances:
        row = known.get(item["utterance_id"])
        if row is not None and row.is_final:
            continue
        if row is None:
            row = Utterance(interaction_id=interaction_id, utterance_id=item["utterance_id"])
            session.add(row)
            known[item["utterance_id"]] = row
        row.speaker = item["speaker"]
        row.text = redact(item["text"])
        row.is_final = item["is_final"]
        row.offset_ms = item["offset_ms"]
        row.language = item.get("language")
        row.received_at = now
        stored += 1
        customer_finals += item["is_final"] and item["speaker"] == "customer"
    session.flush()
    if stored:
        _redact_across(final_utterances(session, interaction_id))
    return MergeResult(stored, customer_finals)


def _redact_across(rows: list[Utterance]) -> None:
    """Redact the finals as one conversation: a card or phone number spoken over two
    utterances is found whole once both are in (each piece alone is too short to be)."""
    for row, text in zip(rows, redact_utterances([row.text for row in rows]), strict=True):
        if text != row.text:
            row.text = text


def final_utterances(session: Session, interaction_id: str) -> list[Utterance]:
    return list(
        session.scalars(
            select(Utterance)
            .where(Utterance.interaction_id == interaction_id, Utterance.is_final.is_(True))
            .order_by(Utterance.offset_ms, Utterance.utterance_id)
        )
    )


def transcript_lines(rows: list[Utterance], max_chars: int) -> list[str]:
    """Labelled lines, oldest first; the oldest are dropped when the whole would exceed
    `max_chars` (a long chat must not turn into a 413: the latest words matter most)."""
    lines = [f"{LABELS[row.speaker]}: {' '.join(row.text.split())}" for row in rows]
    total, kept = 0, []
    for line in reversed(lines):
        total += len(line)
        if total > max_chars:
            break
        kept.append(line)
    return kept[::-1]
