"""Benchmark: /v1/assist with only the customer's id (the profile looked up) vs the full
body, and POST /v1/interactions/{id}/utterances, on real gunicorn.

Usage:  flock /tmp/bench.lock .venv/bin/python bench/context_latency.py \
            [--interactions 3000] [--requests 400]

One run on loopback: a demo world and model (as `value-assist demo` prepares them), a
profile stored for each sampled customer, then `value-assist serve` (2 workers). The
three kinds of request take turns in blocks (bench/assist_latency.py's `sequential`),
so machine drift hits them alike; each is a new connection, as a desk's would be.
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
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import assist_latency as bench  # noqa: E402

from assist_api.config import load_settings  # noqa: E402

FULL, ID_ONLY, UTTERANCES = "/v1/assist full body", "/v1/assist customer_id only", "utterances"


def stored_profiles(settings, rows: list[dict]) -> None:
    from assist_api.services.customers.profiles import CUSTOMER_FIELDS, put_profile
    from assist_api.store.store import Store

    store = Store.open(settings.database_url)
    now = datetime.now(UTC)
    with store.uow() as uow:
        for row in {r["customer_id"]: r for r in rows}.values():
            fields = bench.assist_body(row)["customer"]
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
    """Latencies per kind, the kinds taking turns in blocks (as bench.sequential)."""
    for requests in targets.values():
        if requests is not targets[UTTERANCES]:
            for path, payload in requests[:20]:  # warm-up (utterances are used once each)
                bench.post(port, path, payload, headers)
    latencies: dict[str, list[float]] = {name: [] for name in targets}
    for start in range(0, count, block):
        for name, requests in targets.items():
            for i in range(start, min(start + block, count)):
                path, payload = requests[i % len(requests)]
                latencies[name].append(bench.post(port, path, payload, headers))
    return latencies


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="va-bench-context-")).resolve()
    env = {
        **os.environ,
        "VALUE_ASSIST_DATA_DIR": str(data_dir),
        "VALUE_ASSIST_DATABASE_URL": f"sqlite:///{data_dir / 'value_assist.db'}",
        "MLFLOW_TRACKING_URI": f"sqlite:///{data_dir / 'mlflow.db'}",
        "PATH": f"{bench.VENV_BIN}:{os.environ.get('PATH', '')}",
    }
    os.environ.update({k: v for k, v in env.items() if k != "PATH"})
    settings = load_settings()
    from assist_api.services.demo import prepare_demo

    keys = prepare_demo(settings, args.interactions, echo=lambda line: None).keys
    world = pd.read_csv(
        data_dir / "demo_world" / "interactions.csv", dtype=str, keep_default_na=False
    )
    sample = world[world["language"].isin(["ja", "en"])].head(200).to_dict("records")
    stored_profiles(settings, sample)
    full = [bench.assist_body(row) for row in sample]
    id_only = [
        {
            **body,
            "interaction_id": f"id-only-{i}",
            "customer": {"customer_id": body["customer"]["customer_id"]},
        }
        for i, body in enumerate(full)
    ]
    headers = {"Authorization": f"Bearer {keys['agent']}", "Content-Type": "application/json"}

    port = bench.free_port()
    command = [str(bench.VENV_BIN / "value-assist"), "serve", "--port", str(port)]
    server = bench.start([*command, "--workers", "2"], env, data_dir / "serve.log")
    try:
        bench.wait_until_up(port, "/readyz")
        opened = [dict(body, interaction_id=f"live-{i}") for i, body in enumerate(id_only[:20])]
        for body in opened:
            bench.post(port, "/v1/assist", json.dumps(body).encode(), headers)
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
        results = turns(port, headers, targets, args.requests)
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(f"\n{args.requests} requests each, new connection each, 2 gunicorn workers:")
    base = bench.percentiles(results[FULL])["p50"]
    for name, latencies in results.items():
        p = bench.percentiles(latencies)
        print(
            f"  {name:32s} p50 {p['p50']:7.2f} ms  p90 {p['p90']:7.2f} ms  "
            f"p99 {p['p99']:7.2f} ms  p50 - full {p['p50'] - base:+6.2f} ms"
        )


if __name__ == "__main__":
    main()
