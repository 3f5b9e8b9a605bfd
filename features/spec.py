"""The feature spec: which columns a feature row has, in which order, with which codes.

Training stores `spec_as_dict()` next to the model; serving calls `check_spec` on it
before scoring, so a model is never fed rows laid out by a different version of this
code. Bump FEATURE_SPEC_VERSION whenever a feature's meaning changes even if its name,
kind and categories stay the same (e.g. a text signal counts different phrases).

Categorical features are encoded as float codes (the index in `categories`); unknown or
missing values are NaN, which LightGBM treats as missing.
"""

from dataclasses import dataclass

from features.text import TEXT_SIGNAL_NAMES
from features.vocabulary import (
    ACTIVITIES,
    CHANNELS,
    CONTACT_REASONS,
    PERSONAS,
    PLAN_TIERS,
    SWITCHING_EFFORTS,
)

FEATURE_SPEC_VERSION = "2"  # 2: reason distribution, estimated sentiment (issue 16)
NUMERIC = "numeric"
CATEGORICAL = "categorical"
# Languages the text signals and reason lexicons know; any other tag is "other".
LANGUAGE_CATEGORIES = ("ja", "en", "other")

_TEXT_DESCRIPTIONS = {
    "customer_utterances": "number of customer utterances in the transcript so far",
    "customer_chars": "characters the customer wrote or said (after normalisation)",
    "question_marks": "question marks in the customer's words (? and ？)",
    "goal_cues": "phrases stating a goal, e.g. 'I want to', '〜したい'",
    "new_feature_cues": "mentions of new features or updates, e.g. 'new feature', '新機能'",
    "negative_cues": "negative-tone phrases, e.g. 'frustrated', 'ひどい'",
}


@dataclass(frozen=True)
class Feature:
    name: str
    kind: str  # NUMERIC | CATEGORICAL
    categories: tuple[str, ...] = ()
    description: str = ""


def _cat(name: str, categories: tuple[str, ...], description: str) -> Feature:
    return Feature(name, CATEGORICAL, categories, description)


def _num(name: str, description: str) -> Feature:
    return Feature(name, NUMERIC, (), description)


FEATURES: tuple[Feature, ...] = (
    _cat("activity", ACTIVITIES, "the value-enhancement activity being scored"),
    _num("days_since_purchase", "days since the customer's purchase"),
    _num("feature_adoption", "share of the product's features the customer uses (0-1)"),
    _num("products_owned", "number of products the customer owns"),
    _num("prior_contacts_90d", "service contacts in the previous 90 days"),
    _num("clv", "customer lifetime value"),
    _cat("plan_tier", PLAN_TIERS, "the customer's plan tier"),
    _cat("persona", PERSONAS, "the customer's persona"),
    _cat("switching_effort", SWITCHING_EFFORTS, "how hard it is for them to switch"),
    _cat("channel", CHANNELS, "the channel of the interaction"),
    _num("synchronous_channel", "1 for phone, chat or in person; 0 for other channels"),
    _cat("language", LANGUAGE_CATEGORIES, "the interaction's primary language"),
    _cat("contact_reason", CONTACT_REASONS, "why the customer got in touch (given or inferred)"),
    _num("reason_inferred", "1 when the contact reason was inferred from the transcript"),
    _num("reason_confidence", "confidence in the contact reason (1 when given)"),
    *(
        _num(f"reason_p_{r}", f"probability the contact is about {r} (1 when given)")
        for r in CONTACT_REASONS
    ),
    _num("customer_sentiment", "customer sentiment from -1 to 1 (estimated when not given)"),
    _num("sentiment_inferred", "1 when the sentiment was estimated from the transcript"),
    _num("elapsed_seconds", "seconds since the interaction started"),
    *(_num(name, _TEXT_DESCRIPTIONS[name]) for name in TEXT_SIGNAL_NAMES),
)
FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)
CATEGORICAL_INDICES: tuple[int, ...] = tuple(
    i for i, f in enumerate(FEATURES) if f.kind == CATEGORICAL
)
# value -> float code, per categorical feature
CATEGORY_CODES: dict[str, dict[str, float]] = {
    f.name: {c: float(i) for i, c in enumerate(f.categories)}
    for f in FEATURES
    if f.kind == CATEGORICAL
}


def spec_as_dict() -> dict:
    """The spec as plain JSON-serialisable data, to be stored with a trained model."""
    return {
        "version": FEATURE_SPEC_VERSION,
        "features": [
            {
                "name": f.name,
                "kind": f.kind,
                "categories": list(f.categories),
                "description": f.description,
            }
            for f in FEATURES
        ],
    }


def check_spec(d: dict) -> None:
    """Raise ValueError naming the first difference between a stored spec and this code's.

    Descriptions are documentation and may differ; version, order, names, kinds and
    categories must match exactly, because they decide what each column of a row means.
    """
    if not isinstance(d, dict) or "version" not in d or "features" not in d:
        raise ValueError("feature spec must be a dict with 'version' and 'features'")
    if str(d["version"]) != FEATURE_SPEC_VERSION:
        raise ValueError(
            f"feature spec version {d['version']!r} does not match this code's "
            f"{FEATURE_SPEC_VERSION!r}"
        )
    stored = d["features"]
    if len(stored) != len(FEATURES):
        raise ValueError(f"feature spec has {len(stored)} features, this code has {len(FEATURES)}")
    for position, (theirs, ours) in enumerate(zip(stored, FEATURES, strict=True)):
        name = theirs.get("name") if isinstance(theirs, dict) else None
        if name != ours.name:
            raise ValueError(f"feature {position} is {name!r}, this code expects {ours.name!r}")
        if theirs.get("kind") != ours.kind:
            raise ValueError(
                f"feature {ours.name!r} is {theirs.get('kind')!r}, this code has {ours.kind!r}"
            )
        if tuple(theirs.get("categories") or ()) != ours.categories:
            raise ValueError(
                f"feature {ours.name!r} has categories {theirs.get('categories')!r}, "
                f"this code has {list(ours.categories)!r}"
            )
