"""Which playbook cards an agent sees: the eligible ones, best first, rendered for them.

Ranking is P(success | this interaction, the card's activity) x the card's weight (the CS
leads' lever). Without a model the cards are ranked by weight alone ("rule-ranked").
"""

from collections.abc import Callable, MutableMapping, Sequence

from jinja2 import UndefinedError

from prompts_playbooks.cards import Card
from prompts_playbooks.context import InteractionContext
from prompts_playbooks.render import render_card
from prompts_playbooks.rules import card_passes
from prompts_playbooks.why_not import priority

RecentViews = Callable[[str], int]  # card_id -> times this customer saw it in 30 days


def rank_cards(
    cards: Sequence[Card],
    context: InteractionContext,
    activity_probability: dict[str, float] | None,
    *,
    limit: int,
    recent_views: RecentViews | None = None,
    held_back: MutableMapping[str, str] | None = None,
) -> list[dict]:
    """The top `limit` cards that pass every rule, rendered, with score and rank.

    `held_back`, when given, gets activity -> the rule's reason (a `Why`) for each activity
    none of whose cards passed: the reason most likely to change soon (why_not.priority),
    then the weightiest card's — what the desk's "why not" line says.
    """
    candidates = []
    reasons: dict[str, tuple[tuple[int, float], str]] = {}
    for card in cards:
        views = recent_views(card.card_id) if recent_views else 0
        passes, reason = card_passes(card, context, views)
        if not passes:
            rank = (priority(reason), -card.weight)
            if reason and (card.activity not in reasons or rank < reasons[card.activity][0]):
                reasons[card.activity] = (rank, reason)
            continue
        if activity_probability is None:
            score, key = None, card.weight
        else:
            score = activity_probability[card.activity] * card.weight
            key = score
        candidates.append((key, card.card_id, card, score))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    if held_back is not None:
        offered = {card.activity for _key, _id, card, _score in candidates}
        held_back.update({a: why for a, (_w, why) in reasons.items() if a not in offered})
    ranked = []
    for _key, _card_id, card, score in candidates:
        if len(ranked) == limit:
            break
        try:
            rendered = render_card(card, context.language, context)
        except UndefinedError:  # its text uses a customer field nobody knows
            continue
        rank = len(ranked) + 1
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
