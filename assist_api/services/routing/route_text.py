"""The route as one sentence an agent understands, in the desk's language.

The decision log keeps the router's technical account (bars, shares, expected values);
the agent is told where the customer goes and, in a few words, why: the pool's strength
for this customer, or that it had the most free seats, and that the first choice was full.
"""

from features.vocabulary import card_language
from models.explanation_labels import LABELS

SENTENCES = {
    "en": {
        "value": "To {pool}: its agents are strongest at {activity} for this customer{seats}.",
        "balanced": "To {pool}: the group with the most free seats{seats}.",
        "band": "To {pool}: the usual group for this contact.",
        "fallback": "The first choice is full, so ",
        "seats": " ({free} free seats)",
        "seats_unknown": " (free seats not reported)",
    },
    "ja": {
        "value": "{activity}が得意な担当者グループ（{pool}）へ{seats}",
        "balanced": "空き席が最も多い担当者グループ（{pool}）へ{seats}",
        "band": "通常の担当者グループ（{pool}）へ",
        "fallback": "第一候補が満席のため、",
        "seats": "（空き席 {free}）",
        "seats_unknown": "（空き席の報告なし）",
    },
}


def route_sentence(route, language: str) -> str:
    """One plain sentence for `route` (routing.route.Route) in `language` (en fallback)."""
    lang = card_language(language)
    words = SENTENCES[lang]
    kind = route.kind if route.kind in ("value", "balanced") else "band"
    if kind == "value" and route.activity is None:
        kind = "balanced"
    seats = words["seats_unknown"] if route.free is None else words["seats"]
    text = words[kind].format(
        pool=route.pool,
        activity=LABELS[lang]["activity"].get(route.activity or "", route.activity),
        seats=seats.format(free=route.free),
    )
    if not route.fallback or kind == "band":
        return text
    return words["fallback"] + (text[0].lower() + text[1:] if lang == "en" else text)
