"""The web pages' words in English and Japanese, and which language a page is shown in.

The shared words are here (TEXT); each page module holds its own (`PAGE_TEXT`). Nothing
is registered at import: the app factory merges the tables once (`merge_texts`) into
`app.extensions["ui_text"]`, and templates read them as `t.<key>`. The language comes
from ?lang=, then the `va_lang` cookie, then the browser's Accept-Language.
"""

from importlib import resources

import yaml
from flask import current_app, request

LANGUAGES = ("en", "ja")

TEXT = {
    "en": {
        "app_name": "Value Assist",
        "sign_in": "Sign in",
        "sign_out": "Sign out",
        "api_key": "API key",
        "api_key_help": "Paste the key your administrator gave you. It is checked once and "
        "never stored in this browser.",
        "bad_key": "That key is unknown or revoked.",
        "form_expired": "The form expired; please try again.",
        "forbidden": "Your role cannot open this page.",
        "needs_role": "This page needs the role",
        "nav_desk": "Agent desk",
        "nav_playbooks": "Playbooks",
        "nav_roi": "ROI",
        "nav_docs": "API docs",
        "language": "Language",
        "signed_in_as": "Signed in as",
        "role_agent": "agent",
        "role_lead": "lead",
        "role_scientist": "scientist",
        "role_admin": "admin",
        "role_system": "system",
    },
    "ja": {
        "app_name": "Value Assist",
        "sign_in": "サインイン",
        "sign_out": "サインアウト",
        "api_key": "APIキー",
        "api_key_help": "管理者から受け取ったキーを貼り付けてください。確認は一度だけで、"
        "このブラウザには保存されません。",
        "bad_key": "このキーは無効か、失効しています。",
        "form_expired": "フォームの有効期限が切れました。もう一度お試しください。",
        "forbidden": "このページを開く権限がありません。",
        "needs_role": "このページに必要なロール",
        "nav_desk": "エージェントデスク",
        "nav_playbooks": "プレイブック",
        "nav_roi": "ROI",
        "nav_docs": "APIドキュメント",
        "language": "言語",
        "signed_in_as": "サインイン中",
        "role_agent": "オペレーター",
        "role_lead": "リーダー",
        "role_scientist": "データサイエンティスト",
        "role_admin": "管理者",
        "role_system": "システム",
    },
}


class _Texts(dict):
    """dict with attribute access; a missing key shows its name instead of failing."""

    def __getattr__(self, name):
        return self.get(name, name)


def merge_texts(*tables: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """One table per language from the shared one and the pages'; keys must not collide."""
    merged: dict[str, dict[str, str]] = {language: {} for language in LANGUAGES}
    for table in tables:
        for language, entries in table.items():
            clash = merged[language].keys() & entries.keys()
            if clash:
                raise ValueError(f"UI text keys defined twice ({language}): {sorted(clash)}")
            merged[language].update(entries)
    return merged


def load_texts(name: str) -> dict[str, dict[str, str]]:
    """`assist_api/text/<name>.yaml`: {language: {key: text}} (read by the app factory)."""
    source = resources.files("assist_api").joinpath("text", f"{name}.yaml")
    return yaml.safe_load(source.read_text(encoding="utf-8"))


def texts(language: str) -> _Texts:
    table = current_app.extensions["ui_text"]
    return _Texts(table.get(language, table["en"]))


def page_language() -> str:
    asked = request.args.get("lang") or request.cookies.get("va_lang")
    if asked in LANGUAGES:
        return asked
    best = request.accept_languages.best_match(LANGUAGES)
    return best or "en"
