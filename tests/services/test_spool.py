"""The decision spool: an unreachable store loses no decision and duplicates none.

Outages are real (tests/helpers/outage.py): SQLite's write lock held by another
connection, PostgreSQL refusing connections. Drains race each other and live appends.
"""

import threading
import time

import pytest
from sqlalchemy import func, select

from assist_api.services.decisions.drain import drain
from assist_api.services.decisions.spool import Spool
from assist_api.services.decisions.spooling import SPOOLED
from assist_api.store.tables import Decision, Interaction
from tests.helpers.app import bearer, build_app, make_keys, make_test_settings
from tests.helpers.outage import store_outage
from tests.helpers.spool_entries import PHONE, assist_body, decision_rows, spool_entry


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
