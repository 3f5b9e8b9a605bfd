"""Broken cards are rejected when saved, with the file, the field and the reason named."""

import pytest

from prompts_playbooks.cards import (
    Applicability,
    Card,
    CardValidationError,
    Eligibility,
    Problem,
    Suitability,
)
from prompts_playbooks.loader import (
    card_to_dict,
    load_card_file,
    load_cards,
    parse_card,
    validate_dir,
)
from prompts_playbooks.schema import CardSchema


def problems_of(write_card, data, name=None) -> list[Problem]:
    path = write_card(data, name)
    with pytest.raises(CardValidationError) as raised:
        load_card_file(path)
    assert all(problem.file == str(path) for problem in raised.value.problems)
    return raised.value.problems


def fields_of(problems) -> set[str]:
    return {problem.field for problem in problems}


def test_valid_card_loads_into_frozen_dataclasses(write_card, card_data):
    card = load_card_file(write_card(card_data))
    assert isinstance(card, Card)
    assert card.version == 1 and card.weight == 1.5
    assert card.rules.eligibility == Eligibility(
        plan_tiers=("standard", "premium"), min_products_owned=1
    )
    assert card.rules.applicability == Applicability(
        contact_reasons=("how_to",), max_days_since_purchase=30
    )
    assert card.rules.suitability == Suitability(min_sentiment=-0.2, max_per_customer_per_30d=2)
    assert card.texts["ja"].self_service_text is None
    with pytest.raises(AttributeError):
        card.weight = 2.0


def test_defaults_when_weight_and_rules_are_left_out(card_data):
    del card_data["weight"], card_data["rules"]
    card = CardSchema().load(card_data)
    assert card.weight == 1.0
    assert card.rules.suitability.not_during_unresolved_complaint is True
    assert card.rules.eligibility.plan_tiers == ()


@pytest.mark.parametrize(
    ("path", "value", "field", "reason"),
    [
        (("activity",), "upsell", "activity", "unknown activity 'upsell'"),
        (("id",), "achieve_goals.test_card", "id", "must start with the card's activity"),
        (("id",), "Educate Usage", "id", "must be <activity>.<slug>"),
        (("weight",), 0, "weight", "greater than 0"),
        (("weight",), -1.0, "weight", "greater than 0"),
        (
            ("rules", "applicability", "channels"),
            ["fax"],
            "rules.applicability.channels.0",
            "unknown channel 'fax'",
        ),
        (
            ("rules", "applicability", "contact_reasons"),
            ["rant"],
            "rules.applicability.contact_reasons.0",
            "unknown contact reason 'rant'",
        ),
        (
            ("rules", "applicability", "min_days_since_purchase"),
            60,
            "rules.applicability.min_days_since_purchase",
            "greater than max_days_since_purchase",
        ),
        (
            ("rules", "eligibility", "max_products_owned"),
            0,
            "rules.eligibility.min_products_owned",
            "greater than max_products_owned",
        ),
        (
            ("rules", "applicability", "max_feature_adoption"),
            1.5,
            "rules.applicability.max_feature_adoption",
            "less than or equal to 1",
        ),
        (
            ("rules", "suitability", "min_sentiment"),
            -2,
            "rules.suitability.min_sentiment",
            "less than or equal to 1",
        ),
        (
            ("rules", "suitability", "max_per_customer_per_30d"),
            0,
            "rules.suitability.max_per_customer_per_30d",
            "greater than or equal to 1",
        ),
        (
            ("rules", "suitability", "min_sentimnet"),
            0.1,
            "rules.suitability.min_sentimnet",
            "Unknown field",
        ),
        (
            ("rules", "eligibility", "languages"),
            ["Japanese"],
            "rules.eligibility.languages.0",
            "primary language tag",
        ),
        (("texts", "en", "body"), "Line one\nline two", "texts.en.body", "single line"),
        (("texts", "en", "title"), "", "texts.en.title", "Length"),
        (("texts", "ja", "talk_track"), ["一行だけ"], "texts.ja.talk_track", "2 to 4"),
        (("texts", "en", "avoid"), [], "texts.en.avoid", "1 to 5"),
        (("texts", "en", "hint"), "x", "texts.en.hint", "Unknown field"),
        (
            ("texts", "en", "body"),
            "Hi {{ customer.email }}",
            "texts.en.body",
            "unknown variable 'customer.email'",
        ),
        (
            ("texts", "ja", "talk_track"),
            ["ok", "{{ customer.clv }}円"],
            "texts.ja.talk_track.1",
            "unknown variable 'customer.clv'",
        ),
        (("texts", "en", "body"), "{{ customer.plan_tier ", "texts.en.body", "template error"),
    ],
)
def test_bad_field_is_named(write_card, card_data, path, value, field, reason):
    target = card_data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    problems = problems_of(write_card, card_data, name=card_data["id"])
    assert field in fields_of(problems)
    assert any(reason in p.reason for p in problems if p.field == field), problems


@pytest.mark.parametrize(
    "template",
    [
        "{{ ''.__class__ }}",
        "{{ customer.__class__.__mro__ }}",
        "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
        "{{ customer.__dict__ }}",
        "{{ customer.items() }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ 'a' * 100000000 }}",
        "{{ customer['plan_tier'] }}",
        "{{ customer.plan_tier | attr('upper') }}",
        "{% set x = 1 %}",
        "{% include 'other' %}",
        "{{ customer }}",
    ],
)
def test_sandbox_escape_attempts_are_rejected_at_load(write_card, card_data, template):
    card_data["texts"]["en"]["talk_track"][0] = template
    problems = problems_of(write_card, card_data)
    assert fields_of(problems) == {"texts.en.talk_track.0"}


def test_missing_language_is_named(write_card, card_data):
    del card_data["texts"]["ja"]
    problems = problems_of(write_card, card_data)
    assert [(p.field, p.reason) for p in problems] == [
        ("texts.ja", "missing language 'ja': every card needs ja, en")
    ]


def test_file_name_must_match_id(write_card, card_data):
    problems = problems_of(write_card, card_data, name="educate_usage.other_name")
    assert [str(p).split(": ", 1)[1] for p in problems] == [
        "id: must equal 'educate_usage.other_name', the name the card is saved under"
    ]


def test_agentless_channel_needs_self_service_text(write_card, card_data):
    card_data["rules"]["applicability"]["channels"] = ["phone", "chatbot"]
    problems = problems_of(write_card, card_data)
    assert fields_of(problems) == {"texts.ja.self_service_text"}


def test_every_problem_is_listed_not_just_the_first(write_card, card_data):
    card_data["weight"] = 0
    card_data["activity"] = "upsell"
    card_data["texts"]["en"]["body"] = "{{ agent.secret }}"
    problems = problems_of(write_card, card_data)
    assert {"weight", "activity", "texts.en.body"} <= fields_of(problems)


@pytest.mark.parametrize(
    ("text", "field"),
    [("id: [unclosed\n", "(yaml)"), ("- a list\n", "(card)"), ("", "(card)")],
)
def test_files_that_are_not_card_mappings(write_card, text, field):
    problems = problems_of(write_card, text, name="educate_usage.broken")
    assert fields_of(problems) == {field}


def test_problem_prints_as_file_field_reason():
    assert str(Problem("a.yaml", "texts.en.body", "bad")) == "a.yaml: texts.en.body: bad"


def test_parse_card_names_its_source(card_data):
    card_data["weight"] = 0
    with pytest.raises(CardValidationError) as raised:
        parse_card(card_data, "PUT /v1/playbooks/educate_usage.test_card")
    assert str(raised.value) == (
        "PUT /v1/playbooks/educate_usage.test_card: weight: must be greater than 0"
    )


def test_folder_validation_collects_every_file(tmp_path, write_card, card_data):
    write_card(card_data)
    broken = dict(card_data, id="educate_usage.broken", weight=-1)
    write_card(broken)
    (tmp_path / "educate_usage.old.yml").write_text("id: x\n")
    problems = validate_dir(tmp_path)
    assert [(p.file.rsplit("/", 1)[1], p.field) for p in problems] == [
        ("educate_usage.broken.yaml", "weight"),
        ("educate_usage.old.yml", "(file)"),
    ]
    with pytest.raises(CardValidationError):
        load_cards(tmp_path)


def test_export_drops_empty_rules(card_data):
    del card_data["rules"]
    exported = card_to_dict(CardSchema().load(card_data))
    assert exported["rules"] == {"suitability": {"not_during_unresolved_complaint": True}}
    assert "self_service_text" not in exported["texts"]["ja"]
