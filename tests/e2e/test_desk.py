"""The agent desk in a real browser against a real server.

A scripted conversation in English and in Japanese: guidance appears after the first
customer line (the lines go out as utterances, /v1/assist only opens the contact), the top
card changes (and is highlighted) after the second, which the utterance stream answers;
guidance made from a platform's words arrives through the long-poll; the agent
marks it used and records the VES, and the outcome is found in the store. Then every
other state an agent can meet: loading, holdout, degraded model, invalid customer,
signed out, a narrow window, a language switch mid-call, keyboard use.
"""

import itertools
import time
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import expect

from assist_api.services.holdout import in_control_group
from assist_api.store.tables import Interaction, Outcome
from tests.e2e.conftest import live_server

pytestmark = pytest.mark.e2e

CUSTOMER_NUMBERS = itertools.count()
CUSTOMER = {
    "days_since_purchase": 12,
    "persona": "novice",
    "plan_tier": "standard",
    "products_owned": 2,
    "feature_adoption": 0.35,
    "prior_contacts_90d": 1,
    "clv": 1200.0,
    "switching_effort": "high",
}
# (speaker, line): the second customer line turns a billing question into a how-to one,
# which moves the tiny model's top card (to teaching the better way).
SCRIPTS = {
    "en": (
        ("customer", "Hi, I have a question about my bill."),
        ("agent", "Sure."),
        ("customer", "Also, how do I set up the sharing feature? Can you show me how to?"),
    ),
    "ja": (
        ("customer", "請求についてお聞きしたいのですが。"),
        ("agent", "かしこまりました。"),
        ("customer", "あと、共有機能の設定方法を教えてください。やり方が分かりません。"),
    ),
}
WORDS = {
    "en": {"changed": "New top card", "saved": "Outcome recorded.", "used": "Used ✓"},
    "ja": {
        "changed": "おすすめが変わりました",
        "saved": "結果を記録しました。",
        "used": "使用済み ✓",
    },
}


def customer_id(settings, *, holdout: bool) -> str:
    """A customer never used before in this run (cards have per-customer frequency caps)
    that the server's control-group hash puts in (or out of) the holdout."""
    return next(
        candidate
        for candidate in (f"c-{next(CUSTOMER_NUMBERS)}" for _ in range(10_000))
        if in_control_group(candidate, settings.holdout_salt, settings.holdout_rate) == holdout
    )


@pytest.fixture(scope="module")
def modelless_server(tmp_path_factory, tiny_registry):
    """A server whose registry has no model of the name it serves: degraded answers."""
    with live_server(
        tmp_path_factory.mktemp("e2e-modelless"),
        tiny_registry,
        wait_for="/healthz",
        workers=1,
        VALUE_ASSIST_MODEL_NAME="no-such-model",
    ) as running:
        yield running


def open_desk(page):
    page.goto("/ui/desk")
    page.wait_for_function("window.ValueAssistDesk !== undefined")
    return page


def wait_for_answers(page, count: int) -> None:
    page.wait_for_selector(f'.desk[data-answers="{count}"]')


def type_line(page, speaker: str, text: str) -> None:
    page.select_option("#f-speaker", speaker)
    page.fill("#f-line", text)
    page.press("#f-line", "Enter")


def start_contact(page, server, *, holdout: bool = False, lang: str = "en") -> str:
    """Push a contact and its customer the way a contact-centre platform does."""
    customer = {**CUSTOMER, "customer_id": customer_id(server.settings, holdout=holdout)}
    return page.evaluate(
        "(c) => ValueAssistDesk.startContact("
        "{channel: 'chat', language: c.lang, customer: c.customer})",
        {"lang": lang, "customer": customer},
    )


def watch_api(page) -> list[tuple[str, str, int]]:
    """(method, path, status) of every /v1 call the page makes, as its answers arrive."""
    calls = []

    def seen(response):
        path = urlsplit(response.url).path
        if path.startswith("/v1/"):
            calls.append((response.request.method, path, response.status))

    page.on("response", seen)
    return calls


def top_card_id(page) -> str:
    return page.locator("#cards > li").first.get_attribute("data-card-id")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_scripted_conversation_cards_change_card_used_ves_stored(
    lang, server, signed_in_page, screenshot
):
    page = open_desk(signed_in_page("agent", lang=lang))
    calls = watch_api(page)
    interaction_id = start_contact(page, server, lang=lang)
    first, agent, second = SCRIPTS[lang]

    type_line(page, *first)
    type_line(page, *agent)
    wait_for_answers(page, 1)
    expect(page.locator("#cards > li")).not_to_have_count(0)
    expect(page.locator("#cards li.changed")).to_have_count(0)
    expect(page.locator("#reasons li")).not_to_have_count(0)
    expect(page.locator("#openness-band")).to_have_class("badge high")
    expect(page.locator("#desk-status")).to_have_attribute("data-state", "ready")
    first_top = top_card_id(page)

    opened = len(calls)
    type_line(page, *second)
    wait_for_answers(page, 2)
    # The second customer line went out as an utterance, answered by the stream: no /v1/assist.
    later = [(method, path) for method, path, _ in calls[opened:]]
    assert ("POST", "/v1/assist") not in later
    assert ("POST", f"/v1/interactions/{interaction_id}/utterances") in later
    assert ("POST", "/v1/assist") in [(m, p) for m, p, _ in calls[:opened]]  # it opened the call
    second_top = top_card_id(page)
    assert second_top != first_top, "the script no longer moves the top card; pick new lines"
    changed = page.locator("#cards > li.changed")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text(WORDS[lang]["changed"])
    expect(page.locator("#transcript li")).to_have_count(3)
    screenshot(page, f"desk-{lang}")

    use = changed.locator('[data-action="use"]')
    use.click()
    expect(use).to_have_attribute("aria-pressed", "true")
    expect(use).to_have_text(WORDS[lang]["used"])
    page.select_option("#f-ves_confidence", "6")
    page.select_option("#f-ves_ability", "5")
    page.select_option("#f-csat", "5")
    page.select_option("#f-resolved", "true")
    page.locator("#outcome-form button[type=submit]").click()
    expect(page.locator("#outcome-result")).to_contain_text(WORDS[lang]["saved"])

    with server.store() as store, store.uow() as uow:
        outcome = uow.session.get(Outcome, interaction_id)
        interaction = uow.session.get(Interaction, interaction_id)
        assert (outcome.card_id_used, outcome.ves_confidence, outcome.ves_ability) == (
            second_top,
            6,
            5,
        )
        assert (outcome.csat, outcome.resolved) == (5, True)
        assert interaction.language == lang
        assert SCRIPTS[lang][2][1] in interaction.transcript


def test_loading_state_while_the_answer_is_on_its_way(server, signed_in_page, screenshot):
    page = open_desk(signed_in_page("agent"))
    held = []
    page.route(
        "**/v1/assist", lambda route: held.append(route)
    )  # the real request, released after the screenshot
    start_contact(page, server)
    page.evaluate("ValueAssistDesk.addLine('customer', 'How do I share a report?')")
    expect(page.locator("#desk-status")).to_have_attribute("data-state", "loading")
    expect(page.locator("#guidance")).to_have_attribute("aria-busy", "true")
    screenshot(page, "desk-loading")

    held[0].continue_()
    wait_for_answers(page, 1)
    expect(page.locator("#guidance")).to_have_attribute("aria-busy", "false")
    expect(page.locator("#desk-status")).to_have_attribute("data-state", "ready")


def test_a_burst_of_customer_lines_costs_one_call(server, signed_in_page):
    page = open_desk(signed_in_page("agent"))
    sent = []
    page.on("request", lambda r: sent.append(r) if r.method == "POST" else None)
    interaction_id = start_contact(page, server)
    page.evaluate(
        """() => ['Hello.', 'I need help with sharing.', 'How do I set it up?']
            .forEach((line) => ValueAssistDesk.addLine('customer', line))"""
    )
    wait_for_answers(page, 1)
    utterances, assist = sent  # one batch of utterances, then the call that opens the contact
    assert utterances.url.endswith(f"/v1/interactions/{interaction_id}/utterances")
    batch = utterances.post_data_json["utterances"]
    assert [u["text"] for u in batch] == [
        "Hello.",
        "I need help with sharing.",
        "How do I set it up?",
    ]
    offsets = [u["offset_ms"] for u in batch]
    assert offsets == sorted(set(offsets)) and all(u["is_final"] for u in batch)
    assert assist.url.endswith("/v1/assist")
    assert len(assist.post_data_json["transcript"]) == 3


def test_guidance_from_a_platform_arrives_through_the_long_poll(server, signed_in_page):
    """The call's words come from the contact-centre platform, not from this page: the
    desk hears of the new guidance by its long-poll, shows the line, and offers the
    agent's turn next."""
    page = open_desk(signed_in_page("agent"))
    calls = watch_api(page)
    interaction_id = start_contact(page, server)
    waiting = f"/v1/interactions/{interaction_id}/guidance?after="
    with page.expect_request(lambda request: waiting in request.url):  # the desk now waits
        type_line(page, "customer", "Hi, I have a question about my bill.")
        wait_for_answers(page, 1)
    said = "Also, how do I set up the sharing feature? Can you show me how to?"
    posted = requests.post(  # what a connector does with the platform's transcript event
        f"{server.url}/v1/interactions/{interaction_id}/utterances",
        json={"utterances": [{"utterance_id": "platform-1", "speaker": "customer",
                              "text": said, "is_final": True,
                              "offset_ms": int(time.time() * 1000) + 60_000}]},
        headers={"Authorization": f"Bearer {server.keys['system']}"},
        timeout=30,
    )  # fmt: skip
    assert posted.status_code == 200, posted.text
    wait_for_answers(page, 2)
    assert (
        page.evaluate("ValueAssistDesk.state().answer.decision_id") == posted.json()["decision_id"]
    )
    expect(page.locator("#transcript li").last).to_contain_text(said)
    expect(page.locator("#f-speaker")).to_have_value("agent")
    polls = [status for method, path, status in calls if path.endswith("/guidance")]
    assert 200 in polls  # the answer came by the long-poll (this page posted nothing more)
    assert not [path for method, path, _ in calls[2:] if method == "POST"]


def test_an_answer_older_than_the_one_shown_is_dropped(server, signed_in_page):
    page = open_desk(signed_in_page("agent"))
    held = []
    page.route("**/v1/assist", lambda route: held.append(route))
    start_contact(page, server)
    page.evaluate(
        """() => {
            ValueAssistDesk.addLine('customer', 'How do I set up sharing?');
            window.older = ValueAssistDesk.refresh();
            ValueAssistDesk.addLine('customer', 'Is there a new feature for reports?');
            window.newer = ValueAssistDesk.refresh();
        }"""
    )
    page.wait_for_function("true")  # let both requests reach the route handler
    assert len(held) == 2
    held[1].continue_()
    newer = page.evaluate("window.newer")
    held[0].continue_()
    assert page.evaluate("window.older") is None  # answered last, but asked first: dropped
    assert page.evaluate("ValueAssistDesk.state().answer.decision_id") == newer["decision_id"]
    expect(page.locator(".desk")).to_have_attribute("data-answers", "1")


def test_holdout_contact_gets_no_cards_and_no_score(server, signed_in_page, screenshot):
    page = open_desk(signed_in_page("agent"))
    start_contact(page, server, holdout=True)
    type_line(page, "customer", "How do I set up the sharing feature?")
    wait_for_answers(page, 1)
    expect(page.locator("#desk-status")).to_have_attribute("data-state", "holdout")
    expect(page.locator("#desk-status")).to_contain_text("control group")
    expect(page.locator("#cards > li")).to_have_count(0)
    expect(page.locator("#cards-note")).to_contain_text("no cards for this contact")
    expect(page.locator("#reasons li")).to_have_count(0)
    expect(page.locator("#openness-meter")).to_be_hidden()
    expect(page.locator("#route")).not_to_have_text("—")
    screenshot(page, "desk-holdout")


def test_degraded_model_shows_rule_ranked_cards_without_a_score(
    modelless_server, signed_in_page, screenshot
):
    page = open_desk(signed_in_page("agent", server=modelless_server))
    start_contact(page, modelless_server)
    type_line(page, "customer", "How do I set up the sharing feature?")
    wait_for_answers(page, 1)
    expect(page.locator("#desk-status")).to_have_attribute("data-state", "degraded")
    expect(page.locator("#desk-status")).to_contain_text("model is unavailable")
    expect(page.locator("#cards > li")).not_to_have_count(0)
    expect(page.locator("#openness-band")).to_have_text("No score")
    expect(page.locator("#openness-meter")).to_be_hidden()
    screenshot(page, "desk-degraded")


def test_invalid_customer_names_the_fields_then_recovers(server, signed_in_page, screenshot):
    page = open_desk(signed_in_page("agent"))
    fields = {
        "Customer ID": customer_id(server.settings, holdout=False),
        "Days since purchase": "12",
        "Persona": "novice",
        "Plan": "standard",
        "Products owned": "2",
        "Feature adoption (0–1)": "1.5",
        "Contacts in the last 90 days": "1",
    }
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("Switching effort").select_option("low")
    type_line(page, "customer", "How do I set up the sharing feature?")

    status = page.locator("#desk-status")
    expect(status).to_have_attribute("data-state", "error")
    expect(status).to_contain_text("Feature adoption")
    expect(page.get_by_label("Feature adoption (0–1)")).to_have_attribute("aria-invalid", "true")
    # a CRM field left empty is not an error: the profile (or nothing) stands in for it
    expect(page.get_by_label("Customer lifetime value")).not_to_have_attribute(
        "aria-invalid", "true"
    )
    screenshot(page, "desk-error")

    page.get_by_label("Feature adoption (0–1)").fill("0.4")
    page.keyboard.press("Tab")  # leaving the field commits it (a change event)
    wait_for_answers(page, 1)
    # Answered (this customer has no CRM profile, so the answer says so: not an error).
    expect(status).to_have_attribute("data-state", "degraded")
    expect(status).to_contain_text("No CRM profile")
    expect(page.locator("[aria-invalid=true]")).to_have_count(0)


def test_ended_session_asks_to_sign_in_again(server, signed_in_page, screenshot):
    page = open_desk(signed_in_page("agent"))
    start_contact(page, server)
    page.context.clear_cookies()
    type_line(page, "customer", "How do I set up the sharing feature?")
    status = page.locator("#desk-status")
    expect(status).to_contain_text("Your session has ended")
    expect(status.get_by_role("link")).to_have_attribute("href", "/ui/login?next=/ui/desk")
    screenshot(page, "desk-signed-out")


def test_language_switch_relabels_without_losing_the_call(server, signed_in_page):
    page = open_desk(signed_in_page("agent"))
    start_contact(page, server)
    type_line(page, "customer", "How do I set up the sharing feature?")
    wait_for_answers(page, 1)
    page.evaluate("window.sameDocument = true")

    page.get_by_label("Language", exact=True).select_option("ja")
    expect(page.locator("#transcript-heading")).to_have_text("会話")
    expect(page.locator("#transcript .speaker")).to_have_text(["お客様"])
    expect(page.locator('#cards > li.top [data-action="use"]')).to_have_text("使う")
    assert page.evaluate("window.sameDocument && document.documentElement.lang") == "ja"

    page.reload()  # the choice is remembered for the next page load
    expect(page.locator("#transcript-heading")).to_have_text("会話")


def test_narrow_window_has_no_sideways_scrolling(server, signed_in_page, screenshot):
    page = open_desk(signed_in_page("agent", viewport={"width": 390, "height": 844}))
    start_contact(page, server)
    type_line(page, "customer", "How do I set up the sharing feature?")
    wait_for_answers(page, 1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "desk-narrow")


def test_every_control_is_labelled_and_the_desk_works_from_the_keyboard(server, signed_in_page):
    page = open_desk(signed_in_page("agent"))
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea, button')]
            .filter((c) => c.type !== 'hidden' && !c.closest('[hidden]'))
            .filter((c) => !(c.labels && c.labels.length) && !c.getAttribute('aria-label')
                           && !c.textContent.trim())
            .map((c) => c.outerHTML)"""
    )
    assert unlabelled == []

    start_contact(page, server)
    focus_by_tab(page, "#f-line")
    page.keyboard.type("How do I set up the sharing feature?")
    page.keyboard.press("Enter")
    wait_for_answers(page, 1)
    use = '#cards > li.top [data-action="use"]'
    focus_by_tab(page, use)
    page.keyboard.press("Enter")
    expect(page.locator(use)).to_have_attribute("aria-pressed", "true")


def focus_by_tab(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the first element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement === document.querySelector(s)", selector):
            return
    pytest.fail(f"{selector} is not reachable with the Tab key")


def test_pasted_lines_keep_their_speakers(server, signed_in_page):
    page = open_desk(signed_in_page("agent", lang="ja"))
    start_contact(page, server, lang="ja")
    page.fill(
        "#f-line",
        "お客様：設定方法を教えてください。\nオペレーター：かしこまりました。\nCustomer: Thanks!",
    )
    page.get_by_role("button", name="追加").click()
    lines = page.locator("#transcript li")
    expect(lines).to_have_count(3)
    assert [lines.nth(i).get_attribute("class") for i in range(3)] == [
        "customer",
        "agent",
        "customer",
    ]
    expect(lines.nth(1)).to_have_text("オペレーターかしこまりました。")
    wait_for_answers(page, 1)


def test_the_platform_api_names_what_is_wrong_with_its_input(signed_in_page):
    page = open_desk(signed_in_page("agent"))
    errors = page.evaluate(
        """() => [
            () => ValueAssistDesk.addLine('caller', 'Hello'),
            () => ValueAssistDesk.addLine('customer', '   '),
            () => ValueAssistDesk.setCustomer('c-1'),
        ].map((call) => { try { call(); return null; } catch (e) { return e.message; } })"""
    )
    assert errors == [
        'speaker must be "customer" or "agent", got "caller"',
        "text must be a non-empty string",
        "snapshot must be an object",
    ]
