"""Does the conversation's text match the language it was sent with?

The text signals and the contact-reason lexicon read a transcript in its declared
language: Japanese text sent with `language: "en"` matches no English phrase, so the
contact reason comes out `other` and most cards' rules exclude it — the answer had no
cards and said nothing about why. These checks turn that into a named `degraded` code.
The script is judged on the customer's lines only (agent lines are dropped anyway), by
counting letters per script: cheap enough for every request (no tokenizer, no model).
"""

import unicodedata

from features.text import parse_transcript
from features.vocabulary import CARD_LANGUAGES, primary_language

LANGUAGE_UNSUPPORTED = "language_unsupported"
LANGUAGE_MISMATCH = "language_mismatch"
# The script each language is written in, for the languages we can tell apart cheaply.
EXPECTED_SCRIPT = {
    "ja": "japanese", "en": "latin", "fr": "latin", "de": "latin", "es": "latin",
    "it": "latin", "pt": "latin", "nl": "latin", "ko": "hangul", "zh": "han",
    "ru": "cyrillic", "uk": "cyrillic",
}  # fmt: skip
MIN_LETTERS = 6  # fewer letters than this ("ok", "はい") say nothing about the language
MAJORITY = 0.5


def _script(char: str) -> str | None:
    if not char.isalpha():
        return None
    if "\u3040" <= char <= "\u30ff" or "\uff66" <= char <= "\uff9f":
        return "kana"
    name = unicodedata.name(char, "")
    for prefix, script in (
        ("CJK", "han"),
        ("HANGUL", "hangul"),
        ("LATIN", "latin"),
        ("CYRILLIC", "cyrillic"),
    ):
        if name.startswith(prefix):
            return script
    return "other"


def transcript_script(transcript: object) -> str | None:
    """The script most of the customer's letters are in; None when there is too little text.

    Japanese mixes kana and kanji, so any kana makes han-and-kana text `japanese`; han
    alone is `han` (Chinese, or a Japanese line of kanji only, which then still matches ja).
    """
    parsed = parse_transcript(transcript)
    if parsed is None:
        return None
    counts: dict[str, int] = {}
    for char in "".join(parsed.utterances):
        script = _script(char)
        if script:
            counts[script] = counts.get(script, 0) + 1
    letters = sum(counts.values())
    if letters < MIN_LETTERS:
        return None
    japanese = counts.get("kana", 0) + counts.get("han", 0)
    if counts.get("kana") and japanese / letters > MAJORITY:
        return "japanese"
    script, count = max(counts.items(), key=lambda item: item[1])
    return script if count / letters > MAJORITY else None


def language_problems(language: str, transcript: object) -> list[str]:
    """`degraded` codes for the request's language: unsupported, and/or not the text's."""
    primary = primary_language(language)
    problems = [] if primary in CARD_LANGUAGES else [LANGUAGE_UNSUPPORTED]
    expected = EXPECTED_SCRIPT.get(primary)
    found = transcript_script(transcript)
    if expected and found and found != expected:
        han_only_japanese = expected == "japanese" and found == "han"
        if not han_only_japanese:
            problems.append(LANGUAGE_MISMATCH)
    return problems
