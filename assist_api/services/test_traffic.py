"""Test traffic: what desk trials, curl and Swagger "try it" calls write, kept out of results.

A key created with `--test` marks every interaction and decision its requests write
(`test = true`). Every report and every training set reads through these two filters, so
a demo call never counts as a customer. Rows written before the flag existed have no
value and count as real.
"""

import pandas as pd
from sqlalchemy import false, or_


def real_only(table):
    """SQL condition keeping real traffic of `table` (an ORM class or a Table with `test`)."""
    column = table.c.test if hasattr(table, "c") else table.test
    return or_(column.is_(None), column == false())


def drop_test_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` without the rows whose `test` column is true (no column: unchanged)."""
    if "test" not in frame.columns:
        return frame
    flagged = frame["test"].astype("boolean").fillna(False).astype(bool)
    return frame.loc[~flagged].reset_index(drop=True)
