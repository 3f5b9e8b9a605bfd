"""Card templates cannot take down the live path: bounded arguments, every branch checked
when saved, the rendered size capped while rendering (issue 22, finding 1)."""

import pytest

from prompts_playbooks.context import SAMPLE_CONTEXTS
from prompts_playbooks.template_limits import MAX_RENDERED_CHARS, RenderTooLarge
from prompts_playbooks.templates import check_template, percent, render, template_namespaces

NAMES = template_namespaces(SAMPLE_CONTEXTS[0])


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("{{ customer.feature_adoption | percent(5000000) }}", "digits must be a whole number"),
        ("{{ customer.feature_adoption | percent(digits=99) }}", "digits must be a whole number"),
        ("{{ customer.feature_adoption | round(10**9) }}", "precision must be a whole number"),
        ("{{ customer.feature_adoption | round(customer.products_owned) }}", "be a constant"),
        ("{{ customer.feature_adoption | round(2, 'up') }}", "method must be one of"),
        ("{{ customer.persona | default('x', true, 3) }}", "takes at most 2 argument"),
        ("{{ customer.persona | trim(width=3) }}", "has no argument 'width'"),
        ("{{ customer.persona | upper(1) }}", "takes at most 0 argument"),
    ],
)
def test_filter_arguments_are_bounded_constants(source, reason):
    reasons = check_template(source)
    assert any(reason in found for found in reasons), reasons


@pytest.mark.parametrize(
    "source",
    [
        # the example: saved fine, then 500 for every vip customer
        '{% if customer.persona=="vip" %}{{customer.persona|percent}}{% endif %}',
        "{% if customer.products_owned > 99 %}ok{% elif interaction.channel == 'x' %}"
        "{{ interaction.channel | round }}{% endif %}",
        "{% if customer.persona == 'x' %}ok{% else %}fine{% endif %}"
        "{{ customer.persona | percent if customer.products_owned > 99 else 'n/a' }}",
        "{{ 'a' if customer.products_owned > 99 and customer.persona > 3 else 'b' }}",
        "{{ customer.persona == 'vip' and customer.persona | percent }}",
    ],
)
def test_every_branch_is_rendered_when_saved(source):
    reasons = check_template(source)
    assert any("does not render" in found for found in reasons), reasons


def test_branches_that_together_overflow_are_refused():
    one = "{{ customer.persona }}" * 16
    source = "{% if customer.products_owned > 99 %}" + one + "{% endif %}"
    reasons = check_template(source)
    assert any("more than" in found for found in reasons), reasons


@pytest.mark.parametrize(
    "source",
    [
        "{% if customer.persona == 'vip' %}VIP{% else %}{{ customer.plan_tier | title }}"
        "{% endif %}",
        "{{ customer.feature_adoption | percent(1) }}",
        "{{ customer.feature_adoption | round(2, 'floor') }}",
        "{{ interaction.contact_reason | default('general', true) | upper }}",
    ],
)
def test_ordinary_templates_still_save(source):
    assert check_template(source) == []


def test_rendering_stops_at_the_cap():
    # as if stored before the checks existed: 100 long values in one line
    source = "{{ customer.persona }}" * 100
    names = {**NAMES, "customer": {**NAMES["customer"], "persona": "p" * 64}}
    with pytest.raises(RenderTooLarge):
        render(source, names)
    assert MAX_RENDERED_CHARS < 64 * 100


def test_percent_refuses_unbounded_digits_at_render_time():
    assert percent(0.5, 2) == "50.00%"
    with pytest.raises(ValueError):
        percent(0.5, 5_000_000)
