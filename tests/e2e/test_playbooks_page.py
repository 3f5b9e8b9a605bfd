"""The playbook editor in a real browser against a real two-worker server.

A lead signs in, opens a card from the keyboard, sees live validation reject a template
that reaches for Python internals, fixes it, watches the ja/en preview follow the text,
saves, publishes, and an agent's /v1/assist answer carries the new words (from whichever
worker answers). Then the lead rolls back from the history and the old words return.
"""

import json
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from assist_api.services.holdout import in_control_group
from tests.e2e.conftest import live_server

pytestmark = pytest.mark.e2e

CARD_ID = "validate_purchase.reassure_choice"
OLD_TITLE = "Reassure them they chose well"
NEW_TITLE = "Celebrate their {{ customer.plan_tier }} plan choice"
NEW_TITLE_SHOWN = "Celebrate their standard plan choice"
ESCAPE = "{{ ''.__class__ }}"
SPREAD_DEADLINE_SECONDS = 15.0  # a give-up limit: workers refresh every 0.5 s


@pytest.fixture(scope="module")
def playbook_server(tmp_path_factory, tiny_registry):
    """Its own server, since publishing changes what every agent of a server sees."""
    with live_server(
        tmp_path_factory.mktemp("e2e-playbooks"),
        tiny_registry,
        VALUE_ASSIST_CARDS_SHOWN="50",
        VALUE_ASSIST_PLAYBOOK_REFRESH_SECONDS="0.5",
        VALUE_ASSIST_SECURE_COOKIES="false",
    ) as running:
        yield running


def offered_customers(settings):
    for i in range(100_000):
        customer = f"pb-e2e-{i}"
        if not in_control_group(customer, settings.holdout_salt, settings.holdout_rate):
            yield customer


def agent_sees(server, customer_id: str) -> tuple[int, str] | None:
    """(version, title) of the card in a fresh agent answer, or None if not offered."""
    body = {
        "interaction_id": f"i-{customer_id}",
        "customer": {
            "customer_id": customer_id,
            "days_since_purchase": 12,
            "persona": "novice",
            "plan_tier": "standard",
            "products_owned": 2,
            "feature_adoption": 0.35,
            "prior_contacts_90d": 1,
            "clv": 1200.0,
            "switching_effort": "high",
        },
        "channel": "phone",
        "language": "en",
        "contact_reason": "how_to",
        "customer_sentiment": 0.2,
    }
    request = urllib.request.Request(
        f"{server.url}/v1/assist",
        data=json.dumps(body).encode(),
        headers={
            "Authorization": f"Bearer {server.keys['agent']}",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        cards = json.load(response)["cards"]
    card = next((c for c in cards if c["card_id"] == CARD_ID), None)
    return (card["version"], card["title"]) if card else None


def wait_for_agents_to_see(server, customers, expected) -> tuple[int, str] | None:
    """Ask as new customers until the answer shows `expected` (or the deadline passes)."""
    deadline = time.monotonic() + SPREAD_DEADLINE_SECONDS
    seen = agent_sees(server, next(customers))
    while seen != expected and time.monotonic() < deadline:
        time.sleep(0.1)
        seen = agent_sees(server, next(customers))
    return seen


def test_edit_publish_and_the_agent_gets_the_new_words(playbook_server, signed_in_page, screenshot):
    customers = offered_customers(playbook_server.settings)
    assert agent_sees(playbook_server, next(customers)) == (1, OLD_TITLE)
    page = signed_in_page("lead", server=playbook_server)
    assert page.url.endswith("/ui/playbooks")

    card_button = page.locator(f'.pb-card-button[data-card-id="{CARD_ID}"]')
    expect(card_button).to_contain_text("v1")
    card_button.focus()
    page.keyboard.press("Enter")
    editor = page.get_by_label("Card (YAML)")
    expect(page.locator("#pb-card-heading")).to_have_text(CARD_ID)
    expect(page.locator("#pb-preview-en .pb-title")).to_have_text(OLD_TITLE)
    expect(page.locator("#pb-preview-ja .pb-title")).to_have_text(
        "ご購入が良い選択だったと実感していただく"
    )
    original = editor.input_value()
    assert f"title: {OLD_TITLE}" in original

    editor.fill(original.replace(f"title: {OLD_TITLE}", f'title: "{ESCAPE}"'))
    problems = page.locator("#pb-problems")
    expect(problems).to_contain_text("texts.en.title: attribute '__class__' reaches Python")
    expect(editor).to_have_attribute("aria-invalid", "true")

    editor.fill(original.replace(f"title: {OLD_TITLE}", f"title: {NEW_TITLE}"))
    expect(problems).to_have_text("Valid.")
    expect(page.locator("#pb-preview-en .pb-title")).to_have_text(NEW_TITLE_SHOWN)
    page.get_by_label("Plan tier").select_option("premium")
    expect(page.locator("#pb-preview-en .pb-title")).to_have_text(
        "Celebrate their premium plan choice"
    )
    page.get_by_label("Note for the history (optional)").fill("warmer title")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#pb-status")).to_have_text("Saved as version 2")
    expect(card_button).to_contain_text("draft v2")
    # Saved but not published: agents still get version 1.
    assert agent_sees(playbook_server, next(customers)) == (1, OLD_TITLE)

    page.get_by_role("button", name="Publish version 2").click()
    expect(page.locator("#pb-status")).to_have_text("Published version 2")
    expect(card_button).to_contain_text("live v2")
    history = page.locator("#pb-history li")
    expect(history.first).to_contain_text("warmer title")
    history.first.locator("summary").click()
    expect(history.first.locator(".pb-diff .add")).to_contain_text([f"+    title: {NEW_TITLE}"])
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "playbooks")

    assert wait_for_agents_to_see(playbook_server, customers, (2, NEW_TITLE_SHOWN)) == (
        2,
        NEW_TITLE_SHOWN,
    )

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Roll back to this version (v1)").click()
    expect(page.locator("#pb-status")).to_have_text("Rolled back to version 1")
    assert wait_for_agents_to_see(playbook_server, customers, (1, OLD_TITLE)) == (1, OLD_TITLE)


def test_the_editor_speaks_japanese(playbook_server, signed_in_page):
    page = signed_in_page("lead", lang="ja", server=playbook_server)
    page.goto("/ui/playbooks?lang=ja")
    expect(page.get_by_role("heading", level=1)).to_have_text("プレイブック")
    page.locator(f'.pb-card-button[data-card-id="{CARD_ID}"]').click()
    expect(page.get_by_label("カード (YAML)")).not_to_have_value("")
    expect(page.get_by_role("button", name="下書き保存")).to_be_disabled()


def test_agents_cannot_open_the_editor(playbook_server, signed_in_page):
    page = signed_in_page("agent", server=playbook_server)
    response = page.goto("/ui/playbooks")
    assert response.status == 403
