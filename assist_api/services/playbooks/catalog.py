"""The published cards for the assist path: read from the store, cached in each worker.

A worker keeps its published cards in memory and, at most every `refresh_seconds`, asks
the store one small question: which (card, version) pairs are published now? Only when
the answer differs does it load card contents, and it swaps in the new tuple in one
assignment, so request threads never see half a playbook. A publish therefore reaches
every worker within the interval without a restart, and no request pays for more than
that one query. Versions are immutable, so the pairs are an exact marker: unlike a
timestamp, they do not depend on the clocks of the machines that wrote them agreeing.

It also answers the per-customer frequency cap (`max_per_customer_per_30d`): one query
per request for the customer's impressions of capped cards, and none at all while no
published card has a cap. With the store down, cards are offered without the cap rather
than not at all: over-showing a card for a moment beats leaving the agent without help.
"""

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.exc import SQLAlchemyError

from assist_api.services.clock import RefreshGate
from assist_api.services.playbooks.ranking import RecentViews
from assist_api.store.card_tables import Card as CardRow
from assist_api.store.card_tables import CardImpression, CardVersion
from assist_api.store.prepared import PreparedStatement, run
from assist_api.store.store import Store
from assist_api.store.tables import Decision
from prompts_playbooks.cards import Card, CardValidationError
from prompts_playbooks.loader import parse_card

CAP_WINDOW = timedelta(days=30)
CAP_RETRY_SECONDS = 1.0  # after a failed cap lookup, serve without the cap this long
# Built once: the real-time path only executes them (assist_api.store.prepared). They count
# every card the customer saw; only capped cards' counts are ever asked for.
VIEWS = (
    select(CardImpression.card_id, func.count())
    .where(
        CardImpression.customer_id == bindparam("customer_id"),
        CardImpression.shown_at >= bindparam("since"),
    )
    .group_by(CardImpression.card_id)
)
VIEWS_IN_OTHER_INTERACTIONS = VIEWS.join(
    Decision, Decision.decision_id == CardImpression.decision_id
).where(Decision.interaction_id != bindparam("interaction_id"))

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Snapshot:
    marker: tuple[tuple[str, int], ...]  # the published (card_id, version) pairs
    cards: tuple[Card, ...]
    any_capped: bool  # some published card has a per-customer cap


class StoreCardCatalog:
    """`published()` gives the live cards; `recent_views` feeds the per-customer cap."""

    def __init__(
        self,
        store: Store,
        refresh_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._store = store
        self._clock = clock
        self._snapshot = _Snapshot((), (), False)
        self._parsed: dict[tuple[str, int], Card] = {}  # versions never change: parse once
        self._loaded = False
        self._gate = RefreshGate(self._check, refresh_seconds, clock)
        self._cap_unknown_until = float("-inf")
        self._views = PreparedStatement(VIEWS, store.engine.dialect)
        self._views_elsewhere = PreparedStatement(VIEWS_IN_OTHER_INTERACTIONS, store.engine.dialect)

    def published(self) -> Sequence[Card]:
        """The published cards now (at most `refresh_seconds` old).

        The first load waits for whoever is loading; later checks never block a request:
        if another thread is checking, this one serves the current cards.
        """
        self._gate()
        return self._snapshot.cards

    def refresh_soon(self) -> None:
        """Check the store on the next request (this worker just published something)."""
        self._gate.soon()

    def recent_views(
        self, customer_id: str, interaction_id: str | None = None
    ) -> RecentViews | None:
        """card_id -> in how many interactions of the last 30 days the customer saw it.

        With `interaction_id`, that interaction is not counted, so asking again within one
        conversation does not use up the cap of the card the agent is already using.
        """
        self.published()
        if not self._snapshot.any_capped:
            return None
        parameters = {"customer_id": customer_id, "since": datetime.now(UTC) - CAP_WINDOW}
        query = self._views
        if interaction_id is not None:
            query, parameters["interaction_id"] = self._views_elsewhere, interaction_id
        if self._clock() < self._cap_unknown_until:
            return None  # the store failed a moment ago: do not make every request wait
        try:
            counts = dict(run(self._store.engine, lambda c: query.rows(c, parameters)))
        except SQLAlchemyError:  # the store is down: the agent still gets guidance
            log.warning("frequency cap unknown (store unavailable): no cap applied")
            self._cap_unknown_until = self._clock() + CAP_RETRY_SECONDS
            return None
        return lambda card_id: counts.get(card_id, 0)

    def _check(self) -> bool:
        """Reload the cards if what is published changed; True once cards are loaded."""
        try:
            with self._store.uow() as uow:
                marker = tuple(
                    uow.session.execute(
                        select(CardRow.card_id, CardRow.published_version)
                        .where(CardRow.published_version.is_not(None))
                        .order_by(CardRow.card_id)
                    ).all()
                )
                if self._loaded and marker == self._snapshot.marker:
                    return True
                live = and_(
                    CardVersion.card_id == CardRow.card_id,
                    CardVersion.version == CardRow.published_version,
                )
                rows = uow.session.execute(
                    select(CardVersion.card_id, CardVersion.version, CardVersion.content)
                    .join(CardRow, live)
                    .order_by(CardVersion.card_id)
                ).all()
        except SQLAlchemyError as exc:  # keep serving the last good cards; retry next time
            log.warning("could not refresh the published cards: %s", exc)
            return self._loaded
        self._swap(rows)
        return True

    def _swap(self, rows) -> None:
        cards = []
        for card_id, version, content in rows:
            card = self._parsed.get((card_id, version))
            if card is None:
                try:
                    card = replace(parse_card(content, f"{card_id} v{version}"), version=version)
                except CardValidationError as exc:  # a stored card no schema accepts any more
                    log.error("published card %s v%s is skipped: %s", card_id, version, exc)
                    continue
                self._parsed[(card_id, version)] = card
            cards.append(card)
        self._parsed = {(c.card_id, c.version): c for c in cards}
        self._snapshot = _Snapshot(
            marker=tuple((card_id, version) for card_id, version, _ in rows),
            cards=tuple(cards),
            any_capped=any(c.rules.suitability.max_per_customer_per_30d for c in cards),
        )
        self._loaded = True
