"""Dask: the same training set, a model as good as the single-machine one, same scores."""

from functools import partial

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest

from assist_api.services.playbooks.outreach import outreach_rows
from features.spec import spec_as_dict
from models.artifacts import ModelFiles
from prompts_playbooks.loader import load_cards
from tests.training.alt_world import write_alt_world
from training.batch_score import OUTPUT_COLUMNS, score_file
from training.dask_train import dask_candidate, validation_curve
from training.dataset import build_training_set, read_import_dir, read_truth
from training.pipeline import fit_candidate

MAX_AUC_DIFFERENCE = 0.01


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return write_alt_world(tmp_path_factory.mktemp("dask_world"), 40_000, seed=4)


@pytest.fixture(scope="module")
def single(world):
    interactions, outcomes, _ = read_import_dir(world)
    return fit_candidate(build_training_set(interactions, outcomes), read_truth(world))


@pytest.mark.slow
def test_dask_model_matches_the_single_machine_model(world, single):
    truth = read_truth(world)
    distributed = dask_candidate(world, "local", truth, rows=5_000)  # 8 parts, 2 workers
    assert distributed.dataset == single.dataset  # same rows, split and fingerprint
    pd.testing.assert_frame_equal(
        distributed.test_rows.reset_index(drop=True), single.test_rows.reset_index(drop=True)
    )
    auc_single = single.report["overall"]["roc_auc"]
    auc_dask = distributed.report["overall"]["roc_auc"]
    assert abs(auc_dask - auc_single) <= MAX_AUC_DIFFERENCE, (auc_dask, auc_single)
    assert distributed.fit.rounds > distributed.fit.best_iteration > 10
    assert distributed.fit.machines == 2  # really trained across both workers


@pytest.mark.slow
def test_batch_scores_are_the_same_on_dask_and_on_one_machine(world, single, tmp_path):
    files = ModelFiles(single.fit.booster, spec_as_dict(), single.calibrator)
    customers = pd.read_csv(world / "interactions.csv", dtype=str, keep_default_na=False)
    customers.head(3000).to_csv(tmp_path / "customers.csv", index=False)
    assert score_file(tmp_path / "customers.csv", tmp_path / "local.csv", files) == 3000
    assert score_file(tmp_path / "customers.csv", tmp_path / "dask.csv", files, "local") == 3000
    local = pd.read_csv(tmp_path / "local.csv", keep_default_na=False)
    on_dask = pd.read_csv(tmp_path / "dask.csv", keep_default_na=False)
    pd.testing.assert_frame_equal(on_dask, local)
    assert list(local.columns[-len(OUTPUT_COLUMNS) :]) == list(OUTPUT_COLUMNS)


@pytest.mark.slow
def test_the_outreach_list_is_the_same_on_dask_and_on_one_machine(world, single, tmp_path):
    """One row per customer (their latest), best card and control group, with the parts
    written beside the input and removed afterwards."""
    files = ModelFiles(single.fit.booster, spec_as_dict(), single.calibrator)
    rows = pd.read_csv(world / "interactions.csv", dtype=str, keep_default_na=False).head(4000)
    rows.to_csv(tmp_path / "customers.csv", index=False)
    finish = partial(outreach_rows, cards=tuple(load_cards()), salt="s", rate=0.2)
    kwargs = {"finish": finish, "per_customer": True}
    customers = rows["customer_id"].nunique()
    assert customers < len(rows)  # customers with several interactions: the latest is kept
    local_csv, dask_csv = tmp_path / "local.csv", tmp_path / "dask.csv"
    assert score_file(tmp_path / "customers.csv", local_csv, files, **kwargs) == customers
    assert score_file(tmp_path / "customers.csv", dask_csv, files, "local", **kwargs) == customers
    local = pd.read_csv(local_csv, keep_default_na=False).sort_values("customer_id")
    on_dask = pd.read_csv(dask_csv, keep_default_na=False).sort_values("customer_id")
    pd.testing.assert_frame_equal(on_dask.reset_index(drop=True), local.reset_index(drop=True))
    assert local["control_group"].any() and local["outreach"].any()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["customers.csv", "dask.csv", "local.csv"]


def test_validation_curve_adds_up_to_the_boosters_own_scores():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2000, 4))
    y = (rng.random(2000) < 1 / (1 + np.exp(-X[:, 0] - X[:, 1] * X[:, 2]))).astype(float)
    booster = lgb.train(
        {"objective": "binary", "verbosity": -1, "num_leaves": 7},
        lgb.Dataset(X, y),
        num_boost_round=40,
    )
    curve = validation_curve(booster, X, y)
    for trees in (1, 17, 40):
        p = booster.predict(X, num_iteration=trees)
        expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
        assert curve[trees - 1] == pytest.approx(expected, rel=1e-9)
