"""Logged decisions with outcomes, made through the real routes: one /v1/assist answer per
interaction, then an outcome naming its top card (for off-policy and shadow tests)."""

from tests.helpers.app import bearer, make_keys
from tests.helpers.assist_requests import assist_request, offered_customer


def log_decisions(app, settings, n: int, success) -> None:
    """n interactions i-0..i-(n-1), each answered and given VES answers; `success(k)` says
    which ones are a VE success."""
    headers, client = bearer(make_keys(app)["agent"]), app.test_client()
    for k in range(n):
        body = assist_request(interaction_id=f"i-{k}", customer_id=offered_customer(settings, k))
        answer = client.post("/v1/assist", json=body, headers=headers).get_json()
        post = {
            "interaction_id": f"i-{k}",
            "card_id_used": answer["cards"][0]["card_id"],
            "ves_confidence": 6 if success(k) else 3,
            "ves_ability": 6,
        }
        assert client.post("/v1/outcomes", json=post, headers=headers).status_code == 200
