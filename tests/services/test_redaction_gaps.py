"""The redaction gaps of issue 22 (finding 3): each was stored unchanged before."""

import pytest

from assist_api.privacy import redact as redaction
from assist_api.privacy.redact import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("card 4111.1111.1111.1111 ok", "card [card] ok"),
        ("card 4111/1111/1111/1111 ok", "card [card] ok"),
        ("card 4111  1111  1111  1111 ok", "card [card] ok"),
        ("携帯は090.1234.5678です", "携帯は[phone]です"),
        ("〒100 0001 東京都", "[postal] 東京都"),
        ("〇九〇－一二三四－五六七八に電話", "[phone]に電話"),
        ("メールは山田@例え.jpです", "メールは[email]です"),
        ("mail 山田@例え.jp please", "mail [email] please"),
    ],
)
def test_each_gap_is_redacted(text, expected):
    assert redact(text) == expected


def test_a_number_split_across_two_utterances_is_redacted_in_both():
    assert redaction.redact_utterances(["電話番号は090 1234", "5678です"]) == [
        "電話番号は[phone]",
        "[phone]です",
    ]


def test_the_joined_transcript_keeps_one_line_per_utterance():
    assert redact("電話番号は090 1234\n5678です\nありがとう") == (
        "電話番号は[phone]\n[phone]です\nありがとう"
    )


@pytest.mark.parametrize(
    "text",
    ["一つ目と二つ目", "注文日は2024-01-15", "料金は12,345,678円", "order 1234567", "3.14.159"],
)
def test_ordinary_numbers_and_kanji_stay(text):
    assert redact(text) == text
