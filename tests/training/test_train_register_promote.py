"""Train -> MLflow run -> registered version -> champion only when better (real MLflow)."""

import json

import mlflow
import numpy as np
import pytest

from features.spec import spec_as_dict
from models import registry
from models.artifacts import load_fast_path
from models.pyfunc import score_frame
from training.pipeline import TrainConfig, summary_lines, train_from_dir
from training.promote import RULE
from training.register import signature_frame

# Depth-one trees at a crawl barely learn: clearly worse than a normal fit, beyond the
# noise the promotion rule's customer bootstrap allows for.
WEAK = {"num_leaves": 2, "learning_rate": 0.002}
# What assist_api.services.learning.promotion_ope hands the rule when logged decisions exist
OFF_POLICY = {
    "candidate": {"value": 0.31, "ci95": [0.27, 0.35]},
    "champion": {"value": 0.30, "ci95": [0.26, 0.34]},
    "ess": 412.0,
    "n_decisions": 500,
}


def with_(config: TrainConfig, **changes) -> TrainConfig:
    return TrainConfig(**{**config.__dict__, **changes})


@pytest.fixture(scope="module")
def history(small_world, tmp_path_factory):
    """One registry, four trainings in order; the tests read what each one did.

    1. a deliberately weak model with --promote (no champion yet: promoted)
    2. the normal model with --promote (better on the same test rows, off-policy value not
       worse: promoted)
    3. the normal model again on the same data with --promote (identical: not promoted)
    4. the normal model without --promote (the rule is applied, the alias does not move)
    """
    folder = tmp_path_factory.mktemp("registry")
    config = TrainConfig(
        tracking_uri=f"sqlite:///{folder / 'mlflow.db'}", artifact_root=folder / "mlartifacts"
    )
    runs = {
        "first": train_from_dir(small_world, with_(config, promote=True, params=WEAK)),
        "better": train_from_dir(
            small_world, with_(config, promote=True, off_policy=lambda mine, theirs: OFF_POLICY)
        ),
        "again": train_from_dir(small_world, with_(config, promote=True)),
        "unasked": train_from_dir(small_world, config),
    }
    return config, runs


def test_first_model_becomes_champion_and_its_run_holds_everything(history, tmp_path):
    config, runs = history
    first = runs["first"]
    assert (first.version, first.promoted, first.decision) == ("1", True, "promoted")
    client = registry.connect(config.tracking_uri)
    assert client.get_model_version("ve-openness", "1").run_id == first.run_id
    run = client.get_run(first.run_id)
    assert run.data.tags["promotion.reason"] == "no champion yet"
    assert run.data.tags["promotion.rule"] == RULE
    assert run.data.params["dataset_fingerprint"] == first.candidate.dataset["fingerprint"]
    for metric in (
        "test_roc_auc",
        "test_pr_auc",
        "test_log_loss",
        "test_brier",
        "test_ece",
        "test_ece_before_calibration",
        "test_oracle_roc_auc",
        "test_regret_model",
        "test_regret_agents",
        "test_regret_random",
        "test_roc_auc_channel_phone",
    ):
        assert np.isfinite(run.data.metrics[metric]), metric
    names = {a.path for a in client.list_artifacts(first.run_id)}
    assert {
        "fast_path",
        "plots",
        "model_card.md",
        "feature_spec.json",
        "evaluation.json",
        "dataset.json",
        "calibration_choice.json",
    } <= names
    plots = {a.path for a in client.list_artifacts(first.run_id, "plots")}
    assert "plots/reliability.png" in plots and "plots/lift_gain.png" in plots
    card = client.download_artifacts(first.run_id, "model_card.md", str(tmp_path))
    text = open(card, encoding="utf-8").read()
    assert (
        "Intended use" in text
        and "Limits" in text
        and first.candidate.dataset["fingerprint"] in text
    )
    assert json.loads(
        open(
            client.download_artifacts(first.run_id, "feature_spec.json", str(tmp_path)),
            encoding="utf-8",
        ).read()
    ) == (spec_as_dict())


def test_the_fast_path_and_the_pyfunc_give_the_same_probabilities(history, tmp_path):
    config, runs = history
    champion = runs["better"].candidate
    client = registry.connect(config.tracking_uri)
    info = registry.champion(client, "ve-openness")
    files = load_fast_path(registry.download_fast_path(client, info, tmp_path))
    rows = champion.test_rows.head(50)
    expected = champion.calibrator.apply(champion.fit.booster.predict(champion.X_test[:50]))
    np.testing.assert_allclose(score_frame(files, rows), expected, rtol=1e-9)
    mlflow.set_tracking_uri(config.tracking_uri)
    model = mlflow.pyfunc.load_model("models:/ve-openness@champion")
    served = model.predict(signature_frame(rows))
    np.testing.assert_allclose(np.ravel(served), expected, rtol=1e-9)


def test_a_better_model_is_promoted_and_a_retrain_on_the_same_data_is_not(history):
    config, runs = history
    better, again = runs["better"], runs["again"]
    assert better.comparison.champion_version == "1"
    assert better.promoted, better.comparison.reason
    assert (
        better.comparison.champion_metrics["log_loss"]
        > (better.candidate.report["overall"]["log_loss"])
    )
    assert (again.version, again.promoted, again.decision) == ("3", False, "kept champion")
    assert again.comparison.champion_version == "2"
    assert "not better" in again.comparison.reason
    client = registry.connect(config.tracking_uri)
    assert registry.champion(client, "ve-openness").version == "2"
    tags = client.get_run(again.run_id).data.tags
    assert tags["promotion.decision"] == "kept champion"
    assert "not better beyond noise" in tags["promotion.reason"]
    metrics = client.get_run(again.run_id).data.metrics
    assert metrics["promotion_log_loss_gain"] == 0.0  # the same model: no gain, no spread
    assert tags["promotion.off_policy"].startswith("none")
    run = client.get_run(better.run_id).data
    assert run.metrics["promotion_off_policy_dr_candidate"] == 0.31
    assert run.metrics["promotion_off_policy_dr_candidate_low"] == 0.27
    assert run.metrics["promotion_off_policy_dr_champion"] == 0.30
    assert run.metrics["promotion_off_policy_ess"] == 412.0
    assert "DR candidate 0.3100" in run.tags["promotion.off_policy"]
    assert "off-policy DR 0.3100 vs 0.3000" in run.tags["promotion.reason"]
    assert better.comparison.verdict.ci95[0] > 0
    lines = "\n".join(summary_lines(again))
    assert "ROC AUC" in lines and "oracle ROC AUC" in lines and "regret" in lines
    assert "promotion: kept champion" in lines


def test_without_promote_the_rule_is_applied_but_the_alias_stays(history):
    config, runs = history
    unasked = runs["unasked"]
    assert (unasked.promoted, unasked.decision) == (False, "not requested")
    assert not unasked.comparison.better  # the same model as the champion again
    client = registry.connect(config.tracking_uri)
    versions = registry.list_versions(client, "ve-openness")
    assert [v.version for v in versions] == ["1", "2", "3", "4"]
    assert [v.aliases for v in versions] == [(), ("champion",), (), ()]


def test_the_models_input_example_holds_no_real_row(history, small_world, tmp_path):
    """Issue 22, finding 5: two real test rows (transcripts included) were logged as the
    model's input example, readable by anyone with access to the registry."""
    import pandas as pd

    config, runs = history
    client = registry.connect(config.tracking_uri)
    client.download_artifacts(runs["better"].run_id, "model", str(tmp_path))
    logged = json.loads((tmp_path / "model" / "input_example.json").read_text(encoding="utf-8"))
    example = pd.DataFrame(logged["data"], columns=logged["columns"])
    real = pd.read_csv(small_world / "interactions.csv")
    keys = ["days_since_purchase", "clv", "feature_adoption", "persona", "plan_tier"]
    matches = example[keys].merge(real[keys], on=keys, how="inner")
    assert len(example) >= 1 and matches.empty, matches
