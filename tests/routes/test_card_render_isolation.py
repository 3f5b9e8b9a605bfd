"""A card whose template fails at request time costs the agent that card, never the
answer (issue 22, finding 1: before, every /v1/assist showing it answered 500)."""

import logging
from dataclasses import replace

from tests.helpers.assist_requests import assist_request, offered_customer

BROKEN_TITLE = "{{ customer.persona | percent }}"  # a text no save-time check would accept


def _with_broken_card(app):
    deps = app.extensions["assist_dependencies"]
    published = list(deps.cards())
    good = published[0]
    texts = {lang: replace(text, title=BROKEN_TITLE) for lang, text in good.texts.items()}
    broken = replace(good, card_id=f"{good.activity}.broken_template", texts=texts, weight=1e6)
    deps.cards = lambda: [broken, *published]
    return broken


def test_the_broken_card_is_dropped_and_named_and_the_answer_is_200(app, client, auth, caplog):
    broken = _with_broken_card(app)
    settings = app.config["SETTINGS"]
    body = assist_request(customer_id=offered_customer(settings), contact_reason="how_to")
    with caplog.at_level(logging.ERROR):
        response = client.post("/v1/assist", json=body, headers=auth("agent"))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    answer = response.get_json()
    assert broken.card_id not in [card["card_id"] for card in answer["cards"]]
    assert f"card_not_rendered:{broken.card_id}" in answer["degraded"]
    assert [card["rank"] for card in answer["cards"]] == list(range(1, len(answer["cards"]) + 1))
    assert any(broken.card_id in record.getMessage() for record in caplog.records)
