"""Customer profiles: PUT/GET by role, point-in-time versions, and the CRM import."""

import pandas as pd
import pytest
from sqlalchemy import func, select

from assist_api.services.outcomes.imports import import_files
from assist_api.store.customer_tables import CustomerProfile
from tests.customers.conftest import PROFILE


def put(client, auth, customer_id, role="system", **body):
    return client.put(f"/v1/customers/{customer_id}", json=body, headers=auth(role))


def profiles(app) -> int:
    with app.extensions["store"].uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(CustomerProfile))


def test_put_then_get_shows_the_desk_fields(client, auth):
    stored = put(client, auth, "c-77", **PROFILE)
    assert stored.status_code == 200, stored.get_json()
    assert stored.get_json()["version"] == 1 and stored.get_json()["clv"] == 1200.0

    seen = client.get("/v1/customers/c-77", headers=auth("agent")).get_json()
    assert seen["persona"] == "novice" and seen["version"] == 1
    assert "clv" not in seen  # agents do not see lifetime value
    assert client.get("/v1/customers/c-77", headers=auth("lead")).get_json()["clv"] == 1200.0


@pytest.mark.parametrize("role", ["agent", "scientist"])
def test_only_system_and_leads_write_profiles(client, auth, role):
    assert put(client, auth, "c-1", role=role, **PROFILE).status_code == 403


def test_unknown_customer_is_404(client, auth):
    response = client.get("/v1/customers/nobody", headers=auth("agent"))
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("feature_adoption", 1.5),
        ("switching_effort", "medium"),
        ("days_since_purchase", "12"),
        ("as_of", "2026-11-30T00:00:00"),  # no time zone
        ("favourite_colour", "blue"),
    ],
)
def test_bad_fields_are_named_and_nothing_is_stored(app, client, auth, field, value):
    response = put(client, auth, "c-2", **{**PROFILE, field: value})
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]["fields"]
    assert profiles(app) == 0


def test_versions_are_point_in_time(client, auth):
    put(client, auth, "c-3", as_of="2026-01-01T00:00:00Z", **{**PROFILE, "plan_tier": "basic"})
    put(client, auth, "c-3", as_of="2026-06-01T00:00:00Z", **PROFILE)
    again = put(client, auth, "c-3", as_of="2026-06-01T00:00:00Z", **{**PROFILE, "clv": 5.0})
    assert again.get_json()["version"] == 2  # same as_of: that version replaced
    future = put(client, auth, "c-3", as_of="2999-01-01T00:00:00Z", persona="pragmatist")
    assert future.get_json()["version"] == 3
    now = client.get("/v1/customers/c-3", headers=auth("lead")).get_json()
    assert (now["version"], now["plan_tier"], now["clv"]) == (2, "standard", 5.0)


def write(tmp_path, rows, name="customers.csv"):
    path = tmp_path / name
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def crm_row(customer_id, as_of, **changes):
    return {"customer_id": customer_id, "as_of": as_of, **PROFILE, **changes}


def test_import_loads_versions_and_reimport_changes_nothing(app, tmp_path):
    store = app.extensions["store"]
    path = write(
        tmp_path,
        [
            crm_row("c-10", "2026-01-01T00:00:00Z"),
            crm_row("c-10", "2026-02-01T00:00:00Z", persona="enthusiast"),
            crm_row("c-11", "2026-01-15T09:00:00+09:00", clv=""),
        ],
    )
    first = import_files(store, None, customers_path=path)
    assert first.committed and (first.customers.inserted, first.customers.updated) == (3, 0)
    second = import_files(store, None, customers_path=path)
    assert second.committed and (second.customers.inserted, second.customers.updated) == (0, 3)
    assert profiles(app) == 3


def test_one_bad_row_means_nothing_loads_and_every_problem_is_named(app, tmp_path):
    path = write(
        tmp_path,
        [
            crm_row("c-20", "2026-01-01T00:00:00Z"),
            crm_row("c-21", "last tuesday"),
            crm_row("c-22", "2026-01-01T00:00:00Z", products_owned="2.5"),
            crm_row("c-20", "2026-01-01T00:00:00Z"),
        ],
    )
    report = import_files(app.extensions["store"], None, customers_path=path)
    assert not report.committed
    named = {(p.row, p.column) for _, p in report.problems}
    assert named == {(2, "as_of"), (3, "products_owned"), (4, "as_of")}
    assert profiles(app) == 0


def test_the_command_line_imports_customers(app, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from assist_api.cli import main as cli

    settings = app.config["SETTINGS"]
    monkeypatch.setenv("VALUE_ASSIST_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("VALUE_ASSIST_DATABASE_URL", settings.database_url)
    path = write(tmp_path, [crm_row("c-30", "2026-01-01T00:00:00Z")])
    result = CliRunner().invoke(cli, ["import", "--customers", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 of 1 rows loaded (1 new, 0 updated)" in result.output
    assert profiles(app) == 1
