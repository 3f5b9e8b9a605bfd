"""Series.map with a function applied once per distinct string: a base repeats its values."""

from collections.abc import Callable

import numpy as np
import pandas as pd


def map_distinct(values: pd.Series, fn: Callable) -> pd.Series:
    """`values.map(fn)` (same values and inferred dtype), `fn` once per distinct value.

    Only columns of strings and missing values take the shortcut (a hash table would
    merge 1, 1.0 and True, which `fn` may tell apart); missing values are mapped as
    `Series.map` maps them, one by one (None and NaN stay apart).
    """
    values = values.astype(object)
    if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        return values.map(fn)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.empty(len(uniques), dtype=object)
    mapped[:] = [fn(u) for u in uniques]
    out = np.empty(len(values), dtype=object)
    present = codes >= 0
    out[present] = mapped[codes[present]]
    if not present.all():
        out[~present] = [fn(v) for v in values.to_numpy(object)[~present]]
    return pd.Series(out, index=values.index).infer_objects()  # the dtype map would infer
