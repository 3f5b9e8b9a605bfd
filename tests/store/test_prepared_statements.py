"""Rows written through prepared driver statements read back exactly as Core writes them."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from assist_api.services.decisions.log import OPTIONAL_DECISION_COLUMNS
from assist_api.store.db import make_engine
from assist_api.store.prepared import PreparedStatement, driver_transaction, pooled_connection
from assist_api.store.tables import Decision

MOMENT = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)


def decision_row(decision_id: str, **overrides) -> dict:
    """Every column: the optional ones NULL unless set below (as the decision log fills them)."""
    row = {
        **OPTIONAL_DECISION_COLUMNS,
        "decision_id": decision_id,
        "interaction_id": "i-1",
        "sequence": 1,
        "customer_id": "c-1",
        "created_at": MOMENT,
        "model_name": "ve-openness",
        "model_version": "3",
        "score": 0.625,
        "band": "high",
        "activity_scores": {"validate_purchase": 0.625, "educate_usage": 0.25},
        "reasons": [{"feature": "days_since_purchase", "text": "購入から12日"}],
        "cards": [],
        "top_card_id": None,
        "top_card_changed": False,
        "pool": "ve_champions",
        "route_reason": "expected value",
        "route_fallback": True,
        "holdout": False,
        "routing_holdout": True,
        "degraded": [],
        "latency_ms": 1.5,
        "agent_id": "a-007",
        "inputs": {"feature_spec": "1", "values": [1.0, None]},
        "as_of": {"elapsed_seconds": None, "transcript_lines": 2},
        "policy": {"name": "epsilon_greedy", "arm": "exploit", "eligible": []},
        "test": False,
    }
    row.update(overrides)
    return row


def test_a_prepared_insert_stores_what_a_core_insert_stores(store):
    prepared = PreparedStatement(Decision.__table__.insert(), store.engine.dialect)
    with store.engine.begin() as connection:
        connection.execute(Decision.__table__.insert(), decision_row("d-core"))
        prepared.rows(connection, decision_row("d-prepared", sequence=2, activity_scores=None))
        rows = connection.execute(select(Decision).order_by(Decision.sequence)).all()

    core, fast = (row._asdict() for row in rows)
    assert fast.pop("decision_id") == "d-prepared" and core.pop("decision_id") == "d-core"
    assert (fast.pop("sequence"), core.pop("sequence")) == (2, 1)
    assert fast.pop("activity_scores") is None
    assert core.pop("activity_scores") == {"validate_purchase": 0.625, "educate_usage": 0.25}
    assert fast == core
    assert fast["created_at"].replace(tzinfo=UTC) == MOMENT


def test_bound_constants_and_many_rows(store):
    prepared = PreparedStatement(Decision.__table__.insert(), store.engine.dialect)
    latest = PreparedStatement(
        select(Decision.decision_id)
        .where(Decision.interaction_id == bindparam("interaction_id"))
        .order_by(Decision.sequence.desc())
        .limit(1),
        store.engine.dialect,
    )
    with store.engine.begin() as connection:
        prepared.run_many(connection, [decision_row(f"d-{k}", sequence=k) for k in range(1, 4)])
        assert latest.rows(connection, {"interaction_id": "i-1"}) == [("d-3",)]


def test_a_missing_value_is_named(store):
    prepared = PreparedStatement(
        insert(Decision).values(decision_id=bindparam("decision_id")), store.engine.dialect
    )
    with pytest.raises(KeyError, match="decision_id"):
        prepared.parameters({})


def test_driver_errors_arrive_as_sqlalchemy_errors_and_roll_back(store):
    prepared = PreparedStatement(Decision.__table__.insert(), store.engine.dialect)
    with store.engine.begin() as connection:
        prepared.rows(connection, decision_row("d-1"))
    with pytest.raises(IntegrityError), store.engine.begin() as connection:
        prepared.rows(connection, decision_row("d-2", sequence=2))
        prepared.rows(connection, decision_row("d-1", sequence=3))  # the same primary key
    with store.engine.connect() as connection:
        stored = connection.execute(select(Decision.decision_id)).scalars().all()
    assert stored == ["d-1"]


def stored_ids(store) -> list[str]:
    with store.engine.connect() as connection:
        return connection.execute(select(Decision.decision_id)).scalars().all()


def test_a_driver_transaction_commits_and_returns_its_connection(store):
    prepared = PreparedStatement(Decision.__table__.insert(), store.engine.dialect)
    with driver_transaction(store.engine) as connection:
        prepared.rows(connection, decision_row("d-1"))
    assert store.engine.pool.checkedout() == 0
    assert stored_ids(store) == ["d-1"]


def test_a_driver_transaction_that_fails_stores_none_of_its_rows(store):
    prepared = PreparedStatement(Decision.__table__.insert(), store.engine.dialect)
    with driver_transaction(store.engine) as connection:
        prepared.rows(connection, decision_row("d-1"))
    with pytest.raises(IntegrityError), driver_transaction(store.engine) as connection:
        prepared.rows(connection, decision_row("d-2", sequence=2))
        prepared.rows(connection, decision_row("d-1", sequence=3))  # the same primary key
    with pytest.raises(RuntimeError), driver_transaction(store.engine) as connection:
        prepared.rows(connection, decision_row("d-3", sequence=3))
        raise RuntimeError("the caller failed after writing")
    assert store.engine.pool.checkedout() == 0
    assert stored_ids(store) == ["d-1"]


@pytest.mark.parametrize(
    "url",
    ["sqlite:////nonexistent-folder/value_assist.db", "postgresql://postgres@127.0.0.1:1/test"],
)
def test_a_store_that_cannot_be_reached_is_sqlalchemys_operational_error(url):
    engine = make_engine(url, timeout_seconds=1)
    with pytest.raises(OperationalError), pooled_connection(engine):
        pass
    engine.dispose()
