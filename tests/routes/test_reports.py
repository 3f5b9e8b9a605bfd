"""The reports: right on the demo world's known truth, right on live decisions, and every
way in (API, CLI, CSV, HTML) showing the same numbers; the ROI plan judged as declared.

The demo world is simulated, imported with the real importer and reported on with the
real code; its truth.csv holds the effects the report must recover.
"""

import csv
import io
import json
import math
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from scipy import stats as scipy_stats
from sqlalchemy import select

from assist_api.cli import main
from assist_api.reports import ReportQuery, run_report
from assist_api.reports import stats as report_stats
from assist_api.reports.effects import MEASURES, effect
from assist_api.reports.plan import create_plan
from assist_api.reports.render import to_csv, to_html
from assist_api.reports.targets import judge
from assist_api.services.decisions.log import DecisionLog, interaction_snapshot
from assist_api.services.outcomes.imports import import_files
from assist_api.store.migrate import upgrade
from assist_api.store.store import Store
from assist_api.store.tables import AuditEntry
from tests.helpers.app import bearer, build_app, make_keys, make_test_settings
from training.simulator.world import simulate_world, write_world

WORLD_SIZE = 40_000
WORLD_SEED = 7
PUBLISHED = {"high": (0.90, 0.73), "low": (0.69, 0.52)}  # retention with / without VE
SAMPLING_SDS = 3.0  # "within sampling error": inside three standard errors
NOW = datetime(2026, 1, 1, tzinfo=UTC)
EFFECT_KEYS = {"offered", "holdout", "lift", "ci95"}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The demo world in a migrated SQLite store: (store url, truth joined to its rows,
    truth per customer). Retention is a customer fact in this world (the default)."""
    folder = tmp_path_factory.mktemp("world")
    paths = write_world(simulate_world(WORLD_SIZE, seed=WORLD_SEED), folder)
    url = f"sqlite:///{folder / 'store.db'}"
    upgrade(url)
    store = Store.open(url)
    assert import_files(store, paths["interactions"], paths["outcomes"]).committed
    store.close()
    rows = pd.read_csv(paths["interactions"], usecols=["interaction_id", "holdout", "clv"])
    truth = pd.read_csv(paths["truth"]).merge(rows, on="interaction_id")
    return url, truth, pd.read_csv(paths["customer_truth"])


@pytest.fixture(scope="module")
def world_store(world):
    opened = Store.open(world[0])
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def roi(world_store):
    return run_report("roi", world_store, ReportQuery(), cost_per_agent_minute=1.0, now=NOW)


def within(interval, value) -> bool:
    return interval[0] <= value <= interval[1]


# --- the demo world's truth ------------------------------------------------------------


def test_retention_lift_interval_contains_the_true_effect(roi, world):
    customers = world[2]
    retained = roi["effects"]["retained_60d"]
    assert retained["unit"] == "customer"
    assert retained["n_offered"] + retained["n_holdout"] == len(customers)
    assert within(retained["ci95"], customers["retention_effect"].mean())
    assert retained["ci95"][0] > 0  # 40 000 contacts are enough to see the effect


def test_ve_success_lift_interval_contains_the_true_effect(roi, world):
    truth = world[1]
    true_lift = (truth["p_success_offered"] - truth["p_success_holdout"]).mean()
    assert within(roi["effects"]["ve_success"]["ci95"], true_lift)


def test_retention_by_switching_effort_and_ve_success_matches_the_published_figures(roi):
    for effort, published in PUBLISHED.items():
        for key, expected in zip(("with_ve", "without_ve"), published, strict=True):
            figure = roi["retention_by_ve"][effort][key]
            error = math.sqrt(expected * (1 - expected) / figure["n"])
            assert abs(figure["rate"] - expected) <= SAMPLING_SDS * error, (effort, key, figure)
            assert figure["n"] > 500  # customers who answered the survey on every contact


def test_retained_value_and_extra_customers_contain_the_truth_per_customer(roi, world):
    customers = world[2]
    offered = customers[~customers["holdout"]]
    true_value = (offered["retention_effect"] * offered["clv"]).sum()
    financial = roi["financial"]
    assert within(financial["retained_value"]["ci95"], true_value)
    assert within(financial["incremental_retained"]["ci95"], offered["retention_effect"].sum())
    assert financial["offered_customers"] == len(offered) < financial["offered_contacts"]
    minutes = financial["handle_minutes_per_customer"]
    cost = financial["extra_handle_cost"]["value"]
    extra = (minutes["offered"] - minutes["holdout"]) * financial["offered_customers"]
    assert cost == pytest.approx(extra, rel=1e-3)


def test_the_json_report_carries_the_names_other_tools_read(roi):
    for section in (roi["effects"], *(roi["by"]["switching_effort"][e] for e in ("high", "low"))):
        for measure in ("ve_success", "retained_60d"):
            assert EFFECT_KEYS <= set(section[measure])
            low, high = section[measure]["ci95"]
            assert low <= section[measure]["lift"] <= high
    counts = roi["counts"]
    assert counts["interactions"] == WORLD_SIZE
    assert counts["offered"] + counts["holdout"] == WORLD_SIZE
    assert 0.08 < counts["holdout_share"] < 0.12
    assert set(roi["by"]) >= {"activity", "contact_reason", "channel", "language", "pool"}
    assert len(roi["trend"]) >= 6  # half a year, by month


def test_segments_rank_by_opportunity_and_questions_beat_complaints(world_store):
    report = run_report("segments", world_store, ReportQuery(), cost_per_agent_minute=1, now=NOW)
    values = [row["shrunk_opportunity"] for row in report["ranked"]]
    assert values == sorted(values, reverse=True) and values
    for row in report["ranked"]:  # shrunk towards the average, never past it
        assert row["ve_success"]["n_offered"] >= report["min_respondents_per_group"]
        assert row["q_value"] is not None
    assert all("unknown" not in row["label"] for row in report["ranked"])
    reasons = {r["dimensions"]["contact_reason"]: r for r in report["by"]["contact_reason"]}
    assert reasons["inquiry"]["ve_success"]["lift"] > reasons["complaint"]["ve_success"]["lift"]
    assert reasons["inquiry"]["openness"]["rate"] > reasons["complaint"]["openness"]["rate"]


def test_automation_candidates_succeed_often_consistently_and_with_agents(world_store):
    report = run_report("automation", world_store, ReportQuery(), cost_per_agent_minute=1, now=NOW)
    candidates = [s for s in report["situations"] if s["status"] == "candidate"]
    assert candidates and report["candidates"] == len(candidates)
    assert report["situations"][: len(candidates)] == candidates  # candidates come first
    for situation in candidates:
        assert situation["success"]["ci95"][0] >= 0.5
        assert all(half["rate"] >= 0.5 for half in situation["halves"])
        assert situation["channel"] not in ("self_service", "chatbot")
        assert situation["contact_reason"] not in ("complaint", "cancellation")
        assert situation["volume"] >= situation["attempts"]


# --- the API, the CLI, CSV and HTML ----------------------------------------------------


@pytest.fixture(scope="module")
def world_app(world, tmp_path_factory):
    application = build_app(make_test_settings(tmp_path_factory.mktemp("app"), world[0]))
    yield application
    application.extensions["scorer"].stop()
    application.extensions["store"].close()


@pytest.fixture(scope="module")
def lead(world_app):
    return bearer(make_keys(world_app)["lead"])


def test_the_api_report_is_the_reports_numbers(world_app, lead, roi):
    response = world_app.test_client().get("/v1/reports/roi", headers=lead)
    assert response.status_code == 200
    body = response.get_json()
    assert body["effects"] == roi["effects"]
    assert body["by"]["switching_effort"] == roi["by"]["switching_effort"]
    assert body["financial"] == roi["financial"]


def test_filters_and_period_narrow_the_population(world_app, lead):
    client = world_app.test_client()
    body = client.get(
        "/v1/reports/roi?from=2025-02-01&to=2025-02-28&channel=phone&language=ja-JP",
        headers=lead,
    ).get_json()
    assert body["filters"] == {"channel": "phone", "language": "ja"}
    assert set(body["by"]["channel"]) == {"phone"} and set(body["by"]["language"]) == {"ja"}
    assert body["period"]["first_interaction"] >= "2025-02-01"
    assert body["period"]["last_interaction"] < "2025-03-01"
    assert 0 < body["counts"]["interactions"] < WORLD_SIZE / 10


def test_csv_and_html_show_the_same_report(world_app, lead, roi):
    client = world_app.test_client()
    response = client.get("/v1/reports/roi?format=csv", headers=lead)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    overall = next(r for r in rows if r["section"] == "effects" and r["measure"] == "retained_60d")
    assert float(overall["lift"]) == roi["effects"]["retained_60d"]["lift"]
    assert float(overall["ci95_low"]) == roi["effects"]["retained_60d"]["ci95"][0]

    page = client.get("/v1/reports/roi?format=html", headers=lead)
    assert page.headers["Content-Type"].startswith("text/html")
    html = page.get_data(as_text=True)
    lift = roi["effects"]["retained_60d"]["lift"] * 100
    assert f"{lift:+.1f} pts" in html and "<script" not in html
    segments = client.get("/v1/reports/segments?format=html", headers=lead)
    assert "Segments open to value enhancement" in segments.get_data(as_text=True)
    japanese = client.get("/v1/reports/roi?format=html&lang=ja", headers=lead)
    assert '<html lang="ja">' in japanese.get_data(as_text=True)
    assert "実験の健全性" in japanese.get_data(as_text=True)
    automation = client.get("/v1/reports/automation?format=csv", headers=lead)
    assert automation.get_data(as_text=True).startswith("activity,contact_reason,channel")


BAD_QUERIES = [
    ("from=2025-03-01&to=2025-02-01", "from", "must not be after"),
    ("from=yesterday", "from", "date"),
    ("channel=fax", "channel", "Must be one of"),
    ("activity=upsell", "activity", "Must be one of"),
    ("format=xml", "format", "Must be one of"),
    ("lang=fr", "lang", "Must be one of"),
    ("colour=blue", "colour", "Unknown field"),
    ("to=9999-12-31", "to", "less than or equal to 9998-12-31"),
    ("pool=a%01b", "pool", "control characters"),
]


@pytest.mark.parametrize(("query", "field", "reason"), BAD_QUERIES)
def test_a_bad_query_is_a_422_naming_the_parameter(world_app, lead, query, field, reason):
    response = world_app.test_client().get(f"/v1/reports/roi?{query}", headers=lead)
    assert response.status_code == 422
    fields = response.get_json()["error"]["details"]["fields"]
    name = next(name for name in fields if name.endswith(field))
    assert any(reason in message for message in fields[name])


def test_reports_are_for_leads(world_app):
    keys = make_keys(world_app)
    client = world_app.test_client()
    for kind in ("roi", "segments", "automation", "roi/plans"):
        assert client.get(f"/v1/reports/{kind}", headers=bearer(keys["agent"])).status_code == 403
    assert client.get("/v1/reports/roi", headers=bearer(keys["admin"])).status_code == 200


def test_the_cli_prints_the_same_report(world, tmp_path, roi, monkeypatch):
    monkeypatch.setenv("VALUE_ASSIST_DATABASE_URL", world[0])
    monkeypatch.setenv("VALUE_ASSIST_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    printed = runner.invoke(main, ["report", "roi"])
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.output)["effects"] == roi["effects"]

    out = tmp_path / "auto.csv"
    written = runner.invoke(main, ["report", "automation", "--format", "csv", "--out", str(out)])
    assert written.exit_code == 0 and out.read_text().startswith("activity,contact_reason")

    bad = runner.invoke(main, ["report", "roi", "--filter", "channel=fax", "--from", "2025-13-01"])
    assert bad.exit_code == 2
    assert "channel: Must be one of" in bad.output and "from: Not a valid date" in bad.output


# --- the ROI plan -----------------------------------------------------------------------


def test_plans_are_versioned_audited_and_validated(world_app, lead):
    client = world_app.test_client()
    plan = {"targets": [{"measure": "retained_60d", "target": 0.03}], "min_sample_per_arm": 500}
    first = client.post("/v1/reports/roi/plans", json=plan, headers=lead)
    second = client.post(
        "/v1/reports/roi/plans", json={**plan, "cost_per_agent_minute": 0.7}, headers=lead
    )
    assert (first.status_code, second.status_code) == (201, 201)
    versions = [first.get_json()["version"], second.get_json()["version"]]
    assert versions[1] == versions[0] + 1
    listed = client.get("/v1/reports/roi/plans", headers=lead).get_json()
    assert [p["version"] for p in listed["plans"]][:2] == versions[::-1]
    assert listed["current"]["version"] == versions[1]
    with world_app.extensions["store"].uow() as uow:
        audited = uow.session.scalars(
            select(AuditEntry.entity_id).where(AuditEntry.action == "roi_plan.create")
        ).all()
    assert {str(v) for v in versions} <= set(audited)


BAD_PLANS = [
    ({"targets": []}, "targets", "between 1 and 50"),
    ({"targets": [{"measure": "happiness", "target": 1}]}, "targets.0.measure", "one of"),
    ({"targets": [{"measure": "ve_success", "target": 10}]}, "targets.0.target", "0.10"),
    (
        {"targets": [{"measure": "ces", "target": -0.2, "direction": "down"}]},
        "targets.0.direction",
        "one of",
    ),
    ({"targets": [{"measure": "nps"}]}, "targets.0.target", "required"),
    (
        {"targets": [{"measure": "nps", "target": 1}], "min_sample_per_arm": 0},
        "min_sample_per_arm",
        "greater than or equal to 1",
    ),
    (
        {"targets": [{"measure": "nps", "target": 1}], "effective_from": "soon"},
        "effective_from",
        "datetime",
    ),
    (
        {"targets": [{"measure": "nps", "target": 1}], "effective_from": "0001-01-01T00:00+14:00"},
        "effective_from",
        "greater than or equal",
    ),
]


@pytest.mark.parametrize(("plan", "field", "reason"), BAD_PLANS)
def test_a_bad_plan_is_a_422_naming_the_field(world_app, lead, plan, field, reason):
    response = world_app.test_client().post("/v1/reports/roi/plans", json=plan, headers=lead)
    assert response.status_code == 422
    fields = response.get_json()["error"]["details"]["fields"]
    assert field in fields and any(reason in m for m in fields[field]), fields


def test_a_period_is_judged_by_the_plan_declared_before_it_started(sqlite_store, tmp_path):
    paths = write_world(simulate_world(1500, seed=3), tmp_path / "slice")
    assert import_files(sqlite_store, paths["interactions"], paths["outcomes"]).committed
    body = {"targets": [{"measure": "ve_success", "target": 0.0}], "min_sample_per_arm": 1}
    with sqlite_store.uow() as uow:
        create_plan(uow.session, body, actor="lead a", now=datetime(2024, 12, 1, tzinfo=UTC))
        later = {**body, "effective_from": datetime(2024, 12, 1, tzinfo=UTC)}  # backdated
        create_plan(uow.session, later, actor="lead b", now=datetime(2025, 3, 1, tzinfo=UTC))
        uow.commit()
    early = run_report(
        "roi", sqlite_store, ReportQuery(start=date(2025, 2, 1)), cost_per_agent_minute=1, now=NOW
    )
    assert early["plan"]["version"] == 1
    assert "2" in early["plan_note"]
    after = run_report(
        "roi", sqlite_store, ReportQuery(start=date(2025, 3, 2)), cost_per_agent_minute=1, now=NOW
    )
    assert after["plan"]["version"] == 2 and after["plan_note"] is None


def report_with(lift, interval, n=1000) -> dict:
    effect = {"lift": lift, "ci95": interval, "n_offered": n, "n_holdout": n}
    return {"effects": {"ve_success": effect, "retained_60d": effect, "ces": effect}}


@pytest.mark.parametrize(
    ("target", "lift", "interval", "n", "status", "reason"),
    [
        ({"measure": "ve_success", "target": 0.10}, 0.13, [0.11, 0.15], 1000, "met", None),
        ({"measure": "ve_success", "target": 0.10}, 0.05, [0.02, 0.08], 1000, "not_met", None),
        (
            {"measure": "ve_success", "target": 0.10},
            0.10,
            [0.07, 0.13],
            1000,
            "undecidable",
            "interval_straddles_target",
        ),
        (
            {"measure": "ve_success", "target": 0.10},
            0.30,
            [0.20, 0.40],
            50,
            "undecidable",
            "sample_too_small",
        ),
        ({"measure": "ces", "target": 0.0}, -0.2, [-0.3, -0.1], 1000, "met", None),
        ({"measure": "ces", "target": -0.5}, -0.2, [-0.3, -0.1], 1000, "not_met", None),
    ],
)
def test_targets_are_met_only_when_the_whole_interval_clears_them(
    target, lift, interval, n, status, reason
):
    verdict = judge(target, report_with(lift, interval, n), min_sample_per_arm=100)
    assert verdict["status"] == status
    if reason:
        assert verdict["reason"] == reason
    assert verdict["direction"] == ("at_most" if target["measure"] == "ces" else "at_least")


def test_the_cli_sets_and_shows_plans(sqlite_store, tmp_path, monkeypatch):
    monkeypatch.setenv("VALUE_ASSIST_DATABASE_URL", str(sqlite_store.engine.url))
    monkeypatch.setenv("VALUE_ASSIST_DATA_DIR", str(tmp_path))
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "effective_from: 2025-04-01\nmin_sample_per_arm: 300\ncost_per_agent_minute: 0.9\n"
        "targets:\n  - {measure: ve_success, target: 0.10}\n  - {measure: retained_60d, "
        "target: 0.03}\n  - {measure: financial_return, target: 0}\nnote: 試験導入\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    created = runner.invoke(main, ["plan", "set", "--file", str(plan)])
    assert created.exit_code == 0, created.output
    shown = json.loads(created.output)
    assert shown["version"] == 1 and shown["effective_from"].startswith("2025-04-01T00:00")
    assert shown["note"] == "試験導入" and shown["author"].startswith("cli:")
    before = json.loads(runner.invoke(main, ["plan", "show", "--at", "2025-03-31"]).output)
    assert before["current"] is None and len(before["plans"]) == 1

    plan.write_text("targets: [{measure: ve_success, target: 12}]\n", encoding="utf-8")
    rejected = runner.invoke(main, ["plan", "set", "--file", str(plan)])
    assert rejected.exit_code == 2 and "targets.0.target" in rejected.output


# --- live decisions and outcomes, on SQLite and PostgreSQL -----------------------------


def live_record(i: int) -> dict:
    return {
        "interaction_id": f"live-{i}",
        "customer_id": f"c-{i}",
        "channel": "chat",
        "language": "ja-JP",
        "contact_reason": "how_to",
        "days_since_purchase": 20,
        "persona": "novice",
        "plan_tier": "standard",
        "products_owned": 1,
        "feature_adoption": 0.2,
        "prior_contacts_90d": 0,
        "clv": 1000.0,
        "switching_effort": "high",
    }


def log_decision(store, i: int, *, holdout: bool, routing_holdout: bool, when: datetime):
    record = live_record(i)
    card = None if holdout else "educate_usage.better_way"
    decision = {
        "decision_id": f"d-{i}-{when:%H%M}",
        "interaction_id": record["interaction_id"],
        "customer_id": record["customer_id"],
        "created_at": when,
        "model_name": "ve-openness",
        "model_version": "1",
        "score": 0.6,
        "band": "high",
        "activity_scores": {},
        "reasons": [],
        "cards": [] if holdout else [{"card_id": card, "version": 1, "rank": 1, "score": 0.6}],
        "top_card_id": card,
        "pool": "standard",
        "route_reason": "test",
        "route_fallback": False,
        "holdout": holdout,
        "routing_holdout": routing_holdout,
        "degraded": [],
        "latency_ms": 1.0,
    }
    snapshot = interaction_snapshot(record, holdout=holdout, pool="standard", now=when)
    DecisionLog(store).write(decision, snapshot)


def test_live_decisions_and_posted_outcomes_are_reported(database_url, tmp_path):
    application = build_app(make_test_settings(tmp_path, database_url))
    store = application.extensions["store"]
    client = application.test_client()
    keys = make_keys(application)
    when = datetime(2025, 6, 2, 9, tzinfo=UTC)
    for i in range(40):
        holdout, routing = i % 4 == 0, i % 4 == 1
        log_decision(store, i, holdout=holdout, routing_holdout=routing, when=when)
        outcome = {"interaction_id": f"live-{i}", "retained_60d": i % 3 != 0, "ces": 2}
        if not holdout and i % 2:
            outcome["card_id_used"] = "educate_usage.better_way"
        outcome.update({"ves_confidence": 6, "ves_ability": 6 if i % 2 else 3})
        # retention comes from a data feed (an agent key may not send it)
        posted = client.post("/v1/outcomes", json=outcome, headers=bearer(keys["system"]))
        assert posted.status_code == 200, posted.get_json()
    log_decision(store, 0, holdout=True, routing_holdout=False, when=when + timedelta(minutes=1))

    response = client.get(
        "/v1/reports/roi?from=2025-06-01&to=2025-06-30", headers=bearer(keys["lead"])
    )
    report = response.get_json()
    counts = report["counts"]
    assert counts["interactions"] == 40 and counts["decisions"] == 40
    assert counts["holdout"] == 10 and counts["cards_shown"] == 30
    assert counts["cards_used"] == 20 and counts["survey_respondents"] == 40
    assert report["by"]["activity"]["educate_usage"]["n"] == 20  # from the card used
    assert report["by"]["language"]["ja"]["n"] == 40
    routing = report["routing"]
    assert routing["available"] and (routing["n_control"], routing["n_routed"]) == (10, 20)
    application.extensions["scorer"].stop()
    store.close()


def test_an_empty_period_is_a_report_of_nothing(sqlite_store):
    for kind in ("roi", "segments", "automation"):
        report = run_report(kind, sqlite_store, ReportQuery(), cost_per_agent_minute=1, now=NOW)
        assert to_csv(report).count("\n") >= 1 and "<html" in to_html(report)
    roi = run_report("roi", sqlite_store, ReportQuery(), cost_per_agent_minute=1, now=NOW)
    assert roi["counts"]["interactions"] == 0
    assert roi["effects"]["ve_success"]["lift"] is None
    assert roi["financial"]["return"] == {
        "value": None,
        "ci95": None,
        "distinguishable_from_zero": None,
    }
    assert roi["health"]["sound"] and roi["counts"]["customers"] == 0


# --- the interval methods ------------------------------------------------------------------


def test_newcombes_interval_reproduces_his_worked_example():
    # Newcombe (1998), Statistics in Medicine 17:873, example (a): 56/70 vs 48/80.
    low, high = report_stats.newcombe(56, 70, 48, 80)
    assert (round(low, 4), round(high, 4)) == (0.0524, 0.3339)


def test_wilson_and_welch_agree_with_scipy():
    interval = scipy_stats.binomtest(81, 263).proportion_ci(method="wilson")
    assert report_stats.wilson(81, 263) == pytest.approx((interval.low, interval.high))
    a = [3.1, 2.8, 4.0, 3.7, 2.2, 3.9, 3.3]
    b = [2.0, 2.6, 1.9, 3.1, 2.4]
    expected = scipy_stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    assert report_stats.welch(np.array(a), np.array(b)) == pytest.approx(
        (expected.low, expected.high)
    )
    assert report_stats.welch(np.array([1.0]), np.array(b)) is None


def test_a_value_too_large_to_average_shows_as_null_not_nan():
    huge = np.array([1.7e308, 1.7e308, 1.0])
    with np.errstate(over="ignore", invalid="ignore"):  # the overflow is the point
        figure = effect(huge, np.array([1.0, 2.0, 3.0]), MEASURES["handle_seconds"])
    assert figure["offered"] is None and figure["lift"] is None and figure["ci95"] is None
    assert json.loads(json.dumps(figure, allow_nan=False)) == figure
