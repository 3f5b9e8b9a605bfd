"""Plain-language reasons for a score, in Japanese and English, one entry per feature.

A reason reads "<fact about this customer> — <what it means for the agent>": the fact
uses the feature's actual value ("Purchased 12 days ago"), the second half depends on
whether the feature raised the score or lowered it ("a good moment to confirm the
choice" / "the purchase is no longer fresh"). Features that describe the same thing
share one sentence (GROUPS): the channel and whether it is live; the contact reason and
how it was found. tests/models/test_explain.py fails for any feature of
features.spec without a sentence in both languages, so new features get texted.
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
    "activity": Text(lambda v: f"Best fit: {v}", "this kind of help suits the moment",
                     "a weak fit, though the best of the five", "Card type unknown"),
    "days_since_purchase": Text(lambda v: f"Purchased {_n(v, 'day', 'days')} ago",
                                "a good moment to confirm the choice",
                                "the purchase is no longer fresh", "Purchase date unknown"),
    "feature_adoption": Text(lambda v: f"Uses {v * 100:.0f}% of features", "room to learn more",
                             "not the moment to add more", "Feature use unknown"),
    "products_owned": Text(lambda v: f"Owns {_n(v, 'product', 'products')}",
                           "more to connect and get value from",
                           "focus on what they already have", "Products owned unknown"),
    "prior_contacts_90d": Text(lambda v: f"{_n(v, 'prior contact', 'prior contacts')} in 90 days",
                               "a familiar customer, open to advice",
                               "make sure this contact gets resolved",
                               "Prior contacts unknown"),
    "clv": Text(lambda v: f"Lifetime value {v:,.0f}", "a valuable customer, worth the time",
                "keep any suggestion brief", "Lifetime value unknown"),
    "plan_tier": Text(lambda v: f"{v} plan", "the plan has more to offer",
                      "keep suggestions within the plan", "Plan unknown"),
    "persona": Text(lambda v: f"{v} customer", "tends to welcome this kind of help",
                    "adapt the suggestion to their style", "Persona unknown"),
    "switching_effort": Text(lambda v: f"Switching would be {v} effort for them",
                             "committed, worth investing in", "show the value before anything else",
                             "Switching effort unknown"),
    "channel": Text(lambda v: f"{v} contact", "the channel suits a suggestion",
                    "this channel suits a short suggestion at most", "Channel unknown"),
    "language": Text(lambda v: f"Conversation in {v}", "a good setting for a suggestion",
                     "keep the suggestion simple", "Language unknown"),
    "contact_reason": Text(lambda v: f"Contact reason: {v}", "a natural opening for value",
                           "resolve the issue first", "Contact reason not clear yet"),
    "customer_sentiment": Text(
        lambda v: f"{_mood(v, ('Positive', 'Neutral', 'Negative'))} sentiment so far",
        "the customer is receptive", "resolve the issue first", "Sentiment not known yet"),
    "elapsed_seconds": Text(_elapsed_en, "a good point to offer more",
                            "focus on the request for now", "Time in conversation unknown"),
    "customer_utterances": Text(lambda v: f"{_n(v, 'customer message', 'customer messages')}",
                                "engaged in the conversation", "let the customer explain first",
                                "No transcript yet"),
    "question_marks": Text(lambda v: f"{_n(v, 'question', 'questions')} asked",
                           "curious, open to learning more", "answer their questions first",
                           "No transcript yet",
                           zero="No questions asked yet — offer something worth asking about"),
    "goal_cues": Text(lambda v: "Mentioned a goal", "help them reach it",
                      "the goal comes first, suggestions later", "No transcript yet",
                      zero="No goal mentioned yet — ask what they want to achieve"),
    "new_feature_cues": Text(lambda v: "Mentioned new features", "show what is new",
                             "answer about it before suggesting more", "No transcript yet",
                             zero="No mention of new features — introduce one only if it fits"),
    "negative_cues": Text(lambda v: f"Frustrated wording ({_n(v, 'phrase', 'phrases')})",
                          "they want this fixed — fix it and add value",
                          "resolve the issue first", "No transcript yet",
                          zero="No frustration in their words — a calm moment"),
}  # fmt: skip

JA = {
    "activity": Text(lambda v: f"最適なカード：{v}", "この場面に合ったご案内です",
                     "5種類の中では最善ですが相性は控えめです", "カード種別は不明"),
    "days_since_purchase": Text(lambda v: f"ご購入から{round(v):,}日",
                                "ご選択の確認に良いタイミングです",
                                "ご購入から時間が経っています", "ご購入日は不明"),
    "feature_adoption": Text(lambda v: f"機能のご利用率{v * 100:.0f}%",
                             "さらに活用いただける余地があります",
                             "今は機能を増やすご案内は控えましょう", "機能のご利用状況は不明"),
    "products_owned": Text(lambda v: f"ご利用製品{round(v):,}点",
                           "製品を組み合わせた活用をご案内できます",
                           "お使いの製品に絞ってご案内しましょう", "ご利用製品数は不明"),
    "prior_contacts_90d": Text(lambda v: f"過去90日のお問い合わせ{round(v):,}回",
                               "ご案内を受け入れやすいお客様です",
                               "今回のご用件を確実に解決しましょう", "過去のお問い合わせ数は不明"),
    "clv": Text(lambda v: f"顧客生涯価値{v:,.0f}", "時間をかける価値のあるお客様です",
                "ご提案は手短にしましょう", "顧客生涯価値は不明"),
    "plan_tier": Text(lambda v: f"{v}プラン", "プランをさらに活用いただけます",
                      "プランの範囲内でご案内しましょう", "プランは不明"),
    "persona": Text(lambda v: f"{v}タイプのお客様", "このようなご案内を好まれる傾向です",
                    "お客様のスタイルに合わせてご案内しましょう", "タイプは不明"),
    "switching_effort": Text(lambda v: f"乗り換えの手間：{v}", "長くお使いいただける見込みです",
                             "まず価値を実感いただきましょう", "乗り換えの手間は不明"),
    "channel": Text(lambda v: f"{v}でのお問い合わせ", "ご提案しやすいチャネルです",
                    "このチャネルでは簡潔なご案内に留めましょう", "チャネルは不明"),
    "language": Text(lambda v: f"{v}でのご対応", "ご提案しやすい状況です",
                     "ご提案はシンプルにしましょう", "言語は不明"),
    "contact_reason": Text(lambda v: f"ご用件：{v}", "価値をお伝えする好機です",
                           "まずはご用件の解決を優先してください", "ご用件はまだはっきりしません"),
    "customer_sentiment": Text(
        lambda v: f"ここまでのご様子は{_mood(v, ('前向き', '落ち着いている', '否定的'))}",
        "前向きにお話を聞いていただけそうです", "まずはご用件の解決を優先してください",
        "ご様子はまだ分かりません"),
    "elapsed_seconds": Text(_elapsed_ja, "ご提案に良いタイミングです",
                            "今はご用件に集中しましょう", "経過時間は不明"),
    "customer_utterances": Text(lambda v: f"お客様のご発言{round(v):,}回", "会話に積極的です",
                                "まずはお話をよく伺いましょう", "会話記録はまだありません"),
    "question_marks": Text(lambda v: f"ご質問{round(v):,}件", "関心をお持ちです",
                           "まずはご質問にお答えしましょう", "会話記録はまだありません",
                           zero="ご質問はまだありません — 関心を持っていただける話題を"),
    "goal_cues": Text(lambda v: "目標についてのご発言あり", "目標の達成をお手伝いしましょう",
                      "まず目標を伺い、ご提案はその後に", "会話記録はまだありません",
                      zero="目標についてのご発言はまだありません — 達成したいことを伺いましょう"),
    "new_feature_cues": Text(lambda v: "新機能についてのご発言あり", "新しい機能をご紹介しましょう",
                             "まずはそのご質問にお答えしましょう", "会話記録はまだありません",
                             zero="新機能の話題はまだありません — 合う場合のみご紹介を"),
    "negative_cues": Text(lambda v: f"ご不満を示すお言葉（{round(v):,}件）",
                          "解決と合わせて価値をお伝えしましょう",
                          "まずはご用件の解決を優先してください", "会話記録はまだありません",
                          zero="ご不満のお言葉はありません — 落ち着いた状況です"),
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
        fact = text.unknown
    elif isinstance(value, str):
        fact = text.fact(label(language, feature, value))
    elif text.zero is not None and round(value) == 0:
        return text.zero
    else:
        fact = text.fact(value)
    return f"{fact} — {text.positive if positive else text.negative}"


def reason_sentence(language: str, reason: str | None, inferred: bool, evidence, positive: bool):
    """The contact reason, quoting the customer's own words when it was inferred."""
    text = TEXTS[language]["contact_reason"]
    tail = text.positive if positive else text.negative
    quoted = [e for e in evidence or () if e][:MAX_EVIDENCE]
    if reason is None or (inferred and not quoted):
        return f"{text.unknown} — {tail}"
    if not inferred:
        return f"{text.fact(label(language, 'contact_reason', reason))} — {tail}"
    if language == "ja":
        said = "".join(f"「{e}」" for e in quoted)
        return f"{said}とのご発言（{label('ja', 'contact_reason', reason)}） — {tail}"
    said = ", ".join(f'"{e}"' for e in quoted)
    return f"{EN_INFERRED.get(reason, EN_INFERRED['other'])} ({said}) — {tail}"
