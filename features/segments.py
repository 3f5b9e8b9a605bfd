"""Segment bands for reports: time since purchase and feature adoption.

DOMAIN.md's first step is finding the segments open to value enhancement; reports slice
ROI and openness by these bands. The scalar and Series versions share the edges below,
and a missing or out-of-range value is "unknown" rather than silently in a band.
"""

import math

import numpy as np
import pandas as pd

from features.encode import to_float

UNKNOWN = "unknown"
# (inclusive upper edge in days, label); anything above the last edge is "365+".
DAYS_EDGES = ((7, "0-7"), (30, "8-30"), (90, "31-90"), (365, "91-365"))
DAYS_BANDS = (*(label for _, label in DAYS_EDGES), "365+")
ADOPTION_LOW_BELOW = 0.3
ADOPTION_HIGH_FROM = 0.7
ADOPTION_BANDS = ("low", "mid", "high")


def days_since_purchase_band(days: object) -> str:
    """The band label: 0-7, 8-30, 31-90, 91-365 or 365+ (over 365 days); unknown if missing."""
    value = to_float(days)
    if math.isnan(value) or value < 0:
        return UNKNOWN
    for edge, label in DAYS_EDGES:
        if value <= edge:
            return label
    return DAYS_BANDS[-1]


def adoption_band(adoption: object) -> str:
    """low below 0.3, high from 0.7, else mid; unknown if missing or outside 0-1."""
    value = to_float(adoption)
    if math.isnan(value) or not 0.0 <= value <= 1.0:
        return UNKNOWN
    if value < ADOPTION_LOW_BELOW:
        return "low"
    return "high" if value >= ADOPTION_HIGH_FROM else "mid"


def _numbers(series: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(series.dtype):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    return np.array([to_float(v) for v in series.astype(object)], dtype=np.float64)


def days_since_purchase_bands(series: pd.Series) -> pd.Series:
    """days_since_purchase_band for every value of a Series (same index and name)."""
    values = _numbers(series)
    conditions = [np.isnan(values) | (values < 0)]
    conditions += [values <= edge for edge, _ in DAYS_EDGES]
    labels = [UNKNOWN, *(label for _, label in DAYS_EDGES)]
    bands = np.select(conditions, labels, default=DAYS_BANDS[-1])
    return pd.Series(bands, index=series.index, name=series.name)


def adoption_bands(series: pd.Series) -> pd.Series:
    """adoption_band for every value of a Series (same index and name)."""
    values = _numbers(series)
    conditions = [
        np.isnan(values) | (values < 0.0) | (values > 1.0),
        values < ADOPTION_LOW_BELOW,
        values >= ADOPTION_HIGH_FROM,
    ]
    bands = np.select(conditions, [UNKNOWN, "low", "high"], default="mid")
    return pd.Series(bands, index=series.index, name=series.name)
