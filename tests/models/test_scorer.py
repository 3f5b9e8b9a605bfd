"""The serving runtime against a real (throwaway) MLflow registry and a real booster."""

import threading
import time

import numpy as np
import pytest
from flask import Flask

from features.row import activity_matrix, prepare
from features.spec import FEATURE_NAMES, spec_as_dict
from models import model_cache
from models.loaded import IncompatibleModel, load_model
from models.scorer import Scorer
from tests.helpers.records import interaction

DEAD_REGISTRY = "http://127.0.0.1:9"


@pytest.fixture
def matrix() -> np.ndarray:
    return activity_matrix(prepare(interaction(3, days_since_purchase=12)))


def test_load_serves_the_champion_and_caches_it(settings, champion, matrix):
    scorer = Scorer(settings)
    model = scorer.load()

    assert model is scorer.current
    assert (model.name, model.version, model.source) == ("ve-openness", champion, "registry")
    assert model.metrics["auc"] == pytest.approx(0.70)
    probabilities = model.score(matrix)
    assert probabilities.shape == (5,)
    assert np.all((probabilities > 0) & (probabilities < 1))
    raw = model.booster.predict(matrix, num_threads=1)
    np.testing.assert_allclose(probabilities, model.calibrator.apply(raw))
    contributions = model.contributions(matrix[0])
    assert contributions.shape == (len(FEATURE_NAMES) + 1,)
    raw_score = model.booster.predict(matrix[:1], raw_score=True, num_threads=1)[0]
    assert contributions.sum() == pytest.approx(raw_score)

    folder = model_cache.version_dir(settings.model_cache_dir, "ve-openness", champion)
    assert model_cache.read_info(folder)["run_id"] == model.run_id
    assert model_cache.current_version(settings.model_cache_dir, "ve-openness") == champion
    status = scorer.status()
    assert status["ready"] and status["source"] == "registry" and status["version"] == champion
    assert status["last_error"] is None and status["last_check_at"] is not None


def test_reload_swaps_only_when_the_alias_moves(settings, mlflow_store, champion, matrix):
    scorer = Scorer(settings)
    first = scorer.load()
    assert scorer.reload() == (False, first)

    second_version = mlflow_store.register(seed=1)
    changed, second = scorer.reload()

    assert changed and second is scorer.current and second.version == second_version == "2"
    assert not np.allclose(first.score(matrix), second.score(matrix))
    assert model_cache.current_version(settings.model_cache_dir, "ve-openness") == "2"
    changed, forced = scorer.reload(force=True)
    assert not changed and forced is not second and forced.version == "2"


def test_unreachable_registry_falls_back_to_the_cached_model(settings, champion, matrix):
    Scorer(settings).load()  # a worker that saw the registry once leaves the cache behind
    offline = Scorer(settings.with_overrides(mlflow_tracking_uri=DEAD_REGISTRY))

    started = time.monotonic()
    model = offline.load()

    assert time.monotonic() - started < 30
    assert model is not None and model.source == "cache" and model.version == champion
    assert model.score(matrix).shape == (5,)
    status = offline.status()
    assert status["ready"] and status["source"] == "cache"
    assert "127.0.0.1:9" in status["last_error"]

    offline.settings = settings  # the registry is back: same version, now vouched for
    changed, back = offline.reload()
    assert not changed and back.source == "registry" and offline.status()["last_error"] is None


def test_no_champion_and_no_cache_leaves_the_scorer_not_ready(settings, mlflow_store):
    mlflow_store.register(alias=None)  # a version exists, but nobody made it champion
    scorer = Scorer(settings)

    assert scorer.load() is None
    assert scorer.current is None and not scorer.ready
    status = scorer.status()
    assert not status["ready"] and status["version"] is None
    assert "no version of 've-openness' has the alias 'champion'" in status["last_error"]
    assert "no cached model" in status["last_error"]


def test_dead_registry_and_no_cache_is_not_ready_and_does_not_raise(settings):
    scorer = Scorer(settings.with_overrides(mlflow_tracking_uri=DEAD_REGISTRY))
    assert scorer.reload() == (False, None)
    assert not scorer.status()["ready"]


def test_a_model_with_another_feature_spec_is_refused(settings, mlflow_store, champion):
    scorer = Scorer(settings)
    good = scorer.load()
    stale = {**spec_as_dict(), "version": "0"}
    mlflow_store.register(seed=1, spec=stale)

    assert scorer.reload() == (False, good)
    assert "refused" in scorer.status()["last_error"]
    assert "feature spec version '0'" in scorer.status()["last_error"]
    assert not model_cache.is_complete(
        model_cache.version_dir(settings.model_cache_dir, "ve-openness", "2")
    )
    assert scorer.reload() == (False, good)  # remembered, not downloaded again
    assert "refused" in scorer.status()["last_error"]


def test_load_model_raises_on_a_reordered_spec(tmp_path):
    from models.artifacts import save_fast_path
    from models.calibration import Calibrator
    from tests.helpers.tiny_model import train_tiny_booster

    spec = spec_as_dict()
    spec["features"] = spec["features"][1:] + spec["features"][:1]
    booster, _ = train_tiny_booster()
    folder = save_fast_path(tmp_path / "fp", booster, spec, Calibrator())
    with pytest.raises(IncompatibleModel, match="feature 0 is 'days_since_purchase'"):
        load_model(folder, name="ve-openness", version="9", run_id="r")


def test_readers_never_see_none_or_a_mixed_model_during_swaps(
    settings, mlflow_store, champion, matrix
):
    second = mlflow_store.register(seed=1)
    expected = {}
    scorer = Scorer(settings)
    for version in (champion, second):
        mlflow_store_alias(mlflow_store, version)
        model = scorer.reload()[1]
        expected[version] = model.score(matrix)
    problems, stop = [], threading.Event()

    def hammer():
        while not stop.is_set():
            model = scorer.current
            if model is None:
                problems.append("saw None")
                return
            if not np.array_equal(model.score(matrix), expected[model.version]):
                problems.append(f"mixed model at version {model.version}")
                return

    readers = [threading.Thread(target=hammer) for _ in range(4)]
    for reader in readers:
        reader.start()
    swaps = 0
    try:
        for i in range(12):
            mlflow_store_alias(mlflow_store, (champion, second)[i % 2])
            swaps += scorer.reload()[0]
    finally:
        stop.set()
        for reader in readers:
            reader.join(10)
    assert problems == [] and swaps == 12


def mlflow_store_alias(mlflow_store, version: str) -> None:
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=mlflow_store.uri, registry_uri=mlflow_store.uri)
    client.set_registered_model_alias("ve-openness", "champion", version)


def test_the_watcher_follows_the_alias_and_stops(settings, mlflow_store, champion):
    scorer = Scorer(settings)
    scorer.load()
    assert scorer.start_watching(0.05) and not scorer.start_watching(0.05)
    assert scorer.status()["watching"]
    try:
        mlflow_store.register(seed=1)
        deadline = time.monotonic() + 20
        while scorer.current.version != "2" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert scorer.current.version == "2"
    finally:
        scorer.stop()
    assert not scorer.watching
    assert scorer.start_watching(0) is False  # 0 means "do not watch"


def test_init_app_binds_the_scorer_without_keeping_the_app(settings, champion):
    app = Flask(__name__)
    app.config["SETTINGS"] = settings
    scorer = Scorer()
    scorer.init_app(app)

    assert app.extensions["scorer"] is scorer
    assert scorer.current.version == champion
    assert not any(value is app for value in vars(scorer).values())

    lazy = Flask(__name__)
    lazy.config["SETTINGS"] = settings
    idle = Scorer()
    idle.init_app(lazy, load=False)
    assert idle.current is None and lazy.extensions["scorer"] is idle


def test_init_app_without_settings_is_a_clear_error():
    with pytest.raises(RuntimeError, match="SETTINGS"):
        Scorer().init_app(Flask(__name__))
