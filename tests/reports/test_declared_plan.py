"""A plan judged as declared: its primary measure, on its population, over its period,
only once the period has ended; everything else exploratory; secondaries Holm-corrected."""

from datetime import UTC, date, datetime

import pytest
from marshmallow import ValidationError

from assist_api.errors import InvalidFields
from assist_api.reports import ReportQuery, run_report
from assist_api.reports.declared import judge_secondaries
from assist_api.reports.plan import declare_plan
from assist_api.reports.power import customers_needed
from assist_api.schemas.plans import PlanSchema
from assist_api.services.outcomes.imports import import_files
from training.simulator.world import simulate_world, write_world

DECLARED = datetime(2024, 12, 1, tzinfo=UTC)  # before the simulated contacts (2025-01-06)
PLAN = {
    "targets": [
        {"measure": "ve_success", "target": 0.02},
        {"measure": "csat", "target": 0.0},
        {"measure": "handle_seconds", "target": 300.0},
    ],
    "primary": {"measure": "retained_60d", "minimum_effect": 0.03, "baseline": 0.75},
    "population": {"switching_effort": "high"},
    "period": {"from": "2025-01-06", "to": "2025-04-30"},
}


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"population": {"activity": "educate_usage"}}, "population", "post-treatment"),
        ({"population": {"colour": "blue"}}, "population", "unknown filter"),
        ({"population": {"channel": "fax"}}, "population", "not one of"),
        ({"period": None}, "period", "both a primary measure and a period"),
        ({"period": {"from": "2025-05-01", "to": "2025-04-01"}}, "period", "before the first"),
        ({"primary": {"measure": "retained_60d", "minimum_effect": 3}}, "primary", "fraction"),
        ({"primary": {"measure": "retained_60d", "minimum_effect": 0}}, "primary", "must not"),
    ],
)
def test_a_plan_that_cannot_be_judged_as_declared_is_refused_in_words(change, field, reason):
    with pytest.raises(ValidationError) as raised:
        PlanSchema().load({**PLAN, **change})
    messages = raised.value.messages[field]
    assert reason in str(messages)


def test_a_period_that_started_before_the_declaration_is_refused(sqlite_store):
    plan = PlanSchema().load(PLAN)
    with pytest.raises(InvalidFields) as raised:
        declare_plan(sqlite_store, plan, actor="lead", now=datetime(2025, 2, 1, tzinfo=UTC),
                     holdout_rate=0.1)  # fmt: skip
    assert "period.from" in raised.value.details["fields"]


def test_the_sample_size_matches_the_textbook_formula():
    # Equal arms would be 2 x 7.85 x p(1-p) / d^2 each; with a 10 % control group:
    needed = customers_needed(kind="share", baseline=0.5, minimum_effect=0.1, holdout_rate=0.5)
    assert needed == pytest.approx(4 * 7.849 * 0.245 / 0.01, rel=0.01)
    smaller_control = customers_needed(
        kind="share", baseline=0.5, minimum_effect=0.1, holdout_rate=0.1
    )
    assert smaller_control > needed


@pytest.fixture(scope="module")
def world_store(tmp_path_factory):
    from assist_api.store.migrate import upgrade
    from assist_api.store.store import Store

    folder = tmp_path_factory.mktemp("declared")
    paths = write_world(simulate_world(8_000, seed=3), folder)
    url = f"sqlite:///{folder / 'store.db'}"
    upgrade(url)
    store = Store.open(url)
    assert import_files(store, paths["interactions"], paths["outcomes"]).committed
    declare_plan(store, PlanSchema().load(PLAN), actor="lead", now=DECLARED, holdout_rate=0.1)
    yield store
    store.close()


def report(store, query, now):
    return run_report("roi", store, query, cost_per_agent_minute=1.0, now=now)


def test_the_verdict_is_withheld_until_the_period_ends(world_store):
    during = report(world_store, ReportQuery(), datetime(2025, 3, 1, tzinfo=UTC))
    assert during["declared"]["status"] == "period_not_ended"
    assert during["declared"]["secondary"] == []


def test_a_filtered_view_is_exploratory_and_the_verdict_uses_the_declared_slice(world_store):
    now = datetime(2026, 1, 1, tzinfo=UTC)
    declared = ReportQuery(
        start=date(2025, 1, 6), end=date(2025, 4, 30), filters={"switching_effort": "high"}
    )
    own = report(world_store, declared, now)
    assert own["view"] == "declared"
    filtered = report(world_store, ReportQuery(filters={"channel": "phone"}), now)
    assert filtered["view"] == "exploratory"
    assert filtered["declared"] == own["declared"]  # a filter cannot change the verdict
    verdict = own["declared"]
    assert verdict["status"] in ("effect_detected", "not_distinguishable_from_zero")
    assert verdict["primary"]["ci95"] == own["effects"]["retained_60d"]["ci95"]
    assert verdict["customers"] == own["counts"]["customers"]
    assert verdict["customers_needed"] > 0
    assert [s["measure"] for s in verdict["secondary"]] == ["ve_success", "csat", "handle_seconds"]
    assert all("p_clears_holm" in s for s in verdict["secondary"])


def test_holm_makes_a_borderline_secondary_undecidable():
    """Alone, p = 0.03 clears its target; beside two others it no longer does."""
    effect = {"lift": 0.0376, "ci95": [0.0, 0.08], "se": 0.02, "better": "higher"}
    built = {"effects": {"ve_success": effect, "csat": effect, "nps": effect}}
    alone = judge_secondaries([{"measure": "ve_success", "target": 0.0}], built)
    assert alone[0]["status"] == "met"
    three = judge_secondaries(
        [{"measure": name, "target": 0.0} for name in ("ve_success", "csat", "nps")], built
    )
    assert [row["status"] for row in three] == ["undecidable"] * 3
