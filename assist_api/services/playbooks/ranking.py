"""Which playbook cards an agent sees: the eligible ones, best first, rendered for them.

Ranking is P(success | this interaction, the card's activity) x the card's weight (the CS
leads' lever). Without a model the cards are ranked by weight alone ("rule-ranked").
The whole eligible list is kept, not only the shown cards: the exploration policy draws
the first card from it and logs each one's probability of going first.

A card's text is a lead's template, rendered here for each customer. Save-time checks
render every branch, but a card that still fails (or overflows) at request time must
cost the agent that one card, not the answer: it is skipped like a card that needs an
unknown field, logged with its id and version, and named in `not_rendered`.
"""

import logging
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass

from jinja2 import UndefinedError

from prompts_playbooks.cards import Card
from prompts_playbooks.context import InteractionContext
from prompts_playbooks.render import render_card
from prompts_playbooks.rules import card_passes
from prompts_playbooks.why_not import priority

RecentViews = Callable[[str], int]  # card_id -> times this customer saw it in 30 days
NOT_RENDERED = "card_not_rendered"  # degraded code: "card_not_rendered:<card_id>"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Eligible:
    """A card that passes every rule, with its ranking key (P x weight, or the weight)."""

    key: float
    card: Card
    score: float | None  # P(success of its activity) x weight; None without a model


def eligible_cards(
    cards: Sequence[Card],
    context: InteractionContext,
    activity_probability: dict[str, float] | None,
    *,
    recent_views: RecentViews | None = None,
    held_back: MutableMapping[str, str] | None = None,
) -> list[Eligible]:
    """Every card that passes every rule, best first (ties by card id).

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
            candidates.append(Eligible(card.weight, card, None))
        else:
            score = activity_probability[card.activity] * card.weight
            candidates.append(Eligible(score, card, score))
    candidates.sort(key=lambda c: (-c.key, c.card.card_id))
    if held_back is not None:
        offered = {c.card.activity for c in candidates}
        held_back.update({a: why for a, (_w, why) in reasons.items() if a not in offered})
    return candidates


def render_one(
    item: Eligible,
    context: InteractionContext,
    rank: int,
    not_rendered: list[str] | None = None,
) -> dict | None:
    """One card rendered for this customer, or None when its text uses a customer field
    nobody knows (the card is then not eligible for this interaction) or fails to render
    (then also logged and added to `not_rendered`)."""
    card, score = item.card, item.score
    try:
        rendered = render_card(card, context.language, context)
    except UndefinedError:
        return None
    except Exception as exc:  # a lead's template: any failure drops this card only
        log.error("card %s v%s not rendered: %s: %s", card.card_id, card.version,
                  type(exc).__name__, exc)  # fmt: skip
        if not_rendered is not None:
            not_rendered.append(card.card_id)
        return None
    return {
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


def render_ranked(
    ranked: Sequence[Eligible],
    context: InteractionContext,
    limit: int,
    first_rank: int = 1,
    not_rendered: list[str] | None = None,
) -> list[dict]:
    """Up to `limit` cards in the order given, rendered, skipping any that cannot be."""
    out = []
    for item in ranked:
        if len(out) == limit:
            break
        rendered = render_one(item, context, first_rank + len(out), not_rendered)
        if rendered is not None:
            out.append(rendered)
    return out
