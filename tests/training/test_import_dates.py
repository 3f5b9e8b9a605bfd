"""An out-of-range date is a row-level problem, never a crash (issue 22, finding 9).

pandas parses years 0 and -1, and a zone offset can carry 9999-12-31 into year 10000;
no Python datetime holds them, so converting the row for the store raised ValueError
(`year -1 is out of range`) instead of reporting the row.
"""

import pytest

from assist_api.services.outcomes.imports import import_files
from tests.helpers.records import interaction, write_csv
from training.validation import validate_interactions

OUT_OF_RANGE = [
    "-0001-01-01T00:00:00Z",
    "0000-06-01T00:00:00Z",
    "0001-01-01T00:00:00+09:00",
    "9999-12-31T23:59:59-10:00",
]


@pytest.mark.parametrize("started_at", OUT_OF_RANGE)
def test_the_row_is_reported_with_its_column(started_at, tmp_path):
    import pandas as pd

    rows = [interaction(1), interaction(2, started_at=started_at)]
    result = validate_interactions(pd.read_csv(write_csv(tmp_path / "i.csv", rows), dtype=str))
    assert [(p.row, p.column) for p in result.problems] == [(2, "started_at")]
    assert "between years 1 and 9999" in result.problems[0].reason


@pytest.mark.parametrize("started_at", OUT_OF_RANGE[:2])
def test_skip_invalid_loads_the_other_rows(sqlite_store, tmp_path, started_at):
    rows = [interaction(1), interaction(2, started_at=started_at), interaction(3)]
    report = import_files(sqlite_store, write_csv(tmp_path / "i.csv", rows), skip_invalid=True)
    assert report.committed
    assert report.interactions.loaded == 2
    assert [p.row for p in report.interactions.problems] == [2]
