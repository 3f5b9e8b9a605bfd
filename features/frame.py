"""Training and batch: a DataFrame of import-format records -> a feature matrix.

Values are identical to row.build_row's because every column goes through the same
scalar encoders, applied once per *distinct* value (pd.factorize) rather than once per
row: columns have few distinct values, so this is fast without a second, vectorised
definition that could drift. Numeric columns of a numeric dtype are simply cast.
Transcripts are parsed once per distinct (transcript, language, contact_reason).
A column missing from the frame counts as missing in every row, as a missing key does
in a record.
"""

from collections.abc import Callable

import numpy as np
import pandas as pd

from features.encode import (
    DIRECT_CATEGORICAL,
    DIRECT_NUMERIC,
    category_code,
    language_code,
    synchronous_flag,
    to_float,
)
from features.row import (
    SENTIMENT_ESTIMATE,
    TRANSCRIPT_FEATURES,
    transcript_part,
    transcript_values,
)
from features.spec import FEATURE_NAMES
from features.text import transcript_text
from features.text_model import TextModel
from features.vocabulary import ACTIVITIES


def _column(df: pd.DataFrame, name: str) -> pd.Series:
    if name in df.columns:
        return df[name]
    return pd.Series([None] * len(df), index=df.index, dtype=object)


def _factorize(series: pd.Series) -> tuple[np.ndarray, list]:
    """Codes 0..k-1 for the distinct values, k for missing; and the k+1 representatives."""
    codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
    codes = np.where(codes < 0, len(uniques), codes)
    return codes, [*uniques, None]


def _per_value(series: pd.Series, encode: Callable[[object], float]) -> np.ndarray:
    codes, uniques = _factorize(series)
    return np.array([encode(u) for u in uniques], dtype=np.float64)[codes]


def _numeric(series: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(series.dtype):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    return _per_value(series, to_float)


def _transcript_columns(df: pd.DataFrame, text_model: TextModel | None) -> dict[str, np.ndarray]:
    sources = {
        "contact_reason": _column(df, "contact_reason"),
        "transcript": _column(df, "transcript").astype(object).map(transcript_text),
        "language": _column(df, "language"),
    }
    factorized = {name: _factorize(series) for name, series in sources.items()}
    combined = np.zeros(len(df), dtype=np.int64)
    for codes, uniques in factorized.values():
        combined = combined * len(uniques) + codes
    _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    rows = []
    for i in first:
        value = {name: uniques[codes[i]] for name, (codes, uniques) in factorized.items()}
        part = transcript_part(
            value["contact_reason"], value["transcript"], value["language"], text_model
        )
        rows.append(transcript_values(part))
    return {
        name: np.array([r[name] for r in rows], dtype=np.float64)[inverse]
        for name in (*TRANSCRIPT_FEATURES, SENTIMENT_ESTIMATE)
    }


def build_frame(
    df: pd.DataFrame, activity_column: str = "activity", text_model: TextModel | None = None
) -> np.ndarray:
    """Feature matrix of shape (len(df), len(FEATURES)), float64, in FEATURE_NAMES order.

    `text_model`: the model version's learned text model (None: the lexicon alone).
    """
    if activity_column not in df.columns:
        raise KeyError(f"build_frame needs an {activity_column!r} column (see expand_activities)")
    columns = {"activity": _per_value(df[activity_column], lambda a: category_code(a, "activity"))}
    for name in DIRECT_NUMERIC:
        columns[name] = _numeric(_column(df, name))
    for name in DIRECT_CATEGORICAL:
        columns[name] = _per_value(_column(df, name), lambda v, n=name: category_code(v, n))
    columns["synchronous_channel"] = _per_value(_column(df, "channel"), synchronous_flag)
    columns["language"] = _per_value(_column(df, "language"), language_code)
    columns.update(_transcript_columns(df, text_model))
    estimate = columns.pop(SENTIMENT_ESTIMATE)
    fill = np.isnan(columns["customer_sentiment"]) & ~np.isnan(estimate)
    columns["customer_sentiment"] = np.where(fill, estimate, columns["customer_sentiment"])
    columns["sentiment_inferred"] = fill.astype(np.float64)
    return np.column_stack([columns[name] for name in FEATURE_NAMES]).astype(np.float64)


def expand_activities(df: pd.DataFrame) -> pd.DataFrame:
    """Each interaction once per activity, with an `activity` column (overwritten if present).

    Row i * len(ACTIVITIES) + k is interaction i with ACTIVITIES[k], the same order as
    row.activity_matrix; the index is reset.
    """
    out = df.iloc[np.repeat(np.arange(len(df)), len(ACTIVITIES))].reset_index(drop=True)
    out["activity"] = np.tile(np.array(ACTIVITIES, dtype=object), len(df))
    return out


def infer_reasons(df: pd.DataFrame, text_model: TextModel | None = None) -> pd.DataFrame:
    """`contact_reason_inferred` and `reason_confidence` from `transcript` and `language`.

    Inferred from the words alone (a given contact_reason is not used), with the model
    version's text model, or the lexicon when there is none. Each distinct (transcript,
    language) is read once. Index: the input's.
    """
    transcripts = _column(df, "transcript").astype(object).map(transcript_text)
    keys = pd.MultiIndex.from_arrays([transcripts, _column(df, "language").astype(object)])
    codes, uniques = pd.factorize(keys)
    parts = [transcript_part(None, t, lang, text_model) for t, lang in uniques]
    return pd.DataFrame(
        {
            "contact_reason_inferred": np.array([p.guess.reason for p in parts], object)[codes],
            "reason_confidence": np.round([p.guess.confidence for p in parts], 4)[codes],
        },
        index=df.index,
    )
