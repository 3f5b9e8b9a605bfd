"""Infer a contact reason from the customer's words, transparently.

A weighted lexicon (features/contact_reason_lexicon.py), not a learned model: every guess comes
with the phrases that drove it, so an agent sees *why* the desk thinks this is a billing
call, and a CS lead can fix a wrong guess by editing a phrase list. Each phrase counts
once; a phrase inside a longer matched phrase is ignored; negated phrases are ignored.
The reason with the highest total weight wins; confidence is its share of all the
evidence, shrunk towards zero when there is little of it.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from features.contact_reason_lexicon import EN_LEXICON, JA_LEXICON
from features.text import ParsedTranscript, parse_transcript
from features.vocabulary import CONTACT_REASONS, primary_language

FALLBACK_REASON = "other"
NO_MATCH_CONFIDENCE = 0.1  # text present, nothing matched
NO_TEXT_CONFIDENCE = 0.0  # no transcript at all
# A question with no topic cue at all is, by the usual service taxonomy, an inquiry.
QUESTION_REASON = "inquiry"
QUESTION_CONFIDENCE = 0.25
MIN_SCORE = 1.0  # below this, the evidence is too thin to name a reason
SHRINK = 1.0  # confidence = best / (total + SHRINK)
# Ties go to the reason that matters most for routing and VE (cancellations first).
TIE_ORDER = (
    "cancellation", "order_status", "billing", "technical_issue", "complaint", "how_to",
    "inquiry", "other",
)  # fmt: skip
_NEGATION_WINDOW = 40
# English negation precedes the phrase: "not looking to | cancel", "don't want a | refund".
_NEGATED_BEFORE = re.compile(
    r"(?:^| )(?:not|don't|do not|didn't|did not|won't|will not|never|no|without|isn't|"
    r"is not|instead of|rather than|no intention of|no intention to)(?: [\w']+){0,2} ?$"
)
# Japanese negation follows it, matched from the phrase's end:
# "解約|するつもりはない", "クレーム|ではない", "返金|は不要".
_NEGATED_AFTER = re.compile(
    r".{0,5}?(?:しない|しません|したくな|するつもりは|する予定は|ではな|じゃな|"
    r"ではありません|は不要|はいらな|は結構|わけではな|わけじゃな|は考えていな)"
)


@dataclass(frozen=True)
class ReasonGuess:
    reason: str
    confidence: float
    evidence: list[str] = field(default_factory=list)  # phrases, in order of appearance


@dataclass(frozen=True)
class _Phrase:
    text: str
    reason: str
    weight: float
    negatable: bool
    japanese: bool


def _word_key(word: str) -> str:
    """A word's start as the English index key: "charged" -> " cha", "i" -> " i "."""
    return f" {word} "[:4]


def _key(text: str, japanese: bool) -> str:
    """What any text containing the phrase must show: its first character (ja), or its
    first word's key (en: " charg" -> " cha", " i have a" -> " i ")."""
    return text[0] if japanese else _word_key(text.split()[0])


def _well_formed(text: str, japanese: bool) -> bool:
    """English phrases start a word, and a first word under 3 letters is a whole word."""
    if japanese:
        return bool(text)
    words = text.split()
    return (
        text.startswith(" ")
        and bool(words)
        and (len(words[0]) >= 3 or text.startswith(f" {words[0]} "))
    )


def _index(lexicon: tuple, japanese: bool) -> dict[str, list[_Phrase]]:
    """Phrases grouped by key, so a transcript is checked only against phrases it could hold
    (keeps a record's cost flat as CS leads add phrases)."""
    index: dict[str, list[_Phrase]] = defaultdict(list)
    seen = set()
    for reason, weight, negatable, texts in lexicon:
        for text in texts:
            if text in seen or not _well_formed(text, japanese):
                raise ValueError(f"contact-reason phrase {text!r} is repeated or malformed")
            seen.add(text)
            index[_key(text, japanese)].append(_Phrase(text, reason, weight, negatable, japanese))
    return dict(index)


_EN = _index(EN_LEXICON, japanese=False)
_JA = _index(JA_LEXICON, japanese=True)
_LATIN = re.compile("[a-z]")


def _candidates(text: str, lang: str | None) -> list[_Phrase]:
    """English text: the English lexicon. Otherwise Japanese, plus English when the text
    has Latin letters (Japanese conversations borrow "error", "wifi")."""
    groups = []
    if lang != "en":
        groups += [_JA[c] for c in set(text) if c in _JA]
    if lang == "en" or _LATIN.search(text):
        keys = {_word_key(word) for word in text.split()}
        groups += [_EN[k] for k in keys if k in _EN]
    return [phrase for group in groups for phrase in group]


def _negated(text: str, start: int, end: int, phrase: _Phrase) -> bool:
    if phrase.japanese:
        return _NEGATED_AFTER.match(text, end, end + _NEGATION_WINDOW) is not None
    return _NEGATED_BEFORE.search(text[max(0, start - _NEGATION_WINDOW) : start]) is not None


def _matches(text: str, phrases: list[_Phrase]) -> list[tuple[int, int, _Phrase]]:
    """(start, end, phrase) of each phrase's first non-negated occurrence."""
    found = []
    for phrase in phrases:
        start = text.find(phrase.text)
        while start != -1:
            end = start + len(phrase.text)
            if not (phrase.negatable and _negated(text, start, end, phrase)):
                found.append((start, end, phrase))
                break
            start = text.find(phrase.text, start + 1)
    return found


def _outermost(found: list[tuple[int, int, _Phrase]]) -> list[tuple[int, int, _Phrase]]:
    """Drop matches lying inside a longer match ("cancel" inside "cancel my order")."""
    kept: list[tuple[int, int, _Phrase]] = []
    for start, end, phrase in sorted(found, key=lambda m: m[0] - m[1]):
        if not any(s <= start and end <= e for s, e, _ in kept):
            kept.append((start, end, phrase))
    return sorted(kept, key=lambda m: m[0])


def _language(tag: object) -> str | None:
    """The primary language, or None when the tag is missing (then both lexicons apply)."""
    return primary_language(tag.strip()) if isinstance(tag, str) and tag.strip() else None


def guess_reason(parsed: ParsedTranscript | None, language: object) -> ReasonGuess:
    """The reason guess for an already parsed transcript (see infer_contact_reason)."""
    if parsed is None:
        return ReasonGuess(FALLBACK_REASON, NO_TEXT_CONFIDENCE, [])
    lang = _language(language)
    text = parsed.match_text
    matches = _outermost(_matches(text, _candidates(text, lang)))
    scores: dict[str, float] = defaultdict(float)
    for _, _, phrase in matches:
        scores[phrase.reason] += phrase.weight
    if not scores or max(scores.values()) < MIN_SCORE:
        if any("?" in u for u in parsed.utterances):
            return ReasonGuess(QUESTION_REASON, QUESTION_CONFIDENCE, ["?"])
        return ReasonGuess(FALLBACK_REASON, NO_MATCH_CONFIDENCE, [])
    best = max(TIE_ORDER, key=lambda r: (scores.get(r, 0.0), -TIE_ORDER.index(r)))
    confidence = scores[best] / (sum(scores.values()) + SHRINK)
    spans = [_widened(text, s, e) for s, e, p in matches if p.reason == best]
    evidence = [text[s:e].strip() for s, e in _merged(spans)]
    return ReasonGuess(best, confidence, evidence)


_HIRAGANA = re.compile("[\u3041-\u309f]")
_KANJI_KATAKANA = re.compile("[\u30a0-\u30ff\u3400-\u9fff]")
QUOTE_REACH = 8  # characters a quote may grow by at each end to reach a word's edge


def _widened(text: str, start: int, end: int) -> tuple[int, int]:
    """The matched phrase's span widened to whole words, so a quote never stops mid-word.

    Latin: to the surrounding spaces ("charg" -> "charged"). Japanese has no spaces: the
    end takes the hiragana that follow (okurigana and particles: 教え -> 教えてください) and
    the start the kanji or katakana before it (方法 -> 設定方法).
    """
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    if text[start:end].isascii():
        while start > 0 and text[start - 1] != " ":
            start -= 1
        while end < len(text) and text[end] != " ":
            end += 1
        return start, end
    limit = min(len(text), end + QUOTE_REACH)
    while end < limit and _HIRAGANA.match(text[end]):
        end += 1
    floor = max(0, start - QUOTE_REACH)
    while start > floor and _KANJI_KATAKANA.match(text[start - 1]):
        start -= 1
    return start, end


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans as one, in the order they appear."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def infer_contact_reason(transcript: object, language: object) -> ReasonGuess:
    """Guess why the customer got in touch from a transcript (str or list of utterances).

    Returns "inquiry" (low confidence) for a question with no topic cue, and "other" with
    low confidence and no evidence when nothing matches at all.
    """
    return guess_reason(parse_transcript(transcript), language)


def reason_accuracy(
    transcripts: Iterable[object], languages: Iterable[object], true_reasons: Iterable[str]
) -> dict:
    """Accuracy of infer_contact_reason against known reasons, overall and per slice.

    A plain dict (overall, per_language, per_reason recall) for a CLI or a report to render.
    """
    total, right = Counter(), Counter()
    for transcript, language, truth in zip(transcripts, languages, true_reasons, strict=True):
        lang = _language(language) or "unknown"
        hit = infer_contact_reason(transcript, language).reason == truth
        for key in ("all", f"lang:{lang}", f"reason:{truth}"):
            total[key] += 1
            right[key] += hit

    def slice_(prefix: str, names: Iterable[str]) -> dict:
        keys = {name: prefix + name for name in names if total[prefix + name]}
        return {name: {"n": total[k], "accuracy": right[k] / total[k]} for name, k in keys.items()}

    languages_seen = sorted(k[5:] for k in total if k.startswith("lang:"))
    return {
        "n": total["all"],
        "accuracy": right["all"] / total["all"] if total["all"] else float("nan"),
        "per_language": slice_("lang:", languages_seen),
        "per_reason": slice_("reason:", CONTACT_REASONS),
    }
