"""The contract's vocabulary: the only place these value lists are spelled out.

Every room imports them from here so the simulator, the importer, the features, the
playbooks and the API can never disagree on what a valid channel or activity is.
"""

ACTIVITIES = (
    "validate_purchase",
    "anticipate_needs",
    "achieve_goals",
    "educate_usage",
    "advise_new_features",
)
CHANNELS = (
    "phone",
    "chat",
    "email",
    "sms",
    "social",
    "self_service",
    "chatbot",
    "forum",
    "in_person",
)
SYNCHRONOUS_CHANNELS = frozenset({"phone", "chat", "in_person"})
AGENTLESS_CHANNELS = frozenset({"self_service", "chatbot"})
CONTACT_REASONS = (
    "inquiry",
    "how_to",
    "order_status",
    "billing",
    "technical_issue",
    "complaint",
    "cancellation",
    "other",
)
SWITCHING_EFFORTS = ("high", "low")
# Personas and plan tiers are open vocabularies (a customer's CRM may have others);
# these are the ones the demo world uses and the features know by name.
PERSONAS = ("novice", "pragmatist", "enthusiast", "professional")
PLAN_TIERS = ("basic", "standard", "premium", "enterprise")
CARD_LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "en"
OPENNESS_BANDS = ("low", "medium", "high")
# system: data feeds (outcomes of business measures, customer profiles, pool capacity)
ROLES = ("agent", "lead", "scientist", "admin", "system")

# VE success: both VES items (1-7) at or above this threshold.
VES_SUCCESS_THRESHOLD = 5


def primary_language(tag: str | None) -> str:
    """`ja-JP` -> `ja`; empty -> the default language."""
    if not tag:
        return DEFAULT_LANGUAGE
    return tag.split("-")[0].split("_")[0].lower()


def card_language(tag: str | None) -> str:
    """The language cards are shown in: the customer's if cards exist in it, else English."""
    lang = primary_language(tag)
    return lang if lang in CARD_LANGUAGES else DEFAULT_LANGUAGE


def is_ve_success(ves_confidence: float | None, ves_ability: float | None) -> bool | None:
    """True/False when both VES items are known, None while the survey is incomplete."""
    if ves_confidence is None or ves_ability is None:
        return None
    return ves_confidence >= VES_SUCCESS_THRESHOLD and ves_ability >= VES_SUCCESS_THRESHOLD
