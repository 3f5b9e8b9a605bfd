"""Why a card is held back: the rule's code and numbers, said in the agent's words."""

import dataclasses

import pytest

from prompts_playbooks.cards import Applicability, Eligibility, Suitability
from prompts_playbooks.rules import card_passes
from prompts_playbooks.why_not import why_not_line
from tests.helpers.ranking import ranked_cards
from tests.playbooks.test_rules import make_card


@pytest.mark.parametrize(
    ("rules", "code", "en", "ja"),
    [
        (
            {"applicability": Applicability(min_days_since_purchase=30)},
            "days_since_purchase.below",
            "from day 30 after purchase (now day 12)",
            "購入から30日以降（現在12日）",
        ),
        (
            {"applicability": Applicability(max_feature_adoption=0.2)},
            "feature_adoption.above",
            "while they use under 20% of features (now 35%)",
            "機能の利用が20%未満のあいだ（現在35%）",
        ),
        (
            {"eligibility": Eligibility(plan_tiers=("premium", "enterprise"))},
            "plan_tier.not_listed",
            "only for premium, enterprise plans",
            "premium・enterpriseプランのお客様のみ",
        ),
        (
            {"suitability": Suitability(after_resolution=True)},
            "waits_for_resolution",
            "waits until the issue is resolved",
            "問題が解決してから",
        ),
    ],
)
def test_each_rule_says_why_in_both_languages(context, rules, code, en, ja):
    passes, why = card_passes(make_card(**rules), context)
    assert not passes and why.code == code
    assert why_not_line(why, "en") == en
    assert why_not_line(why, "ja-JP") == ja
    assert why_not_line("a plain reason", "ja") == "a plain reason"


def test_an_unknown_customer_field_is_said_in_both_languages(context):
    card = make_card(applicability=Applicability(min_days_since_purchase=30))
    unknown = dataclasses.replace(context, days_since_purchase=None)
    _passes, why = card_passes(card, unknown)
    assert why.code == "days_since_purchase.unknown"
    assert why_not_line(why, "ja") == "購入日が必要です（CRMにありません）"
    assert why_not_line(why, "en") == "needs the purchase date (not in the CRM profile)"


def test_after_resolution_waits_until_someone_says_it_is_resolved(context):
    card = make_card(suitability=Suitability(after_resolution=True))
    for resolved, passes in ((None, False), (False, False), (True, True)):
        assert card_passes(card, dataclasses.replace(context, issue_resolved=resolved))[0] is passes


def test_the_reason_that_can_change_soonest_is_told(context):
    persona = make_card(eligibility=Eligibility(personas=("professional",)))
    later = dataclasses.replace(
        make_card(applicability=Applicability(min_days_since_purchase=30)),
        card_id="educate_usage.later",
    )
    held_back = {}
    assert ranked_cards([persona, later], context, None, limit=3, held_back=held_back) == []
    assert held_back["educate_usage"].code == "days_since_purchase.below"
