"""/ui/desk — the agent desk: live guidance beside the conversation.

The page is a server-rendered shell; `static/desk.js` does the work through the public
API (`POST /v1/assist` after each customer line, `POST /v1/outcomes` for the card used
and the end-of-contact survey), so it is also the reference client for desktop
integrations. Both languages' words ship with the page: switching language relabels it
in place instead of reloading, because a reload would lose the live conversation.
"""

from flask import Blueprint, current_app

from assist_api.routes.pages import page, render_page
from assist_api.ui_text import LANGUAGES, load_texts
from features.vocabulary import CHANNELS, CONTACT_REASONS, PERSONAS, PLAN_TIERS
from prompts_playbooks.labels import VALUE_LABELS

blp = Blueprint("desk_page", __name__, url_prefix="/ui")

# The shared words of base.html that a live language switch relabels too.
SHARED_KEYS = (
    "app_name",
    "nav_desk",
    "nav_playbooks",
    "nav_roi",
    "nav_docs",
    "language",
    "signed_in_as",
    "sign_out",
)

PAGE_TEXT = {
    "en": {
        "desk_title": "Agent desk",
        "desk_contact": "Contact and customer",
        "desk_interaction_id": "Interaction ID",
        "desk_channel": "Channel",
        "desk_conversation_language": "Conversation language",
        "desk_contact_reason": "Contact reason",
        "desk_reason_auto": "(from the conversation)",
        "desk_customer_id": "Customer ID",
        "desk_days_since_purchase": "Days since purchase",
        "desk_persona": "Persona",
        "desk_plan_tier": "Plan",
        "desk_products_owned": "Products owned",
        "desk_feature_adoption": "Feature adoption (0–1)",
        "desk_prior_contacts": "Contacts in the last 90 days",
        "desk_clv": "Customer lifetime value",
        "desk_switching_effort": "Switching effort",
        "desk_effort_high": "High",
        "desk_effort_low": "Low",
        "desk_days": "{n} days since purchase",
        "desk_new_contact": "New contact",
        "desk_transcript": "Conversation",
        "desk_speaker": "Speaker",
        "desk_speaker_customer": "Customer",
        "desk_speaker_agent": "Agent",
        "desk_line": "Line",
        "desk_line_help": "Enter adds the line, Shift+Enter starts a new one. Pasted lines "
        "that begin with “Customer:” or “Agent:” keep their speaker.",
        "desk_add_line": "Add line",
        "desk_transcript_empty": "No lines yet. Guidance appears after the customer's first line.",
        "desk_cards": "Suggested cards",
        "desk_no_cards": "No card fits this moment; keep serving the customer.",
        "desk_cards_holdout": "Control group: no cards for this contact, by design.",
        "desk_top_changed": "New top card",
        "desk_replaces": "replaces",
        "desk_mark_used": "Use",
        "desk_used": "Used ✓",
        "desk_openness": "Openness to value enhancement",
        "desk_band_low": "Low",
        "desk_band_medium": "Medium",
        "desk_band_high": "High",
        "desk_no_score": "No score",
        "desk_reasons": "Why",
        "desk_route": "Route",
        "desk_route_fallback": "fallback",
        "desk_model": "Model",
        "desk_outcome": "End of contact",
        "desk_ves_confidence": "“I am more confident in my purchase” (1–7)",
        "desk_ves_ability": "“I am better able to use it” (1–7)",
        "desk_csat": "CSAT (1–5)",
        "desk_resolved": "Resolved",
        "desk_yes": "Yes",
        "desk_no": "No",
        "desk_not_asked": "—",
        "desk_record_outcome": "Record outcome",
        "desk_outcome_saved": "Outcome recorded.",
        "desk_ve_success": "Value enhancement succeeded.",
        "desk_ve_not_success": "Not a value-enhancement success.",
        "desk_status_idle": "Waiting for the customer's first line.",
        "desk_status_loading": "Updating guidance…",
        "desk_status_ready": "Guidance updated.",
        "desk_status_holdout": "This contact is in the control group: no cards and no score, "
        "by design. Serve the customer as usual.",
        "desk_status_model_unavailable": "The model is unavailable: cards are ranked by "
        "rules only and there is no openness score.",
        "desk_status_degraded": "Working with reduced service:",
        "desk_status_profile_missing": "No CRM profile for this customer: guidance uses "
        "what the conversation shows and any fields typed here.",
        "desk_error_session": "Your session has ended. Sign in again to continue.",
        "desk_sign_in_again": "Sign in again",
        "desk_error_network": "Cannot reach Value Assist. The next customer line tries again.",
        "desk_error_fields": "Check these fields:",
        "desk_error_unknown_contact": "No guidance was requested for this contact yet, so "
        "there is nothing to attach the outcome to. Add a customer line first.",
        "desk_error_nothing_chosen": "Choose at least one answer.",
        "desk_activity_validate_purchase": "Validate the purchase",
        "desk_activity_anticipate_needs": "Anticipate needs",
        "desk_activity_achieve_goals": "Achieve goals",
        "desk_activity_educate_usage": "Educate on usage",
        "desk_activity_advise_new_features": "Advise on new features",
        "desk_channel_phone": "Phone",
        "desk_channel_chat": "Chat",
        "desk_channel_email": "Email",
        "desk_channel_sms": "SMS / messaging",
        "desk_channel_social": "Social",
        "desk_channel_self_service": "Self-service",
        "desk_channel_chatbot": "Chatbot",
        "desk_channel_forum": "Forum",
        "desk_channel_in_person": "In person",
        "desk_reason_inquiry": "Inquiry",
        "desk_reason_how_to": "How to",
        "desk_reason_order_status": "Order status",
        "desk_reason_billing": "Billing",
        "desk_reason_technical_issue": "Technical issue",
        "desk_reason_complaint": "Complaint",
        "desk_reason_cancellation": "Cancellation",
        "desk_reason_other": "Other",
    },
    "ja": {
        "desk_title": "エージェントデスク",
        "desk_contact": "対応とお客様",
        "desk_interaction_id": "対応ID",
        "desk_channel": "チャネル",
        "desk_conversation_language": "会話の言語",
        "desk_contact_reason": "問い合わせ理由",
        "desk_reason_auto": "（会話から推定）",
        "desk_customer_id": "顧客ID",
        "desk_days_since_purchase": "購入からの日数",
        "desk_persona": "ペルソナ",
        "desk_plan_tier": "プラン",
        "desk_products_owned": "保有製品数",
        "desk_feature_adoption": "機能の利用率（0〜1）",
        "desk_prior_contacts": "過去90日の問い合わせ数",
        "desk_clv": "顧客生涯価値",
        "desk_switching_effort": "乗り換えの手間",
        "desk_effort_high": "大きい",
        "desk_effort_low": "小さい",
        "desk_days": "購入から{n}日",
        "desk_new_contact": "新しい対応",
        "desk_transcript": "会話",
        "desk_speaker": "話者",
        "desk_speaker_customer": "お客様",
        "desk_speaker_agent": "オペレーター",
        "desk_line": "発言",
        "desk_line_help": "Enterで追加、Shift+Enterで改行。「お客様：」「オペレーター：」で"
        "始まる行を貼り付けると、話者がそのまま残ります。",
        "desk_add_line": "追加",
        "desk_transcript_empty": "まだ発言がありません。お客様の最初の発言の後にガイダンスが"
        "表示されます。",
        "desk_cards": "おすすめカード",
        "desk_no_cards": "今はおすすめできるカードがありません。通常どおり対応してください。",
        "desk_cards_holdout": "対照グループ：この対応には設計上カードを表示しません。",
        "desk_top_changed": "おすすめが変わりました",
        "desk_replaces": "前回",
        "desk_mark_used": "使う",
        "desk_used": "使用済み ✓",
        "desk_openness": "価値向上への受容度",
        "desk_band_low": "低",
        "desk_band_medium": "中",
        "desk_band_high": "高",
        "desk_no_score": "スコアなし",
        "desk_reasons": "理由",
        "desk_route": "ルーティング",
        "desk_route_fallback": "代替",
        "desk_model": "モデル",
        "desk_outcome": "対応の終了",
        "desk_ves_confidence": "「購入への自信が高まった」（1〜7）",
        "desk_ves_ability": "「より上手に使えるようになった」（1〜7）",
        "desk_csat": "顧客満足度 CSAT（1〜5）",
        "desk_resolved": "解決",
        "desk_yes": "はい",
        "desk_no": "いいえ",
        "desk_not_asked": "—",
        "desk_record_outcome": "結果を記録",
        "desk_outcome_saved": "結果を記録しました。",
        "desk_ve_success": "価値向上に成功しました。",
        "desk_ve_not_success": "価値向上の成功には至りませんでした。",
        "desk_status_idle": "お客様の最初の発言を待っています。",
        "desk_status_loading": "ガイダンスを更新中…",
        "desk_status_ready": "ガイダンスを更新しました。",
        "desk_status_holdout": "この対応は対照グループです。設計上、カードとスコアは表示"
        "されません。通常どおり対応してください。",
        "desk_status_model_unavailable": "モデルを利用できません。カードはルールのみで"
        "並べており、受容度スコアはありません。",
        "desk_status_degraded": "一部機能を制限して動作中：",
        "desk_status_profile_missing": "このお客様のCRMプロファイルがありません。会話と、ここに"
        "入力した項目からガイダンスを出しています。",
        "desk_error_session": "セッションが終了しました。続けるには再度サインインしてください。",
        "desk_sign_in_again": "再サインイン",
        "desk_error_network": "Value Assistに接続できません。次のお客様の発言で再試行します。",
        "desk_error_fields": "次の項目を確認してください：",
        "desk_error_unknown_contact": "この対応ではまだガイダンスを取得していないため、結果を"
        "記録できません。先にお客様の発言を追加してください。",
        "desk_error_nothing_chosen": "少なくとも1つ選んでください。",
        "desk_activity_validate_purchase": "購入の安心を伝える",
        "desk_activity_anticipate_needs": "次のニーズを先読みする",
        "desk_activity_achieve_goals": "目標達成を支える",
        "desk_activity_educate_usage": "上手な使い方を伝える",
        "desk_activity_advise_new_features": "新機能を案内する",
        "desk_channel_phone": "電話",
        "desk_channel_chat": "チャット",
        "desk_channel_email": "メール",
        "desk_channel_sms": "SMS・メッセージ",
        "desk_channel_social": "ソーシャル",
        "desk_channel_self_service": "セルフサービス",
        "desk_channel_chatbot": "チャットボット",
        "desk_channel_forum": "フォーラム",
        "desk_channel_in_person": "対面",
        "desk_reason_inquiry": "問い合わせ",
        "desk_reason_how_to": "使い方",
        "desk_reason_order_status": "注文状況",
        "desk_reason_billing": "請求",
        "desk_reason_technical_issue": "技術的な問題",
        "desk_reason_complaint": "苦情",
        "desk_reason_cancellation": "解約",
        "desk_reason_other": "その他",
    },
}


# The keys the pages use for a persona's and a plan's name (desk_persona_novice, …).
LABEL_KEYS = {"persona": "desk_persona_", "plan_tier": "desk_plan_"}


def desk_text() -> dict[str, dict[str, str]]:
    """The desk's words: PAGE_TEXT, the persona and plan names the cards use too
    (prompts_playbooks.labels), then the data file assist_api/text/desk.yaml (which wins
    where both name a key). The app factory calls it once."""
    extra = load_texts("desk")
    return {
        lang: {**PAGE_TEXT[lang], **_code_labels(lang), **extra.get(lang, {})} for lang in PAGE_TEXT
    }


def _code_labels(lang: str) -> dict[str, str]:
    tables = VALUE_LABELS[lang]
    return {
        LABEL_KEYS[name] + code: label
        for name, table in tables.items()
        for code, label in table.items()
    }


def page_texts() -> dict[str, dict[str, str]]:
    """Every word the page shows, in both languages, for relabelling without a reload."""
    table = current_app.extensions["ui_text"]
    desk_keys = current_app.extensions["ui_text_pages"]["desk"]
    return {
        lang: {key: table[lang][key] for key in (*SHARED_KEYS, *desk_keys[lang])}
        for lang in LANGUAGES
    }


@blp.get("/desk")
@page("agent")
def desk():
    settings = current_app.config["SETTINGS"]
    return render_page(
        "desk.html",
        desk_texts=page_texts(),
        band_medium=settings.band_medium,
        band_high=settings.band_high,
        channels=CHANNELS,
        contact_reasons=CONTACT_REASONS,
        personas=PERSONAS,
        plan_tiers=PLAN_TIERS,
    )
