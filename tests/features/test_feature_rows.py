"""One definition: build_row (real time) and build_frame (batch, training) agree exactly."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from features import (
    FEATURE_NAMES,
    FEATURES,
    activity_matrix,
    build_frame,
    build_row,
    expand_activities,
    prepare,
)
from features.text import TEXT_SIGNAL_NAMES
from features.vocabulary import (
    ACTIVITIES,
    CHANNELS,
    CONTACT_REASONS,
    PERSONAS,
    PLAN_TIERS,
    SWITCHING_EFFORTS,
)
from tests.helpers.fuzz import examples

COL = {name: i for i, name in enumerate(FEATURE_NAMES)}
CODES = {f.name: {c: float(i) for i, c in enumerate(f.categories)} for f in FEATURES}
UTTERANCES = (
    "お世話になっております。", "設定方法を教えてください？", "請求が二重になっています",
    "解約するつもりはないのですが", "ｷｬﾝｾﾙしたい", "新機能を使いたいです", "ひどい対応です",
    "Customer: I was charged twice", "Agent: Sorry about that", "How do I set it up?",
    "I want to try the new feature", "this is terrible", "お客様：ログインできない",
    "オペレーター：かしこまりました", "", "   ",
)  # fmt: skip
TYPICAL = {
    "interaction_id": "i-1001",
    "channel": "phone",
    "language": "ja",
    "contact_reason": None,
    "transcript": ["お世話になっております。", "設定方法を教えてください。", "新機能も使いたい"],
    "customer_sentiment": 0.2,
    "elapsed_seconds": 95,
    "days_since_purchase": 12,
    "persona": "novice",
    "plan_tier": "standard",
    "products_owned": 2,
    "feature_adoption": 0.35,
    "prior_contacts_90d": 1,
    "clv": 1200.0,
    "switching_effort": "high",
}

missing = st.sampled_from([None, "", math.nan, "  "])


def category(values: tuple[str, ...]) -> st.SearchStrategy:
    noisy = st.sampled_from(values).map(lambda v: f" {v.upper()} ")
    return st.one_of(st.sampled_from(values), noisy, st.sampled_from(["unknown", "x"]), missing)


number = st.one_of(
    st.integers(0, 10**9),
    st.floats(-1e9, 1e9, allow_nan=False),
    st.integers(0, 500).map(str),
    st.sampled_from(["abc", " 7 ", "1e3"]),
    missing,
)
transcript = st.one_of(
    missing,
    st.lists(st.sampled_from(UTTERANCES), max_size=5),
    st.lists(st.sampled_from(UTTERANCES), max_size=5).map("\n".join),
    st.text(max_size=60),
)
record = st.fixed_dictionaries(
    {
        "channel": category(CHANNELS),
        "language": st.one_of(st.sampled_from(["ja", "en", "ja-JP", "EN_us", "fr", "es"]), missing),
        "contact_reason": category(CONTACT_REASONS),
        "transcript": transcript,
        "customer_sentiment": st.one_of(st.floats(-1, 1), missing),
        "elapsed_seconds": number,
        "days_since_purchase": number,
        "persona": category(PERSONAS),
        "plan_tier": category(PLAN_TIERS),
        "products_owned": number,
        "feature_adoption": st.one_of(st.floats(0, 1), missing),
        "prior_contacts_90d": number,
        "clv": number,
        "switching_effort": category(SWITCHING_EFFORTS),
        "activity": st.one_of(st.sampled_from((*ACTIVITIES, "upsell")), missing),
    }
)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(record, min_size=1, max_size=8))
def test_build_frame_equals_build_row_for_the_same_records(records):
    frame = build_frame(pd.DataFrame(records))
    rows = np.vstack([build_row(r, r["activity"]) for r in records])
    assert frame.shape == (len(records), len(FEATURES))
    assert frame.dtype == np.float64
    np.testing.assert_array_equal(frame, rows)


@given(record)
def test_activity_matrix_rows_differ_only_in_the_activity(r):
    matrix = activity_matrix(prepare(r))
    assert matrix.shape == (len(ACTIVITIES), len(FEATURES))
    assert matrix.dtype == np.float64
    np.testing.assert_array_equal(matrix[:, COL["activity"]], np.arange(len(ACTIVITIES)))
    others = np.delete(matrix, COL["activity"], axis=1)
    np.testing.assert_array_equal(others, np.broadcast_to(others[0], others.shape))
    for k, activity in enumerate(ACTIVITIES):
        np.testing.assert_array_equal(matrix[k], build_row(r, activity))


def test_expand_activities_then_build_frame_matches_activity_matrix():
    df = pd.DataFrame([TYPICAL, {**TYPICAL, "interaction_id": "i-2", "language": "en"}])
    expanded = expand_activities(df)
    assert list(expanded["activity"]) == list(ACTIVITIES) * 2
    assert list(expanded["interaction_id"]) == ["i-1001"] * 5 + ["i-2"] * 5
    expected = np.vstack([activity_matrix(prepare(r)) for r in df.to_dict("records")])
    np.testing.assert_array_equal(build_frame(expanded), expected)


def test_typical_record_encodes_as_the_spec_says():
    row = build_row(TYPICAL, "educate_usage")
    assert row[COL["activity"]] == ACTIVITIES.index("educate_usage")
    assert row[COL["persona"]] == CODES["persona"]["novice"]
    assert row[COL["channel"]] == CODES["channel"]["phone"]
    assert row[COL["synchronous_channel"]] == 1.0
    assert row[COL["language"]] == CODES["language"]["ja"]
    assert row[COL["contact_reason"]] == CODES["contact_reason"]["how_to"]
    assert row[COL["reason_inferred"]] == 1.0
    assert 0 < row[COL["reason_confidence"]] < 1
    assert row[COL["customer_utterances"]] == 3
    assert row[COL["new_feature_cues"]] == 1
    assert row[COL["days_since_purchase"]] == 12


def test_unknown_and_missing_values_are_nan():
    r = {**TYPICAL, "persona": "wizard", "channel": "fax", "days_since_purchase": None,
         "customer_sentiment": "", "transcript": None, "language": None}  # fmt: skip
    row = build_row(r, "not_an_activity")
    for name in ("activity", "persona", "channel", "synchronous_channel", "language",
                 "days_since_purchase", "customer_sentiment", *TEXT_SIGNAL_NAMES):  # fmt: skip
        assert math.isnan(row[COL[name]]), name


def test_a_given_contact_reason_is_used_not_inferred():
    prepared = prepare({**TYPICAL, "contact_reason": "Billing "})
    assert prepared.contact_reason == "billing"
    assert not prepared.reason_inferred
    assert prepared.reason_confidence == 1.0
    assert prepared.reason_evidence == []


def test_an_inferred_reason_comes_with_its_evidence():
    prepared = prepare(TYPICAL)
    assert prepared.reason_inferred
    assert prepared.contact_reason == "how_to"
    assert prepared.reason_evidence == ["設定方法を教えてください"]  # whole words


def test_other_language_tags_are_other_and_subtags_fold():
    assert build_row({"language": "ja-JP"}, "")[COL["language"]] == CODES["language"]["ja"]
    assert build_row({"language": "pt-BR"}, "")[COL["language"]] == CODES["language"]["other"]


def test_build_frame_treats_absent_columns_as_missing_and_needs_an_activity():
    frame = build_frame(pd.DataFrame({"activity": ["achieve_goals"], "clv": [10]}))
    expected = build_row({"clv": 10}, "achieve_goals")
    np.testing.assert_array_equal(frame[0], expected)
    with pytest.raises(KeyError, match="activity"):
        build_frame(pd.DataFrame({"clv": [10]}))
    assert build_frame(pd.DataFrame({"activity": []})).shape == (0, len(FEATURES))


@pytest.mark.slow
def test_build_frame_handles_100k_rows_with_distinct_transcripts():
    """Batch scoring's frame: every row its own transcript (the speed is a benchmark's:
    bench/assist_latency.py's stage breakdown and bench/batch_score_bench.py)."""
    base = pd.DataFrame([TYPICAL, {**TYPICAL, "language": "en", "transcript": "How do I?"}])
    df = expand_activities(base.sample(20_000, replace=True, random_state=3))
    df["transcript"] = [f"設定方法 {i}" for i in range(len(df))]  # all distinct
    frame = build_frame(df)
    assert frame.shape == (100_000, len(FEATURES))
    assert np.isfinite(frame[:, FEATURE_NAMES.index("activity")]).all()
