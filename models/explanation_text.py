"""Plain-language reasons for a score, in Japanese and English, one entry per feature.

A reason is a short sentence for the agent mid-call, "<fact>: <what to do>": the fact
uses the feature's actual value ("Bought 12 days ago"), the advice depends on whether the
feature raised the score or lowered it ("a good time to confirm they chose well" / "the
purchase is no longer new"). The card type itself is never a reason (explain.py leaves it
out): "this kind of help suits the moment" would only restate the ranking. A quoted
customer phrase is whole words (features.contact_reason widens matches to word edges).
Features that describe the same thing share one sentence (GROUPS): the channel and
whether it is live; the contact reason and how it was found. tests/models/test_explain.py
fails for any feature of features.spec without a sentence in both languages.
"""

from collections.abc import Callable
from dataclasses import dataclass

from features.vocabulary import CONTACT_REASONS, card_language
from models.explanation_labels import EN_INFERRED, LABELS

# feature -> the feature whose sentence covers it (contributions are summed)
GROUPS = {
    "synchronous_channel": "channel",
    "reason_inferred": "contact_reason",
    "reason_confidence": "contact_reason",
    **{f"reason_p_{r}": "contact_reason" for r in CONTACT_REASONS},
    "sentiment_inferred": "customer_sentiment",
    "customer_chars": "customer_utterances",
}
MAX_EVIDENCE = 2  # transcript phrases quoted for an inferred contact reason
MOOD_CUTOFF = 0.2  # |sentiment| below this reads as neutral


@dataclass(frozen=True)
class Text:
    fact: Callable[[object], str]  # value (float, or category label) -> phrase
    positive: str  # when the feature raised the score
    negative: str  # when it lowered it
    unknown: str  # fact when the value is missing
    zero: str | None = None  # whole sentence for a count of 0, whatever the sign


def _n(value: float, one: str, many: str) -> str:
    count = round(value)
    return f"{count:,} {one if count == 1 else many}"


def _mood(value: float, words: tuple[str, str, str]) -> str:
    return words[0] if value >= MOOD_CUTOFF else words[2] if value <= -MOOD_CUTOFF else words[1]


def _elapsed_en(s: float) -> str:
    spent = f"{s:.0f} seconds" if s < 90 else f"{s / 60:.0f} minutes"
    return f"{spent} into the conversation"


def _elapsed_ja(s: float) -> str:
    return f"会話開始から{s:.0f}秒" if s < 90 else f"会話開始から{s / 60:.0f}分"


EN = {
    "activity": Text(lambda v: f"Suits {v}", "", "", "Card type unknown"),
    "days_since_purchase": Text(lambda v: f"Bought {_n(v, 'day', 'days')} ago",
                                "a good time to confirm they chose well",
                                "the purchase is no longer new", "Purchase date unknown"),
    "feature_adoption": Text(lambda v: f"Uses {v * 100:.0f}% of the features",
                             "show them one more", "don't add more now", "Feature use unknown"),
    "products_owned": Text(lambda v: f"Owns {_n(v, 'product', 'products')}",
                           "show how they work together", "stay with what they have",
                           "Products owned unknown"),
    "prior_contacts_90d": Text(lambda v: f"{_n(v, 'contact', 'contacts')} in 90 days",
                               "they know us and take advice",
                               "make sure this one gets solved", "Past contacts unknown"),
    "clv": Text(lambda v: f"Lifetime value {v:,.0f}", "worth a few extra minutes",
                "keep any suggestion brief", "Lifetime value unknown"),
    "plan_tier": Text(lambda v: f"{v} plan", "it has more to offer them",
                      "suggest only what the plan includes", "Plan unknown"),
    "persona": Text(lambda v: f"{v} customer", "usually welcomes this kind of help",
                    "fit the suggestion to how they work", "Persona unknown"),
    "switching_effort": Text(lambda v: f"Switching would be {v} effort",
                             "worth investing in them", "show the value before anything else",
                             "Switching effort unknown"),
    "channel": Text(lambda v: f"{v}", "a good channel for a suggestion",
                    "keep any suggestion short", "Channel unknown"),
    "language": Text(lambda v: f"In {v}", "a good setting for a suggestion",
                     "keep the suggestion simple", "Language unknown"),
    "contact_reason": Text(lambda v: f"{v}", "a natural opening", "solve the issue first",
                           "Reason for the contact not clear yet"),
    "customer_sentiment": Text(
        lambda v: f"{_mood(v, ('Positive', 'Calm', 'Upset'))} so far",
        "they are receptive", "solve the issue first", "Mood not known yet"),
    "elapsed_seconds": Text(_elapsed_en, "a good point to offer more",
                            "stay on the request for now", "Time in the call unknown"),
    "customer_utterances": Text(lambda v: "They are talking freely", "engaged",
                                "let them explain first", "No conversation yet"),
    "question_marks": Text(lambda v: f"Asked {_n(v, 'question', 'questions')}",
                           "open to learning more", "answer them first", "No conversation yet",
                           zero="No questions yet: offer something worth asking about"),
    "goal_cues": Text(lambda v: "Mentioned a goal", "help them reach it",
                      "the goal first, suggestions later", "No conversation yet",
                      zero="No goal mentioned yet: ask what they want to achieve"),
    "new_feature_cues": Text(lambda v: "Asked about new features", "show what is new",
                             "answer that before suggesting more", "No conversation yet",
                             zero="No mention of new features: introduce one only if it fits"),
    "negative_cues": Text(lambda v: "Frustrated", "fix it, then add value",
                          "solve the issue first", "No conversation yet",
                          zero="Calm so far: no frustration in their words"),
}  # fmt: skip

JA = {
    "activity": Text(lambda v: f"{v}が合う場面", "", "", "カード種別は不明"),
    "days_since_purchase": Text(lambda v: f"ご購入から{round(v):,}日",
                                "選んでよかったと実感していただく好機です",
                                "購入直後ではありません", "ご購入日は不明"),
    "feature_adoption": Text(lambda v: f"機能の利用は{v * 100:.0f}%",
                             "もう一つ便利な機能をご紹介できます",
                             "今は新しい機能を増やさないでください", "機能の利用状況は不明"),
    "products_owned": Text(lambda v: f"ご利用製品は{round(v):,}点",
                           "組み合わせた使い方をご紹介できます",
                           "お使いの製品に絞ってご案内ください", "ご利用製品数は不明"),
    "prior_contacts_90d": Text(lambda v: f"過去90日のお問い合わせ{round(v):,}回",
                               "ご案内を受け入れていただきやすいお客様です",
                               "今回のご用件を確実に解決してください",
                               "過去のお問い合わせ数は不明"),
    "clv": Text(lambda v: f"顧客生涯価値{v:,.0f}", "少し時間をかける価値があります",
                "ご提案は手短に", "顧客生涯価値は不明"),
    "plan_tier": Text(lambda v: f"{v}プラン", "プランにはまだ活用できる機能があります",
                      "プランの範囲内でご案内ください", "プランは不明"),
    "persona": Text(lambda v: f"{v}のお客様", "このようなご案内を好まれる傾向です",
                    "お客様の使い方に合わせてご案内ください", "ペルソナは不明"),
    "switching_effort": Text(lambda v: f"乗り換えの手間が{v}",
                             "長くお付き合いいただけるお客様です",
                             "まず価値を実感していただきましょう", "乗り換えの手間は不明"),
    "channel": Text(lambda v: f"{v}でのご対応", "ご提案しやすいチャネルです",
                    "ご提案は短く", "チャネルは不明"),
    "language": Text(lambda v: f"{v}でのご対応", "ご提案しやすい状況です",
                     "ご提案はシンプルに", "言語は不明"),
    "contact_reason": Text(lambda v: f"{v}", "価値をお伝えしやすいご用件です",
                           "まずはご用件の解決を", "ご用件はまだはっきりしません"),
    "customer_sentiment": Text(
        lambda v: f"ここまでのご様子は{_mood(v, ('前向き', '落ち着いている', '不満げ'))}",
        "お話を聞いていただけそうです", "まずはご用件の解決を", "ご様子はまだ分かりません"),
    "elapsed_seconds": Text(_elapsed_ja, "ご提案に良いタイミングです",
                            "今はご用件に集中してください", "経過時間は不明"),
    "customer_utterances": Text(lambda v: "お客様がよく話してくださっています", "関心をお持ちです",
                                "まずはお話をよく伺ってください", "まだ会話がありません"),
    "question_marks": Text(lambda v: f"ご質問が{round(v):,}件", "関心をお持ちです",
                           "まずはご質問にお答えください", "まだ会話がありません",
                           zero="ご質問はまだありません：関心を持っていただける話題を"),
    "goal_cues": Text(lambda v: "目標のお話がありました", "達成をお手伝いしましょう",
                      "まず目標を伺い、ご提案はその後に", "まだ会話がありません",
                      zero="目標のお話はまだありません：実現したいことを伺いましょう"),
    "new_feature_cues": Text(lambda v: "新機能について尋ねられました",
                             "新しい機能をご紹介しましょう",
                             "まずはそのご質問にお答えください", "まだ会話がありません",
                             zero="新機能の話題はまだありません：合う場合のみご紹介を"),
    "negative_cues": Text(lambda v: "ご不満のお言葉がありました",
                          "解決してから価値をお伝えしましょう",
                          "まずはご用件の解決を", "まだ会話がありません",
                          zero="落ち着いたご様子です：ご不満のお言葉はありません"),
}  # fmt: skip

TEXTS = {"en": EN, "ja": JA}


def text_language(language: str | None) -> str:
    """The language reasons are written in: ja or en (anything else falls back to en)."""
    return card_language(language)


def label(language: str, feature: str, value: str) -> str:
    """A category value as the agent reads it (the raw value if there is no label)."""
    return LABELS[language].get(feature, {}).get(value, value)


def sentence(language: str, feature: str, value, positive: bool) -> str:
    """One reason: `value` is a float, a category value (str), or None when missing."""
    text = TEXTS[language][feature]
    if value is None:
        return text.unknown  # no advice on a value nobody knows
    if isinstance(value, str):
        fact = text.fact(label(language, feature, value))
    elif text.zero is not None and round(value) == 0:
        return text.zero
    else:
        fact = text.fact(value)
    return _joined(language, fact, text.positive if positive else text.negative)


def _joined(language: str, fact: str, advice: str) -> str:
    """ "Bought 12 days ago: a good time to …" — the fact, then what it means for the agent."""
    if not advice:
        return fact
    return f"{fact}：{advice}" if language == "ja" else f"{fact}: {advice}"


def reason_sentence(language: str, reason: str | None, inferred: bool, evidence, positive: bool):
    """The contact reason, quoting the customer's own words (whole words) when inferred."""
    text = TEXTS[language]["contact_reason"]
    tail = text.positive if positive else text.negative
    quoted = [e for e in evidence or () if e and any(ch.isalnum() for ch in e)][:MAX_EVIDENCE]
    if reason is None:
        return _joined(language, text.unknown, tail)
    name = label(language, "contact_reason", reason)
    if not inferred or not quoted:
        fact = name[:1].upper() + name[1:] if language == "en" else name
        return _joined(language, fact, tail)
    if language == "ja":
        said = "".join(f"「{e}」" for e in quoted)
        return _joined(language, f"{said}（{name}）", tail)
    said = ", ".join(f'"{e}"' for e in quoted)
    return _joined(language, f"{EN_INFERRED.get(reason, EN_INFERRED['other'])} ({said})", tail)
