"""`value-assist models evaluate-policy` on logged decisions, on imported history, and its
refusal when support is thin."""

import json

import pytest
from click.testing import CliRunner

from assist_api.cli import main
from assist_api.services.outcomes.imports import import_files
from features.vocabulary import ACTIVITIES
from tests.helpers.app import bearer, build_app, make_keys, make_test_settings
from tests.helpers.assist_requests import assist_request, offered_customer
from tests.helpers.records import interaction, outcome, write_csv
from tests.helpers.tiny_model import register_tiny_model

KEYS = {"policy", "logged", "estimates", "ess", "n_decisions", "propensities"}


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    folder = tmp_path_factory.mktemp("registry")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    register_tiny_model(uri, folder / "mlartifacts")
    return uri


def run(tmp_path, registry, *args):
    env = {
        "VALUE_ASSIST_DATA_DIR": str(tmp_path),
        "VALUE_ASSIST_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}",
        "MLFLOW_TRACKING_URI": registry,
    }
    return CliRunner(env=env).invoke(main, ["models", "evaluate-policy", *args])


def test_logged_decisions_are_valued_with_their_logged_propensities(tmp_path, registry):
    settings = make_test_settings(tmp_path, mlflow_tracking_uri=registry, exploration_rate=0.5)
    app = build_app(settings)
    headers = bearer(make_keys(app)["agent"])
    client = app.test_client()
    for k in range(120):
        body = assist_request(
            interaction_id=f"i-{k}", customer_id=offered_customer(settings, f"c{k}")
        )
        answer = client.post("/v1/assist", json=body, headers=headers).get_json()
        success = k % 3 == 0
        post = {
            "interaction_id": f"i-{k}",
            "card_id_used": answer["cards"][0]["card_id"],
            "ves_confidence": 6 if success else 3,
            "ves_ability": 6 if success else 3,
        }
        assert client.post("/v1/outcomes", json=post, headers=headers).status_code == 200
    app.extensions["scorer"].stop()
    app.extensions["store"].close()

    result = run(tmp_path, registry, "--format", "json", "--policy", "uniform", "--min-ess", "5")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert KEYS <= set(report) and report["propensities"] == "logged"
    assert report["n_decisions"] == 120
    assert report["logged"]["value"] == pytest.approx(40 / 120)
    for estimate in report["estimates"].values():
        assert estimate["ci95"][0] <= estimate["value"] <= estimate["ci95"][1]

    thin = run(tmp_path, registry, "--min-ess", "1000")
    assert thin.exit_code == 1 and "effective sample size" in thin.output


def test_imported_history_is_valued_with_estimated_propensities(tmp_path, registry):
    settings = make_test_settings(tmp_path, mlflow_tracking_uri=registry)
    app = build_app(settings)
    rows = [interaction(i, activity_attempted=ACTIVITIES[i % 5]) for i in range(1, 241)]
    outcomes = [outcome(i, ves_confidence=6 if i % 4 else 3) for i in range(1, 241)]
    files = write_csv(tmp_path / "i.csv", rows)
    assert import_files(app.extensions["store"], files, write_csv(tmp_path / "o.csv", outcomes))
    app.extensions["store"].close()
    result = run(tmp_path, registry, "--format", "text", "--min-ess", "5")
    assert result.exit_code == 0, result.output
    assert "propensities estimated" in result.output
    assert all(name in result.output for name in ("ips", "snips", "dr"))
