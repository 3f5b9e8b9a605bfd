"""The learned text models: trained on earlier labelled rows, served exactly as trained."""

import numpy as np
import pytest

from features.text import parse_transcript
from features.text_model import has_text_model, lexicon_scores, load_text_model
from training.dataset import build_training_set, read_import_dir
from training.simulator.family import write_family_world
from training.text_models import chosen_rows, fit_text_models, predict_rows, text_rows


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = write_family_world("interactions", tmp_path_factory.mktemp("text"), 4000)
    interactions, outcomes, _ = read_import_dir(folder)
    return interactions, build_training_set(interactions, outcomes).cutoffs[1]


@pytest.fixture(scope="module")
def model(world):
    interactions, test_from = world
    return fit_text_models(interactions, test_from)


def test_learns_the_centres_wording_better_than_the_lexicon(model):
    learned, lexicon = model.facts["reason_model"], model.facts["reason_lexicon"]
    for language in ("ja", "en"):
        assert learned[language]["n"] > 100
        assert learned[language]["accuracy"] > lexicon[language]["accuracy"] + 0.1
        assert learned[language]["macro_f1"] > 0.8
    assert model.facts["sentiment_mae"] < model.facts["sentiment_mae_constant"]


def test_serving_rows_are_the_training_rows(model, world):
    """TextModel.vector (numpy, one transcript) reproduces the batch design exactly."""
    interactions, test_from = world
    rows = text_rows(chosen_rows(interactions, test_from))
    index = np.arange(0, len(rows.match_text), 97)
    batch_p, batch_sentiment = predict_rows(model, rows, index)
    for k, i in enumerate(index):
        parsed = parse_transcript(chosen_rows(interactions, test_from)["transcript"].iloc[i])
        assert parsed.match_text == rows.match_text[i]
        vector = model.vector(parsed, rows.lexicon[i])
        np.testing.assert_allclose(model.reason_distribution(*vector), batch_p[k], atol=1e-9)
        assert model.sentiment(*vector) == pytest.approx(batch_sentiment[k], abs=1e-9)


def test_saved_and_loaded_it_answers_the_same(model, tmp_path):
    model.save(tmp_path)
    assert has_text_model(tmp_path)
    again = load_text_model(tmp_path)
    parsed = parse_transcript("hi\nmy parcel still hasn't turned up\nthis is ridiculous")
    scores = lexicon_scores(parsed, "en")
    first, second = model.vector(parsed, scores), again.vector(parsed, scores)
    np.testing.assert_allclose(
        model.reason_distribution(*first), again.reason_distribution(*second)
    )
    assert again.sentiment(*second) == pytest.approx(model.sentiment(*first))
    assert again.facts["reason_rows"] == model.facts["reason_rows"]


def test_without_labelled_rows_the_lexicon_stays(world):
    interactions, test_from = world
    assert fit_text_models(interactions.assign(contact_reason=None), test_from) is None


def test_without_sentiment_only_the_reason_is_learned(world):
    interactions, test_from = world
    model = fit_text_models(interactions.assign(customer_sentiment=np.nan), test_from)
    assert model is not None and not model.has_sentiment
    parsed = parse_transcript("the app keeps crashing")
    assert np.isnan(model.sentiment(*model.vector(parsed, lexicon_scores(parsed, "en"))))


def test_a_rows_test_period_text_is_never_learned_from(world):
    """Only rows before the cut-off feed the vocabulary: a phrase first seen later is unknown."""
    interactions, test_from = world
    later = interactions["started_at"] >= test_from
    marked = interactions.copy()
    marked.loc[later, "transcript"] = "zqxj zqxj " + marked.loc[later, "transcript"].fillna("")
    model = fit_text_models(marked, test_from)
    assert not any("zqx" in gram for gram in model.vocabulary)
