"""Why a kind of card is not offered now, as a short line the agent can act on.

The rules (rules.py) return a `Why` for each card they hold back: a plain string for the
decision log and the preview, which also carries a stable code and its numbers. This
module turns one `Why` into the agent's words in Japanese or English, e.g.
"New features: from day 30 after purchase (now day 9)". Category values (plans,
channels, contact reasons) are labelled by the caller, which owns the vocabulary's
labels, so this room stays free of them.
"""

from collections.abc import Callable

from features.vocabulary import card_language


class Why(str):
    """A rule's reason: the log's English text, plus `code` and `params` for the agent's line."""

    code: str
    params: dict

    def __new__(cls, text: str, code: str, **params):
        made = super().__new__(cls, text)
        made.code, made.params = code, params
        return made


LINES = {
    "en": {
        "plan_tier.not_listed": "only for {allowed} plans",
        "persona.not_listed": "only for {allowed} customers",
        "language.not_listed": "not written for this language",
        "products_owned.below": "for customers with {low}+ products (has {value})",
        "products_owned.above": "for customers with up to {high} products (has {value})",
        "channel.agentless": "no self-service wording for this channel",
        "contact_reason.unknown": "waits until the reason for the contact is clear",
        "contact_reason.not_listed": "not for {value}",
        "channel.not_listed": "not used on {value}",
        "days_since_purchase.below": "from day {low} after purchase (now day {value})",
        "days_since_purchase.above": "only in the first {high} days after purchase "
        "(now day {value})",
        "feature_adoption.below": "once they use {low}% of features (now {value}%)",
        "feature_adoption.above": "while they use under {high}% of features (now {value}%)",
        "complaint_unresolved": "not while a complaint is unresolved",
        "waits_for_resolution": "waits until the issue is resolved",
        "sentiment.below": "waits until the customer is calmer",
        "frequency_cap": "already shown {value} times in 30 days",
        # the CRM profile does not say (issue 20: the desk may send only the customer's id)
        "plan_tier.unknown": "needs the customer's plan (not in the CRM profile)",
        "persona.unknown": "needs the customer's persona (not in the CRM profile)",
        "products_owned.unknown": "needs the products they own (not in the CRM profile)",
        "days_since_purchase.unknown": "needs the purchase date (not in the CRM profile)",
        "feature_adoption.unknown": "needs their feature use (not in the CRM profile)",
    },
    "ja": {
        "plan_tier.not_listed": "{allowed}プランのお客様のみ",
        "persona.not_listed": "{allowed}のお客様のみ",
        "language.not_listed": "この言語のカードがありません",
        "products_owned.below": "製品{low}点以上のお客様向け（現在{value}点）",
        "products_owned.above": "製品{high}点までのお客様向け（現在{value}点）",
        "channel.agentless": "このチャネル向けの文面がありません",
        "contact_reason.unknown": "ご用件が分かってから",
        "contact_reason.not_listed": "{value}には使いません",
        "channel.not_listed": "{value}では使いません",
        "days_since_purchase.below": "購入から{low}日以降（現在{value}日）",
        "days_since_purchase.above": "購入から{high}日以内のみ（現在{value}日）",
        "feature_adoption.below": "機能の利用が{low}%以上になってから（現在{value}%）",
        "feature_adoption.above": "機能の利用が{high}%未満のあいだ（現在{value}%）",
        "complaint_unresolved": "苦情が解決するまでは使いません",
        "waits_for_resolution": "問題が解決してから",
        "sentiment.below": "お客様のお気持ちが落ち着いてから",
        "frequency_cap": "30日以内にすでに{value}回表示済み",
        "plan_tier.unknown": "ご契約プランが必要です（CRMにありません）",
        "persona.unknown": "お客様のペルソナが必要です（CRMにありません）",
        "products_owned.unknown": "保有製品数が必要です（CRMにありません）",
        "days_since_purchase.unknown": "購入日が必要です（CRMにありません）",
        "feature_adoption.unknown": "機能の利用状況が必要です（CRMにありません）",
    },
}
# When several cards of an activity are held back, the agent hears the reason that can
# change during this contact (or soon) first: "from day 30" helps, "only for premium" less.
PRIORITY = (
    "waits_for_resolution", "days_since_purchase", "sentiment", "complaint_unresolved",
    "contact_reason", "feature_adoption", "channel", "frequency_cap", "products_owned",
    "persona", "plan_tier", "language",
)  # fmt: skip
SEPARATOR = {"en": ", ", "ja": "・"}
PERCENT_CODES = ("feature_adoption.below", "feature_adoption.above")
LABELLED = {"plan_tier": "plan_tier", "persona": "persona", "contact_reason": "contact_reason",
            "channel": "channel"}  # fmt: skip


def priority(why: str) -> int:
    """Lower is told first (see PRIORITY); a plain string comes last."""
    head = (getattr(why, "code", None) or "").split(".")[0]
    return PRIORITY.index(head) if head in PRIORITY else len(PRIORITY)


def why_not_line(
    why: str, language: str, label: Callable[[str, str, str], str] = lambda _l, _k, v: v
) -> str:
    """The agent's words for `why` (a `Why`; a plain string is returned as it is).

    `label(language, kind, value)` names a category value ("standard" -> "Standard").
    """
    code = getattr(why, "code", None)
    lang = card_language(language)
    if code not in LINES[lang]:
        return str(why)
    params = dict(why.params)
    kind = LABELLED.get(code.split(".")[0])
    if kind:
        if params.get("value") is not None:
            params["value"] = label(lang, kind, str(params["value"]))
        params["allowed"] = SEPARATOR[lang].join(
            label(lang, kind, v) for v in params.get("allowed", ())
        )
    if code in PERCENT_CODES:
        params = {k: round(v * 100) if isinstance(v, float) else v for k, v in params.items()}
    elif "value" in params and isinstance(params["value"], float):
        params["value"] = round(params["value"])
    return LINES[lang][code].format(**params)
