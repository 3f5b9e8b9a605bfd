"""The demo's preparation: a whole working Value Assist on one machine, from nothing.

simulate a world -> import it -> train, register and promote the first model -> seed the
starter playbook and the pools -> create one API key per role, and one test-flagged agent
key for the sample calls it prints (their decisions stay out of every report and training
set). `value-assist demo` then serves it; the integration tests call `prepare_demo`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assist_api.config import Settings
from assist_api.services.access.keys import create_key
from assist_api.services.outcomes.imports import import_files
from assist_api.services.studies.demo_pools import seed_demo_pools
from assist_api.store.migrate import upgrade
from assist_api.store.store import Store
from features.vocabulary import ROLES
from models.scorer import Scorer

DEMO_ACTOR = "demo"


@dataclass
class DemoInfo:
    world_dir: Path
    model_version: str
    keys: dict[str, str]
    sample_key: str  # test-flagged agent key: what the printed sample calls use


def prepare_demo(
    settings: Settings, interactions: int, seed: int = 1, echo: Callable[[str], None] = print
) -> DemoInfo:
    from training.pipeline import TrainConfig, simulate_train_register

    upgrade(settings.database_url)
    world_dir = settings.data_dir / "demo_world"
    config = TrainConfig(
        tracking_uri=settings.mlflow_tracking_uri,
        artifact_root=settings.artifact_root,
        model_name=settings.model_name,
        alias=settings.model_alias,
        band_thresholds=(settings.band_medium, settings.band_high),
    )
    result = simulate_train_register(world_dir, config, interactions, seed, echo=echo)
    store = Store.open(settings.database_url)
    try:
        report = import_files(store, world_dir / "interactions.csv", world_dir / "outcomes.csv")
        echo(f"imported {report.interactions.loaded} interactions into the store")
        champion = Scorer(settings).load()
        skill = seed_demo_pools(store, world_dir / "agents.csv", model=champion)
        rated = sum(1 for agent in skill.agents if agent.rated) if skill else 0
        echo(f"seeded the demo pools; skill measured for {rated} agents")
        keys, sample_key = create_demo_keys(store)
    finally:
        store.close()
    return DemoInfo(world_dir, result.version, keys, sample_key)


def create_demo_keys(store: Store) -> tuple[dict[str, str], str]:
    """({role: key}, the sample calls' test-flagged agent key)."""
    keys = {}
    with store.uow() as uow:
        for role in ROLES:
            keys[role] = create_key(
                uow.session,
                role=role,
                name=f"demo {role}",
                actor=DEMO_ACTOR,
                now=datetime.now(UTC),
            )
        sample = create_key(
            uow.session,
            role="agent",
            name="demo sample calls",
            actor=DEMO_ACTOR,
            now=datetime.now(UTC),
            test=True,
        )
        uow.commit()
    return keys, sample
