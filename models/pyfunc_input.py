"""Import-format rows as a user's reader gives them -> the plain columns features read.

`pd.read_csv(interactions.csv)` makes whole-number columns int64, numbers with a gap
float64, an all-empty optional column float64 NaN, text `str`/object with NaN for empty
cells (or "" with `keep_default_na=False`). JSON over `mlflow models serve` and Spark rows
arrive differently again. The model's signature therefore types these columns loosely
(MLflow's own enforcement refuses int64 for a double column), and this module is the one
place that checks and converts them, for the pyfunc and batch scoring alike.

Errors name the column, the reason and the first row positions — never the values,
which are a customer's data.
"""

import numpy as np
import pandas as pd

from features.encode import DIRECT_CATEGORICAL, DIRECT_NUMERIC
from features.vocabulary import ACTIVITIES
from models.distinct_values import map_distinct as _map

TEXT_COLUMNS = (*DIRECT_CATEGORICAL, "language", "contact_reason", "transcript")
ACTIVITY_COLUMN = "activity"
SHOWN_ROWS = 5


class InputError(ValueError):
    """A column cannot be scored: says which and why, without quoting the data."""

    def __init__(self, column: str, reason: str):
        super().__init__(f"column {column!r}: {reason}")
        self.column = column


def _positions(mask: np.ndarray) -> str:
    rows = np.flatnonzero(mask)
    shown = ", ".join(str(int(r)) for r in rows[:SHOWN_ROWS])
    more = f" and {len(rows) - SHOWN_ROWS} more" if len(rows) > SHOWN_ROWS else ""
    return f"row{'s' if len(rows) > 1 else ''} {shown}{more}"


def _blank(series: pd.Series) -> np.ndarray:
    values = series.astype(object)
    return (values.isna() | _map(values, lambda v: isinstance(v, str) and not v.strip())).to_numpy(
        bool
    )


def numeric_column(series: pd.Series, name: str) -> pd.Series:
    """float64 with NaN for empty; anything else that is not a number is an error."""
    if pd.api.types.is_bool_dtype(series.dtype):
        raise InputError(name, "expected a number, got true/false values")
    if pd.api.types.is_numeric_dtype(series.dtype):
        return series.astype("float64")
    blank = _blank(series)
    text = series.astype(object).where(~blank, None)
    values = pd.to_numeric(
        _map(text, lambda v: v.strip() if isinstance(v, str) else v), errors="coerce"
    )
    bad = values.isna().to_numpy() & ~blank
    if bad.any():
        raise InputError(name, f"expected a number ({_positions(bad)} are not)")
    return values.astype("float64")


def text_column(series: pd.Series) -> pd.Series:
    """Plain objects: str values kept, empty and missing as None, numbers as their text."""
    blank = _blank(series)
    values = _map(series.astype(object), lambda v: v if isinstance(v, str) else str(v))
    return values.where(~blank, None)


def import_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns the features read, converted; others are passed through untouched.

    A column missing altogether counts as missing in every row, as in serving.
    """
    out = pd.DataFrame(frame).copy()
    out.index = pd.RangeIndex(len(out))
    for name in DIRECT_NUMERIC:
        if name in out.columns:
            out[name] = numeric_column(out[name], name)
    for name in TEXT_COLUMNS:
        if name in out.columns:
            out[name] = text_column(out[name])
    if ACTIVITY_COLUMN in out.columns:
        activity = text_column(out[ACTIVITY_COLUMN]).map(
            lambda v: v.strip().lower() if isinstance(v, str) else v
        )
        unknown = ~activity.isin(ACTIVITIES).to_numpy()
        if unknown.any():
            raise InputError(
                ACTIVITY_COLUMN, f"unknown activity in {_positions(unknown)}; expected one of "
                f"{', '.join(ACTIVITIES)} (or leave the column out to score all five)"
            )  # fmt: skip
        out[ACTIVITY_COLUMN] = activity
    return out
