"""The three report pages (ROI, segments, automation) in a real browser, in English and
Japanese, against a real server holding a demo world with a declared plan; the PDF
checked for its charts.

The pages are drawn on the server from the same report as the API, so each page's
figures are checked against the API's JSON; the screenshots (test-artifacts/report-*.png)
are the ones in docs/screenshots/.
"""

import json
import re
import urllib.request
from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from assist_api.reports.plan import create_plan
from assist_api.reports.texts import report_texts
from assist_api.services.outcomes.imports import import_files
from assist_api.store.migrate import upgrade
from assist_api.store.store import Store
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import live_server
from training.simulator.world import simulate_world, write_world

pytestmark = pytest.mark.e2e

WORLD_SIZE = 20_000
WORLD_SEED = 11
PLAN_DECLARED = datetime(2024, 12, 1, tzinfo=UTC)  # before the contacts (from 2025-01-06)
PLAN = {
    "effective_from": datetime(2025, 1, 1, tzinfo=UTC),
    "min_sample_per_arm": 200,
    "cost_per_agent_minute": 0.9,
    "targets": [{"measure": "ve_success", "target": 0.05}, {"measure": "csat", "target": 0.0}],
    "primary": {"measure": "retained_60d", "minimum_effect": 0.03, "baseline": 0.75},
    "population": {},
    "period": {"from": date(2025, 1, 6), "to": date(2025, 6, 30)},
    "note": "pilot",
}
KINDS = ("roi", "segments", "automation")
# A report of 20,000 contacts is computed per page view on a shared 2-core machine:
# allow it time (speed is measured in bench/, never asserted here).
PAGE_TIMEOUT_MS = 120_000
CHARTS = {"roi": 2, "segments": 1, "automation": 1}


@pytest.fixture(scope="module")
def report_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report-server")
    paths = write_world(simulate_world(WORLD_SIZE, seed=WORLD_SEED), folder / "world")
    url = f"sqlite:///{folder / 'store.db'}"
    upgrade(url)
    store = Store.open(url)
    try:
        assert import_files(store, paths["interactions"], paths["outcomes"]).committed
        with store.uow() as uow:
            create_plan(uow.session, PLAN, actor="e2e lead", now=PLAN_DECLARED)
            uow.commit()
    finally:
        store.close()
    with live_server(folder, f"sqlite:///{folder / 'mlflow.db'}", wait_for="/healthz") as running:
        yield running


def api(server, path: str) -> bytes:
    request = urllib.request.Request(
        f"{server.url}{path}", headers={"Authorization": f"Bearer {server.keys['lead']}"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.read()


def lead_page(signed_in_page, server, lang="en"):
    page = signed_in_page("lead", lang=lang, server=server)
    page.set_default_navigation_timeout(PAGE_TIMEOUT_MS)
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    return page


def points(fraction: float) -> str:
    return f"{fraction * 100:+.1f} pts"


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("kind", KINDS)
def test_each_report_page_in_each_language(report_server, signed_in_page, screenshot, kind, lang):
    page = lead_page(signed_in_page, report_server, lang)
    page.goto(f"/ui/reports/{kind}")
    words = report_texts(lang)
    expect(page.locator("#report h1")).to_have_text(words[f"{kind}_title"])
    expect(page.locator("html")).to_have_attribute("lang", lang)
    charts = page.locator("#report figure.chart svg")
    expect(charts).to_have_count(CHARTS[kind])
    expect(page.locator("#report figure.chart svg title").first).not_to_be_empty()
    for name in ("f-from", "f-to", "f-channel"):  # every control has its label
        expect(page.locator(f"label[for={name}]")).to_have_count(1)
    if kind == "roi":
        report = json.loads(api(report_server, "/v1/reports/roi"))
        lift = report["effects"]["retained_60d"]["lift"]
        expect(page.locator("#report .headline")).to_contain_text(points(lift))
        expect(page.locator("#report")).to_contain_text(words.health)
        verdict = words["status_" + report["declared"]["status"]]
        expect(page.locator("#report")).to_contain_text(verdict)
        if report["financial"]["return"]["distinguishable_from_zero"] is False:
            zero = "ゼロと区別できません" if lang == "ja" else "not distinguishable from zero"
            expect(page.locator("#report .headline")).to_contain_text(zero)
    assert_accessible(page, f"the {kind} report page ({lang})")
    screenshot(page, f"report-{kind}-{lang}")


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("en", "The start date is after the end date"),
        ("ja", "開始日が終了日より後になっています"),
    ],
)
def test_an_inverted_period_is_answered_in_plain_words(
    report_server, signed_in_page, lang, sentence
):
    page = lead_page(signed_in_page, report_server, lang)
    page.goto("/ui/reports/segments")
    page.fill("#f-from", "2025-05-01")
    page.fill("#f-to", "2025-03-01")
    with page.expect_navigation():
        page.locator("#report-filters button[type=submit]").click()
    expect(page.locator("#report-error")).to_contain_text(sentence)
    expect(page.locator("#report-error")).not_to_contain_text("query.")


def test_filters_carry_into_the_downloads(report_server, signed_in_page):
    page = lead_page(signed_in_page, report_server)
    page.goto("/ui/reports/roi")
    page.select_option("#f-switching_effort", "high")
    with page.expect_navigation():
        page.locator("#report-filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"switching_effort=high"))
    expect(page.locator("#report")).to_contain_text("switching_effort=high")
    for link in ("#report-csv", "#report-pdf"):
        expect(page.locator(link)).to_have_attribute("href", re.compile(r"switching_effort=high"))


@pytest.mark.parametrize("kind", KINDS)
def test_the_pdf_holds_the_pages_charts(report_server, kind):
    pdf = api(report_server, f"/v1/reports/{kind}?format=pdf&lang=ja")
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    notes = pdf.count(b"/Subtype /Text")  # one note naming each chart page
    assert notes == CHARTS[kind]
    assert pages == 1 + CHARTS[kind]  # the headline page, then one page per chart


def test_agents_cannot_open_the_report_pages(report_server, signed_in_page):
    page = signed_in_page("agent", server=report_server)
    page.set_default_navigation_timeout(PAGE_TIMEOUT_MS)
    for kind in KINDS:
        assert page.goto(f"/ui/reports/{kind}").status == 403
