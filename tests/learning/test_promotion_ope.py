"""The promotion rule's off-policy half on the service's logged decisions: both models'
greedy policies valued on the same decisions, refused when support is thin, and what
`value-assist train` hands the rule from the store."""

import pytest

from assist_api.cli.models import store_off_policy as cli_off_policy
from assist_api.services.learning.logged import logged_decisions
from assist_api.services.learning.promotion_ope import off_policy_values
from features.spec import spec_as_dict
from models.artifacts import ModelFiles
from models.calibration import Calibrator
from tests.helpers.app import build_app, make_test_settings
from tests.helpers.logged_decisions import log_decisions
from tests.helpers.tiny_model import register_tiny_model, train_tiny_booster


def files(seed: int) -> ModelFiles:
    booster, _ = train_tiny_booster(seed)
    return ModelFiles(booster, spec_as_dict(), Calibrator(method="platt", a=1.1, b=-0.05), None)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A store with 120 logged decisions (exploration 50 %) and their outcomes."""
    folder = tmp_path_factory.mktemp("served")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    register_tiny_model(uri, folder / "mlartifacts")
    settings = make_test_settings(folder, mlflow_tracking_uri=uri, exploration_rate=0.5)
    app = build_app(settings)
    log_decisions(app, settings, 120, lambda k: k % 3 == 0)
    app.extensions["scorer"].stop()
    yield settings, app.extensions["store"]
    app.extensions["store"].close()


def test_the_same_model_has_the_same_value_and_another_is_valued_on_the_same_decisions(served):
    _settings, store = served
    decisions = logged_decisions(store)
    same = off_policy_values(decisions, files(0), files(0), min_ess=5, draws=200)
    assert same["n_decisions"] == 120
    assert same["candidate"] == same["champion"]
    low, high = same["candidate"]["ci95"]
    assert low <= same["candidate"]["value"] <= high
    other = off_policy_values(decisions, files(1), files(0), min_ess=5, draws=200)
    assert other["champion"] == same["champion"] and other["ess"] > 5


def test_thin_support_is_refused_and_no_decisions_give_none(served):
    _settings, store = served
    decisions = logged_decisions(store)
    refused = off_policy_values(decisions, files(1), files(0), min_ess=10_000, draws=50)
    assert "effective sample size" in refused["refused"] and refused["n_decisions"] == 120
    assert off_policy_values([], files(1), files(0)) is None


def test_train_hands_the_rule_the_stores_values(served, tmp_path):
    settings, _store = served
    values = cli_off_policy(settings)(files(0), files(0))  # the served model: ample support
    assert values["n_decisions"] == 120 and {"candidate", "champion"} <= set(values)
    nowhere = settings.with_overrides(database_url=f"sqlite:///{tmp_path / 'none.db'}")
    assert cli_off_policy(nowhere)(files(1), files(0)) is None
    assert not (tmp_path / "none.db").exists()  # training from files creates no store
