"""Reasons: every feature has words in ja and en, with the customer's actual values."""

import numpy as np
import pytest

from features.row import activity_matrix, prepare
from features.spec import CATEGORICAL, FEATURE_NAMES, FEATURES
from models.explain import explain, reasons_from_contributions
from models.explanation_labels import LABELS
from models.explanation_text import GROUPS, TEXTS, sentence
from models.scorer import Scorer
from tests.helpers.records import interaction

LANGUAGES = ("en", "ja")
SAMPLE_NUMBERS = (None, 0.0, 1.0, 0.35, 12.0, 1200.0, -0.6)


@pytest.mark.parametrize("feature", FEATURES, ids=lambda f: f.name)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_feature_has_a_sentence_in_both_languages(feature, language):
    key = GROUPS.get(feature.name, feature.name)
    assert key in TEXTS[language], f"no {language} reason text for {feature.name!r}"
    samples = feature.categories + (None,) if feature.kind == CATEGORICAL else SAMPLE_NUMBERS
    for value in samples:
        for positive in (True, False):
            text = sentence(language, key, value, positive)
            assert text.strip() and "{" not in text
    for category in feature.categories:
        assert category in LABELS[language][feature.name], f"{language} label for {category!r}"


def contributions(**by_feature: float) -> np.ndarray:
    out = np.zeros(len(FEATURE_NAMES) + 1)
    out[-1] = 5.0  # the bias: large, and never a reason
    for name, value in by_feature.items():
        out[FEATURE_NAMES.index(name)] = value
    return out


def row_of(prepared, activity_index=0) -> np.ndarray:
    return activity_matrix(prepared)[activity_index]


def test_strongest_drivers_are_chosen_and_raisers_come_first():
    prepared = prepare(interaction(2, days_since_purchase=12, customer_sentiment=-0.6))
    values = contributions(
        days_since_purchase=0.4, customer_sentiment=-0.9, feature_adoption=0.2, clv=0.01
    )
    reasons = reasons_from_contributions(values, prepared, row_of(prepared), "en", top_k=3)

    assert [r.feature for r in reasons] == [
        "days_since_purchase",
        "feature_adoption",
        "customer_sentiment",
    ]
    assert reasons[0].text == "Bought 12 days ago: a good time to confirm they chose well"
    assert reasons[1].text == "Uses 35% of the features: show them one more"
    assert reasons[2].text == "Upset so far: solve the issue first"
    assert reasons[2].contribution == pytest.approx(-0.9)


def test_japanese_reasons_use_the_same_values():
    prepared = prepare(interaction(1, days_since_purchase=12, channel="phone"))
    values = contributions(days_since_purchase=0.4, feature_adoption=0.2, channel=-0.1)
    texts = [r.text for r in reasons_from_contributions(values, prepared, row_of(prepared), "ja")]
    assert texts == [
        "ご購入から12日：選んでよかったと実感していただく好機です",
        "機能の利用は35%：もう一つ便利な機能をご紹介できます",
        "お電話でのご対応：ご提案は短く",
    ]


def test_grouped_features_are_summed_into_one_reason():
    prepared = prepare(interaction(0, contact_reason=""))  # inferred from the transcript
    values = contributions(contact_reason=0.3, reason_inferred=0.2, reason_confidence=0.1)
    (reason,) = reasons_from_contributions(values, prepared, row_of(prepared), "en", top_k=3)
    assert reason.feature == "contact_reason" and reason.contribution == pytest.approx(0.6)


def test_an_inferred_contact_reason_quotes_the_customer():
    en = prepare({"language": "en", "transcript": "Hi. How do I set up the sharing feature?"})
    ja = prepare(
        {"language": "ja", "transcript": "お世話になっております。設定方法を教えてください。"}
    )
    assert en.reason_inferred and ja.reason_inferred
    up, down = contributions(contact_reason=0.5), contributions(contact_reason=-0.5)

    (en_reason,) = reasons_from_contributions(up, en, row_of(en), "en")
    (ja_reason,) = reasons_from_contributions(up, ja, row_of(ja), "ja-JP")
    (caution,) = reasons_from_contributions(down, en, row_of(en), "en")

    # Quotes are whole words: never "方法を教え" cut before its ending, never "set u".
    assert en_reason.text == 'Asked how to do something ("how do i set up"): a natural opening'
    assert ja_reason.text == (
        "「設定方法を教えてください」（使い方のご質問）：価値をお伝えしやすいご用件です"
    )
    assert caution.text.endswith("solve the issue first")


def test_a_given_contact_reason_is_named_plainly():
    prepared = prepare(interaction(1, contact_reason="billing"))
    values = contributions(contact_reason=-0.4)
    (reason,) = reasons_from_contributions(values, prepared, row_of(prepared), "en")
    assert reason.text == "A billing question: solve the issue first"


def test_the_card_type_is_never_a_reason():
    """ "Best fit: confirming the purchase — suits the moment" only restated the ranking."""
    prepared = prepare(interaction(1, days_since_purchase=12))
    values = contributions(activity=2.0, days_since_purchase=0.1)
    reasons = reasons_from_contributions(values, prepared, row_of(prepared), "en", top_k=3)
    assert [r.feature for r in reasons] == ["days_since_purchase"]


def test_unused_features_and_missing_values_and_other_languages():
    prepared = prepare({"channel": "chat"})  # almost everything missing
    values = contributions(days_since_purchase=-0.3, customer_sentiment=0.2)
    reasons = reasons_from_contributions(values, prepared, row_of(prepared), "ko", top_k=5)
    assert [r.text for r in reasons] == [
        "Mood not known yet",
        "Purchase date unknown",
    ]
    assert reasons_from_contributions(contributions(), prepared, row_of(prepared), "en") == []


def test_explain_on_a_real_model(settings, champion):
    model = Scorer(settings).load()
    prepared = prepare(interaction(3, days_since_purchase=12, customer_sentiment=-0.6))
    matrix = activity_matrix(prepared)
    best = int(np.argmax(model.score(matrix)))  # the row the assist pipeline explains

    ja = explain(model, prepared, matrix[best], "ja", top_k=3)
    en = explain(model, prepared, matrix[3], "en", top_k=3)

    assert 1 <= len(ja) <= 3 and len(en) == 3
    assert any("ご購入から12日" in r.text for r in ja)
    assert any(r.text.startswith("Bought 12 days ago") for r in en)
    assert all(r.to_dict().keys() == {"feature", "contribution", "text"} for r in en)
    assert explain(model, prepared, activity_matrix(prepared)[0], "en", top_k=0) == []
