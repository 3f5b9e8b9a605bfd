"""The training set: who gets a label, what the label is, the time split and the fingerprint."""

import numpy as np
import pandas as pd
import pytest

from tests.helpers.records import interaction, outcome, write_csv
from training.dataset import (
    DatasetError,
    attempted_activity,
    build_training_set,
    read_import_dir,
)
from training.validation import validate_interactions, validate_outcomes


def typed(rows: list[dict], validate) -> pd.DataFrame:
    from training.dataset import normalise_types

    result = validate(pd.DataFrame(rows))
    assert result.ok, result.problems
    return normalise_types(result.rows.drop(columns="_row"))


def world(n: int = 40, **outcome_overrides):
    """n interactions a day apart, each with an attempted activity and a full survey."""
    interactions = [
        interaction(
            i,
            started_at=f"2026-01-{1 + i % 28:02d}T{i // 28:02d}:00:00Z",
            activity_attempted="achieve_goals",
        )
        for i in range(n)
    ]
    outcomes = [outcome(i, **outcome_overrides) for i in range(n)]
    return typed(interactions, validate_interactions), typed(outcomes, validate_outcomes)


def test_label_is_both_ves_items_at_least_five():
    interactions, outcomes = world(12)
    outcomes["ves_confidence"] = [5.0, 7.0, 4.0, 6.0] * 3
    outcomes["ves_ability"] = [5.0, 4.0, 7.0, 6.0] * 3
    rows = build_training_set(interactions, outcomes).rows.set_index("interaction_id")
    assert [rows.loc[f"i-{k}", "label"] for k in range(12)] == [1, 0, 0, 1] * 3
    assert rows["activity"].eq("achieve_goals").all()


def test_rows_without_an_attempt_or_a_complete_survey_are_left_out():
    interactions, outcomes = world(20)
    interactions.loc[0, "activity_attempted"] = None  # no card used, none named in outcomes
    outcomes.loc[1, "ves_ability"] = np.nan  # survey incomplete
    outcomes = outcomes[outcomes["interaction_id"] != "i-2"]  # no outcome at all
    ids = set(build_training_set(interactions, outcomes).rows["interaction_id"])
    assert ids == {f"i-{k}" for k in range(3, 20)}


def test_the_activity_falls_back_to_the_card_used():
    logged = pd.Series(["educate_usage", None, None, None], dtype=object)
    cards = pd.Series(
        ["validate_purchase.reassure_choice", "anticipate_needs.plan_ahead", None, "bogus.card"]
    )
    assert attempted_activity(logged, cards).tolist() == [
        "educate_usage",
        "anticipate_needs",
        None,
        None,
    ]


def test_split_is_by_time_never_shuffled():
    interactions, outcomes = world(60)
    ts = build_training_set(interactions.sample(frac=1.0, random_state=3), outcomes)
    parts = {s: ts.part(s) for s in ("train", "valid", "test")}
    assert [len(p) for p in parts.values()] == [36, 12, 12]
    assert parts["train"]["started_at"].max() < parts["valid"]["started_at"].min()
    assert parts["valid"]["started_at"].max() < parts["test"]["started_at"].min()
    assert ts.cutoffs == (parts["valid"]["started_at"].min(), parts["test"]["started_at"].min())


def test_fingerprint_ignores_row_order_but_not_content():
    interactions, outcomes = world(30)
    first = build_training_set(interactions, outcomes).fingerprint
    shuffled = build_training_set(interactions.iloc[::-1], outcomes.iloc[::-1]).fingerprint
    outcomes.loc[5, "ves_confidence"] = 1.0
    changed = build_training_set(interactions, outcomes).fingerprint
    assert first == shuffled
    assert changed != first


def test_too_few_labelled_rows_is_an_error():
    interactions, outcomes = world(5)
    with pytest.raises(DatasetError, match="at least 10"):
        build_training_set(interactions, outcomes)


def test_files_with_bad_rows_are_read_without_them(tmp_path):
    rows = [interaction(i, activity_attempted="achieve_goals") for i in range(12)]
    rows[3]["channel"] = "carrier_pigeon"
    write_csv(tmp_path / "interactions.csv", rows)
    write_csv(tmp_path / "outcomes.csv", [outcome(i) for i in range(12)])
    interactions, outcomes, skipped = read_import_dir(tmp_path)
    assert skipped == 1
    assert len(interactions) == 11 and len(outcomes) == 12
    assert interactions["days_since_purchase"].dtype == np.float64


def test_a_folder_without_the_files_is_an_error(tmp_path):
    with pytest.raises(DatasetError, match="interactions.csv"):
        read_import_dir(tmp_path)
