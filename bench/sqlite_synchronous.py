"""Benchmark: the cost of SQLite `synchronous=FULL` against NORMAL on the decision write.

Usage:  .venv/bin/python bench/sqlite_synchronous.py [--writes 400] [--block 50]

Two stores in one temporary folder, one per setting, each written through the service's
own `DecisionLog.write` (snapshot upsert + decision + impressions, one commit); the
settings take turns in blocks so machine load hits both alike. Prints the median and p95
write time of each and their ratio. Run it under `flock /tmp/bench.lock` on a shared box.
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assist_api.services.decisions.log import DecisionLog  # noqa: E402
from assist_api.store.migrate import upgrade  # noqa: E402
from assist_api.store.store import Store  # noqa: E402


def decision_and_snapshot(i: int) -> tuple[dict, dict]:
    now = datetime.now(UTC)
    snapshot = {
        "interaction_id": f"i-{i}", "customer_id": f"c-{i}", "started_at": now,
        "channel": "phone", "language": "ja", "contact_reason": "how_to",
        "transcript": "設定方法を教えてください。", "customer_sentiment": 0.2,
        "elapsed_seconds": 95.0, "agent_id": None, "pool": "standard",
        "days_since_purchase": 12, "persona": "novice", "plan_tier": "standard",
        "products_owned": 2, "feature_adoption": 0.35, "prior_contacts_90d": 1,
        "clv": 1200.0, "switching_effort": "high", "holdout": False,
        "activity_attempted": None, "updated_at": now, "owner_key_id": None, "test": False,
    }  # fmt: skip
    decision = {
        "decision_id": f"d-{i}", "interaction_id": f"i-{i}", "customer_id": f"c-{i}",
        "created_at": now, "model_name": "ve-openness", "model_version": "1", "score": 0.5,
        "band": "medium", "activity_scores": {"educate_usage": 0.5}, "reasons": [],
        "cards": [{"card_id": "educate_usage.better_way", "version": 1, "rank": 1,
                   "score": 0.5}],
        "top_card_id": "educate_usage.better_way", "pool": "standard",
        "route_reason": "bench", "route_fallback": False, "holdout": False,
        "routing_holdout": False, "degraded": [], "latency_ms": 1.0,
    }  # fmt: skip
    return decision, snapshot


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=400)
    parser.add_argument("--block", type=int, default=50)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="va-sync-bench-"))
    logs = {}
    for mode in ("FULL", "NORMAL"):
        url = f"sqlite:///{folder / f'{mode}.db'}"
        upgrade(url)
        logs[mode] = DecisionLog(Store.open(url, sqlite_synchronous=mode))
    times = {mode: [] for mode in logs}
    i = 0
    while i < args.writes:
        for mode, log in logs.items():
            for k in range(i, i + args.block):
                decision, snapshot = decision_and_snapshot(k)
                started = time.perf_counter()
                log.write(decision, snapshot)
                times[mode].append(time.perf_counter() - started)
        i += args.block
    for mode, values in times.items():
        values.sort()
        p95 = values[int(0.95 * (len(values) - 1))]
        print(f"{mode:<6} writes {len(values)}  median {statistics.median(values) * 1e3:.3f} ms"
              f"  p95 {p95 * 1e3:.3f} ms")  # fmt: skip
    ratio = statistics.median(times["FULL"]) / statistics.median(times["NORMAL"])
    print(f"FULL / NORMAL median write time: {ratio:.2f}x  (folder {folder})")


if __name__ == "__main__":
    main()
