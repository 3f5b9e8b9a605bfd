"""Rendering a card for a customer: language choice, fallback, plain text vs HTML, speed."""

import dataclasses

import pytest

from prompts_playbooks.loader import load_cards, parse_card
from prompts_playbooks.render import RenderedCard, render_card, render_html
from prompts_playbooks.templates import compiled


@pytest.fixture
def card(card_data):
    return parse_card(card_data, "test")


def test_render_in_japanese_from_a_flat_record(card, sample_record):
    rendered = render_card(card, sample_record["language"], sample_record)
    assert rendered == RenderedCard(
        title="より良い使い方をお伝えする",
        body="ご購入から12日目のお客様です。",
        talk_track=[
            "Standardプランなら一度の操作で完了します。",
            "お見せしてもよろしいでしょうか。",
        ],
        evidence=["簡単な方法を尋ねられる"],
        avoid=["お客様の操作を責めない"],
        self_service_text=None,
        language="ja",
    )


def test_render_in_english(card, context):
    rendered = render_card(card, "en-GB", context)
    assert rendered.body == "Bought 12 days ago."
    assert rendered.talk_track == [
        "Your standard plan can do this in one step.",
        "Shall I show you?",
    ]
    assert rendered.self_service_text == "Your standard plan can do this in one step."
    assert rendered.language == "en"


@pytest.mark.parametrize("lang", ["ko", "zh-Hant", "", None])
def test_other_languages_fall_back_to_english(card, context, lang):
    rendered = render_card(card, lang, context)
    assert rendered.language == "en"
    assert rendered.title == "Show the better way"


def test_plain_text_is_not_escaped_but_html_is_entirely(card_data, context):
    card_data["texts"]["en"]["title"] = "Q&A <script>alert(1)</script>"
    card_data["texts"]["en"]["body"] = "<b>{{ customer.persona }}</b>"
    card = parse_card(card_data, "test")
    other = dataclasses.replace(context, persona="<i>")
    assert render_card(card, "en", other).body == "<b><i></b>"
    html = render_html(card, "en", other)
    assert html.body == "&lt;b&gt;&lt;i&gt;&lt;/b&gt;"
    assert html.title == "Q&amp;A &lt;script&gt;alert(1)&lt;/script&gt;"
    assert html.talk_track[0] == "Your standard plan can do this in one step."


def test_unknown_contact_reason_prints_nothing_and_empty_lines_are_dropped(card_data, context):
    card_data["texts"]["en"]["talk_track"] = [
        "Reason: [{{ interaction.contact_reason }}]",
        "{% if customer.products_owned > 5 %}Big account{% endif %}",
        "Shall I show you?",
    ]
    card = parse_card(card_data, "test")
    rendered = render_card(card, "en", dataclasses.replace(context, contact_reason=None))
    assert rendered.talk_track == ["Reason: []", "Shall I show you?"]


def test_rendering_again_compiles_nothing_new(context):
    """The assist path renders cards on every request: templates compile once per text.

    (Speed itself is measured by bench/assist_latency, not asserted here.)
    """
    cards = load_cards()[:5]
    for card in cards:
        render_card(card, "ja", context)
    misses = compiled.cache_info().misses
    for card in cards:
        render_card(card, "ja", context)
    assert compiled.cache_info().misses == misses
