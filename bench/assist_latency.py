"""Benchmark: /v1/assist as agent desktops meet it, against the fastest peers, in one run.

Usage:  .venv/bin/python bench/assist_latency.py [--interactions 30000] [--requests 500]
            [--seconds 10] [--clients 8] [--client keep-alive|new-connection|http.client]
            [--postgres-url URL | --no-postgres] [--mlserver-venv DIR]

It prepares a demo world and model (as `value-assist demo` does), seeds the same store on
SQLite and on PostgreSQL (a database of its own, dropped afterwards), and starts, on
loopback: `value-assist serve` on each store (gunicorn gthread, 2 workers), `mlflow models
serve` for the same registered version, MLServer with its LightGBM runtime on the same
booster (`parallel_workers=0`, in a virtual environment of its own), and the Flask floor
(JSON -> numpy -> predict under our gunicorn options). By default every client holds one
keep-alive connection, as a desktop does; `--client new-connection` opens one per request.

Sequentially, the servers take turns every 50 requests (this machine's speed drifts by tens
of percent within a minute; turns put every server through the same drift). Then each
server gets `--clients` concurrent clients for `--seconds`. It prints percentiles,
throughput, the issue's ratios with their targets, and the in-process stage times.
The assist answer does far more than the peers (five activities, reasons, cards, route, a
durable decision write); the peers answer the bare score of one row.
"""

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import pandas as pd
from _common import postgres_database
from assist_requests import assist_body, stage_breakdown
from http_clients import KEEP_ALIVE, MODES
from measure import concurrent, measuring_lock, percentiles, sequential
from mlserver_peer import DEFAULT_VENV
from serving_peers import (
    FLOOR,
    MLFLOW,
    MLSERVER,
    Target,
    free_port,
    ours_command,
    start,
    start_peers,
    stop,
    wait_until_up,
)
from store_setup import seed_store

from assist_api.config import load_settings

OURS_SQLITE, OURS_POSTGRES = "value-assist SQLite", "value-assist PostgreSQL"
# --learning: the same SQLite service without exploration, and with a shadow challenger
NO_EXPLORE, SHADOW = "value-assist SQLite explore 0", "value-assist SQLite + shadow"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
WORKERS = 2


def served_store(
    name, url, tracking_uri, world, folder, env, bodies, extra_env=None, shadow=False
) -> tuple[Target, object]:
    """`value-assist serve` on the store at `url`, seeded from the demo world (`shadow`:
    the champion's own version shadows it, so the challenger costs what a real one does)."""
    key = seed_store(url, world, tracking_uri)
    if shadow:
        shadow_champion(url, tracking_uri)
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    server_env = {
        **env,
        **(extra_env or {}),
        "VALUE_ASSIST_DATA_DIR": str(folder),
        "VALUE_ASSIST_DATABASE_URL": url,
        "MLFLOW_TRACKING_URI": tracking_uri,
    }
    log = folder / "serve.log"
    process = start(ours_command(port, WORKERS), server_env, log)
    wait_until_up(process, port, "/readyz", log)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    payloads = [json.dumps(body).encode() for body in bodies]
    return Target(name, port, "/v1/assist", payloads, headers), process


def report(runs: dict, args) -> None:
    print(
        f"\nclient: {args.client}; sequential ({args.requests} requests each, the servers "
        f"taking turns every 50) and {args.clients} concurrent clients for {args.seconds:.0f} s:"
    )
    print(
        f"{'server':<26}{'p50 ms':>8}{'p90 ms':>8}{'p99 ms':>8}   "
        f"{'conc p50':>9}{'conc p99':>9}{'req/s':>8}{'reconn':>7}"
    )
    for name, run in runs.items():
        s, c = run["sequential"], run["concurrent"]
        print(
            f"{name:<26}{s['p50']:>8.2f}{s['p90']:>8.2f}{s['p99']:>8.2f}   "
            f"{c['p50']:>9.2f}{c['p99']:>9.2f}{run['rps']:>8.0f}{run['reconnects']:>7}"
        )
    ours = runs[OURS_SQLITE]
    p50 = ours["sequential"]["p50"]
    print("\ntargets (ours = /v1/assist full answer on SQLite):")
    lines = [
        (f"ours p50 / {peer} p50", p50 / runs[peer]["sequential"]["p50"], target)
        for peer, target in ((MLFLOW, "<= 0.25"), (MLSERVER, "<= 2.5"), (FLOOR, "<= 2.5"))
        if peer in runs
    ]
    lines += [
        ("ours sequential p99 ms", ours["sequential"]["p99"], "<= 10"),
        (f"ours req/s, {WORKERS} workers, {args.clients} clients", ours["rps"], ">= 1000"),
    ]
    if NO_EXPLORE in runs:
        base, shadowed = runs[NO_EXPLORE]["sequential"]["p50"], runs[SHADOW]["sequential"]
        lines += [
            ("ours (explore 5 %) p50 / explore 0 p50", p50 / base, "<= 1.10"),
            ("with shadow p50 / without (both explore 5 %)", shadowed["p50"] / p50, "stated"),
            ("shadow's added p50 ms", shadowed["p50"] - p50, "stated"),
            (
                "with shadow conc p50 / without",
                runs[SHADOW]["concurrent"]["p50"] / ours["concurrent"]["p50"],
                "stated",
            ),
        ]
    if OURS_POSTGRES in runs:
        pg = runs[OURS_POSTGRES]["sequential"]["p50"]
        lines.append(("PostgreSQL p50 / SQLite p50", pg / p50, "<= 1.3"))
    for label, value, target in lines:
        print(f"  {label:<46}{value:>9.2f}   target {target}")


def measure(targets: list[Target], args) -> dict:
    runs = {t.name: {} for t in targets}
    latencies, reconnects = sequential(targets, args.requests, args.client)
    for target in targets:
        runs[target.name]["sequential"] = percentiles(latencies[target.name])
        lat, rps, again = concurrent(target, args.clients, args.seconds, args.client)
        runs[target.name].update(
            concurrent=percentiles(lat), rps=rps, reconnects=reconnects[target.name] + again
        )
    return runs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=30_000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--client", choices=MODES, default=KEEP_ALIVE)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--mlserver-venv", type=Path, default=DEFAULT_VENV)
    parser.add_argument(
        "--learning",
        action="store_true",
        help="also serve SQLite without exploration and with a shadow challenger",
    )
    parser.add_argument("--no-peers", action="store_true", help="only value-assist servers")
    parser.add_argument(
        "--lock", default="/tmp/bench.lock", help="held while measuring ('' for none)"
    )
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="va-bench-")).resolve()
    settings = load_settings(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'demo.db'}",
        mlflow_tracking_uri=f"sqlite:///{data_dir / 'mlflow.db'}",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VALUE_ASSIST_", "MLFLOW_"))}
    env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', '')}"
    env["MLFLOW_TRACKING_URI"] = settings.mlflow_tracking_uri
    from assist_api.services.studies.demo import prepare_demo

    demo = prepare_demo(settings, args.interactions, echo=lambda line: None)
    world = pd.read_csv(demo.world_dir / "interactions.csv", dtype=str, keep_default_na=False)
    rows = world[world["language"].isin(["ja", "en"])].groupby("language").head(100)
    rows = rows.to_dict("records")
    bodies = [assist_body(row) for row in rows]
    print(
        f"requests: {len(bodies)} distinct interactions "
        f"({sum(b['language'] == 'ja' for b in bodies)} ja), model from {data_dir}"
    )
    booster = download_booster(settings, data_dir / "peer-model")

    processes = []
    with postgres_database(None if args.no_postgres else args.postgres_url) as postgres_url:
        try:
            stores = [(OURS_SQLITE, f"sqlite:///{data_dir / 'store.db'}", {}, False)]
            if postgres_url:
                stores.append((OURS_POSTGRES, postgres_url, {}, False))
            if args.learning:
                no_explore = {"VALUE_ASSIST_EXPLORATION_RATE": "0"}
                stores.append((NO_EXPLORE, f"sqlite:///{data_dir / 'e0.db'}", no_explore, False))
                stores.append((SHADOW, f"sqlite:///{data_dir / 'shadow.db'}", {}, True))
            targets = []
            for number, (name, url, extra, shadow) in enumerate(stores):
                folder = data_dir / f"server-{number}"
                target, process = served_store(
                    name,
                    url,
                    settings.mlflow_tracking_uri,
                    demo.world_dir,
                    folder,
                    env,
                    bodies,
                    extra,
                    shadow,
                )
                processes.append(process)
                targets.append(target)
            if not args.no_peers:
                peers, peer_processes = start_peers(
                    rows, bodies, booster, data_dir, env, WORKERS, args.mlserver_venv
                )
                processes += peer_processes
                targets += peers
            with measuring_lock(args.lock):
                runs = measure(targets, args)
        finally:
            stop(processes)
    report(runs, args)
    if args.learning:
        print(f"shadow rows written by the shadowed server: {shadow_count(data_dir / 'shadow.db')}")
    with measuring_lock(args.lock):
        stages, whole = stage_breakdown(settings, bodies, demo.keys["agent"], args.requests)
    print("\nin-process stages of /v1/assist (median µs per request):")
    for stage, micros in stages.items():
        print(f"  {stage:<10}{micros:>8.0f}")
    print(f"  {'total':<10}{sum(stages.values()):>8.0f}")
    served = runs[OURS_SQLITE]["sequential"]["p50"] * 1000
    print(
        f"the whole Flask app in process (routing, auth, hooks, stages): {whole:.0f} µs; "
        f"gunicorn, TCP and the client add the rest of the served p50 ({served - whole:.0f} µs)"
    )


def shadow_champion(url: str, tracking_uri: str) -> None:
    """`value-assist models shadow <the champion's version>` on the store at `url`."""
    from assist_api.services.learning.shadow_store import set_shadow
    from assist_api.store.store import Store
    from models import registry

    champion = registry.champion(registry.connect(tracking_uri))
    store = Store.open(url)
    try:
        set_shadow(store, champion.name, champion.version, "bench")
    finally:
        store.close()


def shadow_count(path: Path) -> int:
    import sqlite3

    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM shadow_decisions").fetchone()[0]


def download_booster(settings, folder: Path) -> Path:
    """The champion's booster file (what MLServer and the floor serve)."""
    from models import registry
    from models.artifacts import BOOSTER_FILE

    client = registry.connect(settings.mlflow_tracking_uri)
    info = registry.champion(client, settings.model_name, settings.model_alias)
    return registry.download_fast_path(client, info, folder) / BOOSTER_FILE


if __name__ == "__main__":
    main()
