"""Latest value wins, and a retry is what the client calls a retry (issue 22, finding 6).

Before, a retry was recognised by a content hash, so csat 5 -> 3 -> 5 answered the last
post as a retry and left 3.
"""

from assist_api.services.outcomes.imports import import_files
from tests.helpers.app import bearer, make_keys
from tests.helpers.records import interaction, write_csv


def _feed(app, client_path, tmp_path):
    rows = write_csv(tmp_path / "i.csv", [interaction(1)])
    assert import_files(app.extensions["store"], rows).committed
    return bearer(make_keys(app)["system"])


def _post(client, headers, body, key=None):
    headers = {**headers, "Idempotency-Key": key} if key else headers
    response = client.post("/v1/outcomes", json=body, headers=headers)
    assert response.status_code in (200, 409), response.get_data(as_text=True)[:300]
    return response


def test_a_correction_back_to_an_earlier_value_wins(app, client, tmp_path):
    feed = _feed(app, client, tmp_path)
    for csat in (5, 3, 5):
        last = _post(client, feed, {"interaction_id": "i-1", "csat": csat}).get_json()
    assert last["retry"] is False and last["events"] == 3
    assert last["outcome"]["csat"] == 5


def test_the_idempotency_key_names_a_retry(app, client, tmp_path):
    feed = _feed(app, client, tmp_path)
    _post(client, feed, {"interaction_id": "i-1", "csat": 5}, key="k1")
    _post(client, feed, {"interaction_id": "i-1", "csat": 3}, key="k2")
    retried = _post(client, feed, {"interaction_id": "i-1", "csat": 5}, key="k1").get_json()
    assert retried["retry"] is True and retried["events"] == 2
    assert retried["outcome"]["csat"] == 3  # the retry of the older post changes nothing
    reused = _post(client, feed, {"interaction_id": "i-1", "csat": 1}, key="k1")
    assert reused.status_code == 409


def test_the_latest_event_time_wins_whatever_the_arrival_order(app, client, tmp_path):
    feed = _feed(app, client, tmp_path)
    newer = {"interaction_id": "i-1", "csat": 2, "observed_at": "2026-03-05T10:00:00+00:00"}
    older = {"interaction_id": "i-1", "csat": 4, "observed_at": "2026-03-01T10:00:00+00:00"}
    _post(client, feed, newer)
    late = _post(client, feed, older).get_json()
    assert late["outcome"]["csat"] == 2 and late["events"] == 2
