"""The playbook editor in a real browser against a real two-worker server.

Two-person publish is on, as in production. A lead finds a card by its title, edits it in
the form (no YAML), sees live validation reject a template that reaches for Python
internals, inserts a customer field, previews every rule input, saves; the publish waits
in the approval queue until a second lead (the admin) approves it, and an agent's answer
carries the new words. A rollback is an entry of its own in the history, word-level diffs
show what changed, YAML stays as import/export, and axe-core finds nothing serious.
"""

import json
import re
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from assist_api.services.holdout import in_control_group
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import live_server

pytestmark = pytest.mark.e2e

CARD_ID = "validate_purchase.reassure_choice"
OLD_TITLE = "Reassure them they chose well"
NEW_TITLE = "Celebrate their {{ customer.plan_tier | label }} plan choice"
NEW_TITLE_SHOWN = "Celebrate their Standard plan choice"
BIG = {"width": 1920, "height": 1080}
SMALL = {"width": 1280, "height": 720}
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
        VALUE_ASSIST_TWO_PERSON_PUBLISH="true",
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


def test_edit_in_the_form_approve_publish_and_roll_back(
    playbook_server, signed_in_page, screenshot
):
    customers = offered_customers(playbook_server.settings)
    assert agent_sees(playbook_server, next(customers)) == (1, OLD_TITLE)
    page = signed_in_page("lead", server=playbook_server, viewport=BIG)
    assert page.url.endswith("/ui/playbooks")

    # The list: titles, activity and status; search by any of them.
    card_button = page.locator(f'.pb-card-button[data-card-id="{CARD_ID}"]')
    expect(card_button).to_contain_text(OLD_TITLE)
    expect(card_button).to_contain_text("Validate the purchase")
    expect(card_button).to_contain_text("live v1")
    page.get_by_label("Search cards").fill("reassure")
    expect(page.locator(".pb-card-button")).to_have_count(1)
    page.get_by_label("Search cards").fill("")
    card_button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#pb-card-heading")).to_have_text(OLD_TITLE)
    expect(page.locator("#pb-preview-en .pb-title")).to_have_text(OLD_TITLE)
    expect(page.locator("#pb-preview-ja .pb-title")).to_have_text(
        "ご購入が良い選択だったと実感していただく"
    )
    save = page.get_by_role("button", name="Save draft")
    expect(save).to_be_disabled()
    expect(page.locator("#pb-save-why")).to_have_text("No changes to save yet.")

    # Live validation names the field; the template insert puts a customer field at the cursor.
    title = page.locator("#pb-f-en-title")
    title.fill(ESCAPE)
    problems = page.locator("#pb-problems")
    expect(problems).to_contain_text("texts.en.title")
    expect(problems).to_contain_text("attribute '__class__' reaches Python")
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(save).to_be_disabled()
    title.fill("Celebrate their ")
    page.locator('[data-insert="customer.plan_tier"]').click()
    page.keyboard.type(" plan choice")
    expect(title).to_have_value(NEW_TITLE)
    expect(problems).to_have_text("Valid.")
    expect(page.locator("#pb-preview-en .pb-title")).to_have_text(NEW_TITLE_SHOWN)

    # Every rule input can be previewed: plan, days since purchase, the state.
    page.get_by_label("Plan tier", exact=True).select_option("premium")
    expect(page.locator("#pb-preview-en .pb-title")).to_have_text(
        "Celebrate their Premium plan choice"
    )
    page.get_by_label("Days since purchase", exact=True).fill("45")
    page.get_by_label("Days since purchase", exact=True).press("Tab")
    expect(page.locator("#pb-preview-en .pb-rule")).to_contain_text(
        "only in the first 30 days after purchase (now day 45)"
    )
    expect(page.locator("#pb-preview-ja .pb-rule")).to_contain_text("購入から30日以内のみ")
    page.get_by_label("Days since purchase", exact=True).fill("12")
    page.get_by_label("Days since purchase", exact=True).press("Tab")
    page.get_by_label("Only after the customer's issue is resolved").check()
    expect(page.locator("#pb-preview-en .pb-rule")).to_contain_text("waits until the issue")
    page.locator("#pb-resolved").check()
    expect(page.locator("#pb-preview-en .pb-rule")).to_have_text(
        "Would be offered for this sample."
    )
    page.get_by_label("Only after the customer's issue is resolved").uncheck()
    assert_accessible(page, "the playbook editor (en, 1920x1080)")

    page.get_by_label("Note for the history (optional)").fill("warmer title")
    save.click()
    expect(page.locator("#pb-status")).to_have_text("Saved as version 2")
    expect(card_button).to_contain_text("draft v2")
    # Two-person publish: the author cannot publish; the draft waits in the queue.
    publish = page.locator("#pb-publish")
    expect(publish).to_be_disabled()
    expect(publish).to_have_text("Another lead must approve this version")
    expect(page.locator("#pb-queue")).to_contain_text("yours")
    assert agent_sees(playbook_server, next(customers)) == (1, OLD_TITLE)

    approver = signed_in_page("admin", server=playbook_server, viewport=BIG)
    approver.goto("/ui/playbooks")
    approver.locator("#pb-queue button").first.click()
    expect(approver.locator("#pb-f-en-title")).to_have_value(NEW_TITLE)
    approver.get_by_role("button", name="Publish version 2").click()
    expect(approver.locator("#pb-status")).to_have_text("Published version 2")
    expect(approver.locator("#pb-queue-box")).to_be_hidden()
    history = approver.locator("#pb-history li")
    expect(history.first).to_contain_text("warmer title")
    history.first.locator("summary").click()
    diff = history.first.locator(".pb-diff")
    expect(diff.locator("dt").first).to_have_text("texts.en.title")
    expect(diff.locator("ins").first).to_contain_text(
        "Celebrate their {{ customer.plan_tier | label }}"
    )
    approver.evaluate("window.scrollTo(0, 0)")
    screenshot(approver, "playbooks-en-1920x1080")
    assert wait_for_agents_to_see(playbook_server, customers, (2, NEW_TITLE_SHOWN)) == (
        2,
        NEW_TITLE_SHOWN,
    )

    # A rollback: its own history entry; the form shows what agents see now.
    approver.once("dialog", lambda dialog: dialog.accept())
    approver.get_by_role("button", name="Roll back to this version (v1)").click()
    expect(approver.locator("#pb-status")).to_have_text("Rolled back to version 1")
    expect(approver.locator("#pb-history li").first).to_contain_text(
        "Rolled back from version 2 to version 1"
    )
    expect(approver.locator("#pb-f-en-title")).to_have_value(OLD_TITLE)
    expect(approver.locator("#pb-state")).to_contain_text("version 2 was withdrawn")
    assert wait_for_agents_to_see(playbook_server, customers, (1, OLD_TITLE)) == (1, OLD_TITLE)

    # YAML as import and export.
    approver.locator(".pb-yaml-box summary").click()
    approver.get_by_role("button", name="Export the form as YAML").click()
    yaml_box = approver.get_by_label("The card as a card file")
    expect(yaml_box).not_to_have_value("")
    assert f"id: {CARD_ID}" in yaml_box.input_value()
    yaml_box.fill(re.sub(r"weight: [0-9.]+", "weight: 1.5", yaml_box.input_value()))
    approver.get_by_role("button", name="Import this YAML into the form").click()
    expect(approver.get_by_label("Weight (ranking multiplier)")).to_have_value("1.5")
    expect(approver.get_by_role("button", name="Save draft")).to_be_enabled()


def test_the_editor_speaks_japanese(playbook_server, signed_in_page, screenshot):
    page = signed_in_page("lead", lang="ja", server=playbook_server, viewport=SMALL)
    page.goto("/ui/playbooks?lang=ja")
    expect(page.get_by_role("heading", level=1)).to_have_text("プレイブック")
    page.locator(f'.pb-card-button[data-card-id="{CARD_ID}"]').click()
    expect(page.locator("#pb-f-ja-title")).not_to_have_value("")
    expect(page.get_by_role("button", name="下書き保存")).to_be_disabled()
    expect(page.locator("#pb-save-why")).to_have_text("まだ変更はありません。")
    expect(page.get_by_label("お客様の問題が解決してから表示する")).to_be_visible()
    # The plan is named in Japanese (`| label`), not as the code 「Standardプラン」.
    expect(page.locator("#pb-preview-ja")).to_contain_text("スタンダードプラン")
    expect(page.locator("#pb-preview-ja")).not_to_contain_text("Standard")
    assert_accessible(page, "the playbook editor (ja, 1280x720)")
    screenshot(page, "playbooks-ja-1280x720")


def test_agents_cannot_open_the_editor(playbook_server, signed_in_page):
    page = signed_in_page("agent", server=playbook_server)
    response = page.goto("/ui/playbooks")
    assert response.status == 403
