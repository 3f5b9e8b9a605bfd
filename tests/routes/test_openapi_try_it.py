"""Swagger's "Try it out" sends the document's examples as they are: they must be realistic
(in Japanese and English where the body carries words) and must not pollute real data.

Two things keep a tried request harmless: the docs tell readers to authorize with a test
key (whose traffic every report and training set leaves out), and every id in the examples
is an `example-…` id, so even the writes a test flag does not cover (a customer profile, a
customer's card history and frequency caps) never land on a real customer or contact.
"""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from assist_api.services.access.keys import create_key
from assist_api.store.tables import Decision, Interaction
from features.vocabulary import ROLES
from tests.helpers.app import bearer
from tests.helpers.openapi import load_spec, operations

# Connectors carry the platform's own ids (mapped by each connector's documented rule).
PLATFORM_EVENTS = "/v1/connectors/"
IDS = ("interaction_id", "customer_id")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
WORDS = ("transcript", "text", "texts", "note", "talk_track")


@pytest.fixture
def spec(client):
    return load_spec(client)


def request_examples(operation) -> dict:
    body = operation.get("requestBody", {}).get("content", {})
    return next(iter(body.values()), {}).get("examples", {})


def values(node, names):
    """Every value of a key in `names`, anywhere in a nested example."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in names and not isinstance(value, dict | list):
                yield key, value
            yield from values(value, names)
    elif isinstance(node, list):
        for item in node:
            yield from values(item, names)


def test_the_docs_page_says_to_use_a_test_key_and_how_to_make_one(spec, client):
    info = spec["info"]["description"]
    assert "value-assist keys create --role agent --name docs --test" in info
    assert "example-" in info
    scheme = spec["components"]["securitySchemes"]["bearerAuth"]["description"]
    assert "test key" in scheme and "--test" in scheme
    page = client.get("/docs")
    assert page.status_code == 200 and b"/openapi.json" in page.data  # the page shows `info`


def test_every_path_parameter_has_an_example_for_try_it_out(spec):
    missing = [
        f"{method.upper()} {path}: {parameter['name']}"
        for path, method, _operation, parameters in operations(spec)
        for parameter in parameters
        if parameter.get("in") == "path" and not parameter.get("example")
    ]
    assert not missing, "add them to parameter_examples in api_docs/fields.yaml:\n" + "\n".join(
        missing
    )


def test_every_contact_and_customer_id_in_the_examples_is_an_example_id(spec):
    real_looking = []
    for path, method, operation, parameters in operations(spec):
        if path.startswith(PLATFORM_EVENTS):
            continue
        found = [(p["name"], p.get("example")) for p in parameters if p["name"] in IDS]
        for label, example in request_examples(operation).items():
            found += [(f"{label}: {key}", value) for key, value in values(example["value"], IDS)]
        real_looking += [
            f"{method.upper()} {path} {where} = {value!r}"
            for where, value in found
            if not str(value).startswith("example-")
        ]
    assert not real_looking, "\n".join(real_looking)


def test_examples_with_words_come_in_japanese_and_english(spec):
    problems = []
    for path, method, operation, _parameters in operations(spec):
        examples = request_examples(operation)
        worded = [e for e in examples.values() if any(True for _ in values(e["value"], WORDS))]
        if not worded or path.startswith(PLATFORM_EVENTS):
            continue
        japanese = [e for e in worded if any(JAPANESE.search(str(v)) for _, v in
                                             values(e["value"], WORDS))]  # fmt: skip
        english = [e for e in worded if e not in japanese]
        if not japanese or not english:
            problems.append(f"{method.upper()} {path}: {len(japanese)} ja, {len(english)} en")
    assert not problems, "\n".join(problems)


def test_trying_every_example_with_test_keys_writes_only_test_traffic(spec, app, client):
    store = app.extensions["store"]
    with store.uow() as uow:
        test_keys = {
            role: create_key(uow.session, role=role, name=f"docs {role}", actor="tests",
                             now=datetime.now(UTC), test=True)
            for role in ROLES
        }  # fmt: skip
        uow.commit()
    tried = 0
    for path, method, operation, parameters in operations(spec):
        if path.startswith(PLATFORM_EVENTS) or method not in ("post", "put"):
            continue
        filled = {p["name"]: p["example"] for p in parameters if p.get("in") == "path"}
        url = re.sub(r"\{(\w+)\}", lambda m, filled=filled: filled[m[1]], path)
        for label, example in request_examples(operation).items():
            statuses = []
            for role in ("agent", "lead", "system", "scientist", "admin"):
                answer = client.open(url, method=method.upper(), json=example["value"],
                                     headers=bearer(test_keys[role]))  # fmt: skip
                statuses.append(answer.status_code)
                if answer.status_code != 403:
                    break
            assert statuses[-1] not in (400, 422), (path, label, statuses)
            tried += 1
    assert tried >= 10
    with store.engine.connect() as connection:
        interactions = connection.execute(select(Interaction.interaction_id, Interaction.test))
        decisions = connection.execute(select(Decision.decision_id, Decision.test)).all()
        interactions = interactions.all()
    assert interactions and decisions
    assert all(test for _, test in interactions), interactions
    assert all(test for _, test in decisions), decisions
    assert all(interaction_id.startswith("example-") for interaction_id, _ in interactions)
