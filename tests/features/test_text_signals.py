"""Transcript parsing and the text signals used as features."""

import math

import pytest

from features.text import TEXT_SIGNAL_NAMES, parse_transcript, text_signals


def signals(transcript) -> dict[str, float]:
    return dict(zip(TEXT_SIGNAL_NAMES, text_signals(parse_transcript(transcript)), strict=True))


def test_a_list_and_its_newline_join_are_the_same_transcript():
    lines = ["Customer: Hi", "Agent: Hello!", "Customer: I want to try the new feature?"]
    assert signals(lines) == signals("\n".join(lines))


def test_agent_lines_are_dropped_and_labels_stripped():
    parsed = parse_transcript(
        "お客様：設定方法を教えてください\nオペレーター：かしこまりました\n[Agent]: ok\nC: thanks"
    )
    assert parsed.utterances == ("設定方法を教えてください", "thanks")


def test_unlabelled_lines_count_as_the_customers():
    assert signals("Hello\nHow do I set it up?\n\n")["customer_utterances"] == 2


def test_question_marks_count_full_and_half_width():
    assert signals("使えますか？\nreally?? ok")["question_marks"] == 3


@pytest.mark.parametrize(
    ("text", "name", "count"),
    [
        ("I want to share files with my team", "goal_cues", 1),
        ("チームでファイルを共有したいです", "goal_cues", 2),  # したい, たいです
        ("Is the new feature available? I saw the latest update", "new_feature_cues", 2),
        ("新機能について教えてください", "new_feature_cues", 1),
        ("This is terrible, I'm so frustrated", "negative_cues", 2),
        ("本当にひどい。困っています", "negative_cues", 2),
        ("Thanks, all good", "negative_cues", 0),
    ],
)
def test_cues(text, name, count):
    assert signals(text)[name] == count


def test_characters_are_counted_after_normalisation():
    assert signals("ｱｲｳ")["customer_chars"] == 3  # half-width katakana fold to アイウ
    assert signals("Ｈｉ")["customer_chars"] == 2


@pytest.mark.parametrize("transcript", [None, "", " \n ", [], math.nan, 42])
def test_a_missing_transcript_gives_nan_signals(transcript):
    assert all(math.isnan(v) for v in text_signals(parse_transcript(transcript)))


def test_a_transcript_of_only_agent_lines_has_zero_customer_utterances():
    assert signals("Agent: Hello, how can I help?")["customer_utterances"] == 0
