"""A transcript in another script than its `language`, or a language with no cards, is named."""

import pytest

from features.language_check import language_problems, transcript_script


@pytest.mark.parametrize(
    ("transcript", "script"),
    [
        (["お客様：設定方法が分からなくて困っています。"], "japanese"),
        (["Customer: I can't work out how to set it up."], "latin"),
        (["설정 방법을 모르겠어요"], "hangul"),
        (["顧客：請問怎麼設定"], "han"),
        (["Wi-Fiにつながらないんです"], "japanese"),  # Latin words inside Japanese
        (["Agent: 確認いたします", "Customer: My router keeps dropping"], "latin"),  # agent dropped
        (["はい"], None),  # too little text to tell
        ([], None),
    ],
)
def test_the_customers_script(transcript, script):
    assert transcript_script(transcript) == script


@pytest.mark.parametrize(
    ("language", "transcript", "problems"),
    [
        ("ja", ["設定方法が分かりません"], []),
        ("ja-JP", ["設定方法が分かりません"], []),
        ("en", ["How do I set it up?"], []),
        ("en", ["設定方法が分かりません"], ["language_mismatch"]),
        ("ja", ["How do I set this thing up?"], ["language_mismatch"]),
        ("ko", ["설정 방법을 모르겠어요"], ["language_unsupported"]),
        ("ko", ["設定方法が分かりません"], ["language_unsupported", "language_mismatch"]),
        ("ja", ["料金請求書再発行"], []),  # kanji only still reads as Japanese
        ("en", [], []),
        ("sw", ["Ninawezaje kuweka?"], ["language_unsupported"]),  # script not known: no guess
    ],
)
def test_language_problems(language, transcript, problems):
    assert language_problems(language, transcript) == problems
