"""Imported ids follow the API's rule (features/ids.py): no control or bidi characters.

Before, `value-assist import` stored `i-1\u202e` or `c-\x07` that `/v1/outcomes` then
refused, so such an interaction could never get an outcome through the API.
"""

import pandas as pd
import pytest

from assist_api.schemas.outcomes import OutcomeRequestSchema
from assist_api.services.outcomes.imports import import_files
from features.ids import HIDDEN_CHARACTERS_PROBLEM
from tests.helpers.records import interaction, outcome, write_csv
from training.validation import validate_customers, validate_interactions, validate_outcomes

HIDDEN = ["\u202e", "\u200b", "\u2066", "\x07", "\x1b", "\ufeff"]  # RLO, ZWSP, LRI, BEL, ESC, BOM


def read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.mark.parametrize("char", HIDDEN)
@pytest.mark.parametrize("column", ["interaction_id", "customer_id", "agent_id"])
def test_an_interaction_id_with_a_hidden_character_is_a_row_problem(tmp_path, char, column):
    rows = [interaction(1), interaction(2, **{column: f"x-2{char}9"}), interaction(3)]
    result = validate_interactions(read(write_csv(tmp_path / "i.csv", rows)))
    assert [(p.row, p.column, p.reason) for p in result.problems] == [
        (2, column, HIDDEN_CHARACTERS_PROBLEM)
    ]


@pytest.mark.parametrize("char", HIDDEN)
def test_outcome_and_customer_ids_follow_the_same_rule(tmp_path, char):
    outcomes = validate_outcomes(
        read(write_csv(tmp_path / "o.csv", [outcome(1, interaction_id=f"i{char}1")]))
    )
    assert [(p.row, p.column) for p in outcomes.problems] == [(1, "interaction_id")]
    customers = pd.DataFrame({"customer_id": [f"c{char}1"], "as_of": ["2026-01-01T00:00:00Z"]})
    assert [(p.row, p.column) for p in validate_customers(customers).problems] == [
        (1, "customer_id")
    ]


def test_the_import_and_the_api_give_the_same_reason():
    errors = OutcomeRequestSchema().validate({"interaction_id": "i-1\u202e"})
    assert errors["interaction_id"] == [HIDDEN_CHARACTERS_PROBLEM]


def test_skip_invalid_loads_the_plain_ids_and_rejects_the_hidden_one(sqlite_store, tmp_path):
    rows = [interaction(1), interaction(2, interaction_id="i-2\u202e"), interaction(3)]
    report = import_files(sqlite_store, write_csv(tmp_path / "i.csv", rows), skip_invalid=True)
    assert report.committed and report.interactions.loaded == 2
    assert [(p.row, p.column) for p in report.interactions.problems] == [(2, "interaction_id")]


def test_japanese_and_spaces_inside_ids_stay_allowed(tmp_path):
    rows = [interaction(1, interaction_id="問い合わせ-1", customer_id="c 77")]
    assert validate_interactions(read(write_csv(tmp_path / "i.csv", rows))).ok
