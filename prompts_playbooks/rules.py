"""Engagement rules: may this card be offered in this interaction, and if not, why not.

Three tiers, checked in order and cheapest first: eligibility (who may get it),
applicability (is it relevant now), suitability (is it in the customer's interest now).
Plain Python over a prebuilt `InteractionContext`: the assist path checks every card on
every request, so there is no pandas and no I/O here. The reason strings are for the
decision log and the playbook preview, not for customers.
"""

from features.vocabulary import AGENTLESS_CHANNELS
from prompts_playbooks.cards import Card
from prompts_playbooks.context import InteractionContext

COMPLAINT = "complaint"


def _outside(name: str, value: float, low: float | None, high: float | None) -> str | None:
    if low is not None and value < low:
        return f"{name} {value} is below {low}"
    if high is not None and value > high:
        return f"{name} {value} is above {high}"
    return None


def _not_listed(name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if not allowed or value in allowed:
        return None
    if value is None:
        return f"{name} is unknown and the card needs one of {', '.join(allowed)}"
    return f"{name} {value!r} is not one of {', '.join(allowed)}"


def eligibility_reason(card: Card, context: InteractionContext) -> str | None:
    rule = card.rules.eligibility
    return (
        _not_listed("plan tier", context.plan_tier, rule.plan_tiers)
        or _not_listed("persona", context.persona, rule.personas)
        or _not_listed("language", context.language, rule.languages)
        or _outside(
            "products owned",
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
        return f"channel {context.channel!r} has no agent and the card has no self-service text"
    return (
        _not_listed("contact reason", context.contact_reason, rule.contact_reasons)
        or _not_listed("channel", context.channel, rule.channels)
        or _outside(
            "days since purchase",
            context.days_since_purchase,
            rule.min_days_since_purchase,
            rule.max_days_since_purchase,
        )
        or _outside(
            "feature adoption",
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
        return "the customer has an unresolved complaint"
    sentiment = context.customer_sentiment
    if rule.min_sentiment is not None and sentiment is not None and sentiment < rule.min_sentiment:
        return f"sentiment {sentiment} is below {rule.min_sentiment}"
    cap = rule.max_per_customer_per_30d
    if cap is not None and recent_views >= cap:
        return f"seen {recent_views} times in 30 days (cap {cap})"
    return None


def is_eligible(card: Card, context: InteractionContext) -> bool:
    return eligibility_reason(card, context) is None


def is_applicable(card: Card, context: InteractionContext) -> bool:
    return applicability_reason(card, context) is None


def is_suitable(card: Card, context: InteractionContext, recent_views: int = 0) -> bool:
    return suitability_reason(card, context, recent_views) is None


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
