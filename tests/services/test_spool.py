"""The decision spool: an unreachable store loses no decision and duplicates none.

Outages are real (tests/helpers/outage.py): SQLite's write lock held by another
connection, PostgreSQL refusing connections. Drains race each other and live appends.
"""

import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from assist_api.services.decisions.drain import drain
from assist_api.services.decisions.log import interaction_snapshot
from assist_api.services.decisions.spool import Spool
from assist_api.services.decisions.spooling import SPOOLED
from assist_api.store.tables import Decision, Interaction
from tests.helpers.app import bearer, build_app, make_keys, make_test_settings
from tests.helpers.assist_requests import OMIT, assist_request
from tests.helpers.outage import store_outage

PHONE = "090-1234-5678"


def assist_body(interaction_id: str) -> dict:
    return assist_request(
        interaction_id=interaction_id,
        customer_id=f"c-{interaction_id}",
        transcript=[f"設定方法を教えてください。電話番号は{PHONE}です。"],
        contact_reason=OMIT,
        customer_sentiment=OMIT,
        elapsed_seconds=OMIT,
    )


def spool_entry(i: int) -> dict:
    """A decision and snapshot as the assist pipeline hands them to the decision log."""
    now = datetime.now(UTC)
    record = {
        **assist_body(f"i-{i % 7}")["customer"],
        "interaction_id": f"i-{i % 7}",
        "channel": "chat",
        "language": "en",
        "transcript": "How do I share a report?",
    }
    decision = {
        "decision_id": f"d-{i}",
        "interaction_id": record["interaction_id"],
        "sequence": None,
        "customer_id": record["customer_id"],
        "created_at": now,
        "model_name": None,
        "model_version": None,
        "score": None,
        "band": None,
        "activity_scores": None,
        "reasons": [],
        "cards": [],
        "top_card_id": None,
        "top_card_changed": False,
        "pool": "standard",
        "route_reason": "test",
        "route_fallback": False,
        "holdout": False,
        "routing_holdout": False,
        "degraded": [SPOOLED],
        "latency_ms": 1.0,
    }
    snapshot = interaction_snapshot(record, holdout=False, pool="standard", now=now)
    return {"decision": decision, "snapshot": snapshot}


def decision_rows(store) -> list[tuple[str, str, int]]:
    with store.uow() as uow:
        rows = uow.session.execute(
            select(Decision.decision_id, Decision.interaction_id, Decision.sequence)
        )
        return sorted(tuple(row) for row in rows)


@pytest.fixture
def outage_app(tmp_path, database_url):
    settings = make_test_settings(tmp_path, database_url=database_url, outbound_timeout_seconds=0.5)
    application = build_app(settings)
    yield application
    application.extensions["assist_dependencies"].decision_log.stop()
    application.extensions["store"].close()


def test_unreachable_store_spools_and_the_drain_writes_each_decision_once(outage_app):
    client = outage_app.test_client()
    headers = bearer(make_keys(outage_app)["agent"])
    decision_log = outage_app.extensions["assist_dependencies"].decision_log
    store = outage_app.extensions["store"]
    first = client.post("/v1/assist", json=assist_body("i-1"), headers=headers)
    assert first.status_code == 200 and first.get_json()["sequence"] == 1

    with store_outage(store.engine.url.render_as_string(hide_password=False)):
        answers = [
            client.post("/v1/assist", json=assist_body(f"i-{n % 3}"), headers=headers)
            for n in range(6)
        ]
        assert [a.status_code for a in answers] == [200] * 6
        assert all(SPOOLED in a.get_json()["degraded"] for a in answers)
        assert all(a.get_json()["sequence"] is None for a in answers)
        spooled = b"".join(path.read_bytes() for path in decision_log.spool.files())
        assert spooled.count(b"\n") == 6
        assert PHONE.encode() not in spooled and b"[phone]" in spooled
        blocked = decision_log.drain_now()
        assert blocked.error is not None and blocked.replayed == 0

    done = decision_log.drain_now()
    assert (done.replayed, done.files_left, done.error) == (6, 0, None)
    rows = decision_rows(store)
    ids = {a.get_json()["decision_id"] for a in answers} | {first.get_json()["decision_id"]}
    assert {row[0] for row in rows} == ids and len(rows) == 7
    sequences = sorted(row[2] for row in rows if row[1] == "i-1")
    assert sequences == [1, 2, 3]
    assert decision_log.drain_now().replayed == 0
    with store.uow() as uow:
        transcripts = uow.session.scalars(select(Interaction.transcript)).all()
    assert transcripts and all(PHONE not in t and "[phone]" in t for t in transcripts)


def test_concurrent_drains_replay_every_entry_exactly_once(tmp_path, store):
    spool = Spool(tmp_path / "spool")
    for i in range(60):
        spool.append(spool_entry(i))
    reports = []
    threads = [
        threading.Thread(target=lambda: reports.append(drain(spool, store))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    drain(spool, store)  # a drain that found the file busy leaves nothing behind
    rows = decision_rows(store)
    assert len(rows) == 60 and len({row[0] for row in rows}) == 60
    assert sum(r.replayed for r in reports) <= 60
    per_interaction: dict[str, list[int]] = {}
    for _, interaction_id, sequence in rows:
        per_interaction.setdefault(interaction_id, []).append(sequence)
    assert all(sorted(s) == list(range(1, len(s) + 1)) for s in per_interaction.values())
    assert spool.files() == []


def test_appends_racing_drains_are_all_replayed(tmp_path, sqlite_store):
    spool = Spool(tmp_path / "spool")
    stop = threading.Event()

    def keep_draining():
        while not stop.is_set():
            drain(spool, sqlite_store)

    def append_range(first: int):
        for i in range(first, first + 100):
            spool.append(spool_entry(i))

    drainers = [threading.Thread(target=keep_draining) for _ in range(2)]
    writers = [threading.Thread(target=append_range, args=(k * 100,)) for k in range(3)]
    for thread in drainers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    for thread in drainers:
        thread.join()
    drain(spool, sqlite_store)
    assert len(decision_rows(sqlite_store)) == 300
    assert spool.files() == []


def test_a_line_cut_short_by_a_crash_is_kept_aside_and_the_rest_replayed(tmp_path, sqlite_store):
    spool = Spool(tmp_path / "spool")
    spool.append(spool_entry(1))
    spool.append(spool_entry(2))
    (path,) = spool.files()
    with open(path, "ab") as handle:
        handle.write(b'{"decision": {"decision_id": "d-3", "inter')
    report = drain(spool, sqlite_store)
    assert (report.replayed, report.rejected_lines, report.files_left) == (2, 1, 0)
    assert b'"d-3"' in spool.rejected_bytes()


def test_a_decision_the_store_refuses_is_set_aside_and_the_rest_replayed(tmp_path, store):
    spool = Spool(tmp_path / "spool")
    refused = spool_entry(2)
    refused["decision"]["holdout"] = None  # NOT NULL: the store will never take it
    for entry in (spool_entry(1), refused, spool_entry(3)):
        spool.append(entry)
    report = drain(spool, store)
    assert (report.replayed, report.rejected_lines, report.error) == (2, 1, None)
    assert [row[0] for row in decision_rows(store)] == ["d-1", "d-3"]
    assert b'"d-2"' in spool.rejected_bytes()
    assert spool.files() == []


def test_a_restarted_worker_drains_what_was_spooled_before(tmp_path, sqlite_store):
    """Spool files left by a worker that died are picked up by the next app's drain thread."""
    url = sqlite_store.engine.url.render_as_string(hide_password=False)
    settings = make_test_settings(tmp_path, database_url=url)
    spool = Spool(settings.spool_dir)
    for i in range(5):
        spool.append(spool_entry(i))
    application = build_app(settings)
    decision_log = application.extensions["assist_dependencies"].decision_log
    try:
        deadline = time.monotonic() + 30
        while spool.files() and time.monotonic() < deadline:
            time.sleep(0.2)
        with sqlite_store.uow() as uow:
            stored = uow.session.scalar(select(func.count()).select_from(Decision))
        assert stored == 5 and spool.files() == []
    finally:
        decision_log.stop()
        application.extensions["store"].close()
