"""/v1/playbooks: draft -> preview -> publish -> seen in /v1/assist -> rollback, and the guards.

Locking runs on SQLite and PostgreSQL (the `database_url` fixture) with real threads,
since "two saves cannot both win" is the databases' guarantee, not Python's.
"""

import copy
import threading
import time
from datetime import UTC, datetime

import pytest
import yaml
from sqlalchemy import select, text

from assist_api.errors import Conflict
from assist_api.services.access.keys import create_key
from assist_api.services.holdout import in_control_group
from assist_api.services.playbooks.editing import save_draft, seed_if_empty
from assist_api.store.card_tables import CardImpression, CardVersion
from assist_api.store.migrate import upgrade
from assist_api.store.store import Store
from assist_api.store.tables import AuditEntry, Decision
from prompts_playbooks import SHIPPED_CARDS_DIR
from tests.helpers.app import bearer, build_app, make_keys, make_test_settings
from tests.helpers.assist_requests import OMIT, assist_request
from tests.helpers.databases import temporary_postgres_database

CARD_ID = "validate_purchase.reassure_choice"
OLD_TITLE = "Reassure them they chose well"
NEW_TITLE = "Tie it to why they bought the {{ customer.plan_tier }} plan"
NEW_TITLE_SHOWN = "Tie it to why they bought the standard plan"
RACE_ROUNDS = 4
LOCK_WAIT_SECONDS = 10.0
ALL_CARDS = 50


@pytest.fixture
def settings(tmp_path):
    """Every card that passes its rules is shown, so a test sees its card at any weight."""
    return make_test_settings(tmp_path, cards_shown=ALL_CARDS)


def close(application) -> None:
    application.extensions["scorer"].stop()
    application.extensions["store"].close()


def assist_body(customer_id: str, interaction_id: str) -> dict:
    """An English phone inquiry that the starter card CARD_ID applies to."""
    return assist_request(
        customer_id=customer_id,
        interaction_id=interaction_id,
        language="en",
        contact_reason="how_to",
        transcript=OMIT,
        elapsed_seconds=OMIT,
    )


def offered_customers(settings, count: int) -> list[str]:
    """Customers outside the card control group, so their answers carry cards."""
    ids = (f"pb-{i}" for i in range(10_000))
    chosen = (
        c for c in ids if not in_control_group(c, settings.holdout_salt, settings.holdout_rate)
    )
    return [next(chosen) for _ in range(count)]


def latest(client, headers, card_id=CARD_ID) -> tuple[dict, int]:
    """The card's latest document (a copy to edit) and its version."""
    history = client.get(f"/v1/playbooks/{card_id}/versions", headers=headers).get_json()
    return copy.deepcopy(history[0]["card"]), history[0]["version"]


def shown_card(client, headers, customer_id, interaction_id, card_id=CARD_ID) -> dict | None:
    response = client.post(
        "/v1/assist", json=assist_body(customer_id, interaction_id), headers=headers
    )
    assert response.status_code == 200, response.get_json()
    return next((c for c in response.get_json()["cards"] if c["card_id"] == card_id), None)


def audit_actions(app, card_id=CARD_ID) -> list[tuple[str, str, dict]]:
    with app.extensions["store"].uow() as uow:
        rows = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.entity_id == card_id).order_by(AuditEntry.id)
        )
        return [(row.action, row.actor, row.details) for row in rows]


def stored_versions(store, card_id=CARD_ID) -> list[int]:
    with store.uow() as uow:
        return list(
            uow.session.scalars(
                select(CardVersion.version)
                .where(CardVersion.card_id == card_id)
                .order_by(CardVersion.version)
            )
        )


def test_the_starter_playbook_is_seeded_once_and_published(app, client, auth, settings):
    cards = client.get("/v1/playbooks", headers=auth("agent")).get_json()
    assert len(cards) == 15
    assert {(c["latest_version"], c["published_version"]) for c in cards} == {(1, 1)}
    assert all(c["card"]["id"] == c["card_id"] for c in cards)

    second = build_app(settings)  # another worker starting on the same store
    try:
        assert stored_versions(second.extensions["store"]) == [1]
        assert seed_if_empty(second.extensions["store"]) == []
    finally:
        close(second)
    assert [a[0] for a in audit_actions(app)] == ["playbook.seed"]


def test_draft_preview_publish_assist_rollback(app, client, auth, keys):
    lead, agent = auth("lead"), auth("agent")
    customers = offered_customers(app.config["SETTINGS"], 4)
    card, version = latest(client, lead)
    assert version == 1
    card["texts"]["en"]["title"] = NEW_TITLE
    card["weight"] = 40.0  # the leads' lever: rank it first

    saved = client.put(
        f"/v1/playbooks/{CARD_ID}",
        json={**card, "base_version": 1, "note": "clearer title"},
        headers=lead,
    )
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["version"] == 2 and saved.get_json()["live"] is False
    # A draft is not live: agents still get version 1.
    before = shown_card(client, agent, customers[0], "i-draft")
    assert (before["version"], before["title"]) == (1, OLD_TITLE)

    preview = client.post(
        f"/v1/playbooks/{CARD_ID}/preview", json={"card": card}, headers=lead
    ).get_json()
    assert preview["rendered"]["en"]["title"] == NEW_TITLE_SHOWN
    assert preview["rendered"]["ja"]["title"] == "ご購入が良い選択だったと実感していただく"
    assert preview["rendered"]["en"]["passes"] is True

    published = client.post(f"/v1/playbooks/{CARD_ID}/publish", json={"version": 2}, headers=lead)
    assert published.status_code == 200, published.get_json()
    assert published.get_json()["published_version"] == 2
    after = shown_card(client, agent, customers[1], "i-published")
    assert (after["version"], after["title"], after["rank"]) == (2, NEW_TITLE_SHOWN, 1)

    rolled = client.post(f"/v1/playbooks/{CARD_ID}/rollback", json={"to_version": 1}, headers=lead)
    assert rolled.status_code == 200, rolled.get_json()
    assert (rolled.get_json()["published_version"], rolled.get_json()["latest_version"]) == (1, 2)
    back = shown_card(client, agent, customers[2], "i-rolled-back")
    assert (back["version"], back["title"]) == (1, OLD_TITLE)

    with app.extensions["store"].uow() as uow:
        logged = uow.session.scalars(select(Decision.cards).order_by(Decision.created_at)).all()
    assert [next(c["version"] for c in cards if c["card_id"] == CARD_ID) for cards in logged] == [
        1,
        2,
        1,
    ]

    history = client.get(f"/v1/playbooks/{CARD_ID}/versions", headers=lead).get_json()
    assert [(v["version"], v["live"]) for v in history] == [(2, False), (1, True)]
    assert history[0]["author"].startswith("test lead (lead")
    assert history[0]["note"] == "clearer title"
    assert f"-    title: {OLD_TITLE}\n" in history[0]["diff"]
    assert f"+    title: {NEW_TITLE}\n" in history[0]["diff"]
    assert history[0]["published_by"] == history[0]["author"]
    actions = audit_actions(app)
    assert [a[0] for a in actions] == [
        "playbook.seed",
        "playbook.save_draft",
        "playbook.publish",
        "playbook.rollback",
    ]
    assert {a[1] for a in actions[1:]} == {history[0]["author"]}
    assert actions[3][2] == {"version": 1, "previous_version": 2}


def test_a_stale_base_version_gets_409_and_stores_nothing(app, client, auth):
    lead = auth("lead")
    card, _ = latest(client, lead)
    card["texts"]["en"]["title"] = "First edit"
    assert (
        client.put(
            f"/v1/playbooks/{CARD_ID}", json={**card, "base_version": 1}, headers=lead
        ).status_code
        == 200
    )
    card["texts"]["en"]["title"] = "Second edit, from the same old version"
    stale = client.put(f"/v1/playbooks/{CARD_ID}", json={**card, "base_version": 1}, headers=lead)

    assert stale.status_code == 409
    error = stale.get_json()["error"]
    assert error["code"] == "conflict"
    assert error["details"] == {"base_version": 1, "latest_version": 2}
    assert stored_versions(app.extensions["store"]) == [1, 2]
    assert [a[0] for a in audit_actions(app)].count("playbook.save_draft") == 1


def test_concurrent_saves_from_two_workers_exactly_one_wins(tmp_path, database_url):
    """Two apps (two workers) on one store; each round both save from the same base."""
    first = build_app(make_test_settings(tmp_path / "w1", database_url))
    second = build_app(make_test_settings(tmp_path / "w2", database_url))
    lead = bearer(make_keys(first)["lead"])
    try:
        card, _ = latest(first.test_client(), lead)
        for base in range(1, RACE_ROUNDS + 1):
            barrier = threading.Barrier(2)
            statuses = []

            def save(app, title, base=base, barrier=barrier, statuses=statuses):
                edited = copy.deepcopy(card)
                edited["texts"]["en"]["title"] = title
                client = app.test_client()
                barrier.wait()
                response = client.put(
                    f"/v1/playbooks/{CARD_ID}", json={**edited, "base_version": base}, headers=lead
                )
                statuses.append(response.status_code)

            threads = [
                threading.Thread(target=save, args=(app, f"{name} {base}"))
                for app, name in ((first, "one"), (second, "two"))
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert sorted(statuses) == [200, 409], f"round {base}: {statuses}"
        assert stored_versions(first.extensions["store"]) == list(range(1, RACE_ROUNDS + 2))
    finally:
        close(first)
        close(second)


@pytest.fixture
def postgres_store():
    with temporary_postgres_database() as url:
        upgrade(url)
        store = Store.open(url)
        seed_if_empty(store)
        yield store
        store.close()


def stored_document(store, version: int = 1) -> dict:
    with store.uow() as uow:
        return uow.session.scalars(
            select(CardVersion.content).where(
                CardVersion.card_id == CARD_ID, CardVersion.version == version
            )
        ).one()


def _lock_waiters(store) -> int:
    with store.engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        ).scalar()


def test_on_postgresql_a_save_racing_an_uncommitted_one_waits_then_gets_409(postgres_store):
    """The second save really runs while the first holds the row; it must not win too."""
    card = stored_document(postgres_store)
    outcome = {}

    def second_save():
        try:
            with postgres_store.uow() as uow:
                save_draft(uow.session, CARD_ID, card, 1, actor="lead two")
                uow.commit()
            outcome["result"] = "saved"
        except Conflict as exc:
            outcome["result"] = exc.details

    with postgres_store.uow() as uow:
        save_draft(uow.session, CARD_ID, card, 1, actor="lead one")
        racer = threading.Thread(target=second_save)
        racer.start()
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while _lock_waiters(postgres_store) == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _lock_waiters(postgres_store) == 1, "the second save should wait on the row lock"
        uow.commit()
    racer.join()

    assert outcome["result"] == {"base_version": 1, "latest_version": 2}
    assert stored_versions(postgres_store) == [1, 2]


@pytest.mark.parametrize(
    ("path", "value", "field", "reason"),
    [
        (("texts", "en", "body"), "{{ ''.__class__ }}", "texts.en.body", "Python internals"),
        (("texts", "en", "body"), "{{ ''.__class__.__mro__ }}", "texts.en.body", "internals"),
        (("texts", "ja", "title"), "{{ customer.clv }}", "texts.ja.title", "customer.clv"),
        (("texts", "en", "title"), "{% for x in y %}{% endfor %}", "texts.en.title", "For"),
        (("texts", "ja"), None, "texts.ja", "missing language 'ja'"),
        (("rules", "applicability", "contact_reasons"), ["shouting"], "contact_reasons", "shout"),
        (("rules", "suitability", "min_sentiment"), 3, "min_sentiment", "less than or equal to 1"),
        (("weight",), 0, "weight", "greater than 0"),
        (("id",), "validate_purchase.other", "id", "must equal"),
        (("colour",), "red", "colour", "Unknown field"),
    ],
)
def test_a_bad_draft_is_rejected_at_save_naming_the_field(
    app, client, auth, path, value, field, reason
):
    card, _ = latest(client, auth("lead"))
    target = card
    for key in path[:-1]:
        target = target[key]
    if value is None:
        del target[path[-1]]
    else:
        target[path[-1]] = value

    response = client.put(
        f"/v1/playbooks/{CARD_ID}", json={**card, "base_version": 1}, headers=auth("lead")
    )

    assert response.status_code == 422
    fields = response.get_json()["error"]["details"]["fields"]
    named = [name for name in fields if field in name]
    assert named, fields
    assert any(reason in message for name in named for message in fields[name]), fields
    assert stored_versions(app.extensions["store"]) == [1]
    assert [a[0] for a in audit_actions(app)] == ["playbook.seed"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "base_version"),
        ({"base_version": -1}, "base_version"),
        ({"base_version": "1"}, "base_version"),
    ],
)
def test_put_needs_a_whole_number_base_version(client, auth, body, field):
    card, _ = latest(client, auth("lead"))
    response = client.put(f"/v1/playbooks/{CARD_ID}", json={**card, **body}, headers=auth("lead"))
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]["fields"]


def test_preview_is_validated_too_and_takes_a_sample(client, auth):
    card, _ = latest(client, auth("lead"))
    sample = {"days_since_purchase": 90, "plan_tier": "premium", "contact_reason": "inquiry"}
    preview = client.post(
        f"/v1/playbooks/{CARD_ID}/preview",
        json={"card": card, "sample": sample},
        headers=auth("lead"),
    )
    assert preview.status_code == 200, preview.get_json()
    en = preview.get_json()["rendered"]["en"]
    assert "90 days" in en["body"] and "Premium plan" in " ".join(en["talk_track"])
    assert en["passes"] is False and en["reason_code"] == "days_since_purchase.above"
    assert en["reason"] == "only in the first 30 days after purchase (now day 90)"
    assert preview.get_json()["rendered"]["ja"]["reason"] == "購入から30日以内のみ（現在90日）"

    card["texts"]["en"]["body"] = "{{ customer.__dict__ }}"
    broken = client.post(
        f"/v1/playbooks/{CARD_ID}/preview", json={"card": card}, headers=auth("lead")
    )
    assert broken.status_code == 422
    assert "texts.en.body" in broken.get_json()["error"]["details"]["fields"]
    bad_sample = client.post(
        f"/v1/playbooks/{CARD_ID}/preview",
        json={"card": card, "sample": {"channel": "pigeon"}},
        headers=auth("lead"),
    )
    assert "sample.channel" in bad_sample.get_json()["error"]["details"]["fields"]


def test_two_person_rule_needs_another_lead_for_a_draft(tmp_path):
    app = build_app(make_test_settings(tmp_path, two_person_publish=True))
    try:
        with app.extensions["store"].uow() as uow:
            now = datetime.now(UTC)
            author = create_key(uow.session, role="lead", name="ann", actor="t", now=now)
            reviewer = create_key(uow.session, role="lead", name="ben", actor="t", now=now)
            uow.commit()
        client = app.test_client()
        card, _ = latest(client, bearer(author))
        card["texts"]["en"]["title"] = "Ann's new title"
        client.put(
            f"/v1/playbooks/{CARD_ID}", json={**card, "base_version": 1}, headers=bearer(author)
        )

        own = client.post(
            f"/v1/playbooks/{CARD_ID}/publish", json={"version": 2}, headers=bearer(author)
        )
        assert own.status_code == 403
        assert "two-person rule" in own.get_json()["error"]["message"]
        other = client.post(
            f"/v1/playbooks/{CARD_ID}/publish", json={"version": 2}, headers=bearer(reviewer)
        )
        assert other.status_code == 200
        # Going back to a version that was approved before needs no second review.
        back = client.post(
            f"/v1/playbooks/{CARD_ID}/rollback", json={"to_version": 1}, headers=bearer(author)
        )
        assert back.status_code == 200
        assert [a[0] for a in audit_actions(app)][-2:] == ["playbook.publish", "playbook.rollback"]
    finally:
        close(app)


def test_roles(client, auth):
    card, _ = latest(client, auth("lead"))
    assert client.get("/v1/playbooks", headers=auth("agent")).status_code == 200
    assert client.get(f"/v1/playbooks/{CARD_ID}", headers=auth("agent")).status_code == 200
    assert client.get("/v1/playbooks", headers=auth("scientist")).status_code == 403
    assert client.get("/v1/playbooks").status_code == 401
    for method, path, body in (
        ("put", "", {**card, "base_version": 1}),
        ("post", "/publish", {"version": 1}),
        ("post", "/rollback", {"to_version": 1}),
        ("get", "/versions", None),
        ("post", "/preview", {"card": card}),
    ):
        response = getattr(client, method)(
            f"/v1/playbooks/{CARD_ID}{path}", json=body, headers=auth("agent")
        )
        assert response.status_code == 403, (method, path)
        assert response.get_json()["error"]["code"] == "forbidden"


def test_publish_and_rollback_refuse_what_cannot_be_done(client, auth):
    lead = auth("lead")
    url = f"/v1/playbooks/{CARD_ID}"
    assert client.post(f"{url}/publish", json={"version": 1}, headers=lead).status_code == 409
    missing = client.post(f"{url}/publish", json={"version": 7}, headers=lead)
    assert missing.status_code == 422
    assert "version" in missing.get_json()["error"]["details"]["fields"]
    not_earlier = client.post(f"{url}/rollback", json={"to_version": 1}, headers=lead)
    assert "to_version" in not_earlier.get_json()["error"]["details"]["fields"]
    unknown = client.post(
        "/v1/playbooks/educate_usage.nope/publish", json={"version": 1}, headers=lead
    )
    assert unknown.status_code == 404 and unknown.get_json()["error"]["code"] == "not_found"


def test_a_new_card_is_created_from_version_0_and_hidden_from_agents_until_published(client, auth):
    card, _ = latest(client, auth("lead"))
    card["id"] = "validate_purchase.new_idea"
    url = "/v1/playbooks/validate_purchase.new_idea"
    created = client.put(url, json={**card, "base_version": 0}, headers=auth("lead"))
    assert created.status_code == 200 and created.get_json()["version"] == 1
    again = client.put(url, json={**card, "base_version": 0}, headers=auth("lead"))
    assert again.status_code == 409
    listed = {c["card_id"] for c in client.get("/v1/playbooks", headers=auth("agent")).get_json()}
    assert "validate_purchase.new_idea" not in listed
    assert client.get(url, headers=auth("agent")).status_code == 404
    assert client.get(url, headers=auth("lead")).get_json()["published_version"] is None
    unknown = client.put(
        "/v1/playbooks/validate_purchase.absent",
        json={**card, "id": "validate_purchase.absent", "base_version": 3},
        headers=auth("lead"),
    )
    assert unknown.status_code == 404


def test_frequency_cap_counts_interactions_per_customer(app, client, auth):
    """The starter card allows one interaction per customer in 30 days."""
    agent = auth("agent")
    capped, other = offered_customers(app.config["SETTINGS"], 2)
    assert shown_card(client, agent, capped, "i-first") is not None
    shown_card(client, agent, capped, "i-first")  # asked again in the same conversation
    assert shown_card(client, agent, capped, "i-second") is None
    assert shown_card(client, agent, other, "i-other") is not None

    with app.extensions["store"].uow() as uow:
        rows = uow.session.execute(
            select(CardImpression.customer_id).where(CardImpression.card_id == CARD_ID)
        ).all()
    assert sorted(r.customer_id for r in rows) == sorted([capped, other])
    catalog = app.extensions["card_catalog"]
    assert catalog.recent_views(capped)(CARD_ID) == 1
    assert catalog.recent_views(capped, interaction_id="i-first")(CARD_ID) == 0


def test_asking_again_in_the_same_conversation_keeps_a_capped_card(app, client, auth):
    agent = auth("agent")
    (customer,) = offered_customers(app.config["SETTINGS"], 1)
    assert shown_card(client, agent, customer, "i-talk") is not None
    assert shown_card(client, agent, customer, "i-talk") is not None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("id: [unclosed", "line 1: "),
        ("- just\n- a list\n", "must be a mapping"),
        ("a: &x [1, 2]\nb: *x\n", "aliases (*name) are not allowed"),
        ("id: x\ntitle: 2024-01-01\n", "quote dates"),
    ],
)
def test_the_editor_yaml_helper_names_what_is_wrong(client, auth, text, reason):
    response = client.post("/ui/playbooks/parse", json={"yaml": text}, headers=auth("lead"))
    assert response.status_code == 422
    assert reason in response.get_json()["error"]["details"]["fields"]["yaml"][0]


def test_the_editor_yaml_helper_returns_the_document_to_leads_only(client, auth):
    text = (SHIPPED_CARDS_DIR / f"{CARD_ID}.yaml").read_text(encoding="utf-8")
    parsed = client.post("/ui/playbooks/parse", json={"yaml": text}, headers=auth("lead"))
    assert parsed.status_code == 200
    assert parsed.get_json()["card"] == yaml.safe_load(text)
    denied = client.post("/ui/playbooks/parse", json={"yaml": text}, headers=auth("agent"))
    assert denied.status_code == 403
