"""Faults survived, with real processes: gunicorn (2 workers), PostgreSQL, an MLflow server.

- the database stops accepting connections: /v1/assist keeps answering, spools its
  decisions, and writes each of them exactly once when the database is back;
- the MLflow registry dies: the served model stays, a reload keeps it, and a restarted
  service starts from the disk cache; /readyz says where the model came from;
- a gunicorn worker is SIGKILLed under outcome load: every outcome acknowledged with a
  2xx is in the store afterwards.
"""

import os
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from itertools import count

import pytest
import requests
from sqlalchemy import func, select

from assist_api.services.decisions.spooling import SPOOLED
from assist_api.services.outcomes.imports import import_files
from assist_api.store.migrate import upgrade
from assist_api.store.store import Store
from assist_api.store.tables import Decision, OutcomeEvent
from tests.helpers.databases import temporary_database, temporary_postgres_database
from tests.helpers.outage import store_outage
from tests.helpers.records import interaction, write_csv
from tests.helpers.server import create_key, mlflow_server, serve, service_env, stop, wait_for
from tests.helpers.server import live_assist_body as assist_body
from tests.helpers.tiny_model import register_tiny_model

pytestmark = pytest.mark.integration
CLIENTS = 4
POSTS = 300


def post_all(
    url: str, key: str, bodies: list[dict], new_connections: bool = False
) -> list[requests.Response]:
    """POST every body from CLIENTS threads at once.

    Each client keeps its connection (so stays with one worker) unless `new_connections`:
    then every post is a connection of its own, which spreads them over both workers.
    """
    local = threading.local()

    def post(body):
        if not hasattr(local, "session"):
            local.session = requests.Session()
            local.session.headers["Authorization"] = f"Bearer {key}"
            if new_connections:
                local.session.headers["Connection"] = "close"
        return local.session.post(url, json=body, timeout=30)

    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(post, bodies))


def test_database_down_assist_answers_spools_and_writes_every_decision_once(tmp_path):
    with temporary_postgres_database() as url:
        env = service_env(tmp_path / "data", url, outbound_timeout_seconds=1)
        service = serve(env)
        store = Store.open(url)
        try:
            key = create_key(env, "agent")
            endpoint = service.url + "/v1/assist"
            # both workers check the key while the store is up (a worker that never saw a
            # key cannot check it during the outage: 503, credentials not checkable)
            warm = [assist_body(f"i-{n % 10}") for n in range(40)]
            before = post_all(endpoint, key, warm, new_connections=True)
            assert {r.status_code for r in before} == {200}

            with store_outage(url):
                during = post_all(endpoint, key, [assist_body(f"i-{n % 10}") for n in range(60)])
                readiness = requests.get(service.url + "/readyz", timeout=10)
            assert [r.status_code for r in during] == [200] * 60
            assert all(SPOOLED in r.json()["degraded"] for r in during)
            assert readiness.status_code == 503 and readiness.json()["store"] == "unreachable"

            acknowledged = {r.json()["decision_id"] for r in before + during}
            assert len(acknowledged) == 100

            def stored_ids():
                with store.uow() as uow:
                    return set(uow.session.scalars(select(Decision.decision_id)))

            wait_for(lambda: stored_ids() >= acknowledged, "the spool to drain")
            stored = stored_ids()
            print(
                f"{len(acknowledged)} decisions acknowledged (60 while the database was down), "
                f"{len(stored)} stored, {len(acknowledged - stored)} lost"
            )
            assert stored == acknowledged  # zero lost, zero duplicated, nothing extra
            with store.uow() as uow:
                per_interaction = uow.session.execute(
                    select(
                        Decision.interaction_id, func.count(), func.max(Decision.sequence)
                    ).group_by(Decision.interaction_id)
                ).all()
            assert all(n == highest for _, n, highest in per_interaction)
            spool = tmp_path / "data" / "spool"
            wait_for(lambda: not list(spool.glob("*.jsonl")), "the spool files to go")
        finally:
            store.close()
            stop(service)


def test_registry_down_the_cached_model_serves_and_readyz_says_so(tmp_path):
    registry = mlflow_server(tmp_path / "mlflow")
    try:
        version = register_tiny_model(registry.url, tmp_path / "mlartifacts")
        env = service_env(
            tmp_path / "data",
            f"sqlite:///{tmp_path / 'store.db'}",
            registry.url,
            model_check_seconds=1,  # the watcher keeps trying the dead registry too
            outbound_timeout_seconds=2,
        )
        service = serve(env, ready_path="/readyz")
    except BaseException:
        stop(registry)
        raise
    try:
        agent, scientist = create_key(env, "agent"), create_key(env, "scientist")
        ready = requests.get(service.url + "/readyz", timeout=10).json()
        assert (ready["model"]["source"], ready["model"]["version"]) == ("registry", version)

        stop(registry)  # the registry dies while the service runs
        reload = requests.post(
            service.url + "/v1/models/reload",
            headers={"Authorization": f"Bearer {scientist}"},
            timeout=60,
        )
        assert reload.status_code == 200 and reload.json()["changed"] is False
        assert reload.json()["model"]["version"] == version
        ready = requests.get(service.url + "/readyz", timeout=10)
        assert ready.status_code == 200 and ready.json()["model"]["last_error"]
        bodies = [assist_body(f"i-{n}") for n in range(8)]
        answers = post_all(service.url + "/v1/assist", agent, bodies)
        assert {(r.status_code, r.json()["model"]["version"]) for r in answers} == {(200, version)}
        assert {tuple(r.json()["degraded"]) for r in answers} == {()}

        stop(service)  # and the service restarts while the registry is still down
        service = serve(env, ready_path="/readyz")
        ready = requests.get(service.url + "/readyz", timeout=10).json()
        assert ready["ready"] and ready["model"]["source"] == "cache"
        assert ready["model"]["version"] == version and ready["model"]["last_error"]
        answers = post_all(service.url + "/v1/assist", agent, bodies)
        assert {(r.status_code, r.json()["model"]["version"]) for r in answers} == {(200, version)}
    finally:
        stop(service)
        stop(registry)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_worker_killed_under_outcome_load_loses_no_acknowledged_outcome(tmp_path, kind):
    with temporary_database(kind, tmp_path) as url:
        upgrade(url)
        store = Store.open(url)
        rows = [interaction(i) for i in range(50)]
        assert import_files(store, write_csv(tmp_path / "interactions.csv", rows)).committed
        service = serve(service_env(tmp_path / "data", url))
        try:
            # imported interactions have no opening agent: their outcomes come from a feed
            key = create_key(service.env, "system")
            old_workers = set(service.children())
            assert len(old_workers) == 2
            numbers = count()
            acknowledged, failed = [], []
            lock = threading.Lock()
            killed = threading.Event()

            def client():
                session = requests.Session()
                session.headers["Authorization"] = f"Bearer {key}"
                while (n := next(numbers)) < POSTS:
                    post = {"interaction_id": f"i-{n % 50}", "handle_seconds": float(n)}
                    try:
                        response = session.post(service.url + "/v1/outcomes", json=post, timeout=30)
                        ok = 200 <= response.status_code < 300
                    except requests.RequestException:
                        ok = False
                        session = requests.Session()
                        session.headers["Authorization"] = f"Bearer {key}"
                    with lock:
                        (acknowledged if ok else failed).append(post)
                        if len(acknowledged) == POSTS // 3 and not killed.is_set():
                            killed.set()
                            os.kill(sorted(old_workers)[0], signal.SIGKILL)

            threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert killed.is_set()
            replaced = wait_for(
                lambda: len(service.children()) == 2 and set(service.children()) != old_workers,
                "gunicorn to replace the killed worker",
            )
            assert replaced

            with store.uow() as uow:
                stored = {
                    (event.interaction_id, event.payload.get("handle_seconds"))
                    for event in uow.session.scalars(select(OutcomeEvent))
                }
            missing = [
                post
                for post in acknowledged
                if (post["interaction_id"], post["handle_seconds"]) not in stored
            ]
            print(
                f"{kind}: {POSTS} posts, {len(acknowledged)} acknowledged, {len(failed)} failed "
                f"around the kill, {len(stored)} events stored, {len(missing)} acknowledged lost"
            )
            assert missing == []  # every 2xx is in the store
            assert len(acknowledged) + len(failed) == POSTS
            assert len(failed) <= CLIENTS  # only requests in the killed worker's hands
            assert len(stored) >= len(acknowledged)
        finally:
            stop(service)
            store.close()
