"""The servers `bench/assist_latency.py` measures, each with the requests it answers.

- ours: `value-assist serve` (gunicorn gthread, 2 workers) on SQLite, and on PostgreSQL
  when a server is given (a database of the benchmark's own, dropped afterwards);
- `mlflow models serve` for the same registered version (its bare score of one row);
- MLServer with its LightGBM runtime on the same booster (`bench/mlserver_peer.py`);
- the Flask floor on the same booster under our gunicorn options (`bench/floor_server.py`).

Every server gets the same interactions; each peer in the form it wants them.
"""

import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import mlserver_peer
from _common import free_port
from floor_server import PREDICT_PATH

from assist_api.services.assist.pipeline import flatten_request
from features.columns import INTERACTION_COLUMNS
from features.row import build_row
from training.register import INPUT_COLUMNS as PYFUNC_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
PEER_ACTIVITY = "validate_purchase"  # the bare scores are of one activity's row
START_LIMIT_SECONDS = 180  # a give-up limit for a slow machine
MLFLOW, MLSERVER, FLOOR = "mlflow models serve", "MLServer lightgbm", "Flask floor"


@dataclass
class Target:
    """One server and what to send it: the same interactions in its own request form."""

    name: str
    port: int
    path: str
    payloads: list[bytes]
    headers: dict = field(default_factory=lambda: {"Content-Type": "application/json"})


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    """A server in its own process group (so it and its workers end together)."""
    with open(log, "w") as handle:
        return subprocess.Popen(
            command, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_until_up(process: subprocess.Popen, port: int, path: str, log: Path) -> None:
    deadline = time.monotonic() + START_LIMIT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on :{port} exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"nothing answered 200 on :{port}{path}:\n{log.read_text()[-3000:]}")


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, 15)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


def ours_command(port: int, workers: int) -> list[str]:
    return [str(VENV_BIN / "value-assist"), "serve", "--port", str(port), "--workers", str(workers)]


def mlflow_command(port: int, workers: int) -> list[str]:
    return [
        *(str(VENV_BIN / "mlflow"), "models", "serve", "-m", "models:/ve-openness@champion"),
        *("--env-manager", "local", "-h", "127.0.0.1", "-p", str(port), "-w", str(workers)),
    ]


def floor_command(port: int, booster: Path, workers: int) -> list[str]:
    script = str(ROOT / "bench" / "floor_server.py")
    return [sys.executable, script, "--port", str(port), "--booster", str(booster)] + [
        "--workers",
        str(workers),
    ]


def pyfunc_payload(row: dict) -> bytes:
    """The interaction as the registered pyfunc's signature wants it: raw columns,
    numbers as doubles, one activity."""
    columns, values = [], []
    for column in INTERACTION_COLUMNS:
        if column.name not in PYFUNC_COLUMNS:
            continue
        raw = row[column.name]
        if raw == "":
            value = None
        elif column.kind in ("int", "float"):
            value = float(raw)
        else:
            value = raw
        columns.append(column.name)
        values.append(value)
    split = {"columns": [*columns, "activity"], "data": [[*values, PEER_ACTIVITY]]}
    return json.dumps({"dataframe_split": split}).encode()


def encoded_row(body: dict):
    """The feature row `features` builds when serving this /v1/assist body."""
    return build_row(flatten_request(body), PEER_ACTIVITY)


def mlserver_payload(body: dict) -> bytes:
    return json.dumps(mlserver_peer.infer_body(encoded_row(body))).encode()


def floor_payload(body: dict) -> bytes:
    values = [None if value != value else float(value) for value in encoded_row(body)]
    return json.dumps({"features": values}).encode()


def start_peers(rows, bodies, booster: Path, work: Path, env: dict, workers: int, venv: Path):
    """Start the three peers; returns (targets, processes). Waits until each answers."""
    mlflow_port, floor_port = free_port(), free_port()
    mlserver_port = free_port()
    repository = mlserver_peer.write_repository(
        work / "mlserver", booster, mlserver_port, free_port(), free_port()
    )
    mlserver = mlserver_peer.ensure_venv(venv)
    peer_env = {k: v for k, v in env.items() if not k.startswith("PROMETHEUS_")}
    launches = [
        (mlflow_command(mlflow_port, workers), mlflow_port, "/ping", "mlflow-serve.log"),
        (
            mlserver_peer.start_command(mlserver, repository),
            mlserver_port,
            mlserver_peer.READY_PATH,
            "mlserver.log",
        ),
        (floor_command(floor_port, booster, workers), floor_port, "/healthz", "floor.log"),
    ]
    processes = []
    try:
        for command, _, _, log in launches:
            processes.append(start(command, peer_env, work / log))
        for process, (_, port, ready, log) in zip(processes, launches, strict=True):
            wait_until_up(process, port, ready, work / log)
    except BaseException:
        stop(processes)
        raise
    targets = [
        Target(MLFLOW, mlflow_port, "/invocations", [pyfunc_payload(row) for row in rows]),
        Target(MLSERVER, mlserver_port, mlserver_peer.INFER_PATH, [*map(mlserver_payload, bodies)]),
        Target(FLOOR, floor_port, PREDICT_PATH, [floor_payload(body) for body in bodies]),
    ]
    return targets, processes
