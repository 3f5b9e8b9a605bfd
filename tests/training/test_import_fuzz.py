"""The import validator against random corrupt rows: never a partial load, never a crash.

Each example writes interaction rows (and sometimes outcome rows) where random cells are
replaced by hostile values: empty, the wrong type, out of range, too long, NUL
characters, non-ISO dates, full-width digits, duplicated ids, unknown interactions. On
SQLite and PostgreSQL (the `store` fixture):
- by default the import is all-or-nothing: either it commits every row of both files,
  or it reports problems and the store holds none of the example's rows;
- with `skip_invalid`, exactly the rows without problems are stored.
Either way the importer reports; it never raises.
"""

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from assist_api.services.outcomes.imports import import_files
from features.columns import INTERACTION_COLUMNS, OUTCOME_COLUMN_NAMES, OUTCOME_COLUMNS
from tests.helpers.fuzz import examples
from tests.helpers.records import interaction, outcome, write_csv

EXAMPLES = 40
OUTCOME_NAMES = OUTCOME_COLUMN_NAMES
HOSTILE = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "abc",
            "-1",
            "1e400",
            "nan",
            "-inf",
            "9" * 30,
            "１２",
            "0x10",
            "2026-02-30T10:00:00+09:00",
            "yesterday",
            "2026-03-01",
            "true",
            "maybe",
            "x" * 300,
            "a\x00b",
            "validate_purchase",
            "chat",
            "high",
        ]
    ),
    st.text(max_size=20),
)
CORRUPTION = st.tuples(
    st.integers(0, 7),  # row
    st.sampled_from([c.name for c in INTERACTION_COLUMNS]),
    HOSTILE,
)
OUTCOME_CORRUPTION = st.tuples(
    st.integers(0, 7), st.sampled_from([c.name for c in OUTCOME_COLUMNS]), HOSTILE
)


def stored(store, table: str, prefix: str) -> int:
    from assist_api.store import tables

    model = {"interactions": tables.Interaction, "outcome_events": tables.OutcomeEvent}[table]
    with store.uow() as uow:
        return uow.session.scalar(
            select(func.count()).select_from(model).where(model.interaction_id.startswith(prefix))
        )


def corrupt_files(folder, rows: int, corruptions, outcome_corruptions, with_outcomes: bool):
    prefix = f"f{uuid.uuid4().hex[:8]}-"
    records = [interaction(i, interaction_id=f"{prefix}{i}") for i in range(rows)]
    for row, column, value in corruptions:
        if row < rows:
            if column == "interaction_id":  # a duplicate or a missing id (kept findable)
                value = records[0]["interaction_id"] if value else ""
            records[row][column] = value
    inter = write_csv(folder / f"{prefix}interactions.csv", records)
    outs = None
    if with_outcomes:
        empty = dict.fromkeys(OUTCOME_NAMES, "")
        posts = [{**empty, **outcome(i, interaction_id=f"{prefix}{i}")} for i in range(rows)]
        for row, column, value in outcome_corruptions:
            if row < rows:
                posts[row][column] = value
        outs = write_csv(folder / f"{prefix}outcomes.csv", posts, columns=list(OUTCOME_NAMES))
    return prefix, inter, outs


@settings(
    max_examples=examples(EXAMPLES),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.integers(1, 8),
    corruptions=st.lists(CORRUPTION, max_size=4),
    outcome_corruptions=st.lists(OUTCOME_CORRUPTION, max_size=2),
    with_outcomes=st.booleans(),
)
def test_a_corrupt_file_loads_completely_or_not_at_all(
    store, tmp_path, rows, corruptions, outcome_corruptions, with_outcomes
):
    prefix, inter, outs = corrupt_files(
        tmp_path, rows, corruptions, outcome_corruptions, with_outcomes
    )
    report = import_files(store, inter, outs)
    loaded = stored(store, "interactions", prefix)
    events = stored(store, "outcome_events", prefix)
    if report.committed:
        assert report.problems == []
        assert loaded == rows and events == (rows if with_outcomes else 0)
    else:
        assert report.problems, "a refused import names its problems"
        assert (loaded, events) == (0, 0)


@settings(
    max_examples=examples(EXAMPLES // 2),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.integers(1, 8), corruptions=st.lists(CORRUPTION, max_size=4))
def test_skip_invalid_loads_exactly_the_rows_without_problems(store, tmp_path, rows, corruptions):
    prefix, inter, _ = corrupt_files(tmp_path, rows, corruptions, [], with_outcomes=False)
    report = import_files(store, inter, skip_invalid=True)
    if report.interactions.problems and report.interactions.problems[0].row == 0:
        assert not report.committed and stored(store, "interactions", prefix) == 0
        return
    bad_rows = {p.row for p in report.interactions.problems}
    assert report.committed
    assert stored(store, "interactions", prefix) == report.interactions.loaded
    assert report.interactions.loaded == rows - len(bad_rows)
