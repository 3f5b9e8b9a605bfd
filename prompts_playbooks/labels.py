"""The words a customer hears for the CRM's codes: `standard` is "Standard" in English and
「スタンダード」 in Japanese, never the raw code read out mid-call.

One table for the card templates' `label` filter and for the pages that show the same
codes (the desk's customer summary, the editor's sample controls), so a card and the
screen beside it call a plan by the same name.
"""

from features.vocabulary import DEFAULT_LANGUAGE, PERSONAS, PLAN_TIERS

LABELLED_FIELDS = ("persona", "plan_tier")
VALUE_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "en": {
        "persona": {
            "novice": "Novice",
            "pragmatist": "Pragmatic",
            "enthusiast": "Enthusiast",
            "professional": "Professional",
        },
        "plan_tier": {
            "basic": "Basic",
            "standard": "Standard",
            "premium": "Premium",
            "enterprise": "Enterprise",
        },
    },
    "ja": {
        "persona": {
            "novice": "初心者",
            "pragmatist": "実用重視",
            "enthusiast": "愛好家",
            "professional": "プロフェッショナル",
        },
        "plan_tier": {
            "basic": "ベーシック",
            "standard": "スタンダード",
            "premium": "プレミアム",
            "enterprise": "エンタープライズ",
        },
    },
}
CODES = {"persona": PERSONAS, "plan_tier": PLAN_TIERS}
# Persona and plan codes never overlap, so a value alone says which table it is from.
_BY_VALUE = {
    lang: {code: label for table in fields.values() for code, label in table.items()}
    for lang, fields in VALUE_LABELS.items()
}


def value_label(value: str | None, language: str) -> str:
    """The label of a persona or plan code in `language` (English for a language without
    labels); a code the vocabulary does not know (a CRM's own plan name) is shown as it is."""
    if value is None:
        return ""
    table = _BY_VALUE.get(language) or _BY_VALUE[DEFAULT_LANGUAGE]
    return table.get(value, value)
