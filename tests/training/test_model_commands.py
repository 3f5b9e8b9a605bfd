"""`value-assist train`, `models`, `promote VERSION` and `batch-score`, as a user runs them."""

import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from assist_api.cli import main
from assist_api.store.store import Store
from assist_api.store.tables import AuditEntry
from features.vocabulary import ACTIVITIES


@pytest.fixture
def run(tmp_path):
    env = {"VALUE_ASSIST_DATA_DIR": str(tmp_path / "data"), "MLFLOW_TRACKING_URI": None}

    def invoke(*args):
        result = CliRunner().invoke(main, list(map(str, args)), env=env)
        assert result.exit_code == 0, result.output + repr(result.exception)
        return result.output

    return invoke


def test_train_models_promote_and_batch_score(run, small_world, tmp_path):
    out = run("train", "--from", small_world, "--promote")
    for expected in (
        "registered model version 1",
        "ROC AUC",
        "PR AUC",
        "log loss",
        "Brier",
        "ECE",
        "oracle ROC AUC",
        "card-choice regret",
        "capacity search:",
        "<- chosen",
        "text: no labelled transcripts",  # the alt world has none: the lexicon stays
        "references on the same test rows:",
        "plain LGBMClassifier()",
        "verdict:",
        "ROC AUC by channel",
        "ROC AUC by contact_reason",
        "ROC AUC by language",
        "top features",
        "promotion: promoted",
        "training took",
    ):
        assert expected in out, expected
    assert (tmp_path / "data" / "mlflow.db").is_file()
    assert any((tmp_path / "data" / "mlartifacts").iterdir())

    out = run("train", "--from", small_world)
    assert "registered model version 2" in out and "promotion: not requested" in out
    listing = run("models").splitlines()
    assert listing[1].split()[:2] == ["1", "champion"] and listing[2].split()[:2] == ["2", "-"]

    run("db", "upgrade")
    env = {"VALUE_ASSIST_DATA_DIR": str(tmp_path / "data"), "MLFLOW_TRACKING_URI": None}
    refused = CliRunner().invoke(main, ["promote", "2", "--actor", "alice"], env=env)
    assert refused.exit_code != 0 and "lost to the champion v1" in refused.output
    assert "--force" in refused.output
    promoted = run("promote", "2", "--actor", "alice", "--force")
    assert "-> version 2 (was v1); recorded as alice" in promoted
    assert run("models").splitlines()[2].split()[:2] == ["2", "champion"]
    store = Store.open(f"sqlite:///{tmp_path / 'data' / 'value_assist.db'}")
    with store.uow() as uow:
        entry = uow.session.scalars(select(AuditEntry)).one()
        assert (entry.actor, entry.action, entry.entity_id) == (
            "alice",
            "promote_model",
            "ve-openness:2",
        )
        assert entry.details["previous_version"] == "1"
    store.close()

    customers = pd.read_csv(small_world / "interactions.csv", dtype=str, keep_default_na=False)
    customers.head(200).to_csv(tmp_path / "customers.csv", index=False)
    out = run(
        "batch-score",
        "--input",
        tmp_path / "customers.csv",
        "--output",
        tmp_path / "scored.parquet",
    )
    scored = pd.read_parquet(tmp_path / "scored.parquet")
    sample = customers.head(200)
    assert f"scored {sample['customer_id'].nunique()} customers" in out and "version 2" in out
    assert sorted(scored["customer_id"]) == sorted(set(sample["customer_id"]))
    latest = sample.assign(t=pd.to_datetime(sample["started_at"], utc=True, format="ISO8601"))
    latest = latest.sort_values("t").groupby("customer_id").tail(1)
    assert set(scored["interaction_id"]) == set(latest["interaction_id"])
    probabilities = scored[[f"p_{a}" for a in ACTIVITIES]].to_numpy()
    assert (scored["openness"] == probabilities.max(axis=1)).all()
    assert set(scored["best_activity"]) <= set(ACTIVITIES)
    assert (scored.loc[scored["control_group"], "best_card"] == "").all()
    assert not scored.loc[scored["control_group"], "outreach"].any()
    assert (scored.loc[scored["outreach"], "best_card"] != "").all()
    assert scored["outreach"].any()

    out = run(
        "batch-score",
        "--input",
        tmp_path / "customers.csv",
        "--output",
        tmp_path / "rows.csv",
        "--per-interaction",
    )
    assert "scored 200 rows" in out
    rows = pd.read_csv(tmp_path / "rows.csv", dtype=str, keep_default_na=False)
    assert list(rows["interaction_id"]) == list(sample["interaction_id"])


def test_train_from_the_store(run, small_world):
    run("db", "upgrade")
    run(
        "import",
        "--interactions",
        small_world / "interactions.csv",
        "--outcomes",
        small_world / "outcomes.csv",
    )
    out = run("train", "--promote")
    assert "registered model version 1" in out and "promotion: promoted" in out
    assert "oracle" not in out  # the store has no truth.csv beside it


def test_promote_an_unknown_version_and_training_without_data_fail_cleanly(tmp_path):
    env = {"VALUE_ASSIST_DATA_DIR": str(tmp_path / "data"), "MLFLOW_TRACKING_URI": None}
    (tmp_path / "data").mkdir()
    result = CliRunner().invoke(main, ["promote", "7"], env=env)
    assert result.exit_code == 1 and "has no version '7'" in result.output
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["train", "--from", str(tmp_path / "empty")], env=env)
    assert result.exit_code == 1 and "no interactions.csv" in result.output


def test_help_does_not_load_the_heavy_libraries():
    code = (
        "import sys; from click.testing import CliRunner; from assist_api.cli import main; "
        "CliRunner().invoke(main, ['--help']); "
        "print(sorted(m for m in ('mlflow', 'lightgbm', 'dask', 'sklearn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
