"""Transcript parsing and the transcript's text signals (Japanese and English).

A transcript is a str of utterances joined by newlines, or a list of utterances. Lines
may carry a speaker label ("Customer:", "Agent:", "お客様：", "オペレーター："); agent
lines are dropped, because what the agent says tells us about the agent, not the
customer. Unlabelled lines are taken as the customer's (the contract's examples have
no labels).

Matching works on plain substrings of a "match text": NFKC-normalised (full-width
Latin and half-width katakana folded), lower-cased, every run of punctuation turned
into one space and padded with spaces, so " bill " matches the word and " charg"
matches charge/charged/charges. Japanese needs no tokenizer: substrings just work.
Plain `in`/`count` on a few hundred short phrases keeps a record well under 100 µs.
"""

import math
import re
import unicodedata
from dataclasses import dataclass

TEXT_SIGNAL_NAMES = (
    "customer_utterances",
    "customer_chars",
    "question_marks",
    "goal_cues",
    "new_feature_cues",
    "negative_cues",
)

_CUSTOMER_LABELS = (
    "customer", "cust", "client", "caller", "user", "c", "お客様", "お客さま", "顧客",
)  # fmt: skip
_AGENT_LABELS = (
    "agent", "operator", "rep", "representative", "support", "staff", "bot", "chatbot", "a",
    "system", "ivr",
    "オペレーター", "オペレータ", "担当者", "担当", "スタッフ", "エージェント", "係員",
)  # fmt: skip
_LABEL = re.compile(
    r"^\[?(" + "|".join(map(re.escape, _CUSTOMER_LABELS + _AGENT_LABELS)) + r")\]?\s*:\s*"
)
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\uff07": "'"})
_NOT_WORD = re.compile(r"[^\w']+")
# a space where Latin meets Japanese, so " wifi " also matches in "wifiにつながらない"
_KANA_KANJI = "[\u3040-\u30ff\u3400-\u9fff]"
_SCRIPT_BOUNDARY = re.compile(rf"(?<=[a-z0-9'])(?={_KANA_KANJI})|(?<={_KANA_KANJI})(?=[a-z0-9'])")

GOAL_PHRASES = (
    " i want to ", " i wanna ", " i'd like to ", " i would like to ", " i need to ",
    " trying to ", " hoping to ", " my goal", " so that i can ", " so i can ",
    "したい", "したくて", "たいです", "たいのですが", "たいんです", "目標", "目的",
    "できるように", "なりたい",
)  # fmt: skip
NEW_FEATURE_PHRASES = (
    " new feature", " new function", " latest update", " new update", " new version",
    " just launched", " recently added", " newly added", " new release",
    "新機能", "新しい機能", "アップデート", "最新", "新しく追加", "追加された機能", "リリース",
)  # fmt: skip
NEGATIVE_PHRASES = (
    " frustrat", " annoy", " terrible ", " awful ", " horrible ", " disappoint",
    " unacceptable ", " ridiculous ", " worst ", " angry ", " upset ", " fed up ",
    " useless ", " hate ", " furious ", " sick of ", " waste of ",
    "ひどい", "酷い", "困って", "困ります", "納得でき", "納得いか", "最悪", "不満",
    "がっかり", "イライラ", "いらいら", "腹が立", "残念", "ありえない", "あり得ない",
)  # fmt: skip


@dataclass(frozen=True)
class ParsedTranscript:
    utterances: tuple[str, ...]  # the customer's, normalised and lower-cased
    match_text: str  # " word word ... " for substring matching


def transcript_text(transcript: object) -> str | None:
    """The transcript as one newline-joined str; None when it is missing or blank."""
    if isinstance(transcript, (list, tuple)):
        transcript = "\n".join(str(u) for u in transcript)
    if not isinstance(transcript, str) or not transcript.strip():
        return None
    return transcript


def normalize(text: str) -> str:
    """NFKC (full/half width), lower case, curly apostrophes straightened, trimmed."""
    return unicodedata.normalize("NFKC", text).translate(_QUOTES).lower().strip()


def parse_transcript(transcript: object) -> ParsedTranscript | None:
    """The customer's side of a transcript, ready for matching; None when missing."""
    text = transcript_text(transcript)
    if text is None:
        return None
    utterances = []
    for line in normalize(text).split("\n"):
        line = line.strip()
        label = _LABEL.match(line)
        if label:
            if label.group(1) in _AGENT_LABELS:
                continue
            line = line[label.end() :]
        if line:
            utterances.append(line)
    match_text = _NOT_WORD.sub(" ", " ".join(utterances))
    if not match_text.isascii():
        match_text = _SCRIPT_BOUNDARY.sub(" ", match_text)
    match_text = " " + match_text.strip() + " "
    return ParsedTranscript(tuple(utterances), match_text)


def count_phrases(match_text: str, phrases: tuple[str, ...]) -> int:
    """Total occurrences of the phrases in a match text."""
    return sum(map(match_text.count, phrases))


def text_signals(parsed: ParsedTranscript | None) -> tuple[float, ...]:
    """The TEXT_SIGNAL_NAMES values; all NaN when there is no transcript at all."""
    if parsed is None:
        return (math.nan,) * len(TEXT_SIGNAL_NAMES)
    text = parsed.match_text
    return (
        float(len(parsed.utterances)),
        float(sum(len(u) for u in parsed.utterances)),
        float(sum(u.count("?") for u in parsed.utterances)),
        float(count_phrases(text, GOAL_PHRASES)),
        float(count_phrases(text, NEW_FEATURE_PHRASES)),
        float(count_phrases(text, NEGATIVE_PHRASES)),
    )
