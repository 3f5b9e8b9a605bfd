"""The template gate: what card text may reference, checked before it is ever rendered."""

import pytest

from prompts_playbooks.templates import ALLOWED_VARIABLES, check_template, compiled, percent


@pytest.mark.parametrize(
    "source",
    [
        "Plain text, no markup.",
        "{{ customer.days_since_purchase }} days",
        "{{ customer.feature_adoption | percent }}",
        "{{ customer.plan_tier | title }}プラン",
        "{% if interaction.contact_reason == 'how_to' %}Tip{% else %}Hi{% endif %}",
        "{% if interaction.contact_reason is none %}?{% endif %}",
        "{{ 'Hi ' ~ customer.persona if customer.products_owned > 1 else 'Hello' }}",
        *(f"{{{{ {variable} }}}}" for variable in ALLOWED_VARIABLES),
    ],
)
def test_accepted(source):
    assert check_template(source) == []


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("{{ ''.__class__ }}", "attribute '__class__' reaches Python internals"),
        ("{{ customer.__dict__ }}", "attribute '__dict__' reaches Python internals"),
        ("{{ customer.clv }}", "unknown variable 'customer.clv'; allowed: customer."),
        ("{{ interaction.transcript }}", "unknown variable 'interaction.transcript'"),
        ("{{ agent.name }}", "unknown variable 'agent'"),
        ("{{ range(10) }}", "Call is not allowed in card text"),
        ("{{ customer.plan_tier.upper }}", "may only follow customer. or interaction."),
        ("{{ customer.plan_tier | safe }}", "filter 'safe' is not allowed"),
        ("{% if customer.plan_tier is callable %}x{% endif %}", "test 'callable' is not allowed"),
        ("{{ customer }}", "not the whole object"),
        ("{{ customer.persona | round }}", "does not render for a sample interaction"),
        ("{% if %}", "template error on line 1"),
    ],
)
def test_rejected(source, reason):
    reasons = check_template(source)
    assert any(reason in found for found in reasons), reasons


def test_each_reason_is_given_once():
    reasons = check_template("{{ foo }} {{ foo }}")
    assert reasons == ["unknown variable 'foo'"]


def test_templates_compile_once_and_plain_text_skips_jinja():
    source = "{{ customer.plan_tier }} plan"
    assert compiled(source) is compiled(source)
    assert compiled("No markup") == "No markup"


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [(0.35, 0, "35%"), (1.0, 0, "100%"), (0.1234, 1, "12.3%"), (None, 0, "")],
)
def test_percent(value, digits, expected):
    assert percent(value, digits) == expected
