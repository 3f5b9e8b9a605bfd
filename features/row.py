"""The real-time path: one record -> feature rows, in plain Python and numpy.

`prepare` does the per-interaction work once (parsing the transcript, inferring the
reason); `activity_matrix` then stamps the five activities onto copies of it, so one
LightGBM predict call scores every activity. No pandas here: the request path must not
build DataFrames. frame.py reuses `transcript_part` and the encoders, so batch and
training rows are identical to these.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from features.contact_reason import ReasonGuess, guess_reason
from features.encode import (
    DIRECT_CATEGORICAL,
    DIRECT_NUMERIC,
    category_code,
    clean_str,
    language_code,
    synchronous_flag,
    to_float,
)
from features.spec import CATEGORY_CODES, FEATURE_NAMES
from features.text import TEXT_SIGNAL_NAMES, parse_transcript, text_signals
from features.vocabulary import ACTIVITIES

ACTIVITY_INDEX = FEATURE_NAMES.index("activity")  # the first column
BASE_NAMES = tuple(n for n in FEATURE_NAMES if n != "activity")
GIVEN_REASON_CONFIDENCE = 1.0
# The features transcript_values fills in, from the reason and the text.
TRANSCRIPT_FEATURES = ("contact_reason", "reason_inferred", "reason_confidence", *TEXT_SIGNAL_NAMES)
_REASON_CODES = CATEGORY_CODES["contact_reason"]
_ACTIVITY_CODES = np.arange(len(ACTIVITIES), dtype=np.float64)


@dataclass(frozen=True)
class TranscriptPart:
    """What the transcript (and the given reason, if any) contribute to a row."""

    guess: ReasonGuess  # the reason used: given (confidence 1) or inferred
    reason_inferred: bool
    signals: tuple[float, ...]  # TEXT_SIGNAL_NAMES values


@dataclass(frozen=True)
class PreparedInteraction:
    base: np.ndarray  # BASE_NAMES values, float64
    contact_reason: str
    reason_inferred: bool
    reason_confidence: float
    reason_evidence: list[str]


def transcript_part(contact_reason: object, transcript: object, language: object) -> TranscriptPart:
    """Use a valid given contact reason; otherwise infer one from the transcript."""
    parsed = parse_transcript(transcript)
    given = clean_str(contact_reason)
    if given in _REASON_CODES:
        guess, inferred = ReasonGuess(given, GIVEN_REASON_CONFIDENCE, []), False
    else:
        guess, inferred = guess_reason(parsed, language), True
    return TranscriptPart(guess, inferred, text_signals(parsed))


def transcript_values(part: TranscriptPart) -> dict[str, float]:
    """The feature values derived from a TranscriptPart, by feature name."""
    values = dict(zip(TEXT_SIGNAL_NAMES, part.signals, strict=True))
    values["contact_reason"] = _REASON_CODES[part.guess.reason]
    values["reason_inferred"] = 1.0 if part.reason_inferred else 0.0
    values["reason_confidence"] = part.guess.confidence
    return values


def prepare(record: Mapping) -> PreparedInteraction:
    """Everything about an interaction except the activity, computed once."""
    get = record.get
    values = {name: to_float(get(name)) for name in DIRECT_NUMERIC}
    for name in DIRECT_CATEGORICAL:
        values[name] = category_code(get(name), name)
    values["synchronous_channel"] = synchronous_flag(get("channel"))
    values["language"] = language_code(get("language"))
    part = transcript_part(get("contact_reason"), get("transcript"), get("language"))
    values.update(transcript_values(part))
    return PreparedInteraction(
        base=np.array([values[name] for name in BASE_NAMES], dtype=np.float64),
        contact_reason=part.guess.reason,
        reason_inferred=part.reason_inferred,
        reason_confidence=part.guess.confidence,
        reason_evidence=list(part.guess.evidence),
    )


def activity_matrix(prepared: PreparedInteraction) -> np.ndarray:
    """One row per activity, in ACTIVITIES order: shape (len(ACTIVITIES), len(FEATURES))."""
    matrix = np.empty((len(ACTIVITIES), len(FEATURE_NAMES)), dtype=np.float64)
    matrix[:, ACTIVITY_INDEX] = _ACTIVITY_CODES
    matrix[:, ACTIVITY_INDEX + 1 :] = prepared.base
    return matrix


def build_row(record: Mapping, activity: object) -> np.ndarray:
    """The feature row for one record and one activity (unknown activity -> NaN code)."""
    row = np.empty(len(FEATURE_NAMES), dtype=np.float64)
    row[ACTIVITY_INDEX] = category_code(activity, "activity")
    row[ACTIVITY_INDEX + 1 :] = prepare(record).base
    return row
