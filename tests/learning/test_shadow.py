"""Shadow challengers: the challenger's would-be top card is logged with each decision,
the answer does not change, and `models shadow` / `shadow-report` drive it."""

import json
from datetime import UTC, datetime

import numpy as np
import pytest
from click.testing import CliRunner

from assist_api.cli import main
from assist_api.services.learning.shadow import ShadowScorer
from assist_api.services.learning.shadow_store import set_shadow, shadow_rows, shadow_version
from features.vocabulary import ACTIVITIES
from tests.helpers.app import bearer, build_app, make_keys, make_test_settings
from tests.helpers.assist_requests import assist_request, offered_customer
from tests.helpers.logged_decisions import log_decisions
from tests.helpers.tiny_model import register_tiny_model

NAME = "ve-openness"


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    """Two versions: v1 the champion, v2 a different model to shadow it."""
    folder = tmp_path_factory.mktemp("registry")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    register_tiny_model(uri, folder / "mlartifacts")
    register_tiny_model(uri, folder / "mlartifacts", alias=None, seed=1)
    return uri


class Prefers:
    """A challenger that gives one activity the highest P(success)."""

    version = "9"

    def __init__(self, activity: str):
        self.scores = np.array([0.9 if a == activity else 0.1 for a in ACTIVITIES])

    def score(self, matrix):
        return np.tile(self.scores, len(matrix) // len(ACTIVITIES))


def decision(decision_id="d-1", holdout=False):
    eligible = [["educate_usage.a", 1.0, 0.96], ["advise_new_features.b", 1.0, 0.04]]
    return {
        "decision_id": decision_id,
        "interaction_id": "i-1",
        "created_at": datetime(2026, 12, 1, tzinfo=UTC),
        "model_version": "1",
        "activity_scores": {a: (0.8 if a == "educate_usage" else 0.2) for a in ACTIVITIES},
        "holdout": holdout,
        "policy": {"eligible": [] if holdout else eligible},
        "test": False,
    }


def test_shadow_scoring_logs_the_challengers_top_card(sqlite_store):
    set_shadow(sqlite_store, NAME, "9", "tests")
    shadow = ShadowScorer(
        sqlite_store, NAME, lambda version: Prefers("advise_new_features"), 60.0, flush_seconds=0.2
    )
    assert shadow.refresh() and shadow.version == "9"
    shadow.submit(decision("d-1"), np.zeros((5, 3)))
    shadow.submit(decision("d-2", holdout=True), np.zeros((5, 3)))  # nothing to rank
    shadow.submit(decision("d-4"), np.zeros((5, 3)))  # scored in the same batch as d-1
    shadow.drain()
    rows = shadow_rows(sqlite_store)
    assert [r.decision_id for r in rows] == ["d-1", "d-4"]
    assert rows[0].top_card_id == "advise_new_features.b"  # the challenger's, not the champion's
    assert rows[0].champion_top_card_id == "educate_usage.a"
    assert rows[0].challenger_version == "9" and rows[0].champion_version == "1"
    assert rows[1].top_card_id == "advise_new_features.b"  # the second row of the batch
    assert rows[0].activity_scores["advise_new_features"] == pytest.approx(0.9)

    set_shadow(sqlite_store, NAME, None, "tests")  # --off: the next refresh stops it
    shadow.refresh()
    shadow.submit(decision("d-3"), np.zeros((5, 3)))
    shadow.drain()
    assert shadow.model is None and len(shadow_rows(sqlite_store)) == 2


def _answer(tmp_path, registry, monkeypatch, shadowed: bool):
    settings = make_test_settings(tmp_path, mlflow_tracking_uri=registry, exploration_rate=0.5)
    app = build_app(settings)
    store = app.extensions["store"]
    if shadowed:
        set_shadow(store, NAME, "2", "tests")
        app.extensions["shadow"].refresh()
    headers = bearer(make_keys(app)["agent"])
    body = assist_request(customer_id=offered_customer(settings, "c-shadow"))
    monkeypatch.setattr("secrets.token_hex", lambda n: "0" * (2 * n))  # same decision id
    response = app.test_client().post("/v1/assist", json=body, headers=headers)
    assert response.status_code == 200
    monkeypatch.undo()
    app.extensions["shadow"].drain()
    rows = shadow_rows(store)
    app.extensions["scorer"].stop()
    store.close()
    return response.data, rows


def test_the_answer_is_byte_identical_with_and_without_shadow(tmp_path, registry, monkeypatch):
    plain, none = _answer(tmp_path / "plain", registry, monkeypatch, shadowed=False)
    shadowed, rows = _answer(tmp_path / "shadow", registry, monkeypatch, shadowed=True)
    assert none == [] and len(rows) == 1  # the shadow did score this request
    assert (
        rows[0].challenger_version == "2"
        and rows[0].decision_id == json.loads(plain)["decision_id"]
    )
    assert shadowed == plain


def run(tmp_path, registry, *args):
    env = {
        "VALUE_ASSIST_DATA_DIR": str(tmp_path),
        "VALUE_ASSIST_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}",
        "MLFLOW_TRACKING_URI": registry,
    }
    return CliRunner(env=env).invoke(main, ["models", *args])


def test_shadow_commands_set_stop_and_report(tmp_path, registry):
    settings = make_test_settings(tmp_path, mlflow_tracking_uri=registry, exploration_rate=0.5)
    app = build_app(settings)
    store = app.extensions["store"]
    assert run(tmp_path, registry, "shadow").exit_code == 2  # neither VERSION nor --off
    missing = run(tmp_path, registry, "shadow", "7")
    assert missing.exit_code == 1 and "version '7' cannot shadow" in missing.output
    started = run(tmp_path, registry, "shadow", "2", "--actor", "ds")
    assert started.exit_code == 0 and "v2 now shadows" in started.output
    assert shadow_version(store, NAME) == "2"

    app.extensions["shadow"].refresh()  # as the worker's gate would within its interval
    log_decisions(app, settings, 40, lambda k: k % 2 == 1)
    app.extensions["shadow"].drain()
    report = json.loads(run(tmp_path, registry, "shadow-report", "--format", "json").output)
    assert report["challenger"] == "2" and report["shadowed"] == 40
    assert report["with_outcomes"] == 40
    assert 0.0 <= report["agreement"] <= 1.0
    assert report["agreed"] + report["differed"]["n_decisions"] == 40
    text = run(tmp_path, registry, "shadow-report")
    assert text.exit_code == 0 and "agreement" in text.output

    stopped = run(tmp_path, registry, "shadow", "--off")
    assert stopped.exit_code == 0 and "stopped (was v2)" in stopped.output
    assert shadow_version(store, NAME) is None
    app.extensions["scorer"].stop()
    store.close()


def test_a_challenger_that_fails_to_load_is_tried_again(sqlite_store):
    attempts = []

    def load(version):
        attempts.append(version)
        if len(attempts) == 1:
            raise OSError("registry unreachable")
        return Prefers("advise_new_features")

    set_shadow(sqlite_store, NAME, "9", "tests")
    shadow = ShadowScorer(sqlite_store, NAME, load, 60.0, flush_seconds=0.05)
    shadow.refresh()
    assert shadow.model is None and "registry unreachable" in shadow.status()["last_error"]
    shadow.refresh()
    assert attempts == ["9", "9"] and shadow.model is not None


def test_close_writes_what_is_queued_without_waiting_out_the_batch(sqlite_store):
    set_shadow(sqlite_store, NAME, "9", "tests")
    shadow = ShadowScorer(
        sqlite_store, NAME, lambda version: Prefers("advise_new_features"), 60.0, flush_seconds=600
    )
    shadow.refresh()
    shadow.submit(decision("d-1"), np.zeros((5, 3)))
    shadow.submit(decision("d-4"), np.zeros((5, 3)))
    shadow.close(timeout=30)  # a worker's exit: well before the 600 s batch would end
    assert [r.decision_id for r in shadow_rows(sqlite_store)] == ["d-1", "d-4"]
