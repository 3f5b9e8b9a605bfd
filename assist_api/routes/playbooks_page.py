"""/ui/playbooks — the leads' playbook editor: list, edit, preview, publish, history, rollback.

The page edits a card as the YAML of its card file (what leads review in git) and does
everything else through the public /v1/playbooks API. Browsers cannot read YAML, so the
page has one helper of its own, `POST /ui/playbooks/parse`: YAML text in, the card
document out, with the line of any syntax error. It keeps the same limits as /v1: the
JSON body and the card the YAML describes are checked for depth, size and text, YAML
nests no deeper than the JSON limit allows, and NaN or infinity is refused (JSON has
neither; `.nan` would reach the page as null).
"""

import json

import yaml
from flask import Blueprint, current_app, request

from assist_api.auth import require_role
from assist_api.errors import InvalidFields
from assist_api.json_limits import check_document, load_checked
from assist_api.routes.pages import page, render_page
from assist_api.services.playbooks.reading import card_yaml
from assist_api.ui_text import load_texts
from features.vocabulary import (
    ACTIVITIES,
    CARD_LANGUAGES,
    CHANNELS,
    CONTACT_REASONS,
    PERSONAS,
    PLAN_TIERS,
)
from prompts_playbooks.context import SAMPLE_CONTEXTS
from prompts_playbooks.labels import LABELLED_FIELDS
from prompts_playbooks.templates import ALLOWED_VARIABLES

blp = Blueprint("playbooks_page", __name__, url_prefix="/ui")

YAML_FIELD = "yaml"

# This page's words (the app factory adds them to the shared table).
PAGE_TEXT = {
    "en": {
        "pb_title": "Playbooks",
        "pb_intro": "Edit a card, check it in Japanese and English, save it as a draft, "
        "then publish it. Agents get a published card within seconds.",
        "pb_cards": "Cards",
        "pb_loading": "Loading…",
        "pb_choose": "Choose a card to edit.",
        "pb_editor": "Card (YAML)",
        "pb_editor_help": "Checked as you type. Text may use {{ customer.plan_tier }} and the "
        "other customer. and interaction. fields.",
        "pb_note": "Note for the history (optional)",
        "pb_save": "Save draft",
        "pb_publish": "Publish version",
        "pb_sample": "Sample interaction",
        "pb_days": "Days since purchase",
        "pb_plan": "Plan tier",
        "pb_reason": "Contact reason",
        "pb_preview": "Preview",
        "pb_history": "History",
        "pb_rollback": "Roll back to this version",
        "pb_show_diff": "Changes",
        "pb_live": "live",
        "pb_draft": "draft",
        "pb_unpublished": "not published",
        "pb_version": "version",
        "pb_by": "by",
        "pb_valid": "Valid.",
        "pb_invalid": "Not valid yet:",
        "pb_saved": "Saved as version",
        "pb_published": "Published version",
        "pb_rolled_back": "Rolled back to version",
        "pb_conflict": "Someone saved a newer version meanwhile. Copy your change, reload the "
        "card and apply it again.",
        "pb_reload": "Reload card",
        "pb_passes": "Would be offered for this sample.",
        "pb_blocked": "Not offered for this sample:",
        "pb_talk_track": "Talk track",
        "pb_evidence": "Listen for",
        "pb_avoid": "Avoid",
        "pb_self_service": "Self-service text",
        "pb_nothing_to_publish": "The latest version is live.",
        "pb_confirm_rollback": "Publish version {v} again?",
    },
    "ja": {
        "pb_title": "プレイブック",
        "pb_intro": "カードを編集し、日本語と英語の表示を確認して下書き保存してから公開します。"
        "公開したカードは数秒でエージェントに届きます。",
        "pb_cards": "カード",
        "pb_loading": "読み込み中…",
        "pb_choose": "編集するカードを選んでください。",
        "pb_editor": "カード (YAML)",
        "pb_editor_help": "入力中に自動で検証します。本文では {{ customer.plan_tier }} などの "
        "customer. と interaction. の項目を使えます。",
        "pb_note": "履歴に残すメモ (任意)",
        "pb_save": "下書き保存",
        "pb_publish": "公開するバージョン",
        "pb_sample": "サンプルの問い合わせ",
        "pb_days": "購入からの日数",
        "pb_plan": "プラン",
        "pb_reason": "問い合わせ理由",
        "pb_preview": "プレビュー",
        "pb_history": "履歴",
        "pb_rollback": "このバージョンに戻す",
        "pb_show_diff": "変更点",
        "pb_live": "公開中",
        "pb_draft": "下書き",
        "pb_unpublished": "未公開",
        "pb_version": "バージョン",
        "pb_by": "作成者",
        "pb_valid": "問題ありません。",
        "pb_invalid": "修正が必要です:",
        "pb_saved": "保存しました。バージョン",
        "pb_published": "公開しました。バージョン",
        "pb_rolled_back": "戻しました。バージョン",
        "pb_conflict": "他の方が先に新しいバージョンを保存しました。変更内容を控えてから"
        "カードを読み込み直し、もう一度反映してください。",
        "pb_reload": "カードを読み込み直す",
        "pb_passes": "このサンプルでは表示されます。",
        "pb_blocked": "このサンプルでは表示されません:",
        "pb_talk_track": "トークスクリプト",
        "pb_evidence": "きっかけとなる発言",
        "pb_avoid": "避けること",
        "pb_self_service": "セルフサービス用テキスト",
        "pb_nothing_to_publish": "最新バージョンは公開中です。",
        "pb_confirm_rollback": "バージョン {v} をもう一度公開しますか?",
    },
}


# What the card form offers as choices (the rules' vocabularies and the template fields).
VOCABULARY = {
    "activities": ACTIVITIES,
    "plan_tiers": PLAN_TIERS,
    "personas": PERSONAS,
    "languages": CARD_LANGUAGES,
    "contact_reasons": CONTACT_REASONS,
    "channels": CHANNELS,
    "variables": ALLOWED_VARIABLES,
    # inserted with `| label`, so the card says "Standard" / 「スタンダード」, not the code
    "labelled": tuple(f"customer.{name}" for name in LABELLED_FIELDS),
}


def editor_text() -> dict[str, dict[str, str]]:
    """The editor's words: PAGE_TEXT plus the data file assist_api/text/playbooks.yaml
    (which wins where both name a key). The app factory calls it once."""
    extra = load_texts("playbooks")
    return {lang: {**PAGE_TEXT[lang], **extra.get(lang, {})} for lang in PAGE_TEXT}


@blp.get("/playbooks")
@page("lead")
def playbooks():
    return render_page(
        "playbooks.html",
        sample=SAMPLE_CONTEXTS[0],
        plan_tiers=PLAN_TIERS,
        personas=PERSONAS,
        channels=CHANNELS,
        contact_reasons=CONTACT_REASONS,
        vocab=VOCABULARY,
        two_person=current_app.config["SETTINGS"].two_person_publish,
    )


@blp.post("/playbooks/yaml")
@require_role("lead")
def export_yaml():
    """The form's card document as card-file YAML (the editor's export)."""
    settings = current_app.config["SETTINGS"]
    body = load_checked(
        request.get_data(cache=True),
        max_depth=settings.max_json_depth,
        max_string_chars=settings.max_json_string_chars,
    )
    card = body.get("card") if isinstance(body, dict) else None
    if not isinstance(card, dict):
        raise InvalidFields({"card": ["send {'card': <the card document>}"]})
    return {"yaml": card_yaml(card)}


class _NoAliases(yaml.SafeLoader):
    """YAML aliases are refused: a few nested ones expand to gigabytes once sent as JSON.
    Nesting is bounded while composing, before PyYAML's recursion could overflow."""

    max_depth = 16

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise yaml.MarkedYAMLError(
                problem="aliases (*name) are not allowed in cards",
                problem_mark=self.peek_event().start_mark,
            )
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > self.max_depth:
                raise yaml.MarkedYAMLError(
                    problem=f"nested deeper than {self.max_depth} levels",
                    problem_mark=self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _limited_loader(max_depth: int):
    return type("_LimitedLoader", (_NoAliases,), {"max_depth": max_depth})


@blp.post("/playbooks/parse")
@require_role("lead")
def parse_yaml():
    """The card document in a YAML text (the page's editor), or 422 naming the line."""
    settings = current_app.config["SETTINGS"]
    limits = {
        "max_depth": settings.max_json_depth,
        "max_string_chars": settings.max_json_string_chars,
    }
    body = load_checked(request.get_data(cache=True), **limits)
    text = body.get(YAML_FIELD) if isinstance(body, dict) else None
    if not isinstance(text, str):
        raise InvalidFields({YAML_FIELD: ["send {'yaml': '<the card as YAML>'}"]})
    try:
        card = yaml.load(text, Loader=_limited_loader(settings.max_json_depth))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        reason = f"{where}{getattr(exc, 'problem', None) or exc}"
        if "{{" in text:
            reason += " (a text starting with {{ must be quoted: '{{ customer.plan_tier }} …')"
        raise InvalidFields({YAML_FIELD: [reason]}) from None
    if not isinstance(card, dict):
        raise InvalidFields({YAML_FIELD: ["must be a mapping of fields (id, activity, texts…)"]})
    try:
        json.dumps(card, allow_nan=False)
    except (TypeError, ValueError):
        reason = "values must be text, finite numbers, true/false, lists or mappings (quote dates)"
        raise InvalidFields({YAML_FIELD: [reason]}) from None
    check_document(card, **limits)
    return {"card": card}
