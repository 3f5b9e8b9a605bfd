"""Feature rows with a learned text model: its reason distribution and sentiment estimate."""

import math

import numpy as np
import pandas as pd
import pytest

from features.frame import build_frame
from features.row import REASON_P_NAMES, activity_matrix, prepare
from features.spec import FEATURE_NAMES
from training.dataset import build_training_set, read_import_dir
from training.simulator.family import write_family_world
from training.text_models import fit_text_models

COL = {name: i for i, name in enumerate(FEATURE_NAMES)}
RECORD = {
    "channel": "chat", "language": "en", "persona": "novice", "plan_tier": "basic",
    "days_since_purchase": 10, "products_owned": 1, "feature_adoption": 0.2,
    "prior_contacts_90d": 3, "clv": 300.0, "switching_effort": "low",
    "transcript": "hi\\ni've been charged two times this month\\ni'm really fed up",
}  # fmt: skip


@pytest.fixture(scope="module")
def text_model(tmp_path_factory):
    folder = write_family_world("interactions", tmp_path_factory.mktemp("rows"), 4000)
    interactions, outcomes, _ = read_import_dir(folder)
    return fit_text_models(interactions, build_training_set(interactions, outcomes).cutoffs[1])


def test_an_inferred_reason_carries_the_models_distribution(text_model):
    prepared = prepare(RECORD, text_model)
    assert prepared.reason_source == "model" and prepared.contact_reason == "billing"
    row = activity_matrix(prepared)[0]
    p = row[[COL[n] for n in REASON_P_NAMES]]
    assert p.sum() == pytest.approx(1.0) and p.max() == pytest.approx(prepared.reason_confidence)


def test_a_missing_sentiment_is_estimated_and_flagged(text_model):
    prepared = prepare(RECORD, text_model)
    row = activity_matrix(prepared)[0]
    assert prepared.sentiment_inferred and row[COL["sentiment_inferred"]] == 1.0
    assert -1 <= row[COL["customer_sentiment"]] < -0.1  # an angry billing complaint
    given = activity_matrix(prepare({**RECORD, "customer_sentiment": 0.5}, text_model))[0]
    assert given[COL["customer_sentiment"]] == 0.5 and given[COL["sentiment_inferred"]] == 0.0


def test_a_given_reason_is_certain_whatever_the_text(text_model):
    prepared = prepare({**RECORD, "contact_reason": "inquiry"}, text_model)
    assert (prepared.contact_reason, prepared.reason_inferred) == ("inquiry", False)
    row = activity_matrix(prepared)[0]
    assert row[COL["reason_p_inquiry"]] == 1.0 and row[COL["reason_p_billing"]] == 0.0


def test_without_a_text_model_the_lexicon_decides(text_model):
    prepared = prepare(RECORD)
    assert prepared.reason_source == "lexicon" and not prepared.sentiment_inferred
    assert math.isnan(prepared.sentiment)


def test_batch_rows_equal_real_time_rows_with_a_text_model(text_model):
    records = [RECORD, {**RECORD, "customer_sentiment": 0.3}, {**RECORD, "transcript": ""},
               {**RECORD, "contact_reason": "complaint", "language": "ja",
                "transcript": "もう三回も連絡しています"}]  # fmt: skip
    frame = pd.DataFrame(records).assign(activity="educate_usage")
    expected = np.vstack([activity_matrix(prepare(r, text_model))[3] for r in records])
    np.testing.assert_array_equal(build_frame(frame, text_model=text_model), expected)


def test_the_tf_idf_vector_is_the_one_counted_gram_by_gram(text_model):
    from features.text import parse_transcript
    from features.text_model import char_ngrams, lexicon_scores

    for transcript in (RECORD["transcript"], "もう三回も連絡しています\\nまた請求が二重です", "ok"):
        parsed = parse_transcript(transcript)
        scores = lexicon_scores(parsed, "en")
        counts: dict[int, int] = {}  # the former loop, first-seen order
        for gram in char_ngrams(parsed.match_text):
            index = text_model.vocabulary.get(gram)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        values = np.array(list(counts.values()), float) * text_model.idf[list(counts)]
        values = values / np.sqrt(values @ values) if len(values) else values
        indices, got = text_model.vector(parsed, scores)
        np.testing.assert_array_equal(indices[: len(counts)], list(counts))
        np.testing.assert_array_equal(got[: len(counts)], values)
