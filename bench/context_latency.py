"""Benchmark: /v1/assist with only the customer's id (the profile looked up) vs the full
body, and POST /v1/interactions/{id}/utterances, on real gunicorn.

Usage:  .venv/bin/python bench/context_latency.py [--interactions 3000] [--requests 400]
            [--lock /tmp/bench.lock]   (held while measuring; setup runs outside it)

One run on loopback: a demo world and model (as `value-assist demo` prepares them), a
profile stored for each sampled customer, then `value-assist serve` (2 workers). The
three kinds of request take turns in blocks (as bench/measure.py's `sequential`), so
machine drift hits them alike, each path on a keep-alive connection as a desktop holds one.
- full: the contract's full body (every CRM field sent, the profile lookup still runs
  and the request's fields win);
- id only: `customer: {customer_id}`; the CRM fields come from the cached profile;
- utterances: one new final customer utterance for an open interaction (stored, the
  transcript rebuilt from the stream, scored, the answer kept for waiting desks).
The figure that matters is each p50's difference from `full` in the same run.
"""

import argparse
import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from assist_requests import assist_body
from http_clients import SocketClient
from measure import measuring_lock, percentiles
from serving_peers import VENV_BIN, free_port, ours_command, start, stop, wait_until_up

from assist_api.config import load_settings

FULL, ID_ONLY, UTTERANCES = "/v1/assist full body", "/v1/assist customer_id only", "utterances"


def stored_profiles(settings, rows: list[dict]) -> None:
    from assist_api.services.customers.profiles import CUSTOMER_FIELDS, put_profile
    from assist_api.store.store import Store

    store = Store.open(settings.database_url)
    now = datetime.now(UTC)
    with store.uow() as uow:
        for row in {r["customer_id"]: r for r in rows}.values():
            fields = assist_body(row)["customer"]
            put_profile(
                uow.session,
                row["customer_id"],
                {name: fields[name] for name in CUSTOMER_FIELDS},
                as_of=now,
                now=now,
                source="bench",
            )
        uow.commit()
    store.close()


def utterance(n: int) -> dict:
    return {
        "utterance_id": f"u-{n}",
        "speaker": "customer",
        "text": "I want to share my calendar with my team. Is there a new feature for that?",
        "is_final": True,
        "offset_ms": 1000 * n,
    }


def turns(port, headers, targets: dict, count: int, block: int = 50) -> dict[str, list]:
    """Latencies per kind, the kinds taking turns in blocks (as measure.sequential), each
    path on a keep-alive connection of its own, as a desktop holds one."""
    clients: dict[str, SocketClient] = {}

    def post(path: str, payload: bytes) -> float:
        if path not in clients:
            clients[path] = SocketClient(port, path, headers)
        return clients[path].post(payload)

    for name, requests in targets.items():
        if name != UTTERANCES:
            for path, payload in requests[:20]:  # warm-up (utterances are used once each)
                post(path, payload)
    latencies: dict[str, list[float]] = {name: [] for name in targets}
    for first in range(0, count, block):
        for name, requests in targets.items():
            for i in range(first, min(first + block, count)):
                latencies[name].append(post(*requests[i % len(requests)]))
    for client in clients.values():
        client.close()
    return latencies


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument(
        "--lock", default="/tmp/bench.lock", help="held while measuring ('' for none)"
    )
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="va-bench-context-")).resolve()
    env = {
        **os.environ,
        "VALUE_ASSIST_DATA_DIR": str(data_dir),
        "VALUE_ASSIST_DATABASE_URL": f"sqlite:///{data_dir / 'value_assist.db'}",
        "MLFLOW_TRACKING_URI": f"sqlite:///{data_dir / 'mlflow.db'}",
        "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}",
    }
    os.environ.update({k: v for k, v in env.items() if k != "PATH"})
    settings = load_settings()
    from assist_api.services.studies.demo import prepare_demo

    keys = prepare_demo(settings, args.interactions, echo=lambda line: None).keys
    world = pd.read_csv(
        data_dir / "demo_world" / "interactions.csv", dtype=str, keep_default_na=False
    )
    sample = world[world["language"].isin(["ja", "en"])].head(200).to_dict("records")
    stored_profiles(settings, sample)
    full = [assist_body(row) for row in sample]
    id_only = [
        {
            **body,
            "interaction_id": f"id-only-{i}",
            "customer": {"customer_id": body["customer"]["customer_id"]},
        }
        for i, body in enumerate(full)
    ]
    headers = {"Authorization": f"Bearer {keys['agent']}", "Content-Type": "application/json"}

    port = free_port()
    log = data_dir / "serve.log"
    server = start(ours_command(port, 2), env, log)
    try:
        wait_until_up(server, port, "/readyz", log)
        opened = [dict(body, interaction_id=f"live-{i}") for i, body in enumerate(id_only[:20])]
        opener = SocketClient(port, "/v1/assist", headers)
        for body in opened:
            opener.post(json.dumps(body).encode())
        opener.close()
        # 20 open interactions, each getting up to 20 customer utterances in turn: the
        # stream's transcript grows as a real call's does
        utterances = [
            (
                f"/v1/interactions/{opened[i % len(opened)]['interaction_id']}/utterances",
                json.dumps({"utterances": [utterance(i)]}).encode(),
            )
            for i in range(args.requests)
        ]
        targets = {
            FULL: [("/v1/assist", json.dumps(b).encode()) for b in full],
            ID_ONLY: [("/v1/assist", json.dumps(b).encode()) for b in id_only],
            UTTERANCES: utterances,
        }
        with measuring_lock(args.lock):
            results = turns(port, headers, targets, args.requests)
    finally:
        stop([server])

    print(f"\n{args.requests} requests each, keep-alive connections, 2 gunicorn workers:")
    base = percentiles(results[FULL])["p50"]
    for name, latencies in results.items():
        p = percentiles(latencies)
        print(
            f"  {name:32s} p50 {p['p50']:7.2f} ms  p90 {p['p90']:7.2f} ms  "
            f"p99 {p['p99']:7.2f} ms  p50 - full {p['p50'] - base:+6.2f} ms"
        )


if __name__ == "__main__":
    main()
