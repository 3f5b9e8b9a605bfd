"""The demo's pools, built from the simulated world's `agents.csv` roster.

The simulator's routing (training.simulator.agents) sends live channels to every pool but
`digital`, asynchronous channels mostly to `digital`, and agentless channels to
`self_service`; the pool definitions below say the same, so the service routes the demo
world's customers the way its history did. `ve_champions` is the value pool. A pool's
languages are those its members speak. The routing replay (`value-assist routing
evaluate`) uses the same definitions.
"""

import csv
from datetime import UTC, datetime
from pathlib import Path

from assist_api.services.routing.pool_skill import store_skill
from assist_api.services.routing.pools import import_pools
from assist_api.store.store import Store
from features.vocabulary import AGENTLESS_CHANNELS, CARD_LANGUAGES, CHANNELS, SYNCHRONOUS_CHANNELS

DEMO_ACTOR = "demo"
VALUE_POOL = "ve_champions"
SELF_SERVICE_POOL = "self_service"
LIVE = tuple(c for c in CHANNELS if c in SYNCHRONOUS_CHANNELS)
ASYNC = tuple(c for c in CHANNELS if c not in SYNCHRONOUS_CHANNELS | AGENTLESS_CHANNELS)
AGENTLESS = tuple(c for c in CHANNELS if c in AGENTLESS_CHANNELS)
POOL_NAMES = {
    VALUE_POOL: "Value-enhancement champions",
    "standard": "Standard support",
    "ja_support": "Japanese support",
    "digital": "Digital (asynchronous) support",
    SELF_SERVICE_POOL: "Self-service and chatbot",
}


def read_roster(agents_csv: Path) -> list[dict]:
    """agents.csv rows: agent_id, pool, languages (';'-separated)."""
    with open(agents_csv, newline="", encoding="utf-8") as handle:
        return [
            {
                "agent_id": row["agent_id"],
                "pool": row["pool"],
                "languages": [lang for lang in row["languages"].split(";") if lang],
            }
            for row in csv.DictReader(handle)
        ]


def demo_pools(roster: list[dict]) -> list[dict]:
    """Pool definitions in the PUT /v1/pools body format, each with its pool_id."""
    pools = []
    for pool_id in sorted({r["pool"] for r in roster}):
        members = [r for r in roster if r["pool"] == pool_id]
        pools.append(
            {
                "pool_id": pool_id,
                "name": POOL_NAMES.get(pool_id, pool_id),
                "description": "seeded from the demo world's roster",
                "is_value_pool": pool_id == VALUE_POOL,
                "languages": sorted({lang for m in members for lang in m["languages"]}),
                "channels": list(ASYNC if pool_id == "digital" else LIVE + ASYNC),
                "skills": [],
                "members": [
                    {
                        "agent_id": m["agent_id"],
                        "name": None,
                        "languages": m["languages"],
                        "active": True,
                    }
                    for m in members
                ],
            }
        )
    pools.append(
        {
            "pool_id": SELF_SERVICE_POOL,
            "name": POOL_NAMES[SELF_SERVICE_POOL],
            "description": "no agents: cards shown in self-service and chatbot answers",
            "is_value_pool": False,
            "languages": list(CARD_LANGUAGES),
            "channels": list(AGENTLESS),
            "skills": [],
            "members": [],
        }
    )
    return pools


def seed_demo_pools(store: Store, agents_csv: Path, *, model=None, min_attempts: int = 30):
    """Create the demo pools and agents; with `model`, also measure skill from the store.

    Returns the SkillReport when skill was measured, else None.
    """
    now = datetime.now(UTC)
    import_pools(store, demo_pools(read_roster(agents_csv)), actor=DEMO_ACTOR, now=now)
    if model is None:
        return None
    from assist_api.services.outcomes.training_data import load_import_frames
    from assist_api.services.routing.expected_success import measure_skill

    report, _ = measure_skill(*load_import_frames(store), model, min_attempts)
    store_skill(store, report, actor=DEMO_ACTOR, now=now)
    return report
