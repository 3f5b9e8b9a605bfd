"""Which playbook cards an agent sees: the eligible ones, best first, rendered for them.

Ranking is P(success | this interaction, the card's activity) x the card's weight (the CS
leads' lever). Without a model the cards are ranked by weight alone ("rule-ranked").
"""

from collections.abc import Callable, Sequence

from prompts_playbooks.cards import Card
from prompts_playbooks.context import InteractionContext
from prompts_playbooks.render import render_card
from prompts_playbooks.rules import card_passes

RecentViews = Callable[[str], int]  # card_id -> times this customer saw it in 30 days


def rank_cards(
    cards: Sequence[Card],
    context: InteractionContext,
    activity_probability: dict[str, float] | None,
    *,
    limit: int,
    recent_views: RecentViews | None = None,
) -> list[dict]:
    """The top `limit` cards that pass every rule, rendered, with score and rank."""
    candidates = []
    for card in cards:
        views = recent_views(card.card_id) if recent_views else 0
        passes, _reason = card_passes(card, context, views)
        if not passes:
            continue
        if activity_probability is None:
            score, key = None, card.weight
        else:
            score = activity_probability[card.activity] * card.weight
            key = score
        candidates.append((key, card.card_id, card, score))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    ranked = []
    for rank, (_key, _card_id, card, score) in enumerate(candidates[:limit], start=1):
        rendered = render_card(card, context.language, context)
        ranked.append(
            {
                "card_id": card.card_id,
                "activity": card.activity,
                "version": card.version,
                "title": rendered.title,
                "body": rendered.body,
                "talk_track": rendered.talk_track,
                "evidence": rendered.evidence,
                "avoid": rendered.avoid,
                "self_service_text": rendered.self_service_text,
                "language": rendered.language,
                "score": None if score is None else round(float(score), 4),
                "rank": rank,
            }
        )
    return ranked
