"""Render a card for one interaction, in the customer's language (English as fallback).

`render_card` gives plain text for the JSON API (clients escape on display);
`render_html` gives the same text with every string HTML-escaped for server-rendered
pages. Templates are compiled once per distinct text and cached (`templates.compiled`),
so a request rendering five cards spends a fraction of a millisecond here.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import escape

from features.vocabulary import primary_language
from prompts_playbooks.cards import Card
from prompts_playbooks.context import InteractionContext, context_from_record
from prompts_playbooks.templates import render, template_namespaces

RecordContext = InteractionContext | Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class RenderedCard:
    title: str
    body: str
    talk_track: list[str]
    evidence: list[str]
    avoid: list[str]
    self_service_text: str | None
    language: str  # the language actually used: "en" when the card lacks the one asked for


def _render(
    card: Card, lang: str | None, record_context: RecordContext, finish: Callable[[str], str]
) -> RenderedCard:
    context = (
        record_context
        if isinstance(record_context, InteractionContext)
        else context_from_record(record_context)
    )
    language = card.shown_language(primary_language(lang))
    text = card.texts[language]
    names = template_namespaces(context, language)

    def one(source: str) -> str:
        return finish(render(source, names))

    def lines(sources: tuple[str, ...]) -> list[str]:
        # A line that renders empty (e.g. a false {% if %}) is dropped, not shown blank.
        return [line for line in map(one, sources) if line]

    return RenderedCard(
        title=one(text.title),
        body=one(text.body),
        talk_track=lines(text.talk_track),
        evidence=lines(text.evidence),
        avoid=lines(text.avoid),
        self_service_text=None if text.self_service_text is None else one(text.self_service_text),
        language=language,
    )


def render_card(card: Card, lang: str | None, record_context: RecordContext) -> RenderedCard:
    """Plain-text card; `record_context` is a built context or a flat import-format record."""
    return _render(card, lang, record_context, str)


def _escape(text: str) -> str:
    return str(escape(text))


def render_html(card: Card, lang: str | None, record_context: RecordContext) -> RenderedCard:
    """The same card with every string HTML-escaped, for pages that insert it as markup.

    All of the text is escaped, not just the customer's values: card text is plain text
    written in an editor, so a `<script>` typed into a card must show, not run.
    """
    return _render(card, lang, record_context, _escape)
