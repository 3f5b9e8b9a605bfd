"""The real-time path: one record -> feature rows, in plain Python and numpy.

`prepare` does the per-interaction work once (parsing the transcript, inferring the
reason); `activity_matrix` then stamps the five activities onto copies of it, so one
LightGBM predict call scores every activity. No pandas here: the request path must not
build DataFrames. frame.py reuses `transcript_part` and the encoders, so batch and
training rows are identical to these.
"""

import math
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
from features.text_model import TextModel, guess_scores
from features.vocabulary import ACTIVITIES, CONTACT_REASONS

ACTIVITY_INDEX = FEATURE_NAMES.index("activity")  # the first column
BASE_NAMES = tuple(n for n in FEATURE_NAMES if n != "activity")
GIVEN_REASON_CONFIDENCE = 1.0
REASON_P_NAMES = tuple(f"reason_p_{r}" for r in CONTACT_REASONS)
# The features transcript_values fills in, from the reason and the text.
TRANSCRIPT_FEATURES = (
    "contact_reason",
    "reason_inferred",
    "reason_confidence",
    *REASON_P_NAMES,
    *TEXT_SIGNAL_NAMES,
)
SENTIMENT_ESTIMATE = "sentiment_estimate"  # not a feature: fills a missing sentiment
_REASON_CODES = CATEGORY_CODES["contact_reason"]
_ACTIVITY_CODES = np.arange(len(ACTIVITIES), dtype=np.float64)


@dataclass(frozen=True)
class TranscriptPart:
    """What the transcript (and the given reason, if any) contribute to a row."""

    guess: ReasonGuess  # the reason used: given (confidence 1) or inferred
    reason_inferred: bool
    signals: tuple[float, ...]  # TEXT_SIGNAL_NAMES values
    distribution: tuple[float, ...]  # P(reason), CONTACT_REASONS order
    sentiment_estimate: float = math.nan  # the text model's, when it has one
    reason_source: str = "given"  # "given" | "model" | "lexicon"


@dataclass(frozen=True)
class PreparedInteraction:
    base: np.ndarray  # BASE_NAMES values, float64
    contact_reason: str
    reason_inferred: bool
    reason_confidence: float
    reason_evidence: list[str]
    reason_distribution: tuple[float, ...] = ()
    reason_source: str = "given"
    sentiment: float = math.nan  # given, else estimated, else NaN
    sentiment_inferred: bool = False


def _lexicon_distribution(guess: ReasonGuess) -> tuple[float, ...]:
    """The lexicon's guess as a distribution: its confidence at the reason, the rest even."""
    rest = (1.0 - guess.confidence) / (len(CONTACT_REASONS) - 1)
    return tuple(guess.confidence if r == guess.reason else rest for r in CONTACT_REASONS)


def transcript_part(
    contact_reason: object, transcript: object, language: object, text_model: TextModel | None
) -> TranscriptPart:
    """Use a valid given contact reason; otherwise infer one from the transcript.

    With a learned text model (trained on this centre's rows) the reason distribution and
    the sentiment estimate are its own; the lexicon still quotes the evidence phrases and
    is one of the model's inputs. Without one (cold start), the lexicon decides.
    """
    parsed = parse_transcript(transcript)
    given = clean_str(contact_reason)
    known = given in _REASON_CODES
    use_model = text_model is not None and parsed is not None
    lexicon = guess_reason(parsed, language) if (use_model or not known) else None
    vector = text_model.vector(parsed, guess_scores(lexicon)) if use_model else None
    estimate = text_model.sentiment(*vector) if use_model else math.nan
    signals = text_signals(parsed)
    if known:
        one_hot = tuple(1.0 if r == given else 0.0 for r in CONTACT_REASONS)
        guess = ReasonGuess(given, GIVEN_REASON_CONFIDENCE, [])
        return TranscriptPart(guess, False, signals, one_hot, estimate, "given")
    if not use_model:
        return TranscriptPart(
            lexicon, True, signals, _lexicon_distribution(lexicon), estimate, "lexicon"
        )
    p = text_model.reason_distribution(*vector)
    best = int(np.argmax(p))
    reason = CONTACT_REASONS[best]
    evidence = list(lexicon.evidence) if lexicon.reason == reason else []
    guess = ReasonGuess(reason, float(p[best]), evidence)
    return TranscriptPart(guess, True, signals, tuple(p.tolist()), estimate, "model")


def transcript_values(part: TranscriptPart) -> dict[str, float]:
    """The feature values derived from a TranscriptPart, by feature name."""
    values = dict(zip(TEXT_SIGNAL_NAMES, part.signals, strict=True))
    values["contact_reason"] = _REASON_CODES[part.guess.reason]
    values["reason_inferred"] = 1.0 if part.reason_inferred else 0.0
    values["reason_confidence"] = part.guess.confidence
    values.update(zip(REASON_P_NAMES, part.distribution, strict=True))
    values[SENTIMENT_ESTIMATE] = part.sentiment_estimate
    return values


def sentiment_value(given: float, estimate: float) -> tuple[float, float]:
    """(customer_sentiment, sentiment_inferred): the given value, else the estimate."""
    if math.isnan(given) and not math.isnan(estimate):
        return estimate, 1.0
    return given, 0.0


def prepare(record: Mapping, text_model: TextModel | None = None) -> PreparedInteraction:
    """Everything about an interaction except the activity, computed once.

    `text_model`: the loaded model version's (None: cold start, the lexicon alone).
    """
    get = record.get
    values = {name: to_float(get(name)) for name in DIRECT_NUMERIC}
    for name in DIRECT_CATEGORICAL:
        values[name] = category_code(get(name), name)
    values["synchronous_channel"] = synchronous_flag(get("channel"))
    values["language"] = language_code(get("language"))
    part = transcript_part(get("contact_reason"), get("transcript"), get("language"), text_model)
    values.update(transcript_values(part))
    sentiment, inferred = sentiment_value(values["customer_sentiment"], part.sentiment_estimate)
    values["customer_sentiment"], values["sentiment_inferred"] = sentiment, inferred
    return PreparedInteraction(
        base=np.array([values[name] for name in BASE_NAMES], dtype=np.float64),
        contact_reason=part.guess.reason,
        reason_inferred=part.reason_inferred,
        reason_confidence=part.guess.confidence,
        reason_evidence=list(part.guess.evidence),
        reason_distribution=part.distribution,
        reason_source=part.reason_source,
        sentiment=sentiment,
        sentiment_inferred=bool(inferred),
    )


def activity_matrix(prepared: PreparedInteraction) -> np.ndarray:
    """One row per activity, in ACTIVITIES order: shape (len(ACTIVITIES), len(FEATURES))."""
    matrix = np.empty((len(ACTIVITIES), len(FEATURE_NAMES)), dtype=np.float64)
    matrix[:, ACTIVITY_INDEX] = _ACTIVITY_CODES
    matrix[:, ACTIVITY_INDEX + 1 :] = prepared.base
    return matrix


def build_row(record: Mapping, activity: object, text_model: TextModel | None = None) -> np.ndarray:
    """The feature row for one record and one activity (unknown activity -> NaN code)."""
    row = np.empty(len(FEATURE_NAMES), dtype=np.float64)
    row[ACTIVITY_INDEX] = category_code(activity, "activity")
    row[ACTIVITY_INDEX + 1 :] = prepare(record, text_model).base
    return row
