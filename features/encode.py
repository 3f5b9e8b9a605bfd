"""Scalar encoders shared by the real-time row and the batch frame.

The frame applies these same functions to each *distinct* value of a column (see
frame.py), so the two paths cannot disagree on an edge case such as " Premium ", "",
"12" or NaN. Missing means None, NaN, pd.NA-like objects that are not str or numbers,
or a blank string.
"""

import math
from decimal import Decimal
from numbers import Real

from features.spec import CATEGORY_CODES
from features.vocabulary import SYNCHRONOUS_CHANNELS, primary_language

NAN = math.nan
# Columns copied as numbers, and columns encoded as their feature's category code.
DIRECT_NUMERIC = (
    "days_since_purchase",
    "feature_adoption",
    "products_owned",
    "prior_contacts_90d",
    "clv",
    "customer_sentiment",
    "elapsed_seconds",
)
DIRECT_CATEGORICAL = ("plan_tier", "persona", "switching_effort", "channel")
_LANGUAGE_CODES = CATEGORY_CODES["language"]
_CHANNEL_CODES = CATEGORY_CODES["channel"]


def clean_str(value: object) -> str | None:
    """A category-like value stripped and lower-cased; None when missing or not a str."""
    if not isinstance(value, str):
        return None
    value = value.strip().lower()
    return value or None


def to_float(value: object) -> float:
    """A number (incl. numpy and Decimal) as float; numeric strings parsed; else NaN."""
    if isinstance(value, (float, int, Real, Decimal)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return NAN
    return NAN


def category_code(value: object, feature: str) -> float:
    """The float code of a value in a categorical feature's categories; NaN if unknown."""
    key = clean_str(value)
    return NAN if key is None else CATEGORY_CODES[feature].get(key, NAN)


def language_code(value: object) -> float:
    """ja / en by primary tag ("ja-JP" -> ja); any other tag is "other"; missing is NaN."""
    key = clean_str(value)
    if key is None:
        return NAN
    return _LANGUAGE_CODES.get(primary_language(key), _LANGUAGE_CODES["other"])


def synchronous_flag(channel: object) -> float:
    """1.0 for a synchronous channel, 0.0 for another known channel, NaN if unknown."""
    key = clean_str(channel)
    if key is None or key not in _CHANNEL_CODES:
        return NAN
    return 1.0 if key in SYNCHRONOUS_CHANNELS else 0.0
