"""map_distinct is Series.map: same values, same inferred dtype, whatever the column."""

import numpy as np
import pandas as pd
import pytest

from models.distinct_values import map_distinct

FUNCTIONS = (
    lambda v: isinstance(v, str) and not v.strip(),
    lambda v: v.strip() if isinstance(v, str) else v,
    lambda v: v if isinstance(v, str) else str(v),
)
COLUMNS = (
    pd.Series(["a", " ", None, np.nan, "a", "", "b "], dtype=object),
    pd.Series(["x", "", " y"] * 3, dtype="str"),
    pd.Series([1, 1.0, True, "1", None], dtype=object),  # equal under hashing, not under str
    pd.Series([], dtype=object),
)


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("fn", FUNCTIONS)
def test_map_distinct_is_series_map(column, fn):
    pd.testing.assert_series_equal(map_distinct(column, fn), column.astype(object).map(fn))


def test_each_distinct_string_is_mapped_once():
    calls = []
    map_distinct(pd.Series(["a", "b", "a", "a"]), lambda v: calls.append(v) or v)
    assert sorted(calls) == ["a", "b"]
