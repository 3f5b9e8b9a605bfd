"""/ui/reports/roi|segments|automation — the three reports as pages a lead presents.

Each page is rendered on the server from the same report dict, the same template and
the same charts as the printable report and the PDF (reports.render, reports.figures),
so the page, the print-out and the PDF cannot disagree. Filters are a plain GET form; a
bad one is answered in the reader's language, naming what to change, never with the
API's field paths.
"""

from datetime import UTC, datetime
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, request
from marshmallow import ValidationError

from assist_api.reports import KINDS, ReportQuery, run_report
from assist_api.reports.render import to_html
from assist_api.reports.texts import report_texts
from assist_api.routes.pages import page, render_page
from assist_api.schemas.reports import ReportQuerySchema, query_parts
from assist_api.ui_text import page_language
from features.vocabulary import CHANNELS, CONTACT_REASONS, SWITCHING_EFFORTS

blp = Blueprint("report_pages", __name__, url_prefix="/ui")

# Query parameters the form offers and passes on (everything else is dropped).
PASSED_ON = ("from", "to", "switching_effort", "channel", "contact_reason", "language", "pool")
CHOICES = {
    "switching_effort": SWITCHING_EFFORTS,
    "channel": CHANNELS,
    "contact_reason": CONTACT_REASONS,
}
PLAIN = {
    "en": {
        "order": "The start date is after the end date: choose a start date on or before "
        "the end date.",
        "date": "“{label}” is not a date: use the calendar or write YYYY-MM-DD.",
        "choice": "“{label}” has a value this report does not know; choose one from the list.",
        "other": "“{label}” cannot be used: {reason}.",
    },
    "ja": {
        "order": "開始日が終了日より後になっています。終了日以前の開始日を選んでください。",
        "date": "「{label}」が日付になっていません。"
        "カレンダーで選ぶか YYYY-MM-DD で入力してください。",
        "choice": "「{label}」の値はこのレポートでは使えません。一覧から選んでください。",
        "other": "「{label}」は使えません:{reason}。",
    },
}
LABELS = {
    "en": {"from": "From", "to": "To", "switching_effort": "Switching effort",
           "channel": "Channel", "contact_reason": "Contact reason", "language": "Language",
           "pool": "Pool"},
    "ja": {"from": "開始日", "to": "終了日", "switching_effort": "乗り換えの手間",
           "channel": "チャネル", "contact_reason": "問い合わせ理由", "language": "言語",
           "pool": "プール"},
}  # fmt: skip

# This page's words for the shared navigation (the app factory adds them to the table).
PAGE_TEXT = {
    "en": {"nav_segments": "Segments", "nav_automation": "Automation"},
    "ja": {"nav_segments": "セグメント", "nav_automation": "自動化"},
}


def plain_errors(messages: dict, language: str) -> list[str]:
    """The schema's field messages as sentences a lead can act on."""
    words, labels = PLAIN[language], LABELS[language]
    sentences = []
    for name, reasons in messages.items():
        reason = " ".join(reasons) if isinstance(reasons, list) else str(reasons)
        label = labels.get(name, name)
        if "must not be after" in reason:
            sentences.append(words["order"])
        elif "date" in reason.lower():
            sentences.append(words["date"].format(label=label))
        elif "Must be one of" in reason:
            sentences.append(words["choice"].format(label=label))
        else:
            sentences.append(words["other"].format(label=label, reason=reason))
    return sentences


@blp.get("/reports/<kind>")
@page("lead")
def report_page(kind: str):
    if kind not in KINDS:
        abort(404)
    language = page_language()
    chosen = {name: request.args.get(name, "") for name in PASSED_ON}
    passed = {name: value for name, value in chosen.items() if value}
    errors, body = [], ""
    try:
        args = ReportQuerySchema().load(passed)
    except ValidationError as exc:
        errors = plain_errors(exc.messages, language)
    else:
        settings = current_app.config["SETTINGS"]
        _output, query = query_parts(args)
        report = run_report(
            kind,
            current_app.extensions["store"],
            ReportQuery(**query),
            cost_per_agent_minute=settings.cost_per_agent_minute,
            now=datetime.now(UTC),
            holdout_rate=settings.holdout_rate,
            currency=settings.currency,
        )
        body = to_html(report, language, fragment=True)
    links = {
        output: f"/v1/reports/{kind}?{urlencode({**passed, 'format': output, 'lang': language})}"
        for output in ("csv", "pdf", "html")
    }
    return render_page(
        "report_page.html",
        status=422 if errors else 200,
        kind=kind,
        kinds=KINDS,
        r=report_texts(language),
        labels=LABELS[language],
        chosen=chosen,
        choices=CHOICES,
        errors=errors,
        body=body,
        links=links,
    )
