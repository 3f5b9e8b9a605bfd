"""The store's rows become the same training frames as the files they were imported from."""

import numpy as np
import pandas as pd

from assist_api.services.outcomes.imports import import_files
from assist_api.services.outcomes.training_data import load_import_frames
from tests.helpers.records import interaction, outcome, write_csv
from training.dataset import build_training_set, read_import_dir


def test_store_frames_match_the_files_and_fill_the_activity_from_the_card(store, tmp_path):
    rows = [
        interaction(
            i,
            started_at=f"2026-02-{1 + i % 28:02d}T09:00:00+09:00",
            activity_attempted="" if i % 4 == 0 else "educate_usage",
        )
        for i in range(24)
    ]
    outcomes = [
        outcome(
            i,
            ves_confidence=3 + i % 5,
            ves_ability=7,
            card_id_used="advise_new_features.whats_new" if i % 4 == 0 else "",
        )
        for i in range(24)
    ]
    write_csv(tmp_path / "interactions.csv", rows)
    write_csv(tmp_path / "outcomes.csv", outcomes)
    assert import_files(store, tmp_path / "interactions.csv", tmp_path / "outcomes.csv").committed

    interactions, outcome_frame = load_import_frames(store)
    assert len(interactions) == 24 and len(outcome_frame) == 24
    by_id = interactions.set_index("interaction_id")
    assert by_id.loc["i-0", "activity_attempted"] == "advise_new_features"
    assert by_id.loc["i-1", "activity_attempted"] == "educate_usage"
    assert str(by_id["started_at"].dt.tz) == "UTC"
    assert by_id.loc["i-1", "started_at"] == pd.Timestamp("2026-02-02T00:00:00Z")
    assert by_id["clv"].dtype == np.float64

    from_store = build_training_set(interactions, outcome_frame)
    file_interactions, file_outcomes, _ = read_import_dir(tmp_path)
    from_files = build_training_set(file_interactions, file_outcomes)
    # the files leave the card-derived activity to training: both paths label the same rows
    assert from_store.fingerprint == from_files.fingerprint
    assert from_store.rows["label"].tolist() == from_files.rows["label"].tolist()
