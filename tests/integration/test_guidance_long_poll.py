"""Desks waiting on the guidance long-poll under real gunicorn (gthread workers).

Two workers with eight threads each, at most four open waits per worker: six desks wait
on one interaction (a desk told its worker is busy asks again after `Retry-After`) while
another agent's /v1/assist is still answered; an utterance posted to whichever worker
then reaches every waiting desk, including those held by the other worker (which sees
it on its next poll of the store).
"""

import threading
import time

import requests

from tests.helpers.server import create_key, serve, service_env, stop

DESKS = 6
WAIT_SECONDS = 20


def test_waiting_desks_get_the_new_guidance_and_assist_is_still_served(tmp_path):
    env = service_env(
        tmp_path / "data",
        f"sqlite:///{tmp_path / 'store.db'}",
        guidance_wait_seconds=WAIT_SECONDS,
        guidance_max_waits=4,
    )
    service = serve(env, workers=2, threads=8)
    try:
        agent = {"Authorization": f"Bearer {create_key(env, 'agent')}"}
        body = {
            "interaction_id": "i-live",
            "customer": {"customer_id": "c-live"},
            "channel": "chat",
            "language": "en",
        }
        opened = requests.post(service.url + "/v1/assist", json=body, headers=agent, timeout=30)
        assert opened.status_code == 200, opened.text
        after = opened.json()["sequence"]
        results: list[tuple[int, int | None, float]] = []
        lock = threading.Lock()

        def desk():
            """A desk's loop: wait; on 204 (busy worker, or nothing yet) ask again."""
            started = time.monotonic()
            while time.monotonic() - started < WAIT_SECONDS:
                response = requests.get(
                    f"{service.url}/v1/interactions/i-live/guidance?after={after}",
                    headers=agent,
                    timeout=WAIT_SECONDS + 10,
                )
                if response.status_code != 204:
                    break
                time.sleep(float(response.headers.get("Retry-After", "0")))
            sequence = response.json()["sequence"] if response.status_code == 200 else None
            with lock:
                results.append((response.status_code, sequence, time.monotonic() - started))

        desks = [threading.Thread(target=desk) for _ in range(DESKS)]
        for thread in desks:
            thread.start()
        time.sleep(1.0)  # the desks are waiting now
        other = {**body, "interaction_id": "i-other", "customer": {"customer_id": "c-other"}}
        served = requests.post(service.url + "/v1/assist", json=other, headers=agent, timeout=5)
        assert served.status_code == 200  # waits hold threads, not the whole worker

        utterance = {
            "utterance_id": "u-1",
            "speaker": "customer",
            "text": "I want to set up shared calendars for my team.",
            "is_final": True,
            "offset_ms": 4000,
        }
        posted = requests.post(
            f"{service.url}/v1/interactions/i-live/utterances",
            json={"utterances": [utterance]},
            headers=agent,
            timeout=30,
        )
        assert posted.status_code == 200, posted.text
        for thread in desks:
            thread.join(WAIT_SECONDS + 15)
        assert len(results) == DESKS
        assert all(status == 200 and seq == after + 1 for status, seq, _ in results), results
        assert max(seconds for *_, seconds in results) < WAIT_SECONDS  # woken, not timed out
    finally:
        stop(service)
