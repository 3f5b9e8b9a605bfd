"""Decision-time snapshots: what a decision was scored on, and training from it.

The desk asks again after every line of the conversation and after "card used", and each
ask upserts the interaction's row, so the row ends up holding the customer's *reaction*
to the value-enhancement attempt. Training must see what serving saw when the card was
chosen. Each decision therefore keeps

- `inputs`: the exact feature row it was scored on (activity column left out) and the
  feature-spec version, so a candidate can be re-scored on it without rebuilding features;
- `as_of`: the time-varying import-format inputs at that moment (contact reason,
  sentiment, elapsed time, and how many transcript lines were known), so training can
  rebuild the interaction row as of the offer from the stored (redacted) transcript.

A missing elapsed time stays missing (NaN at serving, null here), never 0.0.
"""

import math
from collections.abc import Sequence
from datetime import datetime

import numpy as np

from features.row import ACTIVITY_INDEX, BASE_NAMES, PreparedInteraction
from features.spec import FEATURE_NAMES, FEATURE_SPEC_VERSION
from features.vocabulary import ACTIVITIES

AS_OF_FIELDS = ("contact_reason", "customer_sentiment", "elapsed_seconds")


def decision_inputs(prepared: PreparedInteraction) -> dict:
    """The feature row a decision was scored on, JSON-ready (NaN as null)."""
    return {
        "feature_spec": FEATURE_SPEC_VERSION,
        "values": [None if math.isnan(v) else v for v in prepared.base.tolist()],
    }


def transcript_lines(transcript: str | None) -> int:
    """Lines of a newline-joined transcript (what `as_of` counts and training keeps)."""
    return len(transcript.split("\n")) if transcript else 0


def as_of(record: dict) -> dict:
    """The time-varying inputs of a flattened request at the moment of the decision."""
    values = {name: record.get(name) for name in AS_OF_FIELDS}
    values["transcript_lines"] = transcript_lines(record.get("transcript"))
    return values


def matrix_from_inputs(inputs: dict) -> np.ndarray:
    """The five activity rows a decision was scored on (ACTIVITIES order)."""
    if str(inputs.get("feature_spec")) != FEATURE_SPEC_VERSION:
        raise ValueError(
            f"decision inputs use feature spec {inputs.get('feature_spec')!r}; "
            f"this code builds spec {FEATURE_SPEC_VERSION!r}"
        )
    values = inputs["values"]
    if len(values) != len(BASE_NAMES):
        raise ValueError(f"decision inputs have {len(values)} values, not {len(BASE_NAMES)}")
    base = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    matrix = np.empty((len(ACTIVITIES), len(FEATURE_NAMES)), dtype=np.float64)
    matrix[:, ACTIVITY_INDEX] = np.arange(len(ACTIVITIES), dtype=np.float64)
    matrix[:, ACTIVITY_INDEX + 1 :] = base
    return matrix


def offered(decision: dict) -> set[str]:
    return {card["card_id"] for card in decision.get("cards") or ()}


def training_decision(
    decisions: Sequence[dict],
    card_used: str | None,
    card_named_at: datetime | None,
    first_outcome_at: datetime | None,
) -> dict | None:
    """The decision whose inputs an interaction's training row uses.

    `decisions` in sequence order. With a card used: the last decision offering it made
    no later than the outcome post that named it (the agent acted on what was on screen),
    else the last one offering it. Without: the last decision before the first outcome
    post, else the first decision. Never a decision made after the card was used.
    """
    if not decisions:
        return None
    if card_used:
        offering = [d for d in decisions if card_used in offered(d)]
        if offering:
            before = [d for d in offering if _not_after(d, card_named_at)]
            return (before or offering)[-1]
    before = [d for d in decisions if _not_after(d, first_outcome_at)]
    return before[-1] if before else decisions[0]


def _not_after(decision: dict, moment: datetime | None) -> bool:
    if moment is None:
        return True
    created = decision["created_at"]
    if created.tzinfo is None and moment.tzinfo is not None:
        moment = moment.replace(tzinfo=None)
    elif created.tzinfo is not None and moment.tzinfo is None:
        created = created.replace(tzinfo=None)
    return created <= moment


def transcript_as_of(transcript: str | None, lines: int | None) -> str | None:
    """The stored transcript cut to the lines known at the decision."""
    if transcript is None or lines is None:
        return transcript
    kept = transcript.split("\n")[:lines]
    return "\n".join(kept) if kept and lines > 0 else None
