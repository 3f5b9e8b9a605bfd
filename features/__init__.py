"""The one definition of an interaction's features, for training, batch and real time.

Real time: prepare(record), activity_matrix(prepared), build_row(record, activity).
Batch and training: build_frame(df), expand_activities(df).
Stored with models: FEATURES, spec_as_dict(), checked on load by check_spec(d).
"""

from features.contact_reason import ReasonGuess, infer_contact_reason, reason_accuracy
from features.frame import build_frame, expand_activities
from features.row import PreparedInteraction, activity_matrix, build_row, prepare
from features.segments import (
    ADOPTION_BANDS,
    DAYS_BANDS,
    adoption_band,
    adoption_bands,
    days_since_purchase_band,
    days_since_purchase_bands,
)
from features.spec import (
    CATEGORICAL_INDICES,
    FEATURE_NAMES,
    FEATURE_SPEC_VERSION,
    FEATURES,
    Feature,
    check_spec,
    spec_as_dict,
)
from features.text import TEXT_SIGNAL_NAMES

__all__ = [
    "ADOPTION_BANDS",
    "CATEGORICAL_INDICES",
    "DAYS_BANDS",
    "FEATURES",
    "FEATURE_NAMES",
    "FEATURE_SPEC_VERSION",
    "Feature",
    "PreparedInteraction",
    "ReasonGuess",
    "TEXT_SIGNAL_NAMES",
    "activity_matrix",
    "adoption_band",
    "adoption_bands",
    "build_frame",
    "build_row",
    "check_spec",
    "days_since_purchase_band",
    "days_since_purchase_bands",
    "expand_activities",
    "infer_contact_reason",
    "prepare",
    "reason_accuracy",
    "spec_as_dict",
]
