"""Engagement rules: may this card be offered in this interaction, and if not, why not.

Three tiers, checked in order and cheapest first: eligibility (who may get it),
applicability (is it relevant now), suitability (is it in the customer's interest now).
Plain Python over a prebuilt `InteractionContext`: the assist path checks every card on
every request, so there is no pandas and no I/O here. The reason strings are for the
decision log and the playbook preview, not for customers; each is a `Why`, which also
carries a code and its numbers so the desk can say it in the agent's words (why_not.py).
"""

from features.vocabulary import AGENTLESS_CHANNELS
from prompts_playbooks.cards import Card
from prompts_playbooks.context import InteractionContext
from prompts_playbooks.why_not import Why

COMPLAINT = "complaint"


def _outside(
    name: str, field: str, value: float | None, low: float | None, high: float | None
) -> Why | None:
    if value is None and (low is not None or high is not None):
        text = f"{name} is unknown and the card needs it within its bounds"
        return Why(text, f"{field}.unknown", low=low, high=high)
    if low is not None and value < low:
        return Why(f"{name} {value} is below {low}", f"{field}.below", value=value, low=low)
    if high is not None and value > high:
        return Why(f"{name} {value} is above {high}", f"{field}.above", value=value, high=high)
    return None


def _not_listed(name: str, field: str, value: str | None, allowed: tuple[str, ...]) -> Why | None:
    if not allowed or value in allowed:
        return None
    if value is None:
        text = f"{name} is unknown and the card needs one of {', '.join(allowed)}"
        return Why(text, f"{field}.unknown", allowed=allowed)
    text = f"{name} {value!r} is not one of {', '.join(allowed)}"
    return Why(text, f"{field}.not_listed", value=value, allowed=allowed)


def eligibility_reason(card: Card, context: InteractionContext) -> str | None:
    rule = card.rules.eligibility
    return (
        _not_listed("plan tier", "plan_tier", context.plan_tier, rule.plan_tiers)
        or _not_listed("persona", "persona", context.persona, rule.personas)
        or _not_listed("language", "language", context.language, rule.languages)
        or _outside(
            "products owned",
            "products_owned",
            context.products_owned,
            rule.min_products_owned,
            rule.max_products_owned,
        )
    )


def applicability_reason(card: Card, context: InteractionContext) -> str | None:
    rule = card.rules.applicability
    if (
        context.channel in AGENTLESS_CHANNELS
        and card.text_for(context.language).self_service_text is None
    ):
        text = f"channel {context.channel!r} has no agent and the card has no self-service text"
        return Why(text, "channel.agentless", value=context.channel)
    return (
        _not_listed(
            "contact reason", "contact_reason", context.contact_reason, rule.contact_reasons
        )
        or _not_listed("channel", "channel", context.channel, rule.channels)
        or _outside(
            "days since purchase",
            "days_since_purchase",
            context.days_since_purchase,
            rule.min_days_since_purchase,
            rule.max_days_since_purchase,
        )
        or _outside(
            "feature adoption",
            "feature_adoption",
            context.feature_adoption,
            rule.min_feature_adoption,
            rule.max_feature_adoption,
        )
    )


def suitability_reason(
    card: Card, context: InteractionContext, recent_views: int = 0
) -> str | None:
    """`recent_views`: how often this customer saw this card in the last 30 days.

    A complaint contact counts as unresolved unless the caller says otherwise, since
    value enhancement before a complaint is resolved reads as an upsell. Unknown
    sentiment does not block: most records have none.
    """
    rule = card.rules.suitability
    unresolved = context.complaint_unresolved
    if unresolved is None:
        unresolved = context.contact_reason == COMPLAINT
    if rule.not_during_unresolved_complaint and unresolved:
        return Why("the customer has an unresolved complaint", "complaint_unresolved")
    if rule.after_resolution and context.issue_resolved is not True:
        return Why("waits until the customer's issue is resolved", "waits_for_resolution")
    sentiment = context.customer_sentiment
    if rule.min_sentiment is not None and sentiment is not None and sentiment < rule.min_sentiment:
        text = f"sentiment {sentiment} is below {rule.min_sentiment}"
        return Why(text, "sentiment.below", value=sentiment, low=rule.min_sentiment)
    cap = rule.max_per_customer_per_30d
    if cap is not None and recent_views >= cap:
        text = f"seen {recent_views} times in 30 days (cap {cap})"
        return Why(text, "frequency_cap", value=recent_views, high=cap)
    return None


def card_passes(
    card: Card, context: InteractionContext, recent_views: int = 0
) -> tuple[bool, str | None]:
    """(True, None) when the card may be offered now, else (False, the first reason)."""
    reason = (
        eligibility_reason(card, context)
        or applicability_reason(card, context)
        or suitability_reason(card, context, recent_views)
    )
    return reason is None, reason
