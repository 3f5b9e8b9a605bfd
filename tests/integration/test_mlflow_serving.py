"""A real MLflow tracking server and `mlflow models serve`, both on loopback.

Training logs and registers against the server (HTTP tracking, proxied artifacts), the
champion alias is set there, and `mlflow models serve -m models:/ve-openness@champion
--env-manager local` scores raw import-format records over HTTP with exactly the
probabilities of the run's fast-path files.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import requests

from models import registry
from models.artifacts import load_fast_path
from models.pyfunc import score_frame
from tests.training.alt_world import write_alt_world
from training.pipeline import TrainConfig, train_from_dir
from training.register import signature_frame

pytestmark = pytest.mark.integration
BIN = Path(sys.executable).parent
START_TIMEOUT = 300  # seconds; generous, CI machines are shared


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                break
        except requests.RequestException:  # refused, or too slow to answer on a busy machine
            pass
        time.sleep(0.5)
    else:
        pytest.fail(f"{url} did not come up in {START_TIMEOUT} s:\n{log.read_text()[-3000:]}")
    # Another program may have taken the port between our probe and the bind, and be the
    # one answering: then our process has died of the failed bind. Make sure it is ours.
    time.sleep(2)
    if process.poll() is not None:
        pytest.fail(f"{url} answered but our process exited:\n{log.read_text()[-3000:]}")


def start(args: list[str], log: Path, env: dict) -> subprocess.Popen:
    handle = open(log, "wb")
    process = subprocess.Popen(
        args, stdout=handle, stderr=subprocess.STDOUT, env=env, start_new_session=True
    )
    handle.close()
    return process


def stop(process: subprocess.Popen) -> None:
    """End the process we started and its workers (its own session's process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def small_world(tmp_path_factory) -> Path:
    return write_alt_world(tmp_path_factory.mktemp("world"), 8_000, seed=2)


@pytest.fixture
def environment():
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"  # `mlflow models serve` needs it
    env.pop("MLFLOW_TRACKING_URI", None)
    return env


@pytest.fixture
def tracking_server(tmp_path, environment):
    port = free_port()
    process = start(
        [
            str(BIN / "mlflow"),
            "server",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--backend-store-uri",
            f"sqlite:///{tmp_path / 'server.db'}",
            "--artifacts-destination",
            str(tmp_path / "server-artifacts"),
        ],
        tmp_path / "server.log",
        environment,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/health", process, tmp_path / "server.log")
        yield url
    finally:
        stop(process)


def test_train_against_a_tracking_server_then_serve_the_champion(
    tracking_server, small_world, tmp_path, environment
):
    config = TrainConfig(tracking_uri=tracking_server, promote=True)
    result = train_from_dir(small_world, config)
    assert result.promoted and result.version == "1"
    client = registry.connect(tracking_server)
    info = registry.champion(client, "ve-openness")
    assert info.run_id == result.run_id
    files = load_fast_path(registry.download_fast_path(client, info, tmp_path / "fast"))

    port = free_port()
    serve_env = {**environment, "MLFLOW_TRACKING_URI": tracking_server}
    process = start(
        [
            str(BIN / "mlflow"),
            "models",
            "serve",
            "-m",
            "models:/ve-openness@champion",
            "--env-manager",
            "local",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        tmp_path / "serve.log",
        serve_env,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/ping", process, tmp_path / "serve.log")
        rows = result.candidate.test_rows.head(20)
        frame = signature_frame(rows).astype(object)
        records = frame.where(frame.notna(), None).to_dict("records")
        response = requests.post(
            f"http://127.0.0.1:{port}/invocations",
            json={"dataframe_records": records},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        served = [p["probability"] for p in response.json()["predictions"]]
        np.testing.assert_allclose(served, score_frame(files, rows), rtol=1e-9)

        bad = requests.post(
            f"http://127.0.0.1:{port}/invocations",
            json={"dataframe_records": [{**records[0], "activity": "juggling"}]},
            timeout=30,
        )
        assert bad.status_code == 400 and "unknown activity" in bad.text
        assert process.poll() is None  # the answers came from the server we started
    finally:
        stop(process)
