"""The production stack without containers, on loopback, through real servers only.

PostgreSQL holds the store and MLflow's backend (a fresh database each), `mlflow server`
tracks and registers with its artifacts proxied to its own folder, a Dask LocalCluster
trains (reached by its scheduler address, exactly as a remote cluster would be), and
`value-assist serve` runs the API under gunicorn with two workers. The setup is
deploy/init.sh, the compose stack's one-shot job, run unchanged; everything after it
goes through the public command line and HTTP API: reload, assist, outcomes, ROI.
"""

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import mlflow
import pytest
import requests
import yaml
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine, text

from assist_api.services.access.keys import create_key
from assist_api.store.store import Store
from tests.helpers.app import bearer
from tests.helpers.databases import temporary_postgres_database

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
START_TIMEOUT = 120  # seconds for a server to answer, or for every worker to take a model
COMMAND_TIMEOUT = 600
WORLD_INTERACTIONS = 3_000
LIVE_CONTACTS = 24
API_WORKERS = 2
CUSTOMER_FIELDS = {
    "customer_id": str,
    "days_since_purchase": int,
    "persona": str,
    "plan_tier": str,
    "products_owned": int,
    "feature_adoption": float,
    "prior_contacts_90d": int,
    "clv": float,
    "switching_effort": str,
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(args: list, log: Path, env: dict) -> subprocess.Popen:
    with open(log, "wb") as handle:
        return subprocess.Popen(
            [str(a) for a in args],
            stdout=handle,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )


def stop(process: subprocess.Popen) -> None:
    """End the process we started and its workers (its own session's process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{url}: the server exited:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or busy starting
            pass
        time.sleep(0.5)
    pytest.fail(f"{url} did not answer in {START_TIMEOUT} s:\n{log.read_text()[-3000:]}")


def run(args: list, env: dict) -> str:
    """Run a command to completion; its output, or the test fails showing it."""
    done = subprocess.run(
        [str(a) for a in args], env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done.stdout


def libpq(url: str) -> str:
    """The SQLAlchemy URL as PostgreSQL's own tools (pg_dump, pg_restore) spell it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def stack_env(data_dir: Path, store_url: str, tracking_uri: str, **extra) -> dict:
    """This machine's environment with only the stack's settings (nothing inherited)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VALUE_ASSIST_", "MLFLOW_"))}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        VALUE_ASSIST_DATA_DIR=str(data_dir),
        VALUE_ASSIST_DATABASE_URL=store_url,
        MLFLOW_TRACKING_URI=tracking_uri,
        **{k: str(v) for k, v in extra.items()},
    )
    return env


def compose_mlflow_allowed_hosts() -> str:
    """The Host headers docker-compose.yml lets the MLflow server answer."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return compose["services"]["mlflow"]["environment"]["MLFLOW_SERVER_ALLOWED_HOSTS"]


@pytest.fixture
def databases():
    """(store URL, MLflow backend URL): two fresh PostgreSQL databases, dropped after."""
    with temporary_postgres_database() as store, temporary_postgres_database() as tracking:
        yield store, tracking


@pytest.fixture
def tracking_server(databases, tmp_path):
    """`mlflow server` on PostgreSQL, serving artifacts from its own folder, starting up.

    Yields (url, artifact folder, process, log); the test waits for it while it works.
    """
    port, artifacts, log = free_port(), tmp_path / "mlartifacts", tmp_path / "mlflow.log"
    env = {**os.environ, "MLFLOW_SERVER_ALLOWED_HOSTS": compose_mlflow_allowed_hosts()}
    env.pop("MLFLOW_TRACKING_URI", None)
    process = start(
        [BIN / "mlflow", "server", "--host", "127.0.0.1", "--port", port, "--workers", "1",
         "--backend-store-uri", databases[1], "--artifacts-destination", artifacts],
        log,
        env,
    )  # fmt: skip
    try:
        yield f"http://127.0.0.1:{port}", artifacts, process, log
    finally:
        stop(process)


@pytest.fixture
def dask_scheduler():
    """A LocalCluster of two worker processes; training reaches it by address only."""
    from dask.distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=":0",
        silence_logs=40,
    ) as cluster:
        yield cluster.scheduler_address


def api_keys(store_url: str) -> dict[str, str]:
    """One key per role the loop needs (`value-assist keys create` does the same)."""
    store = Store.open(store_url)
    try:
        with store.uow() as uow:
            keys = {
                role: create_key(
                    uow.session, role=role, name=role, actor="test", now=datetime.now(UTC)
                )
                for role in ("agent", "lead", "scientist", "system")
            }
            uow.commit()
    finally:
        store.close()
    return keys


def assist_body(row: dict, interaction_id: str) -> dict:
    """A /v1/assist request for an import-format interaction row."""
    body = {
        "interaction_id": interaction_id,
        "customer": {name: kind(row[name]) for name, kind in CUSTOMER_FIELDS.items()},
        "channel": row["channel"],
        "language": row["language"],
        "transcript": [line for line in row["transcript"].split("\n") if line],
        "elapsed_seconds": float(row["elapsed_seconds"]),
    }
    if row["contact_reason"]:
        body["contact_reason"] = row["contact_reason"]
    if row["customer_sentiment"]:
        body["customer_sentiment"] = float(row["customer_sentiment"])
    return body


def worker_model_versions(base: str) -> list[float]:
    """The model version each live gunicorn worker reports in /metrics (0: none)."""
    families = text_string_to_metric_families(requests.get(f"{base}/metrics", timeout=5).text)
    return [
        sample.value
        for family in families
        if family.name == "value_assist_model_version"
        for sample in family.samples
    ]


def counter_total(base: str, name: str, **labels) -> float:
    families = text_string_to_metric_families(requests.get(f"{base}/metrics", timeout=5).text)
    return sum(
        sample.value
        for family in families
        if family.name == name
        for sample in family.samples
        if sample.name == f"{name}_total" and labels.items() <= sample.labels.items()
    )


def wait_for_every_worker(base: str, version: float) -> None:
    """Until every worker serves `version`. /metrics is answered by whichever worker
    accepts the connection, and each answer refreshes that worker's own gauge."""
    deadline = time.monotonic() + START_TIMEOUT
    seen: list[float] = []
    while time.monotonic() < deadline:
        seen = worker_model_versions(base)
        if len(seen) == API_WORKERS and all(v == version for v in seen):
            return
        time.sleep(0.2)
    pytest.fail(f"workers report model versions {seen}, not all {version}")


def assert_trained_on_dask_through_the_server(tracking_uri, tracking_db, artifacts, trainer_dir):
    """Version 1 is the champion, fitted on the cluster, stored by the server on PostgreSQL."""
    client = mlflow.MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
    champion = client.get_model_version_by_alias("ve-openness", "champion")
    assert champion.version == "1"
    params = client.get_run(champion.run_id).data.params
    assert params["trainer"] == "dask"
    # From the store, exported beside the trainer's data for the workers to read, and
    # deleted once trained (the purge promise: no stray copies of transcripts).
    source = Path(params["dataset_source"])
    assert source.parent == trainer_dir.resolve() and source.name.startswith("training_export")
    assert not source.exists()
    assert any(artifacts.rglob("fast_path")), "artifacts were not proxied to the server"
    engine = create_engine(tracking_db)
    with engine.connect() as connection:
        registered = connection.execute(text("SELECT name, version FROM model_versions"))
        assert registered.all() == [("ve-openness", 1)]
    engine.dispose()


def serve_live_contacts(base: str, rows: list[dict], headers: dict) -> list[dict]:
    """Answer each row as a live contact; every answer comes from version 1, whole."""
    answers = []
    for i, row in enumerate(rows):
        response = requests.post(
            f"{base}/v1/assist", json=assist_body(row, f"live-{i}"), headers=headers, timeout=10
        )
        assert response.status_code == 200, response.text
        answers.append(response.json())
    for answer in answers:
        assert answer["model"] == {"name": "ve-openness", "version": "1"}
        assert answer["degraded"] == []
        assert answer["openness"]["band"] in ("low", "medium", "high")
        if answer["holdout"]:  # the control group gets the same answer without cards
            assert answer["cards"] == []
    assert any(answer["cards"] for answer in answers)
    return answers


def post_outcomes(base: str, answers: list[dict], agent: dict, feed: dict) -> None:
    """A survey answer per contact from the desk (the card used, if any), retention from the
    data feed; a retried post (same Idempotency-Key) changes nothing."""
    posts = []
    for answer in answers:
        post = {"interaction_id": answer["interaction_id"], "ves_confidence": 6,
                "ves_ability": 5, "csat": 5}  # fmt: skip
        if answer["cards"]:
            post["card_id_used"] = answer["cards"][0]["card_id"]
        posts.append(post)
    for n, post in [*enumerate(posts), (0, posts[0])]:
        headers = {**agent, "Idempotency-Key": f"survey-{n}"}
        response = requests.post(f"{base}/v1/outcomes", json=post, headers=headers, timeout=10)
        assert response.status_code == 200, response.text
    assert response.json()["retry"] is True and response.json()["events"] == 1
    for answer in answers:
        retained = {"interaction_id": answer["interaction_id"], "retained_60d": True}
        response = requests.post(f"{base}/v1/outcomes", json=retained, headers=feed, timeout=10)
        assert response.status_code == 200, response.text


def test_setup_train_reload_assist_outcomes_and_roi_through_real_servers(
    databases, tracking_server, dask_scheduler, tmp_path
):
    store_url, tracking_db = databases
    tracking_uri, artifacts, tracking_process, tracking_log = tracking_server
    history = tmp_path / "history"
    trainer = stack_env(
        tmp_path / "trainer",
        store_url,
        tracking_uri,
        DASK_SCHEDULER_ADDRESS=dask_scheduler,
        INIT_HISTORY_DIR=history,
    )
    run([BIN / "value-assist", "db", "upgrade"], trainer)  # once, before two processes race
    port = free_port()
    base, api_log = f"http://127.0.0.1:{port}", tmp_path / "api.log"
    api = start(
        [BIN / "value-assist", "serve", "--host", "127.0.0.1", "--port", port,
         "--workers", API_WORKERS],
        api_log,
        stack_env(tmp_path / "api", store_url, tracking_uri,
                  VALUE_ASSIST_MODEL_CHECK_SECONDS=1, VALUE_ASSIST_SECURE_COOKIES="false"),
    )  # fmt: skip
    try:
        run([BIN / "value-assist", "simulate", "--out", history,
             "--interactions", WORLD_INTERACTIONS, "--seed", 5], trainer)  # fmt: skip
        with open(history / "interactions.csv", encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        auth = {role: bearer(key) for role, key in api_keys(store_url).items()}
        wait_until_up(f"{base}/healthz", api, api_log)
        wait_until_up(f"{tracking_uri}/health", tracking_process, tracking_log)

        # Before any model: alive, not ready, and answers say what they did without.
        not_ready = requests.get(f"{base}/readyz", timeout=5)
        assert not_ready.status_code == 503 and not_ready.json()["model"]["ready"] is False
        early = requests.post(
            f"{base}/v1/assist", json=assist_body(rows[0], "early-0"), headers=auth["agent"],
            timeout=10,
        ).json()  # fmt: skip
        assert early["degraded"] == ["model_unavailable"]

        # The compose stack's setup job: migrations, playbook, history, first champion.
        setup = run(["sh", ROOT / "deploy/init.sh"], trainer)
        assert "registered model version 1" in setup and "promotion: promoted" in setup, setup
        assert_trained_on_dask_through_the_server(
            tracking_uri, tracking_db, artifacts, tmp_path / "trainer"
        )
        again = run(["sh", ROOT / "deploy/init.sh"], trainer)
        assert "already points at a version: nothing to train" in again

        # Reload: the worker that answers swaps now, the other follows its alias watcher.
        reloaded = requests.post(f"{base}/v1/models/reload", headers=auth["scientist"], timeout=60)
        assert reloaded.status_code == 200, reloaded.text
        assert reloaded.json()["model"]["version"] == "1"
        wait_for_every_worker(base, 1.0)
        assert requests.get(f"{base}/readyz", timeout=5).status_code == 200

        answers = serve_live_contacts(base, rows[1 : LIVE_CONTACTS + 1], auth["agent"])
        roi_url = f"{base}/v1/reports/roi?format=json"
        before = requests.get(roi_url, headers=auth["lead"], timeout=60).json()["counts"]
        post_outcomes(base, answers, auth["agent"], auth["system"])
        roi = requests.get(roi_url, headers=auth["lead"], timeout=60)
        assert roi.status_code == 200, roi.text
        counts = roi.json()["counts"]
        assert counts["interactions"] == WORLD_INTERACTIONS + LIVE_CONTACTS + 1
        assert counts["decisions"] == LIVE_CONTACTS + 1
        assert counts["survey_respondents"] == before["survey_respondents"] + LIVE_CONTACTS
        live_with_cards = sum(1 for answer in answers if answer["cards"])
        assert counts["cards_shown"] == live_with_cards + bool(early["cards"])
        assert counts["cards_used"] == before["cards_used"] + live_with_cards

        assert counter_total(base, "value_assist_decisions") == LIVE_CONTACTS + 1
        assert counter_total(base, "value_assist_degraded_answers", reason="model_unavailable") == 1
        engine = create_engine(store_url)
        with engine.connect() as connection:
            versions = connection.execute(
                text("SELECT model_version, count(*) FROM decisions GROUP BY model_version")
            )
            assert dict(versions.all()) == {None: 1, "1": LIVE_CONTACTS}
        engine.dispose()
    finally:
        stop(api)

    # Backup and restore as docs/operations.md says: the copy reports what the API did.
    dump = tmp_path / "store.dump"
    run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", libpq(store_url)], trainer)
    with temporary_postgres_database() as restored:
        run(["pg_restore", "--no-owner", f"--dbname={libpq(restored)}", dump], trainer)
        report = run(
            [BIN / "value-assist", "report", "roi", "--format", "json"],
            {**trainer, "VALUE_ASSIST_DATABASE_URL": restored},
        )
    assert json.loads(report)["counts"] == counts
