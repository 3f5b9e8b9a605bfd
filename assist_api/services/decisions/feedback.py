"""The agent's verdict on a card: accepted or dismissed, with a reason, kept with the decision.

An outcome says whether value enhancement worked; only the agent can say a card did not
fit the moment ("the issue is not solved yet", "the customer is upset"). Stored per
(decision, card) so it joins the exact answer the agent saw, and summarised per card for
the leads who write the cards. Plain Python over a unit of work: routes and tests call it.
"""

from collections import Counter, defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from assist_api.errors import Conflict, NotFound
from assist_api.store.card_tables import CardFeedback
from assist_api.store.tables import Decision

VERDICTS = ("accepted", "dismissed")
# Why an agent used a card, or did not: short codes the desk offers as buttons.
REASONS = {
    "accepted": ("customer_asked", "fits_the_moment", "other"),
    "dismissed": ("not_relevant", "wrong_moment", "customer_upset", "already_covered", "other"),
}


def record_feedback(
    session: Session, decision_id: str, card_id: str, post: dict, *, actor: str, now: datetime
) -> dict:
    """Store the verdict on `card_id` as offered in `decision_id`; the latest verdict wins.

    NotFound when the decision is unknown; Conflict when the card was not offered in it,
    so feedback can only ever describe what the agent actually saw.
    """
    decision = session.get(Decision, decision_id)
    if decision is None:
        raise NotFound(f"no decision {decision_id!r}", details={"decision_id": decision_id})
    offered = [card.get("card_id") for card in decision.cards or ()]
    if card_id not in offered:
        raise Conflict(
            f"card {card_id!r} was not offered in decision {decision_id!r}",
            details={"offered": offered},
        )
    row = session.scalars(
        select(CardFeedback).where(
            CardFeedback.decision_id == decision_id, CardFeedback.card_id == card_id
        )
    ).one_or_none()
    if row is None:
        row = CardFeedback(
            decision_id=decision_id, interaction_id=decision.interaction_id, card_id=card_id
        )
        session.add(row)
    row.verdict, row.reason, row.note = post["verdict"], post.get("reason"), post.get("note")
    row.actor, row.created_at = actor, now
    session.flush()
    return feedback_view(row)


def feedback_view(row: CardFeedback) -> dict:
    return {
        "decision_id": row.decision_id,
        "interaction_id": row.interaction_id,
        "card_id": row.card_id,
        "verdict": row.verdict,
        "reason": row.reason,
        "note": row.note,
        "recorded_at": row.created_at,
    }


def feedback_report(
    session: Session, *, start: datetime | None = None, end: datetime | None = None
) -> dict:
    """Per card: verdicts and the reasons given, most dismissed first."""
    query = select(CardFeedback.card_id, CardFeedback.verdict, CardFeedback.reason)
    if start is not None:
        query = query.where(CardFeedback.created_at >= start)
    if end is not None:
        query = query.where(CardFeedback.created_at < end)
    counts: dict[str, Counter] = defaultdict(Counter)
    reasons: dict[str, Counter] = defaultdict(Counter)
    for card_id, verdict, reason in session.execute(query):
        counts[card_id][verdict] += 1
        reasons[card_id][f"{verdict}.{reason or 'none'}"] += 1
    cards = [
        {
            "card_id": card_id,
            "accepted": counts[card_id]["accepted"],
            "dismissed": counts[card_id]["dismissed"],
            "reasons": dict(sorted(reasons[card_id].items())),
        }
        for card_id in counts
    ]
    cards.sort(key=lambda card: (-card["dismissed"], card["card_id"]))
    return {"cards": cards, "total": sum(sum(c.values()) for c in counts.values())}
