"""The demo's printed sample calls use a test-flagged key, so trying them never counts in a
report or a training set."""

import json
import shlex

from sqlalchemy import select

from assist_api.cli.demo import sample_assist, sample_calls
from assist_api.services.studies.demo import create_demo_keys
from assist_api.store.tables import ApiKey, Decision, Interaction
from tests.helpers.app import bearer


def test_the_sample_calls_carry_the_test_key_and_their_decisions_are_test_traffic(app):
    store = app.extensions["store"]
    keys, sample = create_demo_keys(store)
    assert sample not in keys.values()
    with store.engine.connect() as connection:
        flags = dict(connection.execute(select(ApiKey.name, ApiKey.test)).all())
    assert flags["demo sample calls"] is True and flags["demo agent"] is False

    calls = sample_calls("http://127.0.0.1:8000", sample)
    assert len(calls) == 3 and all(f"Bearer {sample}" in call for call in calls)
    assert not any(key in call for key in keys.values() for call in calls)
    client = app.test_client()
    for call, language in zip(calls[1:], ("en", "ja"), strict=True):
        words = shlex.split(call)  # the /v1/assist call, as a shell reads it
        body = json.loads(words[words.index("-d") + 1])
        assert body == sample_assist(language) and body["language"] == language
        response = client.post("/v1/assist", json=body, headers=bearer(sample))
        assert response.status_code == 200, response.get_json()
        answer = response.get_json()
        language_notes = {"language_mismatch", "language_unsupported"} & set(answer["degraded"])
        assert not language_notes  # the words are in the language the sample says
        assert answer["understood"]["contact_reason"]["value"] == "how_to"
    with store.engine.connect() as connection:
        decisions = connection.execute(select(Decision.test)).scalars().all()
        interactions = connection.execute(select(Interaction.test)).scalars().all()
    assert decisions == [True, True] and interactions == [True, True]
