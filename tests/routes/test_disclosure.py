"""Nothing an open endpoint or an error says gives away internals or echoes input, and
every helper route keeps the JSON limits (issue 22, finding 8)."""

import pytest

from tests.helpers.assist_requests import assist_request

SECRET_ERROR = "connection refused: http://registry.internal:5000/api at /srv/models/secret"


def test_readyz_says_a_load_failed_but_not_its_text(app, client):
    app.extensions["scorer"]._last_error = SECRET_ERROR
    app.extensions["scorer"]._cache_error = SECRET_ERROR
    body = client.get("/readyz").get_data(as_text=True)
    assert "registry.internal" not in body and "/srv/models" not in body
    assert client.get("/readyz").get_json()["model"]["last_error"]


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200f", "\u061c", "\u0007"])
def test_an_id_with_control_or_bidi_characters_is_refused_by_assist_and_outcomes(
    client, auth, char
):
    interaction_id = f"i-{char}1001"
    assisted = client.post(
        "/v1/assist", json=assist_request(interaction_id=interaction_id), headers=auth("agent")
    )
    assert assisted.status_code == 422
    assert "interaction_id" in assisted.get_json()["error"]["details"]["fields"]
    outcome = client.post(
        "/v1/outcomes", json={"interaction_id": interaction_id, "csat": 4}, headers=auth("agent")
    )
    assert outcome.status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        b'{"yaml": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"yaml": "x", "deep": ' + b'{"a": ' * 40 + b"1" + b"}" * 40 + b"}",
    ],
)
def test_the_yaml_helper_keeps_the_json_limits(client, auth, body):
    headers = {**auth("lead"), "Content-Type": "application/json"}
    response = client.post("/ui/playbooks/parse", data=body, headers=headers)
    assert response.status_code == 400, response.get_data(as_text=True)[:300]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a: " + "[" * 9_000 + "]" * 9_000, "nested deeper than"),  # under the size limit
        ("id: x\nweight: .nan\n", "finite numbers"),
        ("id: x\nweight: .inf\n", "finite numbers"),
    ],
)
def test_the_yaml_helper_refuses_deep_yaml_and_nan(client, auth, text, reason):
    response = client.post("/ui/playbooks/parse", json={"yaml": text}, headers=auth("lead"))
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert reason in response.get_json()["error"]["details"]["fields"]["yaml"][0]
