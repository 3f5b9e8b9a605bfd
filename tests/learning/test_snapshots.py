"""Decision-time snapshots: the stored row rebuilds the scored matrix; the right decision
is chosen for training; the transcript is cut to what was known."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from assist_api.services.learning.snapshots import (
    as_of,
    decision_inputs,
    matrix_from_inputs,
    training_decision,
    transcript_as_of,
)
from features.row import activity_matrix, prepare
from features.spec import FEATURE_SPEC_VERSION
from tests.helpers.records import interaction

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_inputs_rebuild_exactly_the_matrix_that_was_scored():
    record = interaction(1, elapsed_seconds=None, customer_sentiment=None)
    prepared = prepare(record)
    inputs = decision_inputs(prepared)
    assert inputs["feature_spec"] == FEATURE_SPEC_VERSION
    assert None in inputs["values"]  # NaN stored as null: JSON has no NaN
    np.testing.assert_array_equal(matrix_from_inputs(inputs), activity_matrix(prepared))


def test_inputs_of_another_spec_are_refused():
    inputs = decision_inputs(prepare(interaction(1)))
    with pytest.raises(ValueError, match="feature spec"):
        matrix_from_inputs({**inputs, "feature_spec": "0"})
    with pytest.raises(ValueError, match="values"):
        matrix_from_inputs({**inputs, "values": inputs["values"][:-1]})


def test_as_of_keeps_a_missing_elapsed_time_missing():
    values = as_of({"transcript": "a\nb", "elapsed_seconds": None, "contact_reason": None})
    assert values == {
        "contact_reason": None,
        "customer_sentiment": None,
        "elapsed_seconds": None,
        "transcript_lines": 2,
    }


def _decision(sequence, minutes, cards):
    return {
        "sequence": sequence,
        "created_at": T0 + timedelta(minutes=minutes),
        "cards": [{"card_id": c} for c in cards],
    }


DECISIONS = [
    _decision(1, 0, ["a.x", "b.y"]),
    _decision(2, 2, ["a.x", "c.z"]),
    _decision(3, 5, ["c.z"]),  # after the card was used: never the training row
]


def test_the_decision_offering_the_used_card_before_the_post_is_chosen():
    chosen = training_decision(DECISIONS, "a.x", T0 + timedelta(minutes=3), T0)
    assert chosen["sequence"] == 2
    # the card named in a post made before any later offer of it: the offer before it
    assert training_decision(DECISIONS, "a.x", T0 + timedelta(minutes=1), T0)["sequence"] == 1
    # naive times (SQLite) compare like aware ones
    naive = [{**d, "created_at": d["created_at"].replace(tzinfo=None)} for d in DECISIONS]
    assert training_decision(naive, "c.z", T0 + timedelta(minutes=3), None)["sequence"] == 2


def test_without_a_card_the_last_decision_before_the_first_outcome_is_chosen():
    assert training_decision(DECISIONS, None, None, T0 + timedelta(minutes=4))["sequence"] == 2
    assert training_decision(DECISIONS, "zz.unknown", None, None)["sequence"] == 3
    assert training_decision([], None, None, None) is None


def test_transcript_is_cut_to_the_lines_known_at_the_decision():
    assert transcript_as_of("one\ntwo\nthree", 2) == "one\ntwo"
    assert transcript_as_of("one\ntwo", 0) is None
    assert transcript_as_of("one", None) == "one"
