"""Real processes for fault and load tests: `value-assist serve` (gunicorn) and `mlflow server`.

Each runs in its own session (process group) so it and its workers can be ended together,
by the id of the process this helper started. Logs go to files beside the data, and are
shown when a process fails to come up.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from assist_api.services.access import keys
from assist_api.store.store import Store
from tests.helpers.assist_requests import OMIT, assist_request

BIN = Path(sys.executable).parent
START_LIMIT_SECONDS = 120  # a give-up limit for a slow machine, not a speed assertion
WAIT_LIMIT_SECONDS = 60  # the same, for a condition to come true


@dataclass
class Process:
    url: str
    process: subprocess.Popen
    log: Path
    env: dict

    def children(self) -> list[int]:
        """The pids of the process's direct children (gunicorn's workers)."""
        pid = self.process.pid
        path = Path(f"/proc/{pid}/task/{pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(args: list[str], env: dict, log: Path, url: str, ready_path: str) -> Process:
    with open(log, "ab") as handle:
        process = subprocess.Popen(
            args, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
    started = Process(url, process, log, env)
    deadline = time.monotonic() + START_LIMIT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{args[:2]} exited early:\n{started.log_tail()}")
        try:
            if requests.get(url + ready_path, timeout=2).status_code == 200:
                return started
        except requests.RequestException:
            pass
        time.sleep(0.3)
    stop(started)
    raise RuntimeError(f"{url}{ready_path} did not answer 200:\n{started.log_tail()}")


def stop(started: Process) -> None:
    """End the process and its workers: SIGTERM to its group, SIGKILL if it lingers."""
    if started.process.poll() is None:
        os.killpg(started.process.pid, signal.SIGTERM)
        try:
            started.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(started.process.pid, signal.SIGKILL)
            started.process.wait()


def service_env(data_dir: Path, database_url: str, tracking_uri: str | None = None, **settings):
    """The environment of a service whose data live in `data_dir`.

    Without `tracking_uri` the registry is a loopback port nobody listens on (refused at
    once): the service runs without a model, and no MLflow store is created.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("VALUE_ASSIST_", "MLFLOW_", "PROMETHEUS_"))
    }
    env.update(
        VALUE_ASSIST_DATA_DIR=str(data_dir),
        VALUE_ASSIST_DATABASE_URL=database_url,
        MLFLOW_TRACKING_URI=tracking_uri or f"http://127.0.0.1:{free_port()}",
        MLFLOW_HTTP_REQUEST_MAX_RETRIES="0",  # a dead registry fails fast, no back-off
        MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR="0",
        VALUE_ASSIST_MODEL_CHECK_SECONDS="0",
        VALUE_ASSIST_SECURE_COOKIES="false",
    )
    env.update({f"VALUE_ASSIST_{name.upper()}": str(value) for name, value in settings.items()})
    return env


def serve(
    env: dict, workers: int = 2, ready_path: str = "/healthz", threads: int | None = None
) -> Process:
    """`value-assist serve` (gthread; `threads` per worker, default the setting's)."""
    port = free_port()
    log = Path(env["VALUE_ASSIST_DATA_DIR"]) / "serve.log"
    args = [str(BIN / "value-assist"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    args += ["--workers", str(workers)]
    if threads is not None:
        args += ["--threads", str(threads)]
    return start(args, env, log, f"http://127.0.0.1:{port}", ready_path)


def create_key(env: dict, role: str) -> str:
    """A key for the service in `env`, created in its store as `value-assist keys` would."""
    store = Store.open(env["VALUE_ASSIST_DATABASE_URL"])
    try:
        with store.uow() as uow:
            key = keys.create_key(
                uow.session, role=role, name=f"{role} test", actor="tests", now=datetime.now(UTC)
            )
            uow.commit()
    finally:
        store.close()
    return key


def mlflow_server(folder: Path) -> Process:
    """A real MLflow tracking server with a SQLite backend on a free loopback port."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    args = [str(BIN / "mlflow"), "server", "--host", "127.0.0.1", "--port", str(port)]
    args += ["--workers", "1", "--backend-store-uri", f"sqlite:///{folder / 'mlflow.db'}"]
    args += ["--artifacts-destination", str(folder / "artifacts")]
    return start(args, env, folder / "mlflow.log", f"http://127.0.0.1:{port}", "/health")


def live_assist_body(interaction_id: str) -> dict:
    """An English chat request for a live server, one customer per interaction."""
    return assist_request(
        interaction_id=interaction_id,
        customer_id=f"c-{interaction_id}",
        channel="chat",
        language="en",
        transcript=["How do I share a report with my team?"],
        contact_reason=OMIT,
        customer_sentiment=OMIT,
        elapsed_seconds=OMIT,
    )


def wait_for(condition, what: str, seconds: float = WAIT_LIMIT_SECONDS):
    """`condition()`'s first truthy value, polled; the test fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(f"gave up waiting for {what}")
