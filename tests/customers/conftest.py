"""A real app with a tiny registered model and connector secrets, for the customers room."""

import pytest

from assist_api.services.holdout import in_control_group
from tests.helpers.app import make_test_settings
from tests.helpers.tiny_model import register_tiny_model

TWILIO_TOKEN = "twilio-auth-token-for-tests"
ZENDESK_SECRET = "zendesk-signing-secret-for-tests"
PROFILE = {
    "days_since_purchase": 12,
    "persona": "novice",
    "plan_tier": "standard",
    "products_owned": 2,
    "feature_adoption": 0.35,
    "prior_contacts_90d": 1,
    "clv": 1200.0,
    "switching_effort": "high",
}


@pytest.fixture(scope="session")
def registry(tmp_path_factory):
    folder = tmp_path_factory.mktemp("customers-registry")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    return uri, register_tiny_model(uri, folder / "mlartifacts")


@pytest.fixture
def settings(tmp_path, registry):
    return make_test_settings(
        tmp_path,
        mlflow_tracking_uri=registry[0],
        twilio_auth_token=TWILIO_TOKEN,
        zendesk_webhook_secret=ZENDESK_SECRET,
        public_base_url="https://assist.example.com",
        guidance_wait_seconds=2.0,
    )


# app, client, keys and auth are tests/conftest.py's, built on the settings above.


def offered(settings, prefix: str = "c", skip: int = 0) -> str:
    """A customer outside the card control group (so answers carry cards)."""
    found = (
        f"{prefix}-{i}"
        for i in range(10_000)
        if not in_control_group(f"{prefix}-{i}", settings.holdout_salt, settings.holdout_rate)
    )
    for _ in range(skip):
        next(found)
    return next(found)


def open_interaction(client, auth, interaction_id: str, customer_id: str, language="en"):
    """What the desk does first: /v1/assist with only what it knows."""
    body = {
        "interaction_id": interaction_id,
        "customer": {"customer_id": customer_id},
        "channel": "phone",
        "language": language,
    }
    response = client.post("/v1/assist", json=body, headers=auth("agent"))
    assert response.status_code == 200, response.get_json()
    return response.get_json()
