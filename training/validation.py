"""Validate import-format tables column by column, naming every bad cell.

Validation is vectorised (pandas masks per column) so 100,000 rows take about a second,
and it never stops at the first problem: the user fixes a file once, not once per error.
Row numbers are 1-based data rows (the header is not counted), the same for CSV and Parquet.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from features.columns import CUSTOMER_COLUMNS, INTERACTION_COLUMNS, OUTCOME_COLUMNS, Column
from features.ids import HIDDEN_CHARACTERS_PROBLEM, has_hidden_characters

TRUE_WORDS = frozenset({"true", "1", "yes", "t", "y"})
FALSE_WORDS = frozenset({"false", "0", "no", "f", "n"})
# The datetimes Python (and so every store column) can hold, in UTC.
EARLIEST = pd.Timestamp("0001-01-01T00:00:00", tz="UTC")
LATEST = pd.Timestamp("9999-12-31T23:59:59.999999", tz="UTC")


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.column}: {self.reason}"


@dataclass
class ValidationResult:
    """`rows`: the typed good rows in file order, with their 1-based number in `_row`.

    `problems` names every bad cell; a problem on row 0 concerns the whole file (a missing
    column) and makes every row bad. Columns the format does not know are ignored and
    listed in `ignored_columns`.
    """

    rows: pd.DataFrame
    problems: list[RowProblem]
    ignored_columns: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def file_problems(self) -> list[RowProblem]:
        return [p for p in self.problems if p.row == 0]

    def reject(self, column: str, reasons: dict[int, str]) -> None:
        """Mark rows bad after the fact (e.g. outcomes for unknown interactions)."""
        self.problems.extend(RowProblem(row, column, reason) for row, reason in reasons.items())
        self.problems.sort(key=lambda p: (p.row, p.column))
        self.rows = self.rows[~self.rows["_row"].isin(list(reasons))].reset_index(drop=True)


def validate_interactions(raw: pd.DataFrame) -> ValidationResult:
    return _validate(raw, INTERACTION_COLUMNS, unique_ids=True)


def validate_outcomes(raw: pd.DataFrame) -> ValidationResult:
    """Outcome files may omit any column but `interaction_id`, and may hold several rows
    for one interaction (survey answers, then retention): each row is an event."""
    return _validate(raw, OUTCOME_COLUMNS, optional_columns=True)


def validate_customers(raw: pd.DataFrame) -> ValidationResult:
    """CRM profiles: `customer_id` and `as_of` are required columns, the customer columns
    optional (a CRM extract may lack some); one row per (customer_id, as_of)."""
    result = _validate(raw, CUSTOMER_COLUMNS, optional_columns=True, key=("customer_id", "as_of"))
    rows = result.rows
    if {"customer_id", "as_of"} <= set(rows.columns) and not rows.empty:
        repeated = rows.duplicated(["customer_id", "as_of"], keep="first")
        result.reject(
            "as_of",
            {
                int(n): f"a second profile of {c!r} as of the same moment in the file"
                for n, c in zip(rows["_row"][repeated], rows["customer_id"][repeated], strict=True)
            },
        )
    return result


def _validate(
    raw: pd.DataFrame,
    columns: tuple[Column, ...],
    optional_columns: bool = False,
    unique_ids: bool = False,
    key: tuple[str, ...] = ("interaction_id",),
) -> ValidationResult:
    problems: list[RowProblem] = []
    row_numbers = np.arange(1, len(raw) + 1)
    known = {c.name for c in columns}
    ignored = [str(name) for name in raw.columns if name not in known]
    typed = {}
    for column in columns:
        if column.name not in raw.columns:
            if optional_columns and column.name not in key:
                continue
            problems.append(RowProblem(0, column.name, "required column is missing"))
            continue
        values, bad = _convert(raw[column.name], column)
        for mask, reason in bad:
            problems.extend(RowProblem(int(n), column.name, reason) for n in row_numbers[mask])
        typed[column.name] = values
    if unique_ids and "interaction_id" in typed:
        ids = typed["interaction_id"]
        duplicated = ids.duplicated(keep="first").to_numpy() & ids.notna().to_numpy()
        problems.extend(
            RowProblem(int(n), "interaction_id", f"duplicate id {ids.iloc[n - 1]!r} in the file")
            for n in row_numbers[duplicated]
        )
    problems.sort(key=lambda p: (p.row, p.column))
    typed["_row"] = pd.Series(row_numbers)
    bad_rows = {p.row for p in problems}
    keep = np.zeros(len(raw), bool) if 0 in bad_rows else ~np.isin(row_numbers, list(bad_rows))
    good = pd.DataFrame(typed).loc[keep].reset_index(drop=True)
    return ValidationResult(good, problems, ignored)


def _convert(series: pd.Series, column: Column) -> tuple[pd.Series, list]:
    """(typed values, [(bad-row mask, reason)]) for one column."""
    text = series.astype("string").str.strip()
    empty = (text.isna() | (text == "")).to_numpy()
    bad = []
    if column.required:
        bad.append((empty, "a value is required"))
    if column.kind in ("int", "float"):
        values = pd.to_numeric(text.where(~empty), errors="coerce")
        not_number = (values.isna().to_numpy() | ~np.isfinite(values.to_numpy(float))) & ~empty
        bad.append((not_number, f"must be a {'whole ' if column.kind == 'int' else ''}number"))
        if column.kind == "int":
            remainder = (values.fillna(0) % 1 != 0).to_numpy(dtype=bool, na_value=False)
            fractional = ~not_number & ~empty & remainder  # (inf % 1 is NA: not a number)
            bad.append((fractional, "must be a whole number"))
        bad.extend(_range_problems(values, column))
        values = values.astype("Int64" if column.kind == "int" else "Float64")
    elif column.kind == "bool":
        lowered = text.str.lower()
        is_true = lowered.isin(TRUE_WORDS).fillna(False).to_numpy()
        is_false = lowered.isin(FALSE_WORDS).fillna(False).to_numpy()
        bad.append((~(is_true | is_false) & ~empty, "must be true or false"))
        values = pd.Series(pd.array(np.where(is_true, True, False), dtype="boolean"))
        values[empty] = pd.NA
    elif column.kind == "datetime":
        values = pd.to_datetime(text.where(~empty), errors="coerce", utc=True, format="ISO8601")
        bad.append((values.isna().to_numpy() & ~empty, "must be an ISO 8601 date-time"))
        # pandas reads years 0 and -1 (and a zone offset can carry 9999-12-31 into year
        # 10000), which no Python datetime or database column holds
        outside = ~values.isna().to_numpy() & ~values.between(EARLIEST, LATEST).to_numpy(
            dtype=bool, na_value=False
        )
        bad.append((outside, "must be a date-time between years 1 and 9999 (UTC)"))
        values = values.where(~outside)
    elif column.kind == "enum":
        unknown = ~text.isin(column.choices).fillna(False).to_numpy() & ~empty
        bad.append((unknown, f"unknown value; expected one of {', '.join(column.choices)}"))
        values = text.where(~empty, None)
    else:
        values = series.astype("string").where(~empty, None)
        nul = values.str.contains("\x00", regex=False).to_numpy(dtype=bool, na_value=False)
        bad.append((nul, "must not contain NUL characters (no database stores them)"))
        if column.plain_id:
            hidden = values.map(has_hidden_characters, na_action="ignore")
            bad.append(
                (hidden.to_numpy(dtype=bool, na_value=False) & ~nul, HIDDEN_CHARACTERS_PROBLEM)
            )
        if column.max_length:
            too_long = (values.str.len().fillna(0) > column.max_length).to_numpy()
            bad.append((too_long, f"longer than {column.max_length} characters"))
    return values.reset_index(drop=True), bad


def _range_problems(values: pd.Series, column: Column) -> list:
    problems = []
    numbers = values.to_numpy(float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        if column.minimum is not None:
            problems.append((numbers < column.minimum, f"must be at least {column.minimum:g}"))
        if column.maximum is not None:
            problems.append((numbers > column.maximum, f"must be at most {column.maximum:g}"))
    return problems
