"""/v1/pools and `value-assist pools`: define pools, move agents, report capacity.

Storage behaviour (create, replace, move agents, audit, capacity) runs on SQLite and
PostgreSQL; input validation and roles run on SQLite only. Every refused input is
checked to leave the stored pool exactly as it was.
"""

import copy
import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from assist_api.cli import main
from assist_api.store.tables import AuditEntry
from tests.helpers.app import bearer, build_app, make_keys, make_test_settings

STALE_SECONDS = 60.0
CHAMPIONS = {
    "name": "VE champions",
    "is_value_pool": True,
    "languages": ["ja", "en"],
    "channels": ["phone", "chat"],
    "skills": ["educate_usage"],
    "members": [
        {"agent_id": "a-1", "name": "Aoki", "languages": ["ja"]},
        {"agent_id": "a-2", "languages": ["en"]},
    ],
}
STANDARD = {
    "name": "Standard",
    "languages": ["en"],
    "channels": ["phone", "chat", "email"],
    "members": [{"agent_id": "a-3", "languages": ["en"]}],
}


def body(**changes) -> dict:
    data = copy.deepcopy(CHAMPIONS)
    data.update(changes)
    return data


@pytest.fixture
def pools_app(tmp_path, database_url):
    application = build_app(
        make_test_settings(tmp_path, database_url, capacity_stale_seconds=STALE_SECONDS)
    )
    yield application
    application.extensions["scorer"].stop()
    application.extensions["store"].close()


@pytest.fixture(scope="module")
def sqlite_app(tmp_path_factory):
    """One app for the validation tests: each test re-saves the pool it checks."""
    folder = tmp_path_factory.mktemp("pools")
    application = build_app(make_test_settings(folder, capacity_stale_seconds=STALE_SECONDS))
    yield application
    application.extensions["scorer"].stop()
    application.extensions["store"].close()


def client_and_keys(app):
    keys = make_keys(app)
    return app.test_client(), {role: bearer(key) for role, key in keys.items()}


def listed(client, lead) -> dict:
    response = client.get("/v1/pools", headers=lead)
    assert response.status_code == 200, response.get_json()
    return {p["pool_id"]: p for p in response.get_json()["pools"]}


def audit(app) -> list[AuditEntry]:
    with app.extensions["store"].uow() as uow:
        rows = list(uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        uow.session.expunge_all()
        return rows


def test_pool_life_cycle_moves_agents_and_audits_every_change(pools_app):
    client, keys = client_and_keys(pools_app)
    created = client.put("/v1/pools/ve_champions", json=CHAMPIONS, headers=keys["lead"])
    assert created.status_code == 200, created.get_json()
    pool = created.get_json()
    assert pool["pool_id"] == "ve_champions" and pool["is_value_pool"] is True
    assert [m["agent_id"] for m in pool["members"]] == ["a-1", "a-2"]
    assert pool["members"][0] == {
        "agent_id": "a-1",
        "name": "Aoki",
        "languages": ["ja"],
        "active": True,
        "skill": None,
    }
    assert pool["measured_skill"] is None
    assert pool["capacity"] == {"free": None, "reported_at": None, "stale": False}

    client.put("/v1/pools/standard", json=STANDARD, headers=keys["lead"])
    moved = copy.deepcopy(STANDARD)
    moved["members"].append({"agent_id": "a-2", "languages": ["en"]})
    client.put("/v1/pools/standard", json=moved, headers=keys["lead"])
    client.put(
        "/v1/pools/ve_champions",
        json=body(languages=["ja"], members=CHAMPIONS["members"][:1]),
        headers=keys["lead"],
    )

    pools = listed(client, keys["lead"])
    assert [m["agent_id"] for m in pools["ve_champions"]["members"]] == ["a-1"]
    assert [m["agent_id"] for m in pools["standard"]["members"]] == ["a-2", "a-3"]
    assert pools["ve_champions"]["languages"] == ["ja"]
    entries = [
        (e.action, e.entity_id, e.details) for e in audit(pools_app) if e.entity_type == "pool"
    ]
    assert [(a, i) for a, i, _ in entries] == [
        ("create_pool", "ve_champions"),
        ("create_pool", "standard"),
        ("update_pool", "standard"),
        ("update_pool", "ve_champions"),
    ]
    assert entries[2][2]["moved_from"] == {"a-2": "ve_champions"}
    assert entries[2][2]["members_added"] == ["a-2"]
    assert entries[3][2]["changes"] == {"languages": [["ja", "en"], ["ja"]]}
    assert all(e.actor for e in audit(pools_app))


def test_capacity_reports_go_stale_and_never_go_back_in_time(pools_app):
    client, keys = client_and_keys(pools_app)
    client.put("/v1/pools/ve_champions", json=CHAMPIONS, headers=keys["lead"])
    now = datetime.now(UTC)
    old = (now - timedelta(seconds=STALE_SECONDS + 5)).isoformat()
    reported = client.put(
        "/v1/pools/ve_champions/capacity",
        json={"free": 4, "reported_at": old},
        headers=keys["system"],
    )
    assert reported.status_code == 200, reported.get_json()
    assert reported.get_json()["free"] == 4
    capacity = listed(client, keys["lead"])["ve_champions"]["capacity"]
    assert (capacity["free"], capacity["stale"]) == (4, True)

    fresh = client.put("/v1/pools/ve_champions/capacity", json={"free": 2}, headers=keys["system"])
    assert fresh.status_code == 200
    capacity = listed(client, keys["lead"])["ve_champions"]["capacity"]
    assert (capacity["free"], capacity["stale"]) == (2, False)

    late = client.put(
        "/v1/pools/ve_champions/capacity",
        json={"free": 9, "reported_at": old},
        headers=keys["system"],
    )
    assert late.status_code == 409
    assert late.get_json()["error"]["code"] == "conflict"
    assert listed(client, keys["lead"])["ve_champions"]["capacity"]["free"] == 2


@pytest.mark.parametrize(
    "change, field",
    [
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"languages": []}, "languages"),
        ({"languages": ["JA"]}, "languages.0"),
        ({"languages": ["ja", "ja"]}, "languages"),
        ({"channels": ["fax"]}, "channels.0"),
        ({"channels": ["phone", "phone"]}, "channels"),
        ({"skills": ["juggling"]}, "skills.0"),
        ({"is_value_pool": "yes please"}, "is_value_pool"),
        ({"members": "a-1"}, "members"),
        ({"members": [{"name": "no id"}]}, "members.0.agent_id"),
        ({"members": [{"agent_id": "a-1", "languages": ["english"]}]}, "members.0.languages.0"),
        ({"members": [{"agent_id": "a-1"}, {"agent_id": "a-1"}]}, "members.1.agent_id"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_invalid_pool_fields_are_named_and_change_nothing(sqlite_app, change, field):
    client, keys = client_and_keys(sqlite_app)
    client.put("/v1/pools/ve_champions", json=CHAMPIONS, headers=keys["lead"])
    before = listed(client, keys["lead"])
    data = body(**change)
    if change.get("name") is None and "name" in change:
        del data["name"]
    response = client.put("/v1/pools/ve_champions", json=data, headers=keys["lead"])
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "invalid_fields"
    assert field in error["details"]["fields"], error
    assert listed(client, keys["lead"]) == before


def test_a_bad_pool_id_is_refused_by_name(sqlite_app):
    client, keys = client_and_keys(sqlite_app)
    response = client.put("/v1/pools/-bad%20id", json=CHAMPIONS, headers=keys["lead"])
    assert response.status_code == 422
    assert "pool_id" in response.get_json()["error"]["details"]["fields"]
    assert "-bad id" not in listed(client, keys["lead"])


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"free": -1}, "free"),
        ({"free": "3"}, "free"),
        ({"free": 1.5}, "free"),
        ({}, "free"),
        ({"free": 1, "reported_at": "2026-03-01T10:00:00"}, "reported_at"),
        ({"free": 1, "reported_at": "yesterday"}, "reported_at"),
        ({"free": 1, "seats": 3}, "seats"),
    ],
)
def test_invalid_capacity_reports_are_named_and_change_nothing(sqlite_app, payload, field):
    client, keys = client_and_keys(sqlite_app)
    client.put("/v1/pools/ve_champions", json=CHAMPIONS, headers=keys["lead"])
    client.put("/v1/pools/ve_champions/capacity", json={"free": 3}, headers=keys["system"])
    response = client.put("/v1/pools/ve_champions/capacity", json=payload, headers=keys["system"])
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["details"]["fields"]
    assert listed(client, keys["lead"])["ve_champions"]["capacity"]["free"] == 3


def test_capacity_from_the_future_and_for_unknown_pools_is_refused(sqlite_app):
    client, keys = client_and_keys(sqlite_app)
    client.put("/v1/pools/ve_champions", json=CHAMPIONS, headers=keys["lead"])
    future = (datetime.now(UTC) + timedelta(minutes=10)).isoformat()
    ahead = client.put(
        "/v1/pools/ve_champions/capacity",
        json={"free": 1, "reported_at": future},
        headers=keys["system"],
    )
    assert ahead.status_code == 422
    assert "reported_at" in ahead.get_json()["error"]["details"]["fields"]
    missing = client.put("/v1/pools/nope/capacity", json={"free": 1}, headers=keys["system"])
    assert missing.status_code == 404
    assert missing.get_json()["error"]["details"] == {"pool_id": "nope"}


@pytest.mark.parametrize(
    "method, path, payload, role, status",
    [
        ("get", "/v1/pools", None, "agent", 403),
        ("get", "/v1/pools", None, "scientist", 403),
        ("put", "/v1/pools/p", CHAMPIONS, "agent", 403),
        ("put", "/v1/pools/ve_champions/capacity", {"free": 1}, "agent", 403),
        ("put", "/v1/pools/ve_champions/capacity", {"free": 1}, "lead", 200),
        ("put", "/v1/pools/ve_champions/capacity", {"free": 1}, "system", 200),
        ("put", "/v1/pools/p", CHAMPIONS, "system", 403),
        ("put", "/v1/pools/ve_champions/capacity", {"free": 1}, "admin", 200),
        ("get", "/v1/pools", None, None, 401),
    ],
)
def test_roles(sqlite_app, method, path, payload, role, status):
    client, keys = client_and_keys(sqlite_app)
    client.put("/v1/pools/ve_champions", json=CHAMPIONS, headers=keys["lead"])
    headers = keys[role] if role else {}
    response = getattr(client, method)(path, json=payload, headers=headers)
    assert response.status_code == status, response.get_json()


def test_cli_import_set_and_list(sqlite_app, tmp_path, monkeypatch):
    settings = sqlite_app.config["SETTINGS"]
    monkeypatch.setenv("VALUE_ASSIST_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("VALUE_ASSIST_DATABASE_URL", settings.database_url)
    runner = CliRunner()
    pools_file = tmp_path / "pools.json"
    pools_file.write_text(
        json.dumps([{"pool_id": "ve_champions", **CHAMPIONS}, {"pool_id": "standard", **STANDARD}])
    )
    imported = runner.invoke(main, ["pools", "import", str(pools_file)])
    assert imported.exit_code == 0, imported.output
    assert "2 pool(s) saved: ve_champions, standard" in imported.output

    one = tmp_path / "one.json"
    one.write_text(json.dumps(body(members=[])))
    assert runner.invoke(main, ["pools", "set", "ve_champions", str(one)]).exit_code == 0
    listing = runner.invoke(main, ["pools", "list"])
    assert listing.exit_code == 0
    lines = {line.split()[0]: line for line in listing.output.splitlines()}
    assert "members    0" in lines["ve_champions"] and "value" in lines["ve_champions"]
    assert "free seats unknown" in lines["standard"]

    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps([{"pool_id": "x y", **body(channels=["fax"])}]))
    refused = runner.invoke(main, ["pools", "import", str(broken)])
    assert refused.exit_code == 1
    assert "0.pool_id" in refused.output and "0.channels.0" in refused.output
    twice = tmp_path / "twice.json"
    twice.write_text(json.dumps(body(members=[{"agent_id": "a-9"}, {"agent_id": "a-9"}])))
    refused = runner.invoke(main, ["pools", "set", "ve_champions", str(twice)])
    assert refused.exit_code == 1 and "members.1.agent_id" in refused.output
    as_json = json.loads(runner.invoke(main, ["pools", "list", "--json"]).output)
    assert {p["pool_id"] for p in as_json["pools"]} == {"ve_champions", "standard"}
