"""`value-assist import`: all-or-nothing, every bad row named, re-import updates in place."""

import pandas as pd
import pytest
from sqlalchemy import func, select

from assist_api.services.outcomes.imports import import_files
from assist_api.store.tables import Interaction, Outcome, OutcomeEvent
from tests.helpers.records import interaction, outcome, write_csv


def counts(store) -> dict:
    with store.uow() as uow:
        return {
            table.__tablename__: uow.session.scalar(select(func.count()).select_from(table))
            for table in (Interaction, Outcome, OutcomeEvent)
        }


def test_good_files_load_and_reimport_changes_no_counts(store, tmp_path):
    inter = write_csv(tmp_path / "interactions.csv", [interaction(i) for i in range(20)])
    outs = write_csv(tmp_path / "outcomes.csv", [outcome(i) for i in range(0, 20, 2)])

    first = import_files(store, inter, outs)
    assert first.committed and not first.problems
    assert first.interactions.inserted == 20
    before = counts(store)
    assert before == {"interactions": 20, "outcomes": 10, "outcome_events": 10}

    second = import_files(store, inter, outs)
    assert second.committed
    assert (second.interactions.inserted, second.interactions.updated) == (0, 20)
    assert counts(store) == before


def test_reimport_updates_changed_values(store, tmp_path):
    write_csv(tmp_path / "a.csv", [interaction(1)])
    import_files(store, tmp_path / "a.csv")
    write_csv(
        tmp_path / "b.csv", [interaction(1, feature_adoption="0.9", contact_reason="billing")]
    )
    import_files(store, tmp_path / "b.csv")
    with store.uow() as uow:
        row = uow.session.get(Interaction, "i-1")
        assert (row.feature_adoption, row.contact_reason) == (0.9, "billing")


def test_japanese_multiline_transcript_round_trips_exactly(store, tmp_path):
    text = '「請求」について、\n"引用符"と, カンマ\n\n空行の後の三行目です。'
    write_csv(tmp_path / "i.csv", [interaction(1, transcript=text)])
    import_files(store, tmp_path / "i.csv")
    with store.uow() as uow:
        assert uow.session.get(Interaction, "i-1").transcript == text


def test_parquet_input_is_accepted(store, tmp_path):
    frame = pd.DataFrame([interaction(i) for i in range(5)])
    frame.to_parquet(tmp_path / "i.parquet", index=False)
    report = import_files(store, tmp_path / "i.parquet")
    assert report.committed and report.interactions.inserted == 5


BAD_CELLS = [
    ("channel", "fax", "unknown value"),
    ("days_since_purchase", "-3", "at least 0"),
    ("days_since_purchase", "2.5", "whole number"),
    ("feature_adoption", "1.4", "at most 1"),
    ("feature_adoption", "lots", "must be a number"),
    ("started_at", "yesterday", "ISO 8601"),
    ("holdout", "maybe", "true or false"),
    ("switching_effort", "medium", "unknown value"),
    ("activity_attempted", "upsell", "unknown value"),
    ("customer_id", "", "required"),
]


@pytest.mark.parametrize(("column", "value", "reason"), BAD_CELLS)
def test_each_bad_cell_is_named_and_nothing_loads(store, tmp_path, column, value, reason):
    write_csv(tmp_path / "seed.csv", [interaction(100)])
    import_files(store, tmp_path / "seed.csv")
    before = counts(store)
    rows = [interaction(i) for i in range(6)]
    rows[3][column] = value
    report = import_files(store, write_csv(tmp_path / "bad.csv", rows))

    assert not report.committed
    assert [(p.row, p.column) for _, p in report.problems] == [(4, column)]
    assert reason in report.problems[0][1].reason
    assert counts(store) == before


def test_every_bad_row_is_reported_not_just_the_first(store, tmp_path):
    rows = [interaction(i) for i in range(10)]
    rows[1]["channel"] = "pigeon"
    rows[5]["clv"] = "-1"
    rows[5]["nps_typo"] = "x"
    rows[8] = dict(rows[2])  # duplicate id
    report = import_files(store, write_csv(tmp_path / "bad.csv", rows, columns=list(rows[5])))
    problems = [(p.row, p.column) for _, p in report.problems]
    assert problems == [(2, "channel"), (6, "clv"), (9, "interaction_id")]
    assert "duplicate" in report.problems[-1][1].reason
    assert report.interactions.problems and counts(store)["interactions"] == 0


def test_missing_required_column_blocks_even_with_skip_invalid(store, tmp_path):
    rows = [interaction(i) for i in range(3)]
    for row in rows:
        del row["channel"]
    report = import_files(store, write_csv(tmp_path / "i.csv", rows), skip_invalid=True)
    assert not report.committed
    assert [(p.row, p.column) for _, p in report.problems] == [(0, "channel")]


def test_skip_invalid_loads_good_rows_and_writes_rejects(store, tmp_path):
    rows = [interaction(i) for i in range(6)]
    rows[2]["persona"] = ""
    report = import_files(store, write_csv(tmp_path / "i.csv", rows), skip_invalid=True)
    assert report.committed
    assert report.interactions.loaded == 5
    rejects = pd.read_csv(report.interactions.rejects_path, dtype=str, keep_default_na=False)
    assert rejects["_row"].tolist() == ["3"]
    assert "persona: a value is required" in rejects["_problems"].iloc[0]
    assert rejects["interaction_id"].tolist() == ["i-2"]


def test_outcome_for_unknown_interaction_is_a_row_problem(store, tmp_path):
    import_files(store, write_csv(tmp_path / "i.csv", [interaction(1)]))
    outs = write_csv(tmp_path / "o.csv", [outcome(1), outcome(99), outcome(1, csat="9")])
    report = import_files(store, None, outs)
    assert not report.committed
    assert [(p.row, p.column) for _, p in report.problems] == [(2, "interaction_id"), (3, "csat")]
    assert counts(store)["outcomes"] == 0


def test_outcome_fields_merge_latest_wins(store, tmp_path):
    import_files(store, write_csv(tmp_path / "i.csv", [interaction(1)]))
    survey = {"interaction_id": "i-1", "ves_confidence": "6", "ves_ability": "3", "csat": "4"}
    import_files(store, None, write_csv(tmp_path / "o1.csv", [survey]))
    later = {"interaction_id": "i-1", "ves_ability": "5", "retained_60d": "true"}
    import_files(store, None, write_csv(tmp_path / "o2.csv", [later]))
    with store.uow() as uow:
        row = uow.session.get(Outcome, "i-1")
        assert (row.ves_confidence, row.ves_ability, row.csat, row.retained_60d) == (6, 5, 4, True)
