"""`label`: a persona or plan code said in the card's language, never the raw code.

A Japanese card read 「Standardプラン」 (the code, title-cased); it now reads
「スタンダードプラン」, an English one "Standard plan". The filter only follows the two
labelled fields, takes no argument and is a table lookup, so it is as bounded as the rest.
"""

import dataclasses
import re

import pytest

from features.vocabulary import PERSONAS, PLAN_TIERS
from prompts_playbooks.labels import CODES, LABELLED_FIELDS, VALUE_LABELS, value_label
from prompts_playbooks.loader import load_cards, parse_card
from prompts_playbooks.render import render_card
from prompts_playbooks.templates import check_template, render, template_namespaces

PLAN_LINE = "{{ customer.plan_tier | label }}プラン・{{ customer.persona | label }}"


def test_every_code_of_the_vocabulary_has_a_label_in_both_languages():
    assert CODES == {"persona": PERSONAS, "plan_tier": PLAN_TIERS}
    for lang in ("en", "ja"):
        for name in LABELLED_FIELDS:
            assert set(VALUE_LABELS[lang][name]) == set(CODES[name]), (lang, name)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ja", "スタンダードプラン・初心者"),
        ("en", "Standardプラン・Novice"),
        ("ko", "Standardプラン・Novice"),
    ],
)
def test_the_label_is_in_the_card_s_language(context, lang, expected):
    assert check_template(PLAN_LINE) == []
    assert render(PLAN_LINE, template_namespaces(context, lang)) == expected


def test_a_card_falls_back_to_english_labels_with_its_english_text(card_data, context):
    card_data["texts"]["ja"]["body"] = "{{ customer.plan_tier | label }}プランのお客様です。"
    card_data["texts"]["en"]["body"] = "A customer on the {{ customer.plan_tier | label }} plan."
    card = parse_card(card_data, "test")
    premium = dataclasses.replace(context, plan_tier="premium")
    assert render_card(card, "ja", premium).body == "プレミアムプランのお客様です。"
    assert render_card(card, "en", premium).body == "A customer on the Premium plan."
    assert render_card(card, "ko", premium).body == "A customer on the Premium plan."


def test_a_code_the_vocabulary_does_not_know_is_shown_as_it_is(context):
    crm_own = dataclasses.replace(context, plan_tier="gold-2024")
    assert render(PLAN_LINE, template_namespaces(crm_own, "ja")) == "gold-2024プラン・初心者"
    assert value_label(None, "ja") == ""
    assert value_label("t" * 64, "ja") == "t" * 64  # never longer than its input


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("{{ interaction.channel | label }}", "use it right after customer.persona"),
        ("{{ 'standard' | label }}", "use it right after customer.persona"),
        ("{{ customer.plan_tier | lower | label }}", "use it right after customer.persona"),
        ("{{ customer.plan_tier | label('ja') }}", "label"),
        ("{{ _card_language }}", "unknown variable '_card_language'"),
    ],
)
def test_label_is_refused_where_it_does_not_name_a_code(source, reason):
    problems = check_template(source)
    assert problems and any(reason in problem for problem in problems), problems


# Japanese has no spaces: 「Standardプラン」 has no word boundary between the two.
CODE_IN_JAPANESE = re.compile("|".join(PLAN_TIERS + PERSONAS), re.IGNORECASE)


@pytest.mark.parametrize("plan", PLAN_TIERS)
def test_shipped_cards_never_say_a_raw_plan_code(context, plan):
    customer = dataclasses.replace(context, plan_tier=plan, persona="enthusiast")
    for card in load_cards():
        for lang in ("ja", "en"):
            rendered = render_card(card, lang, dataclasses.replace(customer, language=lang))
            text = " ".join([rendered.title, rendered.body, *rendered.talk_track,
                             *rendered.evidence, *rendered.avoid])  # fmt: skip
            label = VALUE_LABELS[lang]["plan_tier"][plan]
            if lang == "ja":
                assert not CODE_IN_JAPANESE.search(text), (card.card_id, text)
            else:  # English says the label ("Standard"), never the lower-case code
                assert not re.search(rf"\b{plan}\b", text), (card.card_id, text)
            if "{{ customer.plan_tier" in card.texts[lang].body:
                assert label in rendered.body, (card.card_id, rendered.body)
