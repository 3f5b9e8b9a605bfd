"""The OpenAPI document is enough to integrate from: every operation described, with examples.

These tests hold every operation to the same standard, including ones added later: a new
operation or field without a description or example fails here, and the message names the
operation (or schema and field) and what it lacks. Descriptions and examples live in
`assist_api/api_docs/*.yaml`.
"""

import re

import jsonschema_rs
import pytest

from tests.helpers import openapi
from tests.helpers.openapi import load_spec

# Path parameters for sending the request examples to a real app.
PATH_VALUES = {
    "pool_id": "ve_tokyo",
    "card_id": "validate_purchase.thank_and_confirm",
    "decision_id": "d-fbb391244269940dcb377ba9eb39bad3",
    "interaction_id": "example-i-1001",
    "customer_id": "example-c-77",
}
ROLE_ONLY = re.compile(r"^Role: [^.]*\.$")


@pytest.fixture
def spec(client):
    return load_spec(client)


def operations(spec):
    for path, method, operation, _parameters in openapi.operations(spec):
        yield f"{method.upper()} {path}", path, method, operation


def success(operation) -> dict:
    status = min(code for code in operation["responses"] if code.startswith("2"))
    return operation["responses"][status]


def json_examples(part: dict) -> dict:
    return part.get("content", {}).get("application/json", {}).get("examples", {})


def body_examples(part: dict) -> dict:
    """A request body's examples in its own media type (JSON, or a form-encoded callback)."""
    return next(iter(part.get("content", {}).values()), {}).get("examples", {})


def test_every_operation_has_a_summary_a_description_and_examples(spec):
    lacking = []
    for name, _path, _method, operation in operations(spec):
        description = operation.get("description", "").strip()
        missing = [
            what
            for what, absent in (
                ("a summary", not operation.get("summary")),
                (
                    "a description (beyond its role)",
                    not description or ROLE_ONLY.match(description),
                ),
                (
                    "a request example",
                    "requestBody" in operation and not body_examples(operation["requestBody"]),
                ),
                ("an example of its success response", not json_examples(success(operation))),
            )
            if absent
        ]
        if missing:
            lacking.append(f"{name} lacks " + ", ".join(missing))
    assert not lacking, "add them in assist_api/api_docs/operations.yaml:\n" + "\n".join(lacking)


def test_every_field_and_parameter_is_described(spec):
    lacking = [
        f"schema {name}: field {field!r} has no description"
        for name, schema in spec["components"]["schemas"].items()
        for field, prop in schema.get("properties", {}).items()
        if not prop.get("description")
    ]
    for name, _path, _method, operation in operations(spec):
        lacking += [
            f"{name}: parameter {p['name']!r} has no description"
            for p in operation.get("parameters", ())
            if not p.get("description")
        ]
    for path, item in spec["paths"].items():
        lacking += [
            f"{path}: path parameter {p['name']!r} has no description"
            for p in item.get("parameters", ())
            if not p.get("description")
        ]
    assert not lacking, (
        "describe them in the schema (metadata) or in assist_api/api_docs/fields.yaml:\n"
        + "\n".join(lacking)
    )


def json_schema(node):
    """OpenAPI 3.0's schema dialect as JSON Schema: `nullable` becomes a null type."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        if "type" in converted:
            converted["type"] = [converted["type"], "null"]
        else:
            converted = {"anyOf": [converted, {"type": "null"}]}
    return converted


def test_every_example_validates_against_its_schema(spec):
    components = json_schema(spec["components"])
    problems = []
    for name, _path, _method, operation in operations(spec):
        parts = [("response", success(operation))]
        if "requestBody" in operation:
            parts.insert(0, ("request", operation["requestBody"]))
        for kind, part in parts:
            media = part.get("content", {}).get("application/json", {})
            validator = jsonschema_rs.Draft7Validator(
                {**json_schema(media.get("schema", {})), "components": components}
            )
            for label, example in media.get("examples", {}).items():
                problems += [
                    f"{name}: {kind} example {label!r}: {error.message} at "
                    f"{'/'.join(map(str, error.instance_path)) or 'the top'}"
                    for error in validator.iter_errors(example["value"])
                ]
    assert not problems, "\n".join(problems)


def test_the_assist_examples_are_in_both_languages_and_describe_the_transcript(spec):
    operation = spec["paths"]["/v1/assist"]["post"]
    request = json_examples(operation["requestBody"])
    assert {example["value"]["language"] for example in request.values()} == {"ja", "en"}
    assert "Agent:" in operation["description"] and "お客様：" in operation["description"]
    transcript = spec["components"]["schemas"]["AssistRequest"]["properties"]["transcript"]
    assert "speaker label" in transcript["description"]


def test_the_docs_tell_readers_to_try_requests_with_a_test_key(spec):
    """Swagger's "Try it out" sends the example: it must not count as a real contact."""
    assert "--test" in spec["info"]["description"]


def test_the_app_accepts_every_request_example(spec, client, auth):
    """An example the app would refuse (400/422) is worse than none."""
    refused = []
    for name, path, method, operation in operations(spec):
        if "requestBody" not in operation:
            continue
        url = re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m[1]], path)
        for label, example in json_examples(operation["requestBody"]).items():
            answer = client.open(
                url, method=method.upper(), json=example["value"], headers=auth("admin")
            )
            if answer.status_code in (400, 422):
                refused.append(f"{name} example {label!r}: {answer.get_json()}")
    assert not refused, "\n".join(refused)
