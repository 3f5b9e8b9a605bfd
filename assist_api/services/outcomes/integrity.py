"""Outcome integrity: a card recorded as used must be one the service showed.

A `card_id_used` names the activity a training row learns from and the card an ROI
report credits, so a wrong one corrupts both silently. Two checks, in the caller's
transaction after the interaction's row lock (so they see every decision written before):

- a control-group interaction was shown no card, so none can be recorded as used (value
  enhancement the agent did on their own is recorded through the VES items);
- on an interaction the service answered, the card must be among the cards offered in
  its decisions. Imported interactions have no decisions; their card is not checked.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from assist_api.errors import Conflict
from assist_api.store.tables import Decision, Interaction


def check_card_used(session: Session, interaction_id: str, card_id: str | None) -> None:
    """Raise Conflict (409) naming the card when it cannot have been used."""
    if not card_id:
        return
    holdout = session.scalar(
        select(Interaction.holdout).where(Interaction.interaction_id == interaction_id)
    )
    if holdout:
        raise Conflict(
            f"interaction {interaction_id!r} is in the control group: no card was shown, so "
            f"card_id_used {card_id!r} cannot be recorded; record value enhancement the agent "
            "did on their own through ves_confidence and ves_ability",
            details={"field": "card_id_used", "card_id_used": card_id, "holdout": True},
        )
    decisions = session.scalars(
        select(Decision.cards).where(Decision.interaction_id == interaction_id)
    ).all()
    if not decisions:
        return
    offered = sorted({card["card_id"] for cards in decisions for card in cards or ()})
    if card_id not in offered:
        raise Conflict(
            f"card_id_used {card_id!r} was not offered in interaction {interaction_id!r}; "
            f"offered: {', '.join(offered) or 'none'}",
            details={"field": "card_id_used", "card_id_used": card_id, "offered": offered},
        )
