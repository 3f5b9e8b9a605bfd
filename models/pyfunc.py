"""The registered model's MLflow pyfunc: raw import-format records in, probabilities out.

`mlflow models serve`, `mlflow.pyfunc.load_model` and `spark_udf` all go through this
class, so it owns its feature preparation: the same `features.frame` code training used,
the booster and calibration from the run's `fast_path/` files, and a check that the
stored feature spec matches the code. Inputs are plain columns (str, float, bool) — no
pandas `category` dtypes — so JSON over HTTP and Spark rows arrive the same way.
"""

import numpy as np
import pandas as pd
from mlflow.pyfunc import PythonModel

from features.frame import build_frame
from features.spec import CATEGORY_CODES, FEATURE_NAMES, check_spec
from features.vocabulary import ACTIVITIES
from models.artifacts import ModelFiles, load_fast_path

FAST_PATH_ARTIFACT = "fast_path"
ACTIVITY_COLUMN = "activity"
OUTPUT_COLUMN = "probability"
_ACTIVITY_INDEX = FEATURE_NAMES.index("activity")
_PLACEHOLDER = ACTIVITIES[0]


def score_matrix(files: ModelFiles, X: np.ndarray) -> np.ndarray:
    """Calibrated success probabilities for feature rows."""
    if len(X) == 0:
        return np.empty(0)
    return files.calibrator.apply(files.booster.predict(X))


def score_frame(files: ModelFiles, frame: pd.DataFrame, activity_column=ACTIVITY_COLUMN):
    """P(success) for each record and the activity named in its `activity` column."""
    return score_matrix(files, build_frame(frame, activity_column=activity_column))


def activity_matrix(frame: pd.DataFrame) -> np.ndarray:
    """(n, 5, n_features): each record's feature row once per activity, ACTIVITIES order.

    The features are built once; only the activity code differs between the five copies.
    """
    base = build_frame(frame.assign(**{ACTIVITY_COLUMN: _PLACEHOLDER}))
    stacked = np.repeat(base[:, None, :], len(ACTIVITIES), axis=1)
    stacked[:, :, _ACTIVITY_INDEX] = [CATEGORY_CODES["activity"][a] for a in ACTIVITIES]
    return stacked


def score_activities(files: ModelFiles, frame: pd.DataFrame) -> np.ndarray:
    """(n, 5) calibrated P(success) of each activity for each record, ACTIVITIES order."""
    stacked = activity_matrix(frame)
    flat = stacked.reshape(-1, stacked.shape[-1])
    return score_matrix(files, flat).reshape(len(frame), len(ACTIVITIES))


class OpennessModel(PythonModel):
    """P(VE success | interaction, activity) for raw records, loaded once per process."""

    def load_context(self, context):
        files = load_fast_path(context.artifacts[FAST_PATH_ARTIFACT])
        check_spec(files.spec)
        self._files = files

    def predict(self, context, model_input: pd.DataFrame, params: dict | None = None):
        frame = pd.DataFrame(model_input)
        if ACTIVITY_COLUMN not in frame.columns:
            _bad_input(f"input needs an {ACTIVITY_COLUMN!r} column (one of {ACTIVITIES})")
        unknown = sorted(set(frame[ACTIVITY_COLUMN].astype(str)) - set(ACTIVITIES))
        if unknown:
            _bad_input(f"unknown activity {unknown[:5]}; expected one of {ACTIVITIES}")
        return pd.Series(score_frame(self._files, frame), name=OUTPUT_COLUMN)


def _bad_input(message: str):
    from mlflow.exceptions import MlflowException
    from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

    raise MlflowException(message, error_code=INVALID_PARAMETER_VALUE)
