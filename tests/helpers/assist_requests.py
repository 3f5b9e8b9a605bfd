"""The one /v1/assist request body the tests start from, and customers by control group.

Tests change what they need (`assist_request(language="en", customer_id="c-9")`): a
customer field or a top-level field by name, `OMIT` to leave a field out. Keeping one
body means a contract change is made once here, not in every test that posts.
"""

import copy

from assist_api.services.holdout import in_control_group

OMIT = object()

ASSIST_REQUEST = {
    "interaction_id": "i-1001",
    "customer": {
        "customer_id": "c-77",
        "days_since_purchase": 12,
        "persona": "novice",
        "plan_tier": "standard",
        "products_owned": 2,
        "feature_adoption": 0.35,
        "prior_contacts_90d": 1,
        "clv": 1200.0,
        "switching_effort": "high",
    },
    "channel": "phone",
    "language": "ja",
    "contact_reason": "inquiry",
    "transcript": ["お世話になっております。設定方法を教えてください。"],
    "customer_sentiment": 0.2,
    "elapsed_seconds": 95,
}


def assist_request(**changes) -> dict:
    """A fresh copy of ASSIST_REQUEST with `changes` applied (customer fields by name)."""
    body = copy.deepcopy(ASSIST_REQUEST)
    for key, value in changes.items():
        target = body["customer"] if key in body["customer"] else body
        if value is OMIT:
            target.pop(key, None)
        else:
            target[key] = value
    return body


def offered_customer(settings, prefix="c") -> str:
    """A customer id outside the card control group (so the answer has cards)."""
    return next(
        f"{prefix}-{i}"
        for i in range(1000)
        if not in_control_group(f"{prefix}-{i}", settings.holdout_salt, settings.holdout_rate)
    )


def holdout_customer(settings) -> str:
    """A customer id inside the card control group (so the answer has no cards)."""
    return next(
        f"h-{i}"
        for i in range(10_000)
        if in_control_group(f"h-{i}", settings.holdout_salt, settings.holdout_rate)
    )
