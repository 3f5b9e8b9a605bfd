"""The ROI dashboard in a real browser against a real server holding a demo world.

The world is simulated and imported before `value-assist serve` starts, with an ROI plan
declared before the world's first contact, so the page shows a full report: headline
return with its interval, judged plan targets, the lift charts and the trend. The page's
figures are checked against the API's JSON, and the CSV download against the filters.
"""

import csv
import io
import json
import re
import urllib.request
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from assist_api.reports.plan import create_plan
from assist_api.services.outcomes.imports import import_files
from assist_api.store.migrate import upgrade
from assist_api.store.store import Store
from tests.e2e.conftest import ARTIFACTS, live_server
from training.simulator.world import simulate_world, write_world

pytestmark = pytest.mark.e2e

WORLD_SIZE = 20_000
WORLD_SEED = 11
# Declared a month before the simulated contacts start (2025-01-06).
PLAN_DECLARED = datetime(2024, 12, 1, tzinfo=UTC)
PLAN = {
    "effective_from": datetime(2025, 1, 1, tzinfo=UTC),
    "min_sample_per_arm": 200,
    "cost_per_agent_minute": 0.9,
    "targets": [
        {"measure": "ve_success", "target": 0.05, "direction": None},
        {"measure": "retained_60d", "target": 0.10, "direction": None},
        {"measure": "handle_seconds", "target": 120.0, "direction": None},
    ],
    "note": "pilot",
}


@pytest.fixture(scope="module")
def roi_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("roi-server")
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
    tracking = f"sqlite:///{folder / 'mlflow.db'}"
    with live_server(folder, tracking, wait_for="/healthz") as running:
        yield running


def api_report(server, query: str = "") -> dict:
    request = urllib.request.Request(
        f"{server.url}/v1/reports/roi{query}",
        headers={"Authorization": f"Bearer {server.keys['lead']}"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def points(fraction: float) -> str:
    """As the page writes a lift: signed, one decimal, and a plain 0.0 for zero."""
    shown = f"{fraction * 100:+.1f}"
    return "0.0 pts" if float(shown) == 0 else f"{shown} pts"


def open_dashboard(signed_in_page, server, lang="en", query=""):
    page = signed_in_page("lead", lang=lang, server=server)
    page.goto(f"/ui/reports/roi{query}")
    expect(page.locator("body[data-roi-ready]")).to_have_count(1, timeout=60_000)
    return page


def test_the_dashboard_shows_the_reports_headline_plan_and_charts(roi_server, signed_in_page):
    report = api_report(roi_server)
    page = open_dashboard(signed_in_page, roi_server)

    retention, ve = report["effects"]["retained_60d"], report["effects"]["ve_success"]
    expect(page.locator("#h-retention")).to_have_text(points(retention["lift"]))
    expect(page.locator("#h-ve")).to_have_text(points(ve["lift"]))
    low, high = retention["ci95"]
    expect(page.locator("#h-retention-ci")).to_contain_text(f"{points(low)} … {points(high)}")
    returned = report["financial"]["return"]["value"]
    expect(page.locator("#h-return")).to_have_text(f"{returned:+,.0f}")

    statuses = page.locator("#plan-table [data-status]")
    expect(statuses).to_have_count(len(PLAN["targets"]))
    judged = [t["status"] for t in report["plan"]["targets"]]
    assert [statuses.nth(i).get_attribute("data-status") for i in range(3)] == judged
    expect(page.locator("#plan-meta")).to_contain_text("Plan version 1")

    effort_bars = page.locator("#chart-effort rect[data-measure]")
    expect(effort_bars).to_have_count(4)  # high and low x VE success and retention
    assert page.locator("#chart-activity rect[data-group]").count() >= 5
    assert page.locator("#chart-segment rect[data-group]").count() >= 4
    expect(page.locator("#chart-trend polyline[data-measure]")).to_have_count(2)
    expect(page.locator("#published-table")).to_contain_text("90.0 %")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "roi.png"), full_page=True)


def test_filters_drive_the_charts_the_url_and_the_csv_download(roi_server, signed_in_page):
    page = open_dashboard(signed_in_page, roi_server)
    page.select_option("#r-switching_effort", "high")
    page.fill("#r-from", "2025-02-01")
    page.locator("#roi-filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"^(?=.*switching_effort=high)(?=.*from=2025-02-01)"))
    expect(page.locator("body[data-roi-ready]")).to_have_count(1, timeout=60_000)
    expect(page.locator("#chart-effort rect[data-group=low]")).to_have_count(0)
    expect(page.locator("#chart-effort rect[data-group=high]")).to_have_count(2)

    with page.expect_download() as download:
        page.locator("#roi-csv").click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    groups = {
        r["group"] for r in rows if r["section"] == "by" and r["dimension"] == "switching_effort"
    }
    assert groups == {"high"}
    expected = api_report(roi_server, "?switching_effort=high&from=2025-02-01")
    interactions = next(r for r in rows if r["measure"] == "interactions")
    assert int(interactions["value"]) == expected["counts"]["interactions"]


def test_a_bad_filter_shows_the_apis_reason(roi_server, signed_in_page):
    page = open_dashboard(signed_in_page, roi_server)
    page.fill("#r-from", "2025-05-01")
    page.fill("#r-to", "2025-03-01")
    page.locator("#roi-filters button[type=submit]").click()
    expect(page.locator("#roi-error")).to_contain_text("from")
    expect(page.locator("#roi-error")).to_contain_text("must not be after")


def test_the_dashboard_in_japanese(roi_server, signed_in_page, screenshot):
    page = open_dashboard(signed_in_page, roi_server, lang="ja")
    expect(page.locator("h1")).to_have_text("ROIダッシュボード")
    expect(page.locator("#plan-heading")).to_have_text("計画の目標")
    screenshot(page, "roi-ja")


def test_agents_cannot_open_the_dashboard(roi_server, signed_in_page):
    page = signed_in_page("agent", server=roi_server)
    response = page.goto("/ui/reports/roi")
    assert response.status == 403
