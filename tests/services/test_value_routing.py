"""Value routing: every branch of the rule, the pool cache, and the route /v1/assist logs.

The rule (`choose_route`) is tested directly on pool states; the cache on a real store;
the last tests run /v1/assist with a tiny real model and check the route and both
control-group flags (cards and routing: the 2x2 design) on the stored decision.
"""

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from assist_api.services.holdout import in_control_group
from assist_api.services.routing.agent_skill import AgentSkill, SkillReport
from assist_api.services.routing.pool_cache import PoolCache, read_pool_states
from assist_api.services.routing.pool_skill import store_skill
from assist_api.services.routing.pool_state import PoolState, RoutingRule
from assist_api.services.routing.pools import put_pool, report_capacity
from assist_api.services.routing.recent_values import RecentValues
from assist_api.services.routing.retention_gain import PUBLISHED, RetentionGain
from assist_api.services.routing.route import STANDARD_POOL, VALUE_POOL, RouteRequest
from assist_api.services.routing.value import ValueRouter, choose_route, expected_value
from assist_api.store.tables import Decision
from tests.helpers.app import build_app, make_test_settings
from tests.helpers.assist_requests import assist_request
from tests.helpers.tiny_model import register_tiny_model

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
RULE = RoutingRule(min_openness=0.55, min_value=5.0, stale_seconds=120.0, memory=100)
LIVE = frozenset({"phone", "chat"})
ALL_AGENT_CHANNELS = frozenset({"phone", "chat", "email"})


def pool(
    pool_id,
    *,
    langs=("ja", "en"),
    channels=ALL_AGENT_CHANNELS,
    value=False,
    skill=0.0,
    free=5,
    age=0.0,
):
    return PoolState(
        pool_id=pool_id,
        languages=frozenset(langs),
        channels=frozenset(channels),
        is_value_pool=value,
        skill=skill,
        free=free,
        reported_at=None if free is None else NOW - timedelta(seconds=age),
    )


def pools(**changes):
    """The usual three: a strong value pool, an average and a weak standard pool."""
    states = {
        VALUE_POOL: pool(VALUE_POOL, value=True, skill=0.5),
        "ja_support": pool("ja_support", skill=0.05),
        STANDARD_POOL: pool(STANDARD_POOL, skill=-0.1),
    }
    for pool_id, change in changes.items():
        states[pool_id] = change
    return list(states.values())


def route(
    states,
    *,
    score=0.7,
    clv=3000.0,
    language="ja",
    channel="phone",
    control=False,
    band=None,
    rule=RULE,
    recent=None,
    retention_gain=PUBLISHED,
):
    if band is None and score is not None:
        band = "high" if score >= 0.55 else "medium" if score >= 0.35 else "low"
    return choose_route(
        states,
        band=band,
        score=score,
        clv=clv,
        language=language,
        channel=channel,
        control_group=control,
        rule=rule,
        now=NOW,
        recent=recent,
        retention_gain=retention_gain,
    )


def test_open_valuable_customer_goes_to_the_value_pool_with_the_reason():
    chosen = route(pools())
    assert (chosen.pool, chosen.fallback, chosen.control_group) == (VALUE_POOL, False, False)
    assert "expected value" in chosen.reason and VALUE_POOL in chosen.reason
    assert expected_value(0.7, 3000.0, 0.5) > RULE.min_value


@pytest.mark.parametrize(
    "score, clv, why",
    [(0.45, 3000.0, "openness below the threshold"), (0.7, 100.0, "too little value")],
)
def test_value_pool_seats_are_kept_for_open_valuable_customers(score, clv, why):
    chosen = route(pools(), score=score, clv=clv)
    assert chosen.pool != VALUE_POOL, why
    assert chosen.fallback is False
    assert f"not admitted: {VALUE_POOL} takes openness >= 0.55 and value >= 5.0" in chosen.reason


def test_a_measured_retention_gain_is_what_value_routing_weighs_and_the_route_says_so():
    """At the published 0.17 a CLV-100 customer adds too little for the value pool's floor;
    where this centre's control group measured 0.6 per success, the same customer adds
    enough (100 x 0.6 x 0.094 = 5.6 >= 5.0)."""
    measured = RetentionGain(0.6, "measured", (0.45, 0.75), 5000, 600)
    published = route(pools(), clv=100.0)
    chosen = route(pools(), clv=100.0, retention_gain=measured)
    assert (published.pool, chosen.pool) != (VALUE_POOL, VALUE_POOL)
    assert chosen.pool == VALUE_POOL and chosen.retention_gain == measured
    assert "retention per VE success 0.60 measured on the control group" in chosen.reason
    assert published.retention_gain == PUBLISHED
    held = route(pools(), clv=100.0, retention_gain=measured, control=True)
    assert held.retention_gain is None  # the plain rule weighs nothing


def test_pools_that_do_not_speak_the_language_are_never_chosen():
    states = pools(**{VALUE_POOL: pool(VALUE_POOL, langs=("en",), value=True, skill=0.5)})
    assert route(states, language="ja-JP").pool != VALUE_POOL
    assert route(states, language="en-GB").pool == VALUE_POOL


def test_a_language_no_pool_speaks_falls_back_to_english_pools_and_says_so():
    states = pools(ja_support=pool("ja_support", langs=("ja",), skill=2.0))
    chosen = route(states, language="ko", score=0.4)
    assert chosen.pool != "ja_support"
    assert "no pool speaks ko" in chosen.reason


def test_only_pools_serving_the_channel_are_eligible():
    states = pools(
        **{VALUE_POOL: pool(VALUE_POOL, channels=LIVE, value=True, skill=0.5)},
        digital=pool("digital", channels={"email"}, skill=-0.3),
    )
    assert route(states, channel="email").pool != VALUE_POOL
    assert route(states, channel="phone").pool == VALUE_POOL


def test_no_pool_for_the_channel_falls_back_to_the_plain_rule():
    chosen = route(pools(), channel="forum")
    assert chosen.fallback is True
    assert chosen.pool == VALUE_POOL  # the band rule: high openness
    assert "no pool serves ja on forum" in chosen.reason


def test_a_full_best_pool_falls_back_to_the_next_and_says_so():
    chosen = route(pools(**{VALUE_POOL: pool(VALUE_POOL, value=True, skill=0.5, free=0)}))
    assert chosen.fallback is True
    assert chosen.pool == "ja_support"
    assert f"{VALUE_POOL} is full (0 free seats), so ja_support instead" in chosen.reason


@pytest.mark.parametrize(
    "best, why",
    [
        (pool(VALUE_POOL, value=True, skill=0.5, free=None), "never reported"),
        (pool(VALUE_POOL, value=True, skill=0.5, free=9, age=121.0), "stale report"),
    ],
)
def test_unknown_capacity_of_the_best_pool_falls_back(best, why):
    chosen = route(pools(**{VALUE_POOL: best}))
    assert chosen.fallback is True, why
    assert chosen.pool == "ja_support"
    assert f"{VALUE_POOL} has no capacity report in the last 120 s" in chosen.reason


def test_a_report_just_inside_the_staleness_limit_still_counts():
    chosen = route(pools(**{VALUE_POOL: pool(VALUE_POOL, value=True, skill=0.5, age=119.0)}))
    assert (chosen.pool, chosen.fallback) == (VALUE_POOL, False)


def test_when_no_pool_has_known_seats_the_best_is_named_as_a_fallback():
    states = [pool(p.pool_id, value=p.is_value_pool, skill=p.skill, free=0) for p in pools()]
    chosen = route(states)
    assert (chosen.pool, chosen.fallback) == (VALUE_POOL, True)
    assert "no eligible pool has known free seats" in chosen.reason


def test_customers_the_value_pool_does_not_take_are_load_balanced_not_ranked_by_skill():
    states = pools(
        ja_support=pool("ja_support", skill=0.3, free=2),
        **{STANDARD_POOL: pool(STANDARD_POOL, skill=-0.3, free=30)},
    )
    chosen = route(states, score=0.4, clv=3000.0)  # below the value pool's openness floor
    assert (chosen.pool, chosen.fallback) == (STANDARD_POOL, False)
    assert chosen.reason.startswith("plain rule: load balancing, most free seats first")


def test_a_value_pool_adding_no_more_than_another_pool_is_balanced_with_it():
    states = pools(
        **{VALUE_POOL: pool(VALUE_POOL, value=True, skill=0.5, free=3)},
        ja_support=pool("ja_support", skill=0.6, free=8),
    )
    assert route(states).pool == "ja_support"
    roomier = pools(
        **{VALUE_POOL: pool(VALUE_POOL, value=True, skill=0.5, free=9)},
        ja_support=pool("ja_support", skill=0.6, free=8),
    )
    assert route(roomier).pool == VALUE_POOL


def test_routing_control_group_is_load_balanced_blind_to_skill_and_openness():
    roomy_standard = pools(**{STANDARD_POOL: pool(STANDARD_POOL, skill=-0.1, free=9)})
    assert route(roomy_standard).pool == VALUE_POOL, "value routing would take the value pool"
    chosen = route(roomy_standard, control=True)
    assert (chosen.pool, chosen.fallback, chosen.control_group) == (STANDARD_POOL, False, True)
    assert chosen.reason == (
        "routing control group, plain rule: load balancing, most free seats first "
        f"({STANDARD_POOL}: 9)"
    )
    roomy_value = pools(**{VALUE_POOL: pool(VALUE_POOL, value=True, skill=0.5, free=9)})
    poor_closed = dict(score=0.2, clv=50.0)  # value routing would keep the value pool
    assert route(roomy_value, **poor_closed).pool != VALUE_POOL
    assert route(roomy_value, control=True, **poor_closed).pool == VALUE_POOL


def test_control_group_still_respects_capacity():
    states = pools(
        **{VALUE_POOL: pool(VALUE_POOL, value=True, skill=0.5, free=0)},
        ja_support=pool("ja_support", skill=0.05, free=None),
        **{STANDARD_POOL: pool(STANDARD_POOL, skill=-0.1, free=1)},
    )
    chosen = route(states, control=True)
    assert (chosen.pool, chosen.fallback, chosen.control_group) == (STANDARD_POOL, False, True)
    full = [pool(p.pool_id, value=p.is_value_pool, skill=p.skill, free=0) for p in pools()]
    chosen = route(full, control=True)
    assert chosen.fallback is True and chosen.control_group
    assert "no eligible pool has known free seats" in chosen.reason


@pytest.mark.parametrize(
    "states, score, why",
    [
        (pools(), None, "no openness score"),
        (
            [pool(p.pool_id, value=p.is_value_pool, skill=None) for p in pools()],
            0.7,
            "no pool skill measured yet",
        ),
    ],
)
def test_without_a_score_or_measured_skill_the_plain_rule_applies(states, score, why):
    states = [replace(s, free=9) if s.pool_id == STANDARD_POOL else s for s in states]
    chosen = route(states, score=score, band="high")
    assert chosen.pool == STANDARD_POOL, "most free seats, whatever the band"
    assert chosen.reason.startswith(f"{why}, plain rule: load balancing")


# --- the value pool's admission bar --------------------------------------------------


def recent_values(values, pool_id=VALUE_POOL, size=100) -> RecentValues:
    recent = RecentValues(size)
    for v in values:
        recent.add(pool_id, v)
    return recent


def test_recent_values_bar_is_the_quantile_the_seat_share_asks_for():
    recent = recent_values(range(1, 101))  # values 1..100
    assert recent.bar(VALUE_POOL, 0.10) == 91, "the top 10 % of recent customers"
    assert recent.bar(VALUE_POOL, 0.5) == 51
    assert recent.bar(VALUE_POOL, 1.0) == 1, "all seats free: anyone"
    assert recent.bar(VALUE_POOL, 0.0) == 100
    assert recent.bar("other_pool", 0.5) is None, "nothing seen for that pool"


def test_recent_values_forget_the_oldest_and_need_a_sample():
    recent = recent_values(range(1, 101), size=50)
    assert recent.bar(VALUE_POOL, 1.0) == 51, "only the last 50 are remembered"
    assert recent_values(range(RecentValues.MIN_SAMPLE - 1)).bar(VALUE_POOL, 0.5) is None
    with pytest.raises(ValueError, match="at least"):
        RecentValues(RecentValues.MIN_SAMPLE - 1)


OPEN_FLOORS = RoutingRule(min_openness=0.0, min_value=0.0, stale_seconds=120.0, memory=100)


@pytest.mark.parametrize("value_free, admitted", [(50, True), (2, False)])
def test_the_bar_rises_as_the_value_pool_s_seats_get_scarce(value_free, admitted):
    states = pools(
        **{VALUE_POOL: pool(VALUE_POOL, value=True, skill=0.5, free=value_free)},
        ja_support=pool("ja_support", skill=0.05, free=25),
        **{STANDARD_POOL: pool(STANDARD_POOL, skill=-0.1, free=25)},
    )
    worth = expected_value(0.5, 1000.0, 0.5)
    recent = recent_values([worth * k / 60 for k in range(1, 101)])  # this one ranks 60/100
    chosen = route(states, score=0.5, clv=1000.0, rule=OPEN_FLOORS, recent=recent)
    assert (chosen.pool == VALUE_POOL) is admitted
    assert chosen.fallback is False
    share = value_free / (value_free + 50)
    assert f"(the top {share:.0%} of recent customers: its share of free seats)" in chosen.reason


def test_the_floors_hold_even_when_the_value_pool_is_idle():
    idle = pools(**{VALUE_POOL: pool(VALUE_POOL, value=True, skill=0.5, free=90)})
    recent = recent_values([0.0] * 50)
    chosen = route(idle, score=0.45, clv=3000.0, recent=recent)  # openness under RULE's 0.55
    assert chosen.pool != VALUE_POOL
    assert route(idle, score=0.45, clv=3000.0, rule=OPEN_FLOORS, recent=recent).pool == VALUE_POOL


def test_value_routing_remembers_each_customer_s_value_and_the_control_group_does_not():
    recent = RecentValues(100)
    for _ in range(RecentValues.MIN_SAMPLE):
        route(pools(), control=True, recent=recent)
    assert recent.bar(VALUE_POOL, 1.0) is None
    for _ in range(RecentValues.MIN_SAMPLE):
        route(pools(), recent=recent)
    assert recent.bar(VALUE_POOL, 1.0) == pytest.approx(expected_value(0.7, 3000.0, 0.5))


def test_a_stream_fills_the_value_pool_with_its_best_customers_not_the_first_ones():
    """Seats are used up as customers arrive: the value pool must neither idle nor drain
    on the first arrivals, and the customers it takes must be worth more than the rest."""
    rng = random.Random(7)
    seats = {VALUE_POOL: 20, "ja_support": 60, STANDARD_POOL: 60}
    skills = {VALUE_POOL: 0.5, "ja_support": 0.05, STANDARD_POOL: -0.1}
    recent, taken = RecentValues(200), {VALUE_POOL: [], "other": []}
    warm_up = [(rng.random(), rng.lognormvariate(7, 1)) for _ in range(100)]
    for score, clv in warm_up:  # an earlier period: the bar has a history
        route(pools(), score=score, clv=clv, rule=OPEN_FLOORS, recent=recent)
    first_half_in_value_pool = 0
    for i in range(125):  # 125 customers for 140 seats
        score, clv = rng.random(), rng.lognormvariate(7, 1)
        states = [pool(p, value=p == VALUE_POOL, skill=skills[p], free=seats[p]) for p in seats]
        chosen = route(states, score=score, clv=clv, rule=OPEN_FLOORS, recent=recent)
        seats[chosen.pool] -= 1
        worth = expected_value(score, clv, skills[VALUE_POOL])
        taken[VALUE_POOL if chosen.pool == VALUE_POOL else "other"].append(worth)
        first_half_in_value_pool += chosen.pool == VALUE_POOL and i < 62
    assert seats[VALUE_POOL] <= 3, "the value pool's seats were used"
    assert first_half_in_value_pool <= 14, "not drained on the first arrivals"
    mean = {k: sum(v) / len(v) for k, v in taken.items()}
    assert mean[VALUE_POOL] > 2 * mean["other"]


def test_without_pools_the_plain_rule_answers_without_a_fallback():
    chosen = route([], score=0.3)
    assert (chosen.pool, chosen.fallback) == (STANDARD_POOL, False)
    assert chosen.reason.startswith("no pools configured")


def test_the_router_follows_the_routing_control_draw_it_is_given(tmp_path):
    settings = make_test_settings(tmp_path, holdout_rate=0.3, routing_holdout_rate=0.3)
    router = ValueRouter(settings, lambda: pools(), clock=lambda: NOW)
    cells = set()
    for i in range(400):
        customer = f"c-{i}"
        card = in_control_group(customer, settings.holdout_salt, settings.holdout_rate)
        routing = in_control_group(
            customer, settings.routing_holdout_salt, settings.routing_holdout_rate
        )
        request = RouteRequest(
            band="high",
            score=0.7,
            language="ja",
            channel="phone",
            clv=100.0,
            routing_control=routing,
        )
        chosen = router(request)
        assert chosen.control_group is routing
        if routing:
            assert chosen.reason.startswith("routing control group, plain rule")
        cells.add((card, routing))
    # the two draws are independent: every cell of the 2x2 design is populated
    assert cells == {(False, False), (False, True), (True, False), (True, True)}


# --- the pool cache, on a real store -------------------------------------------------

POOL_BODY = {
    "name": "VE champions",
    "description": None,
    "is_value_pool": True,
    "languages": ["ja", "en"],
    "channels": ["phone", "chat"],
    "skills": [],
    "members": [{"agent_id": "a-1", "name": None, "languages": ["ja"], "active": True}],
}


def skill_report(estimate=0.4, attempts=50) -> SkillReport:
    member = AgentSkill(
        "a-1", attempts, 35, 25.0, 12.0, estimate, estimate - 0.2, estimate + 0.2, True
    )
    return SkillReport((member,), baseline=0.0, spread=0.3, min_attempts=30, level=0.9)


def test_pool_states_come_from_the_store_with_pooled_skill(store):
    put_pool(store, VALUE_POOL, POOL_BODY, actor="t", now=NOW)
    report_capacity(store, VALUE_POOL, 4, NOW, now=NOW)
    (state,) = read_pool_states(store, min_attempts=30)
    assert state.skill is None, "not measured yet"
    store_skill(store, skill_report(), actor="t", now=NOW)
    (state,) = read_pool_states(store, min_attempts=30)
    assert state.pool_id == VALUE_POOL and state.is_value_pool
    assert state.languages == {"ja", "en"} and state.channels == {"phone", "chat"}
    assert state.skill == pytest.approx(0.4)
    assert (state.free, state.reported_at) == (4, NOW)
    assert read_pool_states(store, min_attempts=51)[0].skill is None


def test_cache_reads_the_store_once_per_refresh_period_and_survives_an_outage(sqlite_store):
    clock = [100.0]
    cache = PoolCache(sqlite_store, refresh_seconds=5.0, min_attempts=30, clock=lambda: clock[0])
    put_pool(sqlite_store, VALUE_POOL, POOL_BODY, actor="t", now=NOW)
    assert [s.pool_id for s in cache()] == [VALUE_POOL]
    put_pool(
        sqlite_store,
        "standard",
        {**POOL_BODY, "is_value_pool": False, "members": []},
        actor="t",
        now=NOW,
    )
    clock[0] += 4.9
    assert [s.pool_id for s in cache()] == [VALUE_POOL], "cached: no database read"
    clock[0] += 0.2
    assert [s.pool_id for s in cache()] == ["standard", VALUE_POOL]
    with sqlite_store.engine.begin() as connection:
        connection.execute(text("DROP TABLE agents"))
    clock[0] += 10
    assert [s.pool_id for s in cache()] == ["standard", VALUE_POOL], "last snapshot kept"


# --- /v1/assist with a tiny real model -------------------------------------------------


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    folder = tmp_path_factory.mktemp("registry")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    register_tiny_model(uri, folder / "mlartifacts")
    return uri


@pytest.fixture
def routed_app(tmp_path, registry):
    """Two pools, a measured strong value pool, fresh capacity; pools re-read every request."""
    settings = make_test_settings(
        tmp_path,
        mlflow_tracking_uri=registry,
        pool_refresh_seconds=0.0,
        routing_min_openness=0.0,
        routing_min_value=0.0,
        holdout_rate=0.3,
        routing_holdout_rate=0.3,
    )
    application = build_app(settings)
    store = application.extensions["store"]
    now = datetime.now(UTC)
    put_pool(store, VALUE_POOL, POOL_BODY, actor="t", now=now)
    put_pool(
        store,
        STANDARD_POOL,
        {**POOL_BODY, "name": "Standard", "is_value_pool": False, "members": []},
        actor="t",
        now=now,
    )
    store_skill(store, skill_report(estimate=0.8), actor="t", now=now)
    for pool_id in (VALUE_POOL, STANDARD_POOL):
        report_capacity(store, pool_id, 3, now, now=now)
    yield application
    application.extensions["scorer"].stop()
    store.close()


def customer(settings, *, cards_held_out: bool, routing_held_out: bool) -> str:
    return next(
        f"x-{i}"
        for i in range(10_000)
        if in_control_group(f"x-{i}", settings.holdout_salt, settings.holdout_rate)
        == cards_held_out
        and in_control_group(f"x-{i}", settings.routing_holdout_salt, settings.routing_holdout_rate)
        == routing_held_out
    )


def stored_decision(app, decision_id) -> Decision:
    with app.extensions["store"].uow() as uow:
        decision = uow.session.scalars(
            select(Decision).where(Decision.decision_id == decision_id)
        ).one()
        uow.session.expunge_all()
        return decision


@pytest.mark.parametrize("cards_held_out", [False, True])
@pytest.mark.parametrize("routing_held_out", [False, True])
def test_assist_logs_the_route_and_both_control_flags(
    routed_app, auth, cards_held_out, routing_held_out
):
    settings = routed_app.config["SETTINGS"]
    who = customer(settings, cards_held_out=cards_held_out, routing_held_out=routing_held_out)
    body = assist_request(customer_id=who, interaction_id=f"i-{who}")
    answer = routed_app.test_client().post("/v1/assist", json=body, headers=auth("agent"))
    assert answer.status_code == 200, answer.get_json()
    answer = answer.get_json()
    decision = stored_decision(routed_app, answer["decision_id"])
    assert (decision.holdout, decision.routing_holdout) == (cards_held_out, routing_held_out)
    assert answer["holdout"] is cards_held_out
    assert decision.pool == answer["route"]["pool"]
    # the agent reads one plain sentence; the decision log keeps the router's account
    assert decision.route_reason == answer["route"]["detail"]
    if routing_held_out:
        assert answer["route"]["detail"].startswith("routing control group, plain rule")
        assert answer["route"]["reason"].startswith("空き席が最も多い担当者グループ")
        assert answer["route"]["retention_gain"] is None  # value routing did not weigh pools
    else:
        assert answer["route"] == {
            "pool": VALUE_POOL,
            "reason": answer["route"]["reason"],
            "fallback": False,
            "detail": answer["route"]["detail"],
            # nothing measured in this store yet: the published figure, and the answer says so
            "retention_gain": {"value": 0.17, "source": "published", "ci90": None},
        }
        assert answer["route"]["detail"].startswith("expected value")
        assert "retention per VE success 0.17 (published figure" in answer["route"]["detail"]
        assert answer["route"]["reason"].endswith(
            f"が得意な担当者グループ（{VALUE_POOL}）へ（空き席 3）"
        )


def test_assist_falls_back_when_the_value_pool_fills_up(routed_app, auth):
    settings = routed_app.config["SETTINGS"]
    who = customer(settings, cards_held_out=False, routing_held_out=False)
    store = routed_app.extensions["store"]
    client = routed_app.test_client()
    first = client.post("/v1/assist", json=assist_request(customer_id=who), headers=auth("agent"))
    assert first.get_json()["route"]["pool"] == VALUE_POOL
    report_capacity(store, VALUE_POOL, 0, datetime.now(UTC), now=datetime.now(UTC))
    second = client.post("/v1/assist", json=assist_request(customer_id=who), headers=auth("agent"))
    route_ = second.get_json()["route"]
    assert (route_["pool"], route_["fallback"]) == (STANDARD_POOL, True)
    assert f"{VALUE_POOL} is full" in route_["detail"]
    assert route_["reason"].startswith("第一候補が満席のため、")
    decision = stored_decision(routed_app, second.get_json()["decision_id"])
    assert (decision.pool, decision.route_fallback) == (STANDARD_POOL, True)
