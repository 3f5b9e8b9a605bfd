"""The guidance long-poll: answers as soon as the stream decides, 204 after the wait, and
a worker never holds more open waits than its setting allows."""

import threading
import time

import pytest

from assist_api.services.customers.guidance import Busy, GuidanceBoard
from tests.customers.conftest import offered, open_interaction
from tests.customers.test_stream import CONVERSATION, post


def test_a_waiting_desk_gets_the_streams_answer(client, auth, settings, app):
    opened = open_interaction(client, auth, "i-g1", offered(settings))
    got = {}

    def desk():
        started = time.monotonic()
        response = app.test_client().get(
            f"/v1/interactions/i-g1/guidance?after={opened['sequence']}", headers=auth("agent")
        )
        got["status"], got["body"] = response.status_code, response.get_json()
        got["seconds"] = time.monotonic() - started

    waiting = threading.Thread(target=desk)
    waiting.start()
    time.sleep(0.3)
    answer = post(client, auth, "i-g1", [CONVERSATION[2]]).get_json()
    waiting.join(10)
    assert got["status"] == 200
    assert got["body"]["decision_id"] == answer["decision_id"]
    assert got["body"]["sequence"] == opened["sequence"] + 1
    assert got["seconds"] < settings.guidance_wait_seconds  # woken, not timed out


def test_nothing_newer_is_204_after_the_wait(client, auth, settings):
    opened = open_interaction(client, auth, "i-g2", offered(settings))
    post(client, auth, "i-g2", [CONVERSATION[2]])
    newest = opened["sequence"] + 1
    ready = client.get("/v1/interactions/i-g2/guidance?after=0", headers=auth("agent"))
    assert ready.status_code == 200 and ready.get_json()["sequence"] == newest
    started = time.monotonic()
    late = client.get(
        f"/v1/interactions/i-g2/guidance?after={newest}&wait=0.4", headers=auth("agent")
    )
    assert late.status_code == 204
    assert time.monotonic() - started >= 0.4


def test_a_worker_holds_at_most_its_open_waits(app):
    board = GuidanceBoard(app.extensions["store"], max_waits=1, poll_seconds=0.05)
    holder = threading.Thread(target=board.wait, args=("i-g3", 0, 1.0))
    holder.start()
    deadline = time.monotonic() + 2
    while board.waiting == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    with pytest.raises(Busy):
        board.wait("i-g4", 0, 1.0)
    holder.join()
    assert board.waiting == 0


def test_busy_worker_answers_204_at_once_with_retry_after(app, client, auth, settings):
    open_interaction(client, auth, "i-g5", offered(settings))
    stream = app.extensions["stream"]
    stream.board = GuidanceBoard(app.extensions["store"], max_waits=0)
    response = client.get("/v1/interactions/i-g5/guidance", headers=auth("agent"))
    assert response.status_code == 204 and response.headers["Retry-After"] == "1"


def test_a_stranger_or_an_unknown_interaction_is_404(client, auth, settings):
    assert client.get("/v1/interactions/nobody/guidance", headers=auth("agent")).status_code == 404
    open_interaction(client, auth, "i-g6", offered(settings))
    from tests.helpers.app import bearer, make_keys

    other = make_keys(client.application)["agent"]  # another agent's key, not bound to it
    response = client.get("/v1/interactions/i-g6/guidance?wait=0.1", headers=bearer(other))
    assert response.status_code == 404
