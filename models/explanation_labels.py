"""Category values and inferred contact reasons as an agent reads them, in en and ja.

Kept apart from explanation_text.py's sentences: these follow the vocabulary
(features/vocabulary.py), the sentences follow the feature spec.
"""

LABELS = {
    "en": {
        "activity": {"validate_purchase": "confirming the purchase",
                     "anticipate_needs": "anticipating needs", "achieve_goals": "reaching goals",
                     "educate_usage": "teaching how to use it",
                     "advise_new_features": "new features"},
        "plan_tier": {"basic": "Basic", "standard": "Standard", "premium": "Premium",
                      "enterprise": "Enterprise"},
        "persona": {"novice": "Novice", "pragmatist": "Pragmatic", "enthusiast": "Enthusiast",
                    "professional": "Professional"},
        "switching_effort": {"high": "high", "low": "low"},
        "channel": {"phone": "Phone", "chat": "Chat", "email": "Email", "sms": "SMS",
                    "social": "Social media", "self_service": "Self-service",
                    "chatbot": "Chatbot", "forum": "Forum", "in_person": "In-person"},
        "language": {"ja": "Japanese", "en": "English", "other": "another language"},
        "contact_reason": {"inquiry": "a general question", "how_to": "a how-to question",
                           "order_status": "an order status check",
                           "billing": "a billing question",
                           "technical_issue": "a technical problem",
                           "complaint": "a complaint", "cancellation": "a cancellation request",
                           "other": "another topic"},
    },
    "ja": {
        "activity": {"validate_purchase": "購入の確認", "anticipate_needs": "ニーズの先取り",
                     "achieve_goals": "目標の達成", "educate_usage": "使い方のご案内",
                     "advise_new_features": "新機能のご紹介"},
        "plan_tier": {"basic": "ベーシック", "standard": "スタンダード", "premium": "プレミアム",
                      "enterprise": "エンタープライズ"},
        "persona": {"novice": "初心者", "pragmatist": "実用重視", "enthusiast": "愛好家",
                    "professional": "プロフェッショナル"},
        "switching_effort": {"high": "大きい", "low": "小さい"},
        "channel": {"phone": "お電話", "chat": "チャット", "email": "メール", "sms": "SMS",
                    "social": "ソーシャルメディア", "self_service": "セルフサービス",
                    "chatbot": "チャットボット", "forum": "フォーラム", "in_person": "対面"},
        "language": {"ja": "日本語", "en": "英語", "other": "その他の言語"},
        "contact_reason": {"inquiry": "一般的なお問い合わせ", "how_to": "使い方のご質問",
                           "order_status": "ご注文状況の確認", "billing": "ご請求についてのご質問",
                           "technical_issue": "技術的な問題", "complaint": "ご不満・苦情",
                           "cancellation": "解約のご相談", "other": "その他のご用件"},
    },
}  # fmt: skip

# What the customer was heard to do, for a contact reason inferred from the transcript.
EN_INFERRED = {
    "inquiry": "Asked a question", "how_to": "Asked how to do something",
    "order_status": "Asked about an order", "billing": "Asked about billing",
    "technical_issue": "Reported a technical problem", "complaint": "Complained",
    "cancellation": "Mentioned cancelling", "other": "Raised another topic",
}  # fmt: skip
