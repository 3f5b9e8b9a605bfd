"""Contact-reason inference on hand-written conversations (ja, en) and simulated ones.

The hand-written sets were written in rounds (handwritten_reasons.py): *_CASES before
the first lexicon, *_HELDOUT after it, *_FRESH after revision 2, *_FINAL after revision
3. Each round's misses informed the next revision, so only a set's *first* run is an
unbiased estimate; those first-run figures are recorded here, the floors guard against
regressions of the shipped lexicon.

first-run accuracy   en            ja
  *_HELDOUT          13/24 (54 %)  15/24 (62 %)   lexicon 1
  *_FRESH             7/24 (29 %)  18/24 (75 %)   lexicon 2
  *_FINAL            11/24 (46 %)  13/24 (54 %)   lexicon 3 (shipped, with 4 small fixes)
"""

import math

import pytest
from handwritten_reasons import (
    EN_CASES,
    EN_FINAL,
    EN_FRESH,
    EN_HELDOUT,
    JA_CASES,
    JA_FINAL,
    JA_FRESH,
    JA_HELDOUT,
)

from features import infer_contact_reason, reason_accuracy
from features.contact_reason import _candidates
from features.contact_reason_lexicon import EN_LEXICON, JA_LEXICON
from features.text import parse_transcript
from features.vocabulary import CONTACT_REASONS

SIMULATED_SEED = 90_417  # used nowhere else: these rows are held out from any tuning
SIMULATED_N = 3_000
# (name, language, cases, floor): floors sit a little under the shipped lexicon's score
SETS = [
    ("EN_CASES", "en", EN_CASES, 0.95),
    ("JA_CASES", "ja", JA_CASES, 0.95),
    ("EN_HELDOUT", "en", EN_HELDOUT, 0.9),
    ("JA_HELDOUT", "ja", JA_HELDOUT, 0.9),
    ("EN_FRESH", "en", EN_FRESH, 0.85),
    ("JA_FRESH", "ja", JA_FRESH, 0.8),
    ("EN_FINAL", "en", EN_FINAL, 0.45),
    ("JA_FINAL", "ja", JA_FINAL, 0.5),
]


def test_hand_written_sets_are_big_enough_and_cover_every_reason():
    for language, sets in (("en", (EN_CASES, EN_HELDOUT, EN_FRESH, EN_FINAL)),
                           ("ja", (JA_CASES, JA_HELDOUT, JA_FRESH, JA_FINAL))):  # fmt: skip
        cases = [case for s in sets for case in s]
        assert len(cases) >= 40, language
        assert {reason for reason, _ in cases} == set(CONTACT_REASONS), language


@pytest.mark.parametrize(("name", "language", "cases", "floor"), SETS, ids=[s[0] for s in SETS])
def test_accuracy_on_hand_written_conversations(name, language, cases, floor, record_property):
    result = reason_accuracy([t for _, t in cases], [language] * len(cases), [r for r, _ in cases])
    record_property(f"reason_accuracy_{name}", result["accuracy"])
    print(f"{name}: {result['accuracy']:.3f} on {result['n']}")
    assert result["accuracy"] >= floor


@pytest.mark.parametrize(
    ("lexicon", "language", "frame"),
    [
        (EN_LEXICON, "en", "well{}{}ok"),
        (JA_LEXICON, "ja", "あの{}{}です"),
        (JA_LEXICON, None, "{}{}"),
    ],
)
def test_the_phrase_index_finds_every_phrase_in_a_sentence(lexicon, language, frame):
    """The index only narrows the search: every phrase must still be found in context."""
    for *_, phrases in lexicon:
        for phrase in phrases:
            tail = "" if phrase.endswith(" ") or language != "en" else "ish "
            text = parse_transcript(frame.format(phrase, tail)).match_text
            assert phrase in {p.text for p in _candidates(text, language)}, phrase


def test_evidence_names_the_words_that_decided():
    guess = infer_contact_reason("Hi, I was charged twice and I want a refund", "en")
    assert guess.reason == "billing"
    assert {"charged", "refund"} <= set(guess.evidence)
    assert 0.5 < guess.confidence < 1


@pytest.mark.parametrize(
    ("text", "language", "reason"),
    [
        ("I'm not looking to cancel, I just have a question about my bill", "en", "billing"),
        ("Not a complaint, just wondering if it works on tablets", "en", "inquiry"),
        ("解約するつもりはないのですが、請求について確認させてください", "ja", "billing"),
        ("クレームではないんですが、プランについて質問があります", "ja", "inquiry"),
        ("Please don't renew my contract", "en", "cancellation"),
    ],
)
def test_negated_phrases_do_not_count(text, language, reason):
    assert infer_contact_reason(text, language).reason == reason


def test_full_and_half_width_forms_are_folded():
    assert infer_contact_reason("ｷｬﾝｾﾙしたいです", "ja").reason == "cancellation"
    assert infer_contact_reason("ＥＲＲＯＲ が出ます", "ja").reason == "technical_issue"
    assert infer_contact_reason("I CAN’T LOG IN", "en").reason == "technical_issue"


def test_agent_lines_are_not_the_customers_reason():
    transcript = ["Agent: Would you like to cancel or get a refund?", "Customer: How do I export?"]
    assert infer_contact_reason(transcript, "en").reason == "how_to"


def test_a_longer_phrase_wins_over_the_phrase_inside_it():
    assert infer_contact_reason("I need to cancel my order", "en").reason == "order_status"
    assert infer_contact_reason("料金プランを知りたい", "ja").reason == "inquiry"


@pytest.mark.parametrize("transcript", [None, "", "  \n ", [], math.nan])
def test_no_transcript_is_other_with_zero_confidence(transcript):
    guess = infer_contact_reason(transcript, "ja")
    assert (guess.reason, guess.confidence, guess.evidence) == ("other", 0.0, [])


def test_nothing_recognisable_is_other_with_low_confidence():
    guess = infer_contact_reason("hmm okay", "en")
    assert guess.reason == "other"
    assert guess.confidence < 0.3
    assert guess.evidence == []


def test_a_question_without_topic_cues_is_an_inquiry():
    guess = infer_contact_reason("Is the blue one nicer?", "en")
    assert guess.reason == "inquiry"
    assert guess.confidence < 0.3


def test_reason_accuracy_reports_slices():
    result = reason_accuracy(
        ["How do I export?", "請求が二重です"], ["en-GB", "ja"], ["how_to", "complaint"]
    )
    assert result["n"] == 2
    assert result["accuracy"] == 0.5
    assert result["per_language"] == {
        "en": {"n": 1, "accuracy": 1.0},
        "ja": {"n": 1, "accuracy": 0.0},
    }
    assert set(result["per_reason"]) == {"how_to", "complaint"}


def test_accuracy_on_held_out_simulated_transcripts(record_property):
    simulate = pytest.importorskip("training.simulator.world")
    world = simulate.simulate_world(SIMULATED_N, seed=SIMULATED_SEED)
    truth = world.truth[["interaction_id", "true_contact_reason"]]
    rows = world.interactions.merge(truth, on="interaction_id", validate="one_to_one")
    result = reason_accuracy(rows["transcript"], rows["language"], rows["true_contact_reason"])
    record_property("reason_accuracy_simulated", result)
    print(f"simulated: {result['accuracy']:.3f} on {result['n']}")
    for language, s in result["per_language"].items():
        print(f"  {language}: {s['accuracy']:.3f} on {s['n']}")
    for reason, s in result["per_reason"].items():
        print(f"  {reason}: {s['accuracy']:.3f} on {s['n']}")
    assert result["accuracy"] >= 0.6  # a floor against breakage, not a target
    for language in ("en", "ja"):
        assert result["per_language"][language]["accuracy"] >= 0.55, language
