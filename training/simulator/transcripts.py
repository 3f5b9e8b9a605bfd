"""Customer-side transcripts for the demo world: 1-4 utterances joined by newlines.

Japanese customers write Japanese, everyone else English. Each transcript states the true
contact reason in one or two bank phrasings, wrapped in the noise real transcripts have:
greetings, closers, asides, now and then a line about another topic, typos and odd casing
in English, dropped or trailing punctuation in Japanese. Some transcripts are empty
(more often on email, forum and self-service), and self-service ones are a single line.
"""

import random

import numpy as np
import pandas as pd

from features.vocabulary import CONTACT_REASONS, primary_language
from training.simulator.phrases import ASIDES, FILLERS, GREETINGS, REASON_PHRASES

MAX_UTTERANCES = 4
EMPTY_RATE = {"email": 0.12, "forum": 0.12, "self_service": 0.12, "chatbot": 0.06}
DEFAULT_EMPTY_RATE = 0.03
SINGLE_LINE_CHANNELS = frozenset({"self_service"})
GREETING_RATE = {"ja": 0.8, "en": 0.5}
SAME_LINE_GREETING_RATE = 0.5
SECOND_PHRASE_RATE = 0.3
FILLER_RATE = 0.3
ASIDE_RATE = 0.1
OTHER_REASON_RATE = 0.05  # a line about a different reason ("…and also my bill")
TYPO_RATE = 0.15  # English transcripts with typos
LOWERCASE_RATE = 0.10
UPPERCASE_RATE = 0.03
JA_ELLIPSIS_RATE = 0.08  # per line: "…のですが。" -> "…のですが…"


def _typo(text: str, rnd: random.Random) -> str:
    """One keyboard slip: swap, drop or double a letter inside a word."""
    letters = [i for i, ch in enumerate(text[:-1]) if ch.isalpha() and text[i + 1].isalpha()]
    if not letters:
        return text
    i = rnd.choice(letters)
    kind = rnd.randrange(3)
    if kind == 0:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i] + text[i:]


def _roughen_en(lines: list[str], rnd: random.Random) -> list[str]:
    """Typos on some transcripts; some typed all lower case (unpunctuated) or all caps."""
    if rnd.random() < TYPO_RATE:
        lines = [
            _typo(_typo(line, rnd), rnd) if rnd.random() < 0.5 else _typo(line, rnd)
            for line in lines
        ]
    u = rnd.random()
    if u < LOWERCASE_RATE:
        return [line.lower().rstrip(".?!") for line in lines]
    if u < LOWERCASE_RATE + UPPERCASE_RATE:
        return [line.upper() for line in lines]
    return lines


def _roughen_ja(lines: list[str], rnd: random.Random) -> list[str]:
    """Trail off ("…") instead of a full stop on some lines."""
    return [
        line[:-1] + "…" if line.endswith("。") and rnd.random() < JA_ELLIPSIS_RATE else line
        for line in lines
    ]


def compose(reason: str, lang: str, single_line: bool, rnd: random.Random) -> str:
    """One transcript (utterances joined by "\\n") stating `reason` in `lang` ("ja"/"en")."""
    bank = REASON_PHRASES[lang]
    core = rnd.sample(bank[reason], 2 if rnd.random() < SECOND_PHRASE_RATE else 1)
    if single_line:
        return core[0]
    if rnd.random() < OTHER_REASON_RATE:
        other = rnd.choice([r for r in CONTACT_REASONS if r != reason])
        core.append(rnd.choice(bank[other]))
    if rnd.random() < ASIDE_RATE:
        core.insert(rnd.randrange(len(core) + 1), rnd.choice(ASIDES[lang]))
    lines = core[: MAX_UTTERANCES - 1]
    if rnd.random() < GREETING_RATE[lang]:
        greeting = rnd.choice(GREETINGS[lang])
        if rnd.random() < SAME_LINE_GREETING_RATE:
            lines[0] = greeting + ("" if lang == "ja" else " ") + lines[0]
        else:
            lines.insert(0, greeting)
    if len(lines) < MAX_UTTERANCES and rnd.random() < FILLER_RATE:
        lines.append(rnd.choice(FILLERS[lang]))
    lines = _roughen_ja(lines, rnd) if lang == "ja" else _roughen_en(lines, rnd)
    return "\n".join(lines[:MAX_UTTERANCES])


def draw_transcripts(contacts: pd.DataFrame, rng: np.random.Generator) -> pd.Series:
    """A transcript per contact (missing where empty), from its true reason and language.

    String work is per row in plain Python, seeded once from `rng` (deterministic); at
    ~5 µs a row it is not worth vectorising.
    """
    rnd = random.Random(int(rng.integers(2**63)))
    channel = contacts["channel"].to_numpy(str)
    empty_rate = pd.Series(channel).map(EMPTY_RATE).fillna(DEFAULT_EMPTY_RATE).to_numpy()
    empty = rng.random(len(contacts)) < empty_rate
    texts = [
        None
        if is_empty
        else compose(
            reason,
            "ja" if primary_language(language) == "ja" else "en",
            ch in SINGLE_LINE_CHANNELS,
            rnd,
        )
        for reason, language, ch, is_empty in zip(
            contacts["true_contact_reason"], contacts["language"], channel, empty, strict=True
        )
    ]
    return pd.Series(texts, index=contacts.index)
