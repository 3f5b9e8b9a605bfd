"""Load held: /v1/assist and /v1/outcomes together, at a stated rate, with nothing lost.

Usage:  .venv/bin/python bench/load.py [--rate 40] [--seconds 30] [--db sqlite,postgresql]
                                       [--clients 16] [--interactions 3000]

Prepares a demo world and model once (as `value-assist demo` does), then for each store
starts `value-assist serve` (gunicorn, 2 workers) on loopback and drives it from this
process: an open-loop schedule of `rate` requests per second for `seconds`, half
/v1/assist (a new interaction each, realistic Japanese and English transcripts) and half
/v1/outcomes (for interactions already answered, each post a distinct event). Latency
counts from each request's scheduled time, so a service that falls behind shows it.

Afterwards it reconciles what was acknowledged with what is stored: every decision id a
2xx answer returned must be in `decisions`, every acknowledged outcome post must be an
`outcome_events` row (matched by its payload hash). It prints latency percentiles,
errors and the reconciliation, writes bench/out/load-<store>.json, and exits 1 if any
acknowledged row is missing or any request failed.
"""

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from itertools import count
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from _common import agent_key, free_port, store_database  # noqa: E402
from assist_requests import assist_body  # noqa: E402

from assist_api.config import load_settings  # noqa: E402
from assist_api.services.outcomes.events import payload_hash  # noqa: E402

DRAIN_LIMIT_SECONDS = 60
START_LIMIT_SECONDS = 180
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def assist_bodies(world: Path, limit: int = 2000) -> list[dict]:
    import pandas as pd

    rows = pd.read_csv(world / "interactions.csv", dtype=str, keep_default_na=False)
    bodies = []
    for row in rows.head(limit).to_dict("records"):
        body = assist_body(row)  # the load generator names its own interactions
        del body["interaction_id"]
        body.pop("customer_sentiment", None)
        bodies.append(body)
    return bodies


class Load:
    """An open-loop schedule shared by the client threads, and what came of it."""

    def __init__(self, url: str, key: str, bodies: list[dict], rate: float, seconds: float):
        self.url, self.key, self.bodies = url, key, bodies
        self.interval, self.seconds = 1.0 / rate, seconds
        self.start = time.perf_counter() + 0.5
        self.numbers = count()
        self.lock = threading.Lock()
        self.answered: list[str] = []  # interaction ids with a stored decision
        self.results: list[dict] = []
        self.acked_decisions: set[str] = set()
        self.acked_outcomes: set[str] = set()
        self.spooled = 0

    def client(self) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.key}"
        while True:
            n = next(self.numbers)
            scheduled = self.start + n * self.interval
            if scheduled > self.start + self.seconds:
                return
            time.sleep(max(0.0, scheduled - time.perf_counter()))
            with self.lock:
                kind = "outcomes" if n % 2 and self.answered else "assist"
                target = random.choice(self.answered) if kind == "outcomes" else None
            self.send(session, n, kind, target, scheduled)

    def send(self, session, n: int, kind: str, target: str | None, scheduled: float) -> None:
        if kind == "assist":
            body = {**self.bodies[n % len(self.bodies)], "interaction_id": f"load-{n}"}
        else:
            body = {"interaction_id": target, "handle_seconds": float(n)}
        sent = time.perf_counter()
        try:
            response = session.post(f"{self.url}/v1/{kind}", json=body, timeout=30)
            status, answer = response.status_code, response.json()
        except (requests.RequestException, ValueError) as exc:
            status, answer = type(exc).__name__, {}
        done = time.perf_counter()
        with self.lock:
            self.results.append(
                {
                    "kind": kind,
                    "status": status,
                    "latency": done - scheduled,
                    "lag": sent - scheduled,
                }
            )
            if status == 200 and kind == "assist":
                self.acked_decisions.add(answer["decision_id"])
                self.answered.append(body["interaction_id"])
                self.spooled += "decision_log_spooled" in answer["degraded"]
            elif status == 200:
                self.acked_outcomes.add(payload_hash(target, {"handle_seconds": float(n)}))


def run_load(url: str, key: str, bodies, rate: float, seconds: float, clients: int) -> Load:
    load = Load(url, key, bodies, rate, seconds)
    threads = [threading.Thread(target=load.client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return load


def reconcile(database_url: str, load: Load) -> dict:
    """Acknowledged vs stored, after any spooled decisions have drained."""
    from sqlalchemy import select

    from assist_api.store.store import Store
    from assist_api.store.tables import Decision, OutcomeEvent

    store = Store.open(database_url)
    try:
        deadline = time.monotonic() + DRAIN_LIMIT_SECONDS
        while True:
            with store.uow() as uow:
                decisions = set(uow.session.scalars(select(Decision.decision_id)))
                events = set(
                    uow.session.scalars(
                        select(OutcomeEvent.payload_hash).where(OutcomeEvent.source == "api")
                    )
                )
            lost = len(load.acked_decisions - decisions) + len(load.acked_outcomes - events)
            if lost == 0 or time.monotonic() > deadline:
                break
            time.sleep(1.0)
    finally:
        store.close()
    return {
        "assist_acknowledged": len(load.acked_decisions),
        "decisions_stored": len(decisions),
        "decisions_lost": len(load.acked_decisions - decisions),
        "decisions_spooled_then_drained": load.spooled,
        "outcomes_acknowledged": len(load.acked_outcomes),
        "outcome_events_stored": len(events),
        "outcomes_lost": len(load.acked_outcomes - events),
    }


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {}
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {f"p{int(q * 100)}": round(pick(q) * 1000, 2) for q in (0.5, 0.9, 0.99)} | {
        "max": round(ordered[-1] * 1000, 2)
    }


def summarise(kind: str, load: Load, reconciliation: dict, rate: float) -> dict:
    ended = load.start + load.seconds
    by_kind = {}
    for endpoint in ("assist", "outcomes"):
        results = [r for r in load.results if r["kind"] == endpoint]
        by_kind[endpoint] = {
            "requests": len(results),
            "ok": sum(r["status"] == 200 for r in results),
            "errors": sorted({str(r["status"]) for r in results if r["status"] != 200}),
            "latency_ms": percentiles([r["latency"] for r in results]),
        }
    return {
        "store": kind,
        "target_rate_per_s": rate,
        "seconds": load.seconds,
        "achieved_rate_per_s": round(len(load.results) / (ended - load.start), 1),
        "schedule_lag_ms": percentiles([r["lag"] for r in load.results]),
        "endpoints": by_kind,
        "reconciliation": reconciliation,
    }


@contextmanager
def service(data_dir: Path, database_url: str, tracking_uri: str):
    """`value-assist serve` with 2 workers on a free loopback port, in its own session."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VALUE_ASSIST_", "MLFLOW_"))}
    env.update(
        VALUE_ASSIST_DATA_DIR=str(data_dir),
        VALUE_ASSIST_DATABASE_URL=database_url,
        MLFLOW_TRACKING_URI=tracking_uri,
        VALUE_ASSIST_MODEL_CHECK_SECONDS="0",
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "serve.log", "wb") as log:
        process = subprocess.Popen(
            [BIN / "value-assist", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process, data_dir / "serve.log")
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def _wait_ready(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_LIMIT_SECONDS
    while True:
        try:
            if requests.get(url + "/readyz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the service did not get ready; see {log}")
        time.sleep(0.5)


def prepare_store(database_url: str, world: Path) -> str:
    """The demo world imported into a fresh store; returns an agent key for it."""
    from assist_api.services.outcomes.imports import import_files
    from assist_api.store.migrate import upgrade
    from assist_api.store.store import Store

    upgrade(database_url)
    store = Store.open(database_url)
    try:
        import_files(store, world / "interactions.csv", world / "outcomes.csv")
        return agent_key(store, "load")
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=40.0, help="requests per second, total")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=16, help="client threads")
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--interactions", type=int, default=3000, help="demo world size")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("VALUE_ASSIST_TEST_DATABASE_URL", DEFAULT_POSTGRES),
    )
    args = parser.parse_args()

    from assist_api.services.studies.demo import prepare_demo

    base = Path(tempfile.mkdtemp(prefix="va-load-"))
    model_settings = load_settings(data_dir=base / "model")
    print(f"preparing a demo world of {args.interactions} interactions and its model …")
    world = prepare_demo(model_settings, args.interactions, echo=lambda line: None).world_dir
    bodies = assist_bodies(world)
    OUT.mkdir(parents=True, exist_ok=True)
    failed = False
    for kind in args.db.split(","):
        with store_database(kind, base / kind, args.postgres_url, "va_load") as url:
            key = prepare_store(url, world)
            with service(base / kind, url, model_settings.mlflow_tracking_uri) as served:
                load = run_load(served, key, bodies, args.rate, args.seconds, args.clients)
                summary = summarise(kind, load, reconcile(url, load), args.rate)
        (OUT / f"load-{kind}.json").write_text(json.dumps(summary, indent=2))
        print(json.dumps(summary, indent=2))
        lost = (
            summary["reconciliation"]["decisions_lost"] + summary["reconciliation"]["outcomes_lost"]
        )
        errors = sum(len(e["errors"]) for e in summary["endpoints"].values())
        print(f"{kind}: rows lost = {lost}, error kinds = {errors}")
        failed = failed or lost > 0 or errors > 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
