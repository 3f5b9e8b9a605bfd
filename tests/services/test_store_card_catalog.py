"""The store-backed card catalog: what each worker serves, and how fast a publish spreads.

Two apps on one database are two workers; a publish through one must reach the other
without a restart, on SQLite and PostgreSQL. A fake clock shows the per-request cost:
no query until the refresh interval has passed, then one cheap check.
"""

import copy
import time

from sqlalchemy import event, select, text

from assist_api.services.playbooks.catalog import CAP_RETRY_SECONDS, StoreCardCatalog
from assist_api.services.playbooks.editing import publish, save_draft, seed_if_empty
from assist_api.store.card_tables import CardVersion
from assist_api.store.migrate import upgrade
from assist_api.store.store import Store
from tests.helpers.app import bearer, build_app, make_keys, make_test_settings
from tests.helpers.databases import temporary_postgres_database
from tests.helpers.outage import store_outage

CARD_ID = "educate_usage.better_way"
REFRESH_SECONDS = 0.2
SPREAD_DEADLINE_SECONDS = 10.0


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class QueryCounter:
    """Counts statements the store's engine runs (SQLAlchemy's own event hook)."""

    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args):
        self.count += 1


def close(application) -> None:
    application.extensions["scorer"].stop()
    application.extensions["store"].close()


def edited(store, title: str) -> dict:
    with store.uow() as uow:
        content = uow.session.scalars(
            select(CardVersion.content)
            .where(CardVersion.card_id == CARD_ID)
            .order_by(CardVersion.version.desc())
        ).first()
        card = copy.deepcopy(content)
    card["texts"]["en"]["title"] = title
    return card


def publish_title(store, title: str, base_version: int) -> int:
    with store.uow() as uow:
        saved = save_draft(uow.session, CARD_ID, edited(store, title), base_version, actor="lead")
        publish(uow.session, CARD_ID, saved["version"], actor="lead", two_person=False)
        uow.commit()
    return saved["version"]


def title_in(cards, card_id=CARD_ID) -> tuple[int, str]:
    card = next(c for c in cards if c.card_id == card_id)
    return card.version, card.text_for("en").title


def test_a_publish_in_one_worker_reaches_the_other_without_a_restart(tmp_path, database_url):
    settings = {"playbook_refresh_seconds": REFRESH_SECONDS}
    first = build_app(make_test_settings(tmp_path / "w1", database_url, **settings))
    second = build_app(make_test_settings(tmp_path / "w2", database_url, **settings))
    try:
        lead = bearer(make_keys(first)["lead"])
        client = first.test_client()
        other = second.extensions["card_catalog"]
        assert title_in(other.published())[0] == 1
        card = client.get(f"/v1/playbooks/{CARD_ID}", headers=lead).get_json()["card"]
        card["texts"]["en"]["title"] = "Show them the quicker way"
        client.put(f"/v1/playbooks/{CARD_ID}", json={**card, "base_version": 1}, headers=lead)
        response = client.post(
            f"/v1/playbooks/{CARD_ID}/publish", json={"version": 2}, headers=lead
        )
        assert response.status_code == 200

        # The publishing worker sees it on its next request.
        assert title_in(first.extensions["card_catalog"].published()) == (
            2,
            "Show them the quicker way",
        )
        deadline = time.monotonic() + SPREAD_DEADLINE_SECONDS
        while title_in(other.published())[0] != 2 and time.monotonic() < deadline:
            time.sleep(REFRESH_SECONDS / 4)
        assert title_in(other.published()) == (2, "Show them the quicker way")
    finally:
        close(first)
        close(second)


def test_requests_cost_no_query_until_the_interval_passes(store):
    seed_if_empty(store)
    clock = FakeClock()
    catalog = StoreCardCatalog(store, refresh_seconds=5.0, clock=clock)
    assert len(catalog.published()) == 15
    queries = QueryCounter(store.engine)

    for _ in range(100):
        catalog.published()
    assert queries.count == 0

    new_version = publish_title(store, "Published meanwhile", base_version=1)
    before = queries.count
    clock.now += 4.9
    assert title_in(catalog.published())[0] == 1  # still cached: no query
    assert queries.count == before
    clock.now += 0.2
    assert title_in(catalog.published()) == (new_version, "Published meanwhile")

    settled = queries.count
    clock.now += 5.1
    catalog.published()
    assert queries.count == settled + 1  # nothing changed: only the cheap check ran


def test_refresh_soon_makes_the_next_request_check(store):
    seed_if_empty(store)
    clock = FakeClock()
    catalog = StoreCardCatalog(store, refresh_seconds=60.0, clock=clock)
    catalog.published()
    publish_title(store, "Right away", base_version=1)
    assert title_in(catalog.published())[0] == 1
    catalog.refresh_soon()
    assert title_in(catalog.published()) == (2, "Right away")


def test_a_store_outage_keeps_the_last_good_cards(sqlite_store):
    seed_if_empty(sqlite_store)
    clock = FakeClock()
    catalog = StoreCardCatalog(sqlite_store, refresh_seconds=1.0, clock=clock)
    cards = catalog.published()
    with sqlite_store.engine.begin() as connection:
        connection.execute(text("ALTER TABLE cards RENAME TO cards_away"))
    clock.now += 2
    assert catalog.published() == cards
    with sqlite_store.engine.begin() as connection:
        connection.execute(text("ALTER TABLE cards_away RENAME TO cards"))
    publish_title(sqlite_store, "Back again", base_version=1)
    clock.now += 2
    assert title_in(catalog.published()) == (2, "Back again")


def test_a_stored_card_that_no_longer_validates_is_skipped_not_fatal(sqlite_store, caplog):
    seed_if_empty(sqlite_store)
    with sqlite_store.uow() as uow:
        row = uow.session.scalars(select(CardVersion).where(CardVersion.card_id == CARD_ID)).one()
        broken = copy.deepcopy(row.content)
        broken["texts"]["en"]["title"] = "{{ customer.__class__ }}"
        row.content = broken
        uow.commit()
    catalog = StoreCardCatalog(sqlite_store, refresh_seconds=1.0)
    ids = {card.card_id for card in catalog.published()}
    assert len(ids) == 14 and CARD_ID not in ids
    assert f"published card {CARD_ID} v1 is skipped" in caplog.text


def test_recent_views_costs_nothing_while_no_card_has_a_cap(sqlite_store):
    with sqlite_store.uow() as uow:
        assert uow.session.execute(text("SELECT count(*) FROM cards")).scalar() == 0
    catalog = StoreCardCatalog(sqlite_store, refresh_seconds=1.0)
    assert catalog.published() == ()
    queries = QueryCounter(sqlite_store.engine)
    assert catalog.recent_views("c-1") is None
    assert queries.count == 0


def test_a_zero_interval_checks_on_every_request(sqlite_store):
    seed_if_empty(sqlite_store)
    catalog = StoreCardCatalog(sqlite_store, refresh_seconds=0.0)
    catalog.published()
    publish_title(sqlite_store, "Immediately", base_version=1)
    assert title_in(catalog.published()) == (2, "Immediately")


def test_with_the_store_down_cards_are_offered_without_the_cap(tmp_path):
    """PostgreSQL refusing connections: no cap for a moment, not a failed answer."""
    with temporary_postgres_database() as url:
        upgrade(url)
        store = Store.open(url, timeout_seconds=1.0)
        try:
            seed_if_empty(store)
            clock = FakeClock()
            catalog = StoreCardCatalog(store, refresh_seconds=60.0, clock=clock)
            assert catalog.recent_views("c-1")(CARD_ID) == 0
            with store_outage(url):
                assert catalog.recent_views("c-1") is None
                assert len(catalog.published()) == 15
            # Back up, but the lookup rests for CAP_RETRY_SECONDS after a failure.
            assert catalog.recent_views("c-1") is None
            clock.now += CAP_RETRY_SECONDS
            assert catalog.recent_views("c-1")(CARD_ID) == 0
        finally:
            store.close()
