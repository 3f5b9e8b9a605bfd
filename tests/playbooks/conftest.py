"""Shared fixtures for the playbook tests: a valid card to break, and a sample customer."""

import copy

import pytest
import yaml

from prompts_playbooks.context import InteractionContext

VALID_CARD = {
    "id": "educate_usage.test_card",
    "activity": "educate_usage",
    "weight": 1.5,
    "rules": {
        "eligibility": {"plan_tiers": ["standard", "premium"], "min_products_owned": 1},
        "applicability": {"contact_reasons": ["how_to"], "max_days_since_purchase": 30},
        "suitability": {"min_sentiment": -0.2, "max_per_customer_per_30d": 2},
    },
    "texts": {
        "en": {
            "title": "Show the better way",
            "body": "Bought {{ customer.days_since_purchase }} days ago.",
            "talk_track": [
                "Your {{ customer.plan_tier }} plan can do this in one step.",
                "Shall I show you?",
            ],
            "evidence": ["Asks for an easier way"],
            "avoid": ["Do not blame the customer"],
            "self_service_text": "Your {{ customer.plan_tier }} plan can do this in one step.",
        },
        "ja": {
            "title": "より良い使い方をお伝えする",
            "body": "ご購入から{{ customer.days_since_purchase }}日目のお客様です。",
            "talk_track": [
                "{{ customer.plan_tier | title }}プランなら一度の操作で完了します。",
                "お見せしてもよろしいでしょうか。",
            ],
            "evidence": ["簡単な方法を尋ねられる"],
            "avoid": ["お客様の操作を責めない"],
        },
    },
}


@pytest.fixture
def card_data() -> dict:
    """A fresh, valid card as file data; tests break one thing and expect one problem."""
    return copy.deepcopy(VALID_CARD)


@pytest.fixture
def write_card(tmp_path):
    """Write card data (or raw text) as `<name>.yaml` in tmp_path and return the path."""

    def write(data, name: str | None = None):
        name = name or data["id"]
        path = tmp_path / f"{name}.yaml"
        text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def sample_record() -> dict:
    """A flat import-format record as read from CSV: every value a string."""
    return {
        "interaction_id": "i-1001",
        "customer_id": "c-77",
        "days_since_purchase": "12",
        "persona": "novice",
        "plan_tier": "standard",
        "products_owned": "2",
        "feature_adoption": "0.35",
        "clv": "1200.0",
        "channel": "phone",
        "language": "ja-JP",
        "contact_reason": "how_to",
        "customer_sentiment": "0.2",
    }


@pytest.fixture
def context() -> InteractionContext:
    return InteractionContext(
        days_since_purchase=12,
        persona="novice",
        plan_tier="standard",
        products_owned=2,
        feature_adoption=0.35,
        channel="phone",
        language="en",
        contact_reason="how_to",
        customer_sentiment=0.2,
    )
