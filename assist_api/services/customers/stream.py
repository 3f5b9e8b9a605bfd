"""Utterances in, a new decision out when the customer said something new.

The desk opens an interaction with /v1/assist (who the customer is, channel, language);
from then on the conversation arrives as utterances, from the desk or a platform's
connector. Each batch is merged into the stream; when it added a final utterance of the
customer's, the interaction is scored again on the stream's whole transcript, with what
the interaction was opened with (channel, language, agent, given reason) and the
customer's profile as of now; a contact opened with a test key stays test traffic (its
decisions are marked like the opening one). The answer is the /v1/assist body and is kept for desks
waiting on the guidance long-poll. Partials, agent lines and repeats change no guidance,
so they make no decision. Utterances for an interaction nobody opened yet are kept and
count from its first decision on.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from assist_api.services.customers.guidance import GuidanceBoard
from assist_api.services.customers.profiles import CUSTOMER_FIELDS
from assist_api.services.customers.utterances import (
    final_utterances,
    merge_utterances,
    transcript_lines,
)
from assist_api.store.store import Store
from assist_api.store.tables import Interaction

OPENED_WITH = (
    "channel",
    "language",
    "agent_id",
    "contact_reason",
    "customer_sentiment",
    "elapsed_seconds",
)


@dataclass
class StreamDependencies:
    store: Store
    board: GuidanceBoard
    # (request, customer_defaults, test) -> the /v1/assist answer
    assist: Callable[[dict, dict, bool], dict]
    max_transcript_chars: int


def receive(
    interaction_id: str,
    utterances: list[dict],
    deps: StreamDependencies,
    now: datetime | None = None,
) -> dict | None:
    """Merge a batch; the new answer when it made one, else None."""
    now = now or datetime.now(UTC)
    with deps.store.uow() as uow:
        merged = merge_utterances(uow.session, interaction_id, utterances, now)
        opened = _opened_with(uow.session, interaction_id) if merged.customer_finals else None
        if opened is not None:
            rows = final_utterances(uow.session, interaction_id)
            opened[0]["transcript"] = transcript_lines(rows, deps.max_transcript_chars)
        uow.commit()
    if opened is None:
        return None
    request, defaults, test = opened
    answer = deps.assist(request, defaults, test)
    deps.board.publish(answer, now)
    return answer


def _opened_with(session: Session, interaction_id: str) -> tuple[dict, dict, bool] | None:
    """(the request to score again, the customer fields to use without a profile, whether
    it is test traffic).

    The defaults are the fields the interaction was last scored with: the desk's own,
    when it sent them for a customer the CRM does not know."""
    row = session.get(Interaction, interaction_id)
    if row is None:
        return None
    request = {"interaction_id": interaction_id, "customer": {"customer_id": row.customer_id}}
    request.update({name: getattr(row, name) for name in OPENED_WITH})
    defaults = {name: getattr(row, name) for name in CUSTOMER_FIELDS}
    known = {name: value for name, value in defaults.items() if value is not None}
    return request, known, bool(row.test)
