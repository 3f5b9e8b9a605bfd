"""Skill per activity: its estimate, routing on the customer's best activity per pool,
agent-aware cards, and the route told to the agent in plain words."""

import json
from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from assist_api.services.routing.activity_skill import ActivitySkill, estimate_activity_skill
from assist_api.services.routing.expected_success import cross_fitted_expected
from assist_api.services.routing.pool_cache import PoolCache
from assist_api.services.routing.pool_skill import store_activity_skill
from assist_api.services.routing.pool_state import PoolState, RoutingRule
from assist_api.services.routing.pools import put_pool, report_capacity
from assist_api.services.routing.route import Route
from assist_api.services.routing.route_text import route_sentence
from assist_api.services.routing.value import (
    best_activity,
    choose_route,
    pool_value,
    with_agent_skill,
)
from assist_api.store.tables import Decision
from features.vocabulary import ACTIVITIES
from tests.helpers.app import build_app, make_test_settings
from tests.helpers.assist_requests import assist_request
from tests.helpers.records import interaction
from tests.helpers.tiny_model import register_tiny_model

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
RULE = RoutingRule(min_openness=0.0, min_value=0.0, stale_seconds=120.0, memory=100)
SPECIALIST_TERM = {"educate_usage": 1.5}  # one agent far better at educating
POOL_ONE = {
    "name": "Educators",
    "description": None,
    "is_value_pool": True,
    "languages": ["ja", "en"],
    "channels": ["phone"],
    "skills": [],
}


def synthetic_attempts(agents=40, per_cell=60, seed=0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Attempts with known true skill per agent x activity: a general skill plus a
    deviation that is large on educate/advise and small elsewhere."""
    rng = np.random.default_rng(seed)
    general = rng.normal(0, 0.3, agents)
    sd = np.array([0.05, 0.1, 0.1, 0.6, 0.6])
    truth = general[:, None] + rng.normal(0, 1, (agents, 5)) * sd
    rows = []
    for a in range(agents):
        for k, activity in enumerate(ACTIVITIES):
            base = rng.uniform(0.2, 0.7, per_cell)
            logit = np.log(base / (1 - base)) + truth[a, k]
            success = rng.random(per_cell) < 1 / (1 + np.exp(-logit))
            rows += [
                {"agent_id": f"a-{a:02d}", "activity": activity, "success": int(s), "expected": e}
                for s, e in zip(success, base, strict=True)
            ]
    frame = pd.DataFrame(truth, columns=ACTIVITIES, index=[f"a-{a:02d}" for a in range(agents)])
    return pd.DataFrame(rows), frame


def test_per_activity_skill_ranks_the_true_cells_better_than_one_skill_per_agent():
    attempts, truth = synthetic_attempts()
    cells = estimate_activity_skill(attempts, min_attempts=30, min_cell_attempts=20)
    overall = {c.agent_id: c.skill for c in cells if c.activity is None}
    for activity in ("educate_usage", "advise_new_features"):
        mine = pd.Series({c.agent_id: c.skill for c in cells if c.activity == activity})
        true = truth.loc[mine.index, activity]
        one = pd.Series(overall)[mine.index]
        ours = mine.rank().corr(true.rank())
        theirs = one.rank().corr(true.rank())
        assert ours > theirs + 0.15, (activity, ours, theirs)
        assert ours > 0.6


def test_few_attempts_are_shrunk_toward_the_agent_and_not_rated():
    attempts, _ = synthetic_attempts(agents=30, per_cell=60, seed=1)
    few = attempts[~((attempts.agent_id == "a-00") & (attempts.activity == "educate_usage"))]
    lucky = pd.DataFrame(
        [{"agent_id": "a-00", "activity": "educate_usage", "success": 1, "expected": 0.3}] * 4
    )
    cells = estimate_activity_skill(pd.concat([few, lucky]), min_cell_attempts=20)
    by = {(c.agent_id, c.activity): c for c in cells}
    cell, overall = by[("a-00", "educate_usage")], by[("a-00", None)]
    assert not cell.rated and cell.attempts == 4
    raw = (4 - 4 * 0.3) / (4 * 0.3 * 0.7)  # the cell's unshrunk deviation, 3.3 log-odds
    assert abs(cell.skill - overall.skill) < raw / 2
    assert cell.low < cell.skill < cell.high


def test_intervals_widen_with_fewer_attempts_and_cover_the_truth_mostly():
    attempts, truth = synthetic_attempts(agents=40, per_cell=80, seed=2)
    cells = [c for c in estimate_activity_skill(attempts) if c.activity is not None]
    inside = [c.low <= truth.at[c.agent_id, c.activity] <= c.high for c in cells]
    assert 0.75 <= np.mean(inside) <= 1.0  # 90 % intervals, relative to the average agent
    small = estimate_activity_skill(attempts.groupby(["agent_id", "activity"]).head(30))
    width = np.mean([c.high - c.low for c in cells])
    assert np.mean([c.high - c.low for c in small if c.activity]) > width


def test_estimate_names_missing_columns():
    with pytest.raises(ValueError, match="missing \\['activity'\\]"):
        estimate_activity_skill(pd.DataFrame({"agent_id": [], "success": [], "expected": []}))


def test_cross_fitted_expectations_never_see_the_agents_own_results():
    rows = pd.DataFrame([interaction(i, agent_id=f"a-{i % 10}") for i in range(600)])
    rows["activity"] = np.array(ACTIVITIES)[np.arange(600) % 5]
    rows["success"] = (np.arange(600) % 3 == 0).astype(int)
    before = cross_fitted_expected(rows, folds=5)
    flipped = rows.assign(success=np.where(rows.agent_id == "a-3", 1 - rows.success, rows.success))
    after = cross_fitted_expected(flipped, folds=5)
    mine = (rows.agent_id == "a-3").to_numpy()
    assert np.allclose(before[mine], after[mine]), "a-3's expectations moved with a-3's results"
    assert not np.allclose(before[~mine], after[~mine]), "others' expectations learn from a-3"


def pool(pool_id, skill=0.0, activity_skill=None, value=True, free=3) -> PoolState:
    return PoolState(
        pool_id=pool_id,
        languages=frozenset({"ja", "en"}),
        channels=frozenset({"phone"}),
        is_value_pool=value,
        skill=skill,
        activity_skill=activity_skill or {},
        free=free,
        reported_at=NOW,
    )


PROBABILITIES = (0.50, 0.40, 0.42, 0.35, 0.30)  # validate_purchase best for an average agent


def test_the_best_activity_can_change_by_pool():
    educators = pool(
        "educators", activity_skill={**dict.fromkeys(ACTIVITIES, 0.0), **SPECIALIST_TERM}
    )
    generalists = pool("generalists", skill=0.3)
    assert best_activity(educators, PROBABILITIES) == "educate_usage"
    assert best_activity(generalists, PROBABILITIES) == "validate_purchase"
    # valued on educate_usage: 0.35 -> ~0.71, against an average agent's best 0.50
    assert pool_value(educators, 0.5, 1000.0, PROBABILITIES) > pool_value(
        generalists, 0.5, 1000.0, PROBABILITIES
    )
    assert pool_value(educators, 0.5, 1000.0, None) == 0.0  # without the five, skill 0


def test_value_routing_sends_the_customer_to_the_pool_best_for_their_best_activity():
    educators = pool(
        "educators", activity_skill={**dict.fromkeys(ACTIVITIES, 0.0), **SPECIALIST_TERM}
    )
    generalists = pool("generalists", skill=0.3)
    standard = pool("standard", value=False, free=10)
    route = choose_route(
        [educators, generalists, standard],
        band="medium",
        score=max(PROBABILITIES),
        clv=2000.0,
        language="ja",
        channel="phone",
        control_group=False,
        rule=RULE,
        now=NOW,
        probabilities=PROBABILITIES,
    )
    assert (route.pool, route.kind, route.activity, route.free) == (
        "educators",
        "value",
        "educate_usage",
        3,
    )
    control = choose_route(
        [educators, generalists, standard],
        band="medium",
        score=max(PROBABILITIES),
        clv=2000.0,
        language="ja",
        channel="phone",
        control_group=True,
        rule=RULE,
        now=NOW,
        probabilities=PROBABILITIES,
    )
    assert (control.pool, control.kind, control.activity) == ("standard", "balanced", None)


def test_cards_are_ranked_for_the_agent_who_delivers_them():
    average = dict(zip(ACTIVITIES, PROBABILITIES, strict=True))
    shifted = with_agent_skill(average, SPECIALIST_TERM)
    assert max(average, key=average.get) == "validate_purchase"
    assert max(shifted, key=shifted.get) == "educate_usage"
    assert shifted["validate_purchase"] == average["validate_purchase"]
    assert (
        with_agent_skill(average, {}) is average and with_agent_skill(None, SPECIALIST_TERM) is None
    )


@pytest.mark.parametrize(
    ("route", "language", "sentence"),
    [
        (
            Route("educators", "…", kind="value", activity="educate_usage", free=3),
            "ja",
            "使い方のご案内が得意な担当者グループ（educators）へ（空き席 3）",
        ),
        (
            Route("educators", "…", kind="value", activity="educate_usage", free=3),
            "en",
            "To educators: its agents are strongest at teaching how to use it for this customer "
            "(3 free seats).",
        ),
        (
            Route("standard", "…", True, kind="balanced", free=None),
            "en-US",
            "The first choice is full, so to standard: the group with the most free seats "
            "(free seats not reported).",
        ),
        (
            Route("standard", "…", True, kind="balanced", free=2),
            "ja-JP",
            "第一候補が満席のため、空き席が最も多い担当者グループ（standard）へ（空き席 2）",
        ),
        (Route("standard", "…"), "ko", "To standard: the usual group for this contact."),
    ],
)
def test_the_route_is_one_plain_sentence_in_the_desks_language(route, language, sentence):
    assert route_sentence(route, language) == sentence


def test_stored_activity_skill_reaches_the_pools_and_the_agents(store):
    body = {
        **POOL_ONE,
        "members": [
            {"agent_id": f"a-{i}", "name": None, "languages": ["ja"], "active": True}
            for i in (1, 2)
        ],
    }
    put_pool(store, "educators", body, actor="t", now=NOW)
    report_capacity(store, "educators", 2, NOW, now=NOW)
    cells = [
        ActivitySkill("a-1", "educate_usage", 30, 1.0, 0.5, 1.5, True),
        ActivitySkill("a-2", "educate_usage", 10, 0.2, -0.6, 1.0, False),
        ActivitySkill("a-1", None, 80, 0.3, 0.1, 0.5, True),
        ActivitySkill("ghost", "educate_usage", 30, 1.0, 0.5, 1.5, True),
    ]
    assert store_activity_skill(store, cells, actor="t", now=NOW) == ["ghost"]
    cache = PoolCache(store, refresh_seconds=0.0, min_attempts=30)
    (state,) = cache()
    assert state.activity_skill == {"educate_usage": pytest.approx((30 * 1.0 + 10 * 0.2) / 40)}
    assert cache.agent_skill("a-1") == {"educate_usage": 1.0}
    assert cache.agent_skill("nobody") == {}
    assert replace(state, activity_skill={}).activity_skill == {}


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    folder = tmp_path_factory.mktemp("registry")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    register_tiny_model(uri, folder / "mlartifacts")
    return uri


def test_assist_ranks_the_cards_for_the_agent_it_is_told_about(tmp_path, registry, auth):
    """A strong specialist is offered their specialty's card; the decision names the agent."""
    settings = make_test_settings(
        tmp_path, mlflow_tracking_uri=registry, holdout_rate=0.0, pool_refresh_seconds=0.0
    )
    app = build_app(settings)
    store = app.extensions["store"]
    try:
        body = {
            **POOL_ONE,
            "members": [{"agent_id": "a-edu", "name": None, "languages": ["ja"], "active": True}],
        }
        put_pool(store, "educators", body, actor="t", now=NOW)
        client = app.test_client()
        plain = assist_request(interaction_id="i-plain")
        plain = client.post("/v1/assist", json=plain, headers=auth("agent")).get_json()
        first = plain["cards"][0]["activity"]
        other = next(c["activity"] for c in plain["cards"] if c["activity"] != first)
        cells = [ActivitySkill("a-edu", other, 60, 4.0, 3.5, 4.5, True)]
        store_activity_skill(store, cells, actor="t", now=NOW)
        # new customers each time: no frequency cap applies to the cards compared
        aware = assist_request(interaction_id="i-aware", customer_id="c-aware", agent_id="a-edu")
        answer = client.post("/v1/assist", json=aware, headers=auth("agent")).get_json()
        assert answer["cards"][0]["activity"] == other != first
        with store.uow() as uow:
            logged = uow.session.scalars(
                select(Decision).where(Decision.interaction_id == "i-aware")
            ).one()
            assert logged.agent_id == "a-edu"
        unknown = assist_request(
            interaction_id="i-unknown", customer_id="c-unknown", agent_id="a-unknown"
        )
        answer = client.post("/v1/assist", json=unknown, headers=auth("agent")).get_json()
        assert answer["cards"][0]["activity"] == first
    finally:
        app.extensions["scorer"].stop()
        store.close()


def test_suggest_pool_by_activity_proposes_the_proven_specialists(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from assist_api.cli import main
    from assist_api.services.routing.activity_skill import suggest_activity_pool

    cells = [
        ActivitySkill("a-1", "educate_usage", 40, 0.9, 0.3, 1.5, True),
        ActivitySkill("a-2", "educate_usage", 40, 0.4, -0.2, 1.0, True),  # not proven
        ActivitySkill("a-3", "educate_usage", 8, 1.2, 0.1, 2.3, False),  # too few attempts
        ActivitySkill("a-4", "educate_usage", 60, 1.1, 0.6, 1.6, True),
        ActivitySkill("a-4", "advise_new_features", 60, 1.4, 0.9, 1.9, True),
    ]
    assert [c.agent_id for c in suggest_activity_pool(cells, "educate_usage")] == ["a-4", "a-1"]
    assert [c.agent_id for c in suggest_activity_pool(cells, "educate_usage", size=1)] == ["a-4"]

    monkeypatch.setenv("VALUE_ASSIST_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    empty = runner.invoke(main, ["routing", "suggest-pool", "--activity", "educate_usage"])
    assert empty.exit_code == 1 and "routing skill --by-activity" in empty.output
    from assist_api.cli.context import open_store, settings_from_env

    with open_store(settings_from_env()) as store:
        body = {**POOL_ONE, "members": [
            {"agent_id": f"a-{i}", "name": None, "languages": ["ja"], "active": True}
            for i in (1, 2, 3, 4)
        ]}  # fmt: skip
        put_pool(store, "standard", {**body, "is_value_pool": False}, actor="t", now=NOW)
        store_activity_skill(store, cells, actor="t", now=NOW)
    out = tmp_path / "educators.json"
    result = runner.invoke(
        main, ["routing", "suggest-pool", "--activity", "educate_usage", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "2 agent(s) proven on educate_usage suggested for educate_usage_specialists" in (
        result.output
    )
    proposal = json.loads(out.read_text())
    assert [m["agent_id"] for m in proposal["members"]] == ["a-4", "a-1"]
    assert proposal["skills"] == ["educate_usage"] and proposal["is_value_pool"] is True
