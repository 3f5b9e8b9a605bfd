"""Engagement rules: every branch of eligibility, applicability and suitability."""

import dataclasses

import pytest

from prompts_playbooks.cards import Applicability, Card, CardText, Eligibility, Rules, Suitability
from prompts_playbooks.context import context_from_record
from prompts_playbooks.rules import (
    applicability_reason,
    card_passes,
    eligibility_reason,
    suitability_reason,
)
from tests.helpers.ranking import ranked_cards

TEXT = CardText(title="t", body="b", talk_track=("a", "b"), evidence=("e",), avoid=("x",))


def make_card(self_service_text=None, **rules) -> Card:
    text = dataclasses.replace(TEXT, self_service_text=self_service_text)
    return Card(
        card_id="educate_usage.rule_test",
        activity="educate_usage",
        texts={"en": text, "ja": text},
        rules=Rules(**rules),
    )


def test_card_without_restrictions_passes(context):
    assert card_passes(make_card(), context) == (True, None)


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        (Eligibility(plan_tiers=("premium",)), "plan tier 'standard' is not one of premium"),
        (Eligibility(personas=("professional",)), "persona 'novice' is not one of professional"),
        (Eligibility(languages=("ja",)), "language 'en' is not one of ja"),
        (Eligibility(min_products_owned=3), "products owned 2 is below 3"),
        (Eligibility(max_products_owned=1), "products owned 2 is above 1"),
    ],
)
def test_eligibility(context, rule, reason):
    card = make_card(eligibility=rule)
    assert eligibility_reason(card, context) is not None
    assert card_passes(card, context) == (False, reason)


def test_eligibility_boundaries_are_inclusive(context):
    card = make_card(
        eligibility=Eligibility(
            min_products_owned=2, max_products_owned=2, plan_tiers=("standard",), languages=("en",)
        )
    )
    assert eligibility_reason(card, context) is None


@pytest.mark.parametrize(
    ("rule", "change", "reason"),
    [
        (
            Applicability(contact_reasons=("billing",)),
            {},
            "contact reason 'how_to' is not one of billing",
        ),
        (
            Applicability(contact_reasons=("billing",)),
            {"contact_reason": None},
            "contact reason is unknown and the card needs one of billing",
        ),
        (Applicability(channels=("chat",)), {}, "channel 'phone' is not one of chat"),
        (Applicability(min_days_since_purchase=30), {}, "days since purchase 12 is below 30"),
        (Applicability(max_days_since_purchase=7), {}, "days since purchase 12 is above 7"),
        (Applicability(min_feature_adoption=0.5), {}, "feature adoption 0.35 is below 0.5"),
        (Applicability(max_feature_adoption=0.2), {}, "feature adoption 0.35 is above 0.2"),
        (
            Applicability(min_days_since_purchase=30),
            {"days_since_purchase": None},
            "days since purchase is unknown and the card needs it within its bounds",
        ),
        (
            Applicability(),
            {"channel": "chatbot"},
            "channel 'chatbot' has no agent and the card has no self-service text",
        ),
    ],
)
def test_applicability(context, rule, change, reason):
    card = make_card(applicability=rule)
    context = dataclasses.replace(context, **change)
    assert applicability_reason(card, context) is not None
    assert card_passes(card, context) == (False, reason)


def test_agentless_channel_passes_with_self_service_text(context):
    card = make_card(self_service_text="Here is how.")
    assert applicability_reason(card, dataclasses.replace(context, channel="self_service")) is None


@pytest.mark.parametrize(
    ("rule", "change", "views", "reason"),
    [
        (
            Suitability(),
            {"contact_reason": "complaint"},
            0,
            "the customer has an unresolved complaint",
        ),
        (
            Suitability(),
            {"complaint_unresolved": True},
            0,
            "the customer has an unresolved complaint",
        ),
        (Suitability(min_sentiment=0.5), {}, 0, "sentiment 0.2 is below 0.5"),
        (Suitability(max_per_customer_per_30d=2), {}, 2, "seen 2 times in 30 days (cap 2)"),
    ],
)
def test_suitability(context, rule, change, views, reason):
    card = make_card(suitability=rule)
    context = dataclasses.replace(context, **change)
    assert suitability_reason(card, context, views) is not None
    assert card_passes(card, context, views) == (False, reason)


@pytest.mark.parametrize(
    ("rule", "change", "views"),
    [
        # a complaint the caller marks as resolved no longer blocks
        (Suitability(), {"contact_reason": "complaint", "complaint_unresolved": False}, 0),
        # a card whose authors allow it during complaints
        (Suitability(not_during_unresolved_complaint=False), {"contact_reason": "complaint"}, 0),
        # unknown sentiment does not block
        (Suitability(min_sentiment=0.5), {"customer_sentiment": None}, 0),
        (Suitability(min_sentiment=0.2), {}, 0),
        (Suitability(max_per_customer_per_30d=2), {}, 1),
        (Suitability(), {}, 99),
    ],
)
def test_suitable(context, rule, change, views):
    assert (
        suitability_reason(
            make_card(suitability=rule), dataclasses.replace(context, **change), views
        )
        is None
    )


def test_tiers_are_checked_in_order(context):
    card = make_card(
        eligibility=Eligibility(plan_tiers=("premium",)),
        applicability=Applicability(channels=("chat",)),
        suitability=Suitability(max_per_customer_per_30d=1),
    )
    assert card_passes(card, context, 5)[1].startswith("plan tier")


def test_context_from_a_csv_record(sample_record):
    context = context_from_record(sample_record)
    assert (context.days_since_purchase, context.products_owned) == (12, 2)
    assert (context.feature_adoption, context.customer_sentiment) == (0.35, 0.2)
    assert context.language == "ja"
    assert context.complaint_unresolved is None


def test_context_from_an_assist_request():
    request = {
        "customer": {
            "days_since_purchase": 12,
            "persona": "novice",
            "plan_tier": "standard",
            "products_owned": 2,
            "feature_adoption": 0.35,
        },
        "channel": "chat",
        "language": "en",
        "contact_reason": "",
        "complaint_unresolved": "false",
    }
    context = context_from_record(request)
    assert context.channel == "chat" and context.contact_reason is None
    assert context.complaint_unresolved is False


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"channel": ""}, "channel: missing"),
        ({"products_owned": "two"}, "products_owned: not a valid int: 'two'"),
        ({"complaint_unresolved": "maybe"}, "complaint_unresolved: not a valid bool"),
    ],
)
def test_context_rejects_bad_records(sample_record, change, message):
    with pytest.raises(ValueError, match=message):
        context_from_record({**sample_record, **change})


def test_a_card_whose_text_needs_an_unknown_field_is_skipped_not_shown_with_none(context):
    needs = make_card()
    needs = dataclasses.replace(
        needs,
        card_id="educate_usage.needs_plan",
        texts={
            lang: dataclasses.replace(TEXT, body="Your {{ customer.plan_tier }} plan includes it.")
            for lang in ("en", "ja")
        },
    )
    fallback = dataclasses.replace(
        needs,
        card_id="educate_usage.has_default",
        texts={
            lang: dataclasses.replace(
                TEXT, body="Your {{ customer.plan_tier | default('current') }} plan includes it."
            )
            for lang in ("en", "ja")
        },
    )
    unknown = dataclasses.replace(context, plan_tier=None)
    ranked = ranked_cards([needs, fallback], unknown, None, limit=3)
    assert [c["card_id"] for c in ranked] == ["educate_usage.has_default"]
    assert ranked[0]["body"] == "Your current plan includes it." and ranked[0]["rank"] == 1
    assert len(ranked_cards([needs, fallback], context, None, limit=3)) == 2
