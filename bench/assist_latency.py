"""Benchmark: /v1/assist under gunicorn vs `mlflow models serve` for the same model version.

Usage:  .venv/bin/python bench/assist_latency.py [--interactions 30000] [--requests 500]
                                                 [--seconds 10] [--clients 8]
                                                 [--client socket|http.client]

In one run on loopback it prepares a demo world and model (as `value-assist demo` does),
starts `value-assist serve` (gunicorn, 2 workers) and `mlflow models serve` for the same
registered version, sends the same realistic requests (Japanese and English transcripts)
sequentially and then from concurrent clients for a bounded time, and prints latency
percentiles, throughput and their ratios, plus the in-process time of each stage of
/v1/assist. The assist answer does far more than the peer (five activities, reasons,
cards, route, a durable decision write); the peer answers the bare score of one row.
Both are measured with the same client: by default a minimal HTTP/1.1 client on a socket
(see `post`), or the standard library's http.client.
"""

import argparse
import http.client
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from assist_api.config import load_settings  # noqa: E402
from features.columns import CUSTOMER_COLUMN_NAMES, INTERACTION_COLUMNS  # noqa: E402
from training.register import INPUT_COLUMNS as PEER_COLUMNS  # noqa: E402

OURS = "value-assist /v1/assist"
PEER = "mlflow models serve /invocations"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, path: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"nothing answered 200 on 127.0.0.1:{port}{path}")


def assist_body(row: dict) -> dict:
    body = {
        "interaction_id": f"bench-{row['interaction_id']}",
        "customer": {name: row[name] for name in CUSTOMER_COLUMN_NAMES},
        "channel": row["channel"],
        "language": row["language"],
        "transcript": [line for line in str(row["transcript"] or "").split("\n") if line],
        "elapsed_seconds": float(row["elapsed_seconds"]),
    }
    if row["contact_reason"]:
        body["contact_reason"] = row["contact_reason"]
    if pd.notna(row["customer_sentiment"]) and row["customer_sentiment"] != "":
        body["customer_sentiment"] = float(row["customer_sentiment"])
    for name in ("days_since_purchase", "products_owned", "prior_contacts_90d"):
        body["customer"][name] = int(body["customer"][name])
    for name in ("feature_adoption", "clv"):
        body["customer"][name] = float(body["customer"][name])
    return body


def peer_body(row: dict) -> dict:
    """The same interaction as the registered pyfunc's signature wants it: raw columns,
    numbers as doubles, one activity."""
    columns, values = [], []
    for column in INTERACTION_COLUMNS:
        if column.name not in PEER_COLUMNS:
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
    return {
        "dataframe_split": {
            "columns": [*columns, "activity"],
            "data": [[*values, "validate_purchase"]],
        }
    }


def post(port: int, path: str, payload: bytes, headers: dict) -> float:
    """Seconds for one POST on a new connection, from connecting to the last body byte.

    A minimal HTTP/1.1 client on a socket: http.client's own request building and header
    parsing take ~0.15 ms per request on these machines, which is the client's time, not
    the server's (`--client http.client` measures with it instead).
    """
    head = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    head.append(f"Content-Length: {len(payload)}")
    request = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + payload
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request)
        received = b""
        while b"\r\n\r\n" not in received:
            received += _receive(connection)
        header, _, body = received.partition(b"\r\n\r\n")
        length = _content_length(header)
        while len(body) < length:
            body += _receive(connection)
        elapsed = time.perf_counter() - started
    status = header.split(b" ", 2)[1]
    if status != b"200":
        raise RuntimeError(f"{path} answered {status.decode()}")
    return elapsed


def _receive(connection: socket.socket) -> bytes:
    chunk = connection.recv(65536)
    if not chunk:
        raise RuntimeError("the server closed the connection before the whole answer")
    return chunk


def _content_length(header: bytes) -> int:
    for line in header.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    raise RuntimeError("the answer has no Content-Length")


def post_with_http_client(port: int, path: str, payload: bytes, headers: dict) -> float:
    """As `post`, through the standard library's http.client."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("POST", path, payload, headers)
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}")
    return elapsed


CLIENTS = {"socket": post, "http.client": post_with_http_client}


def sequential(targets: dict, count: int, block: int = 50, send=post) -> dict[str, list[float]]:
    """Latencies per target, the targets taking turns in blocks of `block` requests.

    This machine's speed drifts by tens of percent within a minute; taking turns puts every
    server through the same drift instead of giving one the fast minute, and blocks (not
    single requests) let each server run warm, as it would on its own machine.
    """
    for port, path, payloads, headers in targets.values():
        for payload in payloads[:20]:  # warm-up
            send(port, path, payload, headers)
    latencies: dict[str, list[float]] = {name: [] for name in targets}
    for start in range(0, count, block):
        for name, (port, path, payloads, headers) in targets.items():
            latencies[name] += [
                send(port, path, payloads[i % len(payloads)], headers)
                for i in range(start, min(start + block, count))
            ]
    return latencies


def concurrent(
    port, path, payloads, headers, clients, seconds, send=post
) -> tuple[list[float], float]:
    latencies: list[float] = []
    errors = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(offset: int):
        i = offset
        while time.monotonic() < stop_at:
            try:
                elapsed = send(port, path, payloads[i % len(payloads)], headers)
            except Exception as exc:  # count, keep going: the figure must show failures
                errors.append(repr(exc))
                continue
            with lock:
                latencies.append(elapsed)
            i += clients

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        print(f"  {len(errors)} failed requests, first: {errors[0]}")
    return latencies, len(latencies) / (time.monotonic() - started)


def percentiles(values: list[float]) -> dict[str, float]:
    q = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": q[49] * 1000, "p90": q[89] * 1000, "p99": q[98] * 1000}


def whole_app_micros(app, payloads: list[bytes], key: str, count: int) -> float:
    """Median microseconds of the whole Flask app answering /v1/assist, without HTTP:
    what gunicorn, TCP and the client add is the served p50 minus this."""

    def call(payload: bytes) -> float:
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/v1/assist",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(payload),
            "wsgi.errors": sys.stderr,
            "CONTENT_LENGTH": str(len(payload)),
            "CONTENT_TYPE": "application/json",
            "HTTP_AUTHORIZATION": f"Bearer {key}",
        }
        statuses = []
        started = time.perf_counter()
        b"".join(app.wsgi_app(environ, lambda status, headers: statuses.append(status)))
        elapsed = time.perf_counter() - started
        if not statuses[0].startswith("200"):
            raise RuntimeError(f"/v1/assist answered {statuses[0]} in process")
        return elapsed

    return statistics.median(call(payloads[i % len(payloads)]) for i in range(count)) * 1e6


def stage_breakdown(
    settings, bodies: list[dict], key: str, count: int
) -> tuple[dict[str, float], float]:
    """Median in-process microseconds of each stage of /v1/assist, and of the whole app."""
    from assist_api import create_app
    from assist_api.schemas.assist import AssistRequestSchema
    from assist_api.services.assist.pipeline import assist
    from assist_api.services.assist.stage_timer import StageTimer

    app = create_app(settings.with_overrides(model_check_seconds=0.0))
    deps = app.extensions["assist_dependencies"]
    request_schema = AssistRequestSchema()
    samples: dict[str, list[float]] = {}
    with app.app_context():  # the serialize stage builds the route's Response
        for i in range(count):
            body = dict(bodies[i % len(bodies)], interaction_id=f"stage-{i}")
            raw = json.dumps(body)
            timer = StageTimer()
            with timer.stage("validate"):
                data = request_schema.load(json.loads(raw))
            answer = assist(data, deps, timer)
            with timer.stage("serialize"):
                app.json.response(answer)  # what the route sends
            for stage, seconds in timer.seconds.items():
                samples.setdefault(stage, []).append(seconds)
    payloads = [
        json.dumps(dict(body, interaction_id=f"app-{i}")).encode() for i, body in enumerate(bodies)
    ]
    whole = whole_app_micros(app, payloads, key, count)
    app.extensions["scorer"].stop()
    order = ("validate", "features", "predict", "explain", "cards", "route", "log", "serialize")
    stages = {s: statistics.median(samples[s]) * 1e6 for s in order if s in samples}
    return stages, whole


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    handle = open(log, "w")
    return subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=30_000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--client", choices=sorted(CLIENTS), default="socket")
    args = parser.parse_args()
    send = CLIENTS[args.client]

    data_dir = Path(tempfile.mkdtemp(prefix="va-bench-")).resolve()
    env = {
        **os.environ,
        "VALUE_ASSIST_DATA_DIR": str(data_dir),
        "VALUE_ASSIST_DATABASE_URL": f"sqlite:///{data_dir / 'value_assist.db'}",
        "MLFLOW_TRACKING_URI": f"sqlite:///{data_dir / 'mlflow.db'}",
        "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}",
    }
    os.environ.update({k: env[k] for k in ("VALUE_ASSIST_DATA_DIR", "MLFLOW_TRACKING_URI")})
    os.environ["VALUE_ASSIST_DATABASE_URL"] = env["VALUE_ASSIST_DATABASE_URL"]
    settings = load_settings()
    from assist_api.services.studies.demo import prepare_demo

    agent_key = prepare_demo(settings, args.interactions, echo=lambda line: None).keys["agent"]

    world = pd.read_csv(
        data_dir / "demo_world" / "interactions.csv", dtype=str, keep_default_na=False
    )
    by_language = world[world["language"].isin(["ja", "en"])].groupby("language")
    sample = by_language.head(100).to_dict("records")
    bodies = [assist_body(row) for row in sample]
    assist_payloads = [json.dumps(b).encode() for b in bodies]
    peer_payloads = [json.dumps(peer_body(row)).encode() for row in sample]
    print(
        f"requests: {len(bodies)} distinct interactions "
        f"({sum(b['language'] == 'ja' for b in bodies)} ja), model from {data_dir}"
    )

    assist_port, peer_port = free_port(), free_port()
    servers = [
        start(
            [str(VENV_BIN / "value-assist"), "serve", "--port", str(assist_port), "--workers", "2"],
            env,
            data_dir / "serve.log",
        ),
        start(
            [
                str(VENV_BIN / "mlflow"),
                "models",
                "serve",
                "-m",
                "models:/ve-openness@champion",
                "--env-manager",
                "local",
                "-h",
                "127.0.0.1",
                "-p",
                str(peer_port),
                "-w",
                "2",
            ],
            env,
            data_dir / "mlflow-serve.log",
        ),
    ]
    try:
        wait_until_up(assist_port, "/readyz")
        wait_until_up(peer_port, "/ping")
        assist_headers = {
            "Authorization": f"Bearer {agent_key}",
            "Content-Type": "application/json",
        }
        peer_headers = {"Content-Type": "application/json"}
        targets = {
            OURS: (assist_port, "/v1/assist", assist_payloads, assist_headers),
            PEER: (peer_port, "/invocations", peer_payloads, peer_headers),
        }
        runs = {
            name: {"sequential": percentiles(latencies)}
            for name, latencies in sequential(targets, args.requests, send=send).items()
        }
        for name, (port, path, payloads, headers) in targets.items():
            lat, rps = concurrent(port, path, payloads, headers, args.clients, args.seconds, send)
            runs[name].update(concurrent=percentiles(lat), rps=rps)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)

    print(
        f"\nclient: {args.client}; sequential ({args.requests} requests each, new connection "
        f"each, the servers taking turns every 50) and {args.clients} concurrent clients for "
        f"{args.seconds:.0f} s:"
    )
    print(
        f"{'server':<36}{'p50 ms':>8}{'p90 ms':>8}{'p99 ms':>8}   "
        f"{'conc p50':>9}{'conc p99':>9}{'req/s':>8}"
    )
    for name, run in runs.items():
        s, c = run["sequential"], run["concurrent"]
        print(
            f"{name:<36}{s['p50']:>8.2f}{s['p90']:>8.2f}{s['p99']:>8.2f}   "
            f"{c['p50']:>9.2f}{c['p99']:>9.2f}{run['rps']:>8.0f}"
        )
    ours, peer = runs[OURS], runs[PEER]
    p50_ratio = peer["sequential"]["p50"] / ours["sequential"]["p50"]
    print(
        f"ratio: ours is {p50_ratio:.1f}x faster at sequential p50; "
        f"throughput ours/peer {ours['rps'] / peer['rps']:.1f}x"
    )

    stages, whole = stage_breakdown(settings, bodies, agent_key, args.requests)
    print("\nin-process stages of /v1/assist (median µs per request):")
    for stage, micros in stages.items():
        print(f"  {stage:<10}{micros:>8.0f}")
    print(f"  {'total':<10}{sum(stages.values()):>8.0f}")
    print(
        f"the whole Flask app in process (routing, auth, hooks, stages): {whole:.0f} µs; "
        f"gunicorn, TCP and the client add the rest of the served p50 "
        f"({ours['sequential']['p50'] * 1000 - whole:.0f} µs)"
    )


if __name__ == "__main__":
    main()
