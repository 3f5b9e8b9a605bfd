"""The registered model's MLflow pyfunc: raw import-format records in, probabilities out.

`mlflow models serve`, `mlflow.pyfunc.load_model` and `spark_udf` all go through this
class, so it owns its feature preparation: the same `features.frame` code training used,
the booster, calibration and learned text models from the run's `fast_path/` files, and a
check that the stored feature spec matches the code. Input is the import format as a
reader gives it (models/pyfunc_input.py converts and checks it, naming a bad column and
never quoting the data). Two answers:

- with an `activity` column: that activity's P(success) per row (`probability`);
- without one: `openness` (the best of the five), `best_activity` and `p_<activity>` for
  each activity — the same frame `value-assist batch-score` writes (openness_frame).
"""

import numpy as np
import pandas as pd
from mlflow.pyfunc import PythonModel

from features.frame import build_frame
from features.spec import CATEGORY_CODES, FEATURE_NAMES, check_spec
from features.vocabulary import ACTIVITIES
from models.artifacts import ModelFiles, load_fast_path
from models.distinct_rows import distinct_rows
from models.pyfunc_input import ACTIVITY_COLUMN, InputError, import_frame

FAST_PATH_ARTIFACT = "fast_path"
OUTPUT_COLUMN = "probability"
PROBABILITY_COLUMNS = tuple(f"p_{a}" for a in ACTIVITIES)
OPENNESS_COLUMNS = ("openness", "best_activity", *PROBABILITY_COLUMNS)
_ACTIVITY_INDEX = FEATURE_NAMES.index("activity")
_PLACEHOLDER = ACTIVITIES[0]


def score_matrix(files: ModelFiles, X: np.ndarray) -> np.ndarray:
    """Calibrated success probabilities for feature rows."""
    if len(X) == 0:
        return np.empty(0)
    return files.calibrator.apply(files.booster.predict(X))


def score_frame(files: ModelFiles, frame: pd.DataFrame, activity_column=ACTIVITY_COLUMN):
    """P(success) for each record and the activity named in its `activity` column."""
    X = build_frame(frame, activity_column=activity_column, text_model=files.text_model)
    return score_matrix(files, X)


def activity_matrix(frame: pd.DataFrame, text_model=None) -> np.ndarray:
    """(n, 5, n_features): each record's feature row once per activity, ACTIVITIES order.

    The features are built once; only the activity code differs between the five copies.
    """
    base = build_frame(frame.assign(**{ACTIVITY_COLUMN: _PLACEHOLDER}), text_model=text_model)
    stacked = np.repeat(base[:, None, :], len(ACTIVITIES), axis=1)
    stacked[:, :, _ACTIVITY_INDEX] = [CATEGORY_CODES["activity"][a] for a in ACTIVITIES]
    return stacked


def score_activities(files: ModelFiles, frame: pd.DataFrame) -> np.ndarray:
    """(n, 5) calibrated P(success) of each activity for each record, ACTIVITIES order."""
    if len(frame) == 0:
        return np.empty((0, len(ACTIVITIES)))
    base = build_frame(frame.assign(**{ACTIVITY_COLUMN: _PLACEHOLDER}), text_model=files.text_model)
    distinct, inverse = distinct_rows(base)
    stacked = np.repeat(distinct[:, None, :], len(ACTIVITIES), axis=1)
    stacked[:, :, _ACTIVITY_INDEX] = [CATEGORY_CODES["activity"][a] for a in ACTIVITIES]
    flat = stacked.reshape(-1, stacked.shape[-1])
    return score_matrix(files, flat).reshape(len(distinct), len(ACTIVITIES))[inverse]


def openness_frame(files: ModelFiles, frame: pd.DataFrame) -> pd.DataFrame:
    """openness, best_activity and p_<activity> per record (index: the input's)."""
    probabilities = score_activities(files, frame)
    out = pd.DataFrame(probabilities, columns=list(PROBABILITY_COLUMNS), index=frame.index)
    out.insert(0, "best_activity", np.array(ACTIVITIES, dtype=object)[probabilities.argmax(1)]
               if len(frame) else np.empty(0, object))  # fmt: skip
    out.insert(0, "openness", probabilities.max(axis=1) if len(frame) else np.empty(0))
    return out


def predict_records(files: ModelFiles, model_input) -> pd.Series | pd.DataFrame:
    """The pyfunc's answer for raw records (raises InputError naming a bad column)."""
    frame = import_frame(pd.DataFrame(model_input))
    if ACTIVITY_COLUMN in frame.columns:
        return pd.Series(score_frame(files, frame), name=OUTPUT_COLUMN)
    return openness_frame(files, frame).reset_index(drop=True)


class OpennessModel(PythonModel):
    """P(VE success | interaction, activity) for raw records, loaded once per process."""

    def load_context(self, context):
        files = load_fast_path(context.artifacts[FAST_PATH_ARTIFACT])
        check_spec(files.spec)
        self._files = files

    def predict(self, context, model_input: pd.DataFrame, params: dict | None = None):
        try:
            return predict_records(self._files, model_input)
        except InputError as exc:
            _bad_input(str(exc))


def _bad_input(message: str):
    from mlflow.exceptions import MlflowException
    from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

    raise MlflowException(message, error_code=INVALID_PARAMETER_VALUE)
