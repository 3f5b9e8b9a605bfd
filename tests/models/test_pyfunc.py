"""The registered model's pyfunc: raw import-format records + activity in, probabilities out."""

import mlflow
import numpy as np
import pandas as pd
import pytest
from mlflow.exceptions import MlflowException

from features.frame import build_frame
from features.spec import spec_as_dict
from features.vocabulary import ACTIVITIES
from models.artifacts import ModelFiles, save_fast_path
from models.calibration import Calibrator
from models.pyfunc import FAST_PATH_ARTIFACT, score_activities, score_frame
from tests.helpers.tiny_model import synthetic_records, train_tiny_booster
from training.register import input_example, pyfunc_entry_file, signature

CALIBRATION = Calibrator(method="platt", a=1.2, b=-0.1)


@pytest.fixture(scope="module")
def files():
    booster, _ = train_tiny_booster(seed=3)
    return ModelFiles(booster, spec_as_dict(), CALIBRATION)


@pytest.fixture(scope="module")
def loaded(files, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pyfunc")
    fast_path = save_fast_path(folder / "fast_path", files.booster, files.spec, CALIBRATION)
    mlflow.pyfunc.save_model(
        str(folder / "model"),
        python_model=pyfunc_entry_file(),
        artifacts={FAST_PATH_ARTIFACT: str(fast_path)},
        signature=signature(),
        input_example=input_example(),
    )
    return mlflow.pyfunc.load_model(str(folder / "model"))


WHOLE = ("days_since_purchase", "products_owned", "prior_contacts_90d")
NUMBERS = ("feature_adoption", "clv", "customer_sentiment", "elapsed_seconds")


def records(n: int = 30) -> pd.DataFrame:
    """Typed import-format records: whole numbers as int, numbers as float, NaN missing."""
    frame = synthetic_records(n, seed=9)
    for name in WHOLE:
        frame[name] = frame[name].astype("int64")
    for name in NUMBERS:
        frame[name] = pd.to_numeric(frame[name].replace("", None)).astype(float)
    return frame.assign(activity=[ACTIVITIES[i % 5] for i in range(n)])


def test_probabilities_are_the_boosters_calibrated_scores(loaded, files):
    frame = records()
    expected = CALIBRATION.apply(files.booster.predict(build_frame(frame)))
    np.testing.assert_allclose(np.ravel(loaded.predict(frame)), expected, rtol=1e-12)
    np.testing.assert_allclose(score_frame(files, frame), expected, rtol=1e-12)


def test_optional_columns_may_be_left_out(loaded, files):
    frame = records(10).drop(columns=["transcript", "contact_reason", "customer_sentiment"])
    out = np.ravel(loaded.predict(frame))
    assert out.shape == (10,) and np.all((out > 0) & (out < 1))
    np.testing.assert_allclose(out, score_frame(files, frame), rtol=1e-12)


def test_numbers_sent_as_text_are_read_as_numbers(loaded, files):
    frame = records(6)
    as_text = frame.astype({"clv": str, "days_since_purchase": str})
    np.testing.assert_allclose(np.ravel(loaded.predict(as_text)), score_frame(files, frame))


def test_a_bad_value_names_its_column_and_never_shows_the_data(loaded):
    frame = records(8).astype({"clv": object})
    frame.loc[3, "clv"] = "SECRET-VALUE-1234"
    with pytest.raises(MlflowException) as caught:
        loaded.predict(frame)
    message = str(caught.value)
    assert "'clv'" in message and "row 3" in message
    assert "SECRET" not in message and "1234" not in message


def test_the_import_file_as_read_csv_gives_it_scores_unchanged(loaded, files, tmp_path):
    """Whole numbers arrive as int64, empty optional text as NaN: both just work."""
    frame = records(20)
    frame["elapsed_seconds"] = np.arange(20) * 7  # whole numbers: read back as int64
    frame.loc[:, "customer_sentiment"] = np.nan  # an all-empty optional column
    frame.loc[::3, "transcript"] = ""
    frame.drop(columns="activity").to_csv(tmp_path / "interactions.csv", index=False)
    read = pd.read_csv(tmp_path / "interactions.csv")
    assert read["elapsed_seconds"].dtype == "int64" and read["customer_sentiment"].isna().all()
    out = loaded.predict(read)
    assert list(out.columns) == ["openness", "best_activity", *(f"p_{a}" for a in ACTIVITIES)]
    expected = score_activities(files, frame)
    np.testing.assert_allclose(out[[f"p_{a}" for a in ACTIVITIES]].to_numpy(), expected)
    np.testing.assert_allclose(out["openness"], expected.max(axis=1))
    assert list(out["best_activity"]) == [ACTIVITIES[i] for i in expected.argmax(axis=1)]
    with_activity = loaded.predict(read.assign(activity="achieve_goals"))
    np.testing.assert_allclose(np.ravel(with_activity), expected[:, 2])


def test_an_unknown_activity_is_a_clear_error(loaded):
    frame = records(3).assign(activity=["validate_purchase", "juggling", "educate_usage"])
    with pytest.raises(MlflowException, match="unknown activity"):
        loaded.predict(frame)


def test_score_activities_is_each_activity_scored_in_turn(files):
    frame = records(12)
    matrix = score_activities(files, frame)
    assert matrix.shape == (12, 5)
    for k, activity in enumerate(ACTIVITIES):
        np.testing.assert_allclose(
            matrix[:, k], score_frame(files, frame.assign(activity=activity)), rtol=1e-12
        )


def test_repeated_rows_scored_once_get_exactly_the_row_by_row_answer(files):
    frame = records(40)
    frame = frame.iloc[np.r_[0:40, 3, 3, 17, 0:10]].reset_index(drop=True)  # repeats
    frame.loc[5, "clv"] = np.nan  # a NaN among the distinct rows
    matrix = score_activities(files, frame)
    one_by_one = np.vstack([score_activities(files, frame.iloc[[i]]) for i in range(len(frame))])
    np.testing.assert_array_equal(matrix, one_by_one)


def test_distinct_rows_rebuild_the_matrix_byte_for_byte():
    from models.distinct_rows import distinct_rows

    rng = np.random.default_rng(0)
    matrix = rng.integers(0, 3, size=(200, 4)).astype(float)
    matrix[::7, 1] = np.nan
    distinct, inverse = distinct_rows(matrix)
    assert len(distinct) < len(matrix)
    np.testing.assert_array_equal(distinct[inverse], matrix)
