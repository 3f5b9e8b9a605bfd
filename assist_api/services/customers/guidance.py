"""The latest answer each interaction's utterance stream produced, and the wait for it.

A desk shows guidance that changes as the customer speaks, but the new decision is made
where the transcript arrives (a connector's request, on any worker), not in the desk's
request. The stream stores its answer (one row per interaction, the newest sequence
wins) and a desk waits for it with a long-poll: `wait(interaction, after)` returns as
soon as a newer answer exists, or None after the timeout.

Costs, under gunicorn's gthread workers: a waiting desk holds one of its worker's
threads for up to the timeout, and a thread that waits serves nothing else. So each
worker holds at most `max_waits` open waits (a setting, below its thread count); one
more answers at once with `Busy` (the route sends 204 + Retry-After, so the desk simply
polls). A wait re-reads its row every `poll_seconds` (one primary-key read) to see
answers made by other workers, and wakes at once for answers made in its own worker.
"""

import threading
import time
from datetime import datetime

from sqlalchemy import select

from assist_api.store.customer_tables import InteractionGuidance
from assist_api.store.store import Store


class Busy(Exception):
    """This worker already holds its maximum of open waits."""


class GuidanceBoard:
    def __init__(self, store: Store, *, max_waits: int, poll_seconds: float = 0.5):
        self._store = store
        self._max_waits = max_waits
        self._poll = poll_seconds
        self._changed = threading.Condition()
        self._waiting = 0

    @property
    def waiting(self) -> int:
        return self._waiting

    def publish(self, answer: dict, now: datetime) -> None:
        """Keep `answer` as its interaction's latest, unless a newer one is stored."""
        sequence = answer.get("sequence")
        if sequence is None:  # spooled: the desk's own request already has it
            return
        interaction_id = answer["interaction_id"]
        with self._store.uow() as uow:
            row = uow.session.get(InteractionGuidance, interaction_id, with_for_update=True)
            if row is None:
                uow.session.add(
                    InteractionGuidance(
                        interaction_id=interaction_id,
                        sequence=sequence,
                        answer=answer,
                        updated_at=now,
                    )
                )
            elif row.sequence < sequence:
                row.sequence, row.answer, row.updated_at = sequence, answer, now
            uow.commit()
        with self._changed:
            self._changed.notify_all()

    def latest(self, interaction_id: str, after: int) -> dict | None:
        with self._store.uow() as uow:
            row = uow.session.execute(
                select(InteractionGuidance.sequence, InteractionGuidance.answer).where(
                    InteractionGuidance.interaction_id == interaction_id
                )
            ).first()
        return row.answer if row is not None and row.sequence > after else None

    def wait(self, interaction_id: str, after: int, timeout: float) -> dict | None:
        """The newest answer with a sequence above `after`, waiting up to `timeout`."""
        with self._changed:
            if self._waiting >= self._max_waits:
                raise Busy
            self._waiting += 1
        try:
            deadline = time.monotonic() + timeout
            while True:
                found = self.latest(interaction_id, after)
                remaining = deadline - time.monotonic()
                if found is not None or remaining <= 0:
                    return found
                with self._changed:
                    self._changed.wait(min(self._poll, remaining))
        finally:
            with self._changed:
                self._waiting -= 1
