"""Which cards an answer offers: the eligible cards ranked for the agent, the first one
picked by the exploration policy (logged with its probabilities), and why the other
activities have no card."""

from assist_api.services.learning.exploration import (
    choose_first,
    draws,
    holdout_choice,
    policy_record,
)
from assist_api.services.playbooks.ranking import eligible_cards, render_one, render_ranked
from assist_api.services.routing.value import with_agent_skill
from features.vocabulary import ACTIVITIES
from models.explanation_text import label
from prompts_playbooks.why_not import why_not_line


def not_offered(held_back: dict, language: str) -> list[dict]:
    """Activities with no card now and why, in the agent's words, in vocabulary order."""
    return [
        {
            "activity": activity,
            "code": getattr(held_back[activity], "code", None),
            "text": why_not_line(held_back[activity], language, label),
        }
        for activity in ACTIVITIES
        if activity in held_back
    ]


def choose_cards(
    deps, record, context, probabilities, holdout, not_rendered: list[str] | None = None
) -> tuple[list, dict, dict]:
    """(rendered cards, the first possibly explored; the policy record the decision logs;
    activity -> why no card of it is offered).

    A card whose text needs a customer field nobody knows cannot be shown: when the card
    drawn first is one, it leaves the eligible set and the same draws pick again, so the
    logged probabilities are those of the cards that could be shown (cards further down
    are only rendered when they are shown).
    """
    settings = deps.settings
    epsilon = settings.exploration_rate
    held_back: dict = {}
    if holdout:
        return [], policy_record(holdout_choice(), epsilon, ()), held_back
    customer_id, interaction_id = record["customer_id"], record["interaction_id"]
    recent = deps.recent_views(customer_id, interaction_id) if deps.recent_views else None
    agent_id = record.get("agent_id")
    skill = deps.agent_skill(agent_id) if agent_id and deps.agent_skill else None
    eligible = eligible_cards(
        deps.cards(),
        context,
        with_agent_skill(probabilities, skill),
        recent_views=recent,
        held_back=held_back,
    )
    u_arm, u_pick = draws(interaction_id, settings.exploration_salt)
    while True:
        choice = choose_first(len(eligible), epsilon, u_arm, u_pick)
        first = (
            render_one(eligible[choice.index], context, 1, not_rendered)
            if choice.index >= 0
            else None
        )
        if first is not None or choice.index < 0:
            break
        eligible = eligible[: choice.index] + eligible[choice.index + 1 :]
    policy = policy_record(choice, epsilon, [(e.card.card_id, e.card.weight) for e in eligible])
    if first is None:
        return [], policy, held_back
    rest = [e for i, e in enumerate(eligible) if i != choice.index]
    shown = render_ranked(rest, context, settings.cards_shown - 1, 2, not_rendered)
    return [first, *shown], policy, held_back
