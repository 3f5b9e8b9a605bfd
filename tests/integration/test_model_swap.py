"""The registry's champion moves while agents are calling /v1/assist on real gunicorn.

Four clients post without pause to `value-assist serve` (2 workers, each following the
alias every half second) backed by a real MLflow server. Mid-load a new version is
registered and the alias moved to it: no request may fail, and the answers must switch
to the new version.
"""

import threading

import requests

from tests.helpers.server import create_key, mlflow_server, serve, service_env, stop, wait_for
from tests.helpers.server import live_assist_body as assist_body
from tests.helpers.tiny_model import register_tiny_model

CLIENTS = 4  # desks posting at once, so both workers take requests

BEFORE_THE_MOVE = 40  # answers collected from the first version
SWITCHED_RUN = 60  # the run of answers from the new version that ends the load


def test_the_champion_moved_mid_load_fails_no_request_and_answers_switch(tmp_path):
    registry = mlflow_server(tmp_path / "mlflow")
    try:
        first = register_tiny_model(registry.url, tmp_path / "mlartifacts", seed=0)
        env = service_env(
            tmp_path / "data",
            f"sqlite:///{tmp_path / 'store.db'}",
            registry.url,
            model_check_seconds=0.5,
        )
        service = serve(env, ready_path="/readyz")
    except BaseException:
        stop(registry)
        raise
    answers: list[tuple[object, object]] = []  # (status, model version or error)
    lock, done = threading.Lock(), threading.Event()

    def agent_desk(desk: int, key: str) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {key}"
        turn = 0
        while not done.is_set():
            body = assist_body(f"i-{desk}-{turn}")
            try:
                response = session.post(service.url + "/v1/assist", json=body, timeout=30)
                if response.status_code == 200:
                    answer = (200, response.json()["model"]["version"])
                else:
                    answer = (response.status_code, response.text)
            except requests.RequestException as exc:
                answer = ("no answer", repr(exc))
            with lock:
                answers.append(answer)
            turn += 1

    def switched() -> bool:
        with lock:
            tail = answers[-SWITCHED_RUN:]
        return len(tail) == SWITCHED_RUN and all(version == second for _, version in tail)

    try:
        key = create_key(env, "agent")
        desks = [threading.Thread(target=agent_desk, args=(d, key)) for d in range(CLIENTS)]
        for desk in desks:
            desk.start()
        try:
            wait_for(lambda: len(answers) >= BEFORE_THE_MOVE, "answers from the first version")
            with lock:
                moved_at = len(answers)
            second = register_tiny_model(registry.url, tmp_path / "mlartifacts", seed=1)
            wait_for(switched, "every answer to come from the new version")
        finally:
            done.set()
            for desk in desks:
                desk.join(60)
    finally:
        stop(service)
        stop(registry)

    assert [answer for answer in answers if answer[0] != 200] == []
    assert {version for _, version in answers[:moved_at]} == {first}
    assert {version for _, version in answers} == {first, second}
