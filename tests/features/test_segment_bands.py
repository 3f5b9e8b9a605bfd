"""Segment bands used by reports: scalar and Series versions agree."""

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from features import (
    ADOPTION_BANDS,
    DAYS_BANDS,
    adoption_band,
    adoption_bands,
    days_since_purchase_band,
    days_since_purchase_bands,
)


@pytest.mark.parametrize(
    ("days", "band"),
    [(0, "0-7"), (7, "0-7"), (8, "8-30"), (30, "8-30"), (31, "31-90"), (90, "31-90"),
     (91, "91-365"), (365, "91-365"), (366, "365+"), (5000, "365+"), ("12", "8-30"),
     (None, "unknown"), ("", "unknown"), (math.nan, "unknown"), (-1, "unknown")],
)  # fmt: skip
def test_days_since_purchase_band(days, band):
    assert days_since_purchase_band(days) == band


@pytest.mark.parametrize(
    ("x", "band"),
    [(0.0, "low"), (0.29, "low"), (0.3, "mid"), (0.69, "mid"), (0.7, "high"), (1.0, "high"),
     (None, "unknown"), (1.5, "unknown"), (-0.1, "unknown")],
)  # fmt: skip
def test_adoption_band(x, band):
    assert adoption_band(x) == band


def test_band_names_are_exported_in_order():
    assert DAYS_BANDS == ("0-7", "8-30", "31-90", "91-365", "365+")
    assert ADOPTION_BANDS == ("low", "mid", "high")


values = st.one_of(
    st.none(), st.floats(allow_nan=True), st.integers(-5, 2000), st.sampled_from(["", "3", "x"])
)


@given(st.lists(values, max_size=30))
def test_series_versions_match_the_scalar_ones(xs):
    series = pd.Series(xs, dtype=object, name="v")
    assert list(days_since_purchase_bands(series)) == [days_since_purchase_band(x) for x in xs]
    assert list(adoption_bands(series)) == [adoption_band(x) for x in xs]


@given(st.lists(st.floats(-1, 2000), max_size=30))
def test_series_versions_match_on_numeric_dtypes(xs):
    series = pd.Series(xs, dtype="float64", index=range(10, 10 + len(xs)))
    days = days_since_purchase_bands(series)
    assert list(days.index) == list(series.index)
    assert list(days) == [days_since_purchase_band(x) for x in xs]
    assert list(adoption_bands(series)) == [adoption_band(x) for x in xs]
