"""Reading logged decisions with outcomes from the store, for off-policy evaluation.

One decision per interaction: the last one made before the interaction's first outcome
post (or its last decision when no post has a time before it). The choice must not
depend on what happened after the decision — picking "the decision whose card was used"
would select on the agent's action and bias every estimate. Holdout decisions, decisions
without a logged policy or without a card shown, test traffic and interactions without
both VES answers are left out.
"""

from datetime import UTC, datetime

from sqlalchemy import func, select

from assist_api.services.learning.evaluation import LoggedDecision
from assist_api.services.learning.exploration import HOLDOUT
from assist_api.services.test_traffic import real_only
from assist_api.store.store import Store
from assist_api.store.tables import Decision, Outcome, OutcomeEvent
from features.vocabulary import is_ve_success

CHUNK = 5000


def logged_decisions(
    store: Store, *, start: datetime | None = None, end: datetime | None = None
) -> list[LoggedDecision]:
    """Logged decisions in [start, end) with a VES answer, one per interaction."""
    first_post = (
        select(OutcomeEvent.interaction_id, func.min(OutcomeEvent.received_at).label("at"))
        .group_by(OutcomeEvent.interaction_id)
        .subquery()
    )
    statement = (
        select(
            Decision.interaction_id,
            Decision.decision_id,
            Decision.customer_id,
            Decision.created_at,
            Decision.policy,
            Decision.inputs,
            Decision.activity_scores,
            Decision.top_card_id,
            Outcome.ves_confidence,
            Outcome.ves_ability,
            first_post.c.at,
        )
        .join(Outcome, Outcome.interaction_id == Decision.interaction_id)
        .join(first_post, first_post.c.interaction_id == Decision.interaction_id, isouter=True)
        .where(
            Decision.policy.is_not(None),
            Decision.holdout.is_(False),
            Decision.top_card_id.is_not(None),
            Outcome.ves_confidence.is_not(None),
            Outcome.ves_ability.is_not(None),
            real_only(Decision),
        )
        .order_by(Decision.interaction_id, Decision.sequence)
    )
    if start is not None:
        statement = statement.where(Decision.created_at >= start)
    if end is not None:
        statement = statement.where(Decision.created_at < end)
    chosen: dict[str, tuple] = {}
    with store.engine.connect() as connection:
        for row in connection.execute(statement.execution_options(yield_per=CHUNK)):
            if row.policy.get("arm") == HOLDOUT or not row.policy.get("eligible"):
                continue
            before = row.at is None or _naive(row.created_at) <= _naive(row.at)
            if before or row.interaction_id not in chosen:
                chosen[row.interaction_id] = row
    return [
        LoggedDecision(
            interaction_id=row.interaction_id,
            customer_id=row.customer_id,
            eligible=row.policy["eligible"],
            shown_first=row.top_card_id,
            reward=float(is_ve_success(row.ves_confidence, row.ves_ability)),
            activity_scores=row.activity_scores,
            inputs=row.inputs,
            decision_id=row.decision_id,
        )
        for row in chosen.values()
    ]


def _naive(moment: datetime) -> datetime:
    """SQLite hands back naive UTC times, PostgreSQL aware ones: compare them alike."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
