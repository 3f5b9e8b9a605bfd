"""The desk knows only who the customer is: guidance comes from the CRM profile.

A real browser on a real server: the agent's desk sends the customer's id and the
conversation, nothing typed from the CRM. With a stored profile the guidance is full;
for a customer the CRM does not know, guidance still appears, marked degraded.
"""

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.test_desk import CUSTOMER, customer_id, open_desk, type_line, wait_for_answers

pytestmark = pytest.mark.e2e


def start_with_id_only(page, customer: str) -> str:
    return page.evaluate(
        "(id) => ValueAssistDesk.startContact("
        "{channel: 'chat', language: 'en', customer: {customer_id: id}})",
        customer,
    )


def test_guidance_from_the_stored_profile(server, signed_in_page):
    customer = customer_id(server.settings, holdout=False)
    stored = requests.put(
        f"{server.url}/v1/customers/{customer}",
        json=CUSTOMER,
        headers={"Authorization": f"Bearer {server.keys['lead']}"},
        timeout=30,
    )
    assert stored.status_code == 200, stored.text
    page = open_desk(signed_in_page("agent"))
    sent = []
    page.on("request", lambda r: sent.append(r) if r.url.endswith("/v1/assist") else None)
    start_with_id_only(page, customer)
    type_line(page, "customer", "Hi, how do I set up the sharing feature?")
    wait_for_answers(page, 1)
    expect(page.locator("#cards > li")).not_to_have_count(0)
    expect(page.locator("#desk-status")).to_have_attribute("data-state", "ready")
    assert sent[0].post_data_json["customer"] == {"customer_id": customer}


def test_no_profile_still_gets_guidance_marked_degraded(server, signed_in_page):
    page = open_desk(signed_in_page("agent"))
    start_with_id_only(page, customer_id(server.settings, holdout=False))
    type_line(page, "customer", "How do I set up the sharing feature?")  # a how-to: cards fit
    wait_for_answers(page, 1)
    expect(page.locator("#desk-status")).to_have_attribute("data-state", "degraded")
    expect(page.locator("#desk-status")).to_contain_text("No CRM profile")
    expect(page.locator("#cards > li")).not_to_have_count(0)
