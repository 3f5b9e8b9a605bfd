"""The interaction facts that card rules and card templates may look at.

Built once per request from a flat import-format record (or the assist request, whose
customer attributes sit under `customer`), then shared by rule checks and rendering.
Values from CSV arrive as strings, so numbers are converted here; no pandas, so the
real-time path stays fast.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from features.vocabulary import primary_language


@dataclass(frozen=True, slots=True)
class InteractionContext:
    # The customer's CRM attributes; None when neither the desk nor the profile knows one
    # (a rule bounding it then does not pass, and a text using it is not shown).
    days_since_purchase: int | None
    persona: str | None
    plan_tier: str | None
    products_owned: int | None
    feature_adoption: float | None  # 0-1
    channel: str
    language: str  # primary tag: "ja-JP" is kept as "ja"
    contact_reason: str | None = None  # None when neither given nor inferred
    customer_sentiment: float | None = None  # -1..1
    # None means "not told": a complaint contact then counts as unresolved (see rules).
    complaint_unresolved: bool | None = None
    # Whether the customer's issue is resolved: the agent's toggle, else the customer's
    # own words (features.resolution); None = nobody has said, which counts as not yet.
    issue_resolved: bool | None = None


_REQUIRED = {"channel": str, "language": str}
_CUSTOMER = {
    "days_since_purchase": int,
    "persona": str,
    "plan_tier": str,
    "products_owned": int,
    "feature_adoption": float,
}
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _convert(name: str, value: Any, kind: type) -> Any:
    try:
        if kind is int:
            return int(float(value))
        if kind is float:
            return float(value)
        if kind is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in _TRUE | _FALSE:
                return text in _TRUE
            raise ValueError(value)
        return str(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: not a valid {kind.__name__}: {value!r}") from None


def context_from_record(record: Mapping[str, Any]) -> InteractionContext:
    """Build the context; raises ValueError naming the first missing or malformed field
    (channel and language are required; the customer's attributes may be unknown)."""
    fields = {**record.get("customer", {}), **record} if "customer" in record else record
    values: dict[str, Any] = {}
    for name, kind in _REQUIRED.items():
        if _blank(fields.get(name)):
            raise ValueError(f"{name}: missing")
        values[name] = _convert(name, fields[name], kind)
    values["language"] = primary_language(values["language"])
    for name, kind in (
        *_CUSTOMER.items(),
        ("contact_reason", str),
        ("customer_sentiment", float),
        ("complaint_unresolved", bool),
        ("issue_resolved", bool),
    ):
        value = fields.get(name)
        values[name] = None if _blank(value) else _convert(name, value, kind)
    return InteractionContext(**values)


# Used to preview cards and to trial-render every template when a card is saved, so a
# template that cannot render fails validation instead of a live request.
SAMPLE_CONTEXTS = (
    InteractionContext(
        days_since_purchase=12,
        persona="novice",
        plan_tier="standard",
        products_owned=2,
        feature_adoption=0.35,
        channel="phone",
        language="ja",
        contact_reason="how_to",
        customer_sentiment=0.2,
    ),
    InteractionContext(
        days_since_purchase=0,
        persona="professional",
        plan_tier="enterprise",
        products_owned=0,
        feature_adoption=1.0,
        channel="chatbot",
        language="en",
    ),
)
# Save-time checks also render every template for the longest values a request may send
# (64-character persona and plan, the largest counts): the rendered-size cap must hold
# for every customer, not only for the samples.
CHECK_CONTEXTS = (
    *SAMPLE_CONTEXTS,
    InteractionContext(
        days_since_purchase=36_500,
        persona="p" * 64,
        plan_tier="t" * 64,
        products_owned=1_000,
        feature_adoption=0.123456789,
        channel="self_service",
        language="en",
        contact_reason="technical_issue",
        customer_sentiment=-1.0,
    ),
)
