"""Value routing: send each customer to the pool where value enhancement is worth most.

Eligible pools serve the customer's channel and language (others fall back to English, as
cards do). Two rules then choose among them:

- **The plain rule** (the routing control group, and anyone routing cannot value: no
  openness score, or no pool's skill measured yet) is how a contact centre routes without
  the product: plain load balancing, the eligible pool with the most free seats first.
  It reads neither skill nor openness, and a value pool takes customers like any other,
  so the difference between the two groups is the value-based matching alone.
- **Value routing** matches customers to the value pools (step 3 of DOMAIN.md) by
  expected value: the customer's CLV times the retention a VE success adds (DOMAIN.md: 17
  points) times the rise in P(success) the pool's measured skill brings over an average
  agent, P = sigmoid(logit(openness) + skill). A value pool that admits the customer and
  adds more than any other eligible pool takes them; everyone else is load-balanced over
  the other pools as by the plain rule. The other pools are not ranked by skill: their
  measured differences are small next to their noise, and greedily filling the
  slightly better generalist pools spends seats that customers of other channels need
  (in a demo replay, 216 customers routed to full pools instead of 2).

A value pool's seats are scarce, so they go to the customers it adds most to — without
leaving them idle and without draining them on the first arrivals. The admission bar
follows the pool's share of the free seats: a value pool holding s of the eligible free
seats takes the customers whose expected value is in the top s of recent customers'
(`RecentValues`). If it fills faster than the other pools its share falls and the bar
rises; if its seats idle, its share grows and the bar falls. The settings
`routing_min_openness` and `routing_min_value` are floors under that bar (by default 0: a
free value seat goes to any customer it adds to rather than idle).

When the best pool is full, or its capacity is unknown (never reported, or older than
`capacity_stale_seconds`), the next one is taken and the route says so (`fallback`).
With no pool configured, or none eligible, there is nothing to balance or rank, and
both groups get the band rule's pool name (routing.route.plain_route).
"""

import math
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from assist_api.services.routing.admission import admission_note, admit
from assist_api.services.routing.pool_state import PoolState, RoutingRule, free_seats
from assist_api.services.routing.recent_values import RecentValues
from assist_api.services.routing.retention_gain import PUBLISHED, PUBLISHED_GAIN, RetentionGain
from assist_api.services.routing.route import Route, RouteRequest, plain_route
from features.vocabulary import ACTIVITIES, DEFAULT_LANGUAGE, primary_language


def success_with(score: float, skill: float | None) -> float:
    """P(success) with this pool's agents: the skill shifts the average agent's log-odds."""
    p = min(max(score, 1e-6), 1 - 1e-6)
    return 1.0 / (1.0 + math.exp(-(math.log(p / (1 - p)) + (skill or 0.0))))


def best_success(pool: PoolState, score: float, probabilities: Sequence[float] | None) -> float:
    """P(success) of the customer's best activity *given this pool's skill*.

    With per-activity skill and the five probabilities, the best activity can change by
    pool (a strong educator pool makes educate_usage the best card); otherwise the
    pool's one skill shifts the average agent's best."""
    if probabilities is None or not pool.activity_skill:
        return success_with(score, pool.skill)
    return max(
        success_with(p, pool.activity_skill.get(activity, pool.skill))
        for activity, p in zip(ACTIVITIES, probabilities, strict=True)
    )


def with_agent_skill(
    probabilities: dict[str, float] | None, skill: dict[str, float] | None
) -> dict[str, float] | None:
    """The average agent's P(success) per activity shifted by this agent's measured skill
    on each, so the cards are ranked for the agent who will deliver them."""
    if not probabilities or not skill:
        return probabilities
    return {a: success_with(p, skill.get(a)) for a, p in probabilities.items()}


def expected_value(
    score: float, clv: float, skill: float | None, gain: float = PUBLISHED_GAIN
) -> float:
    """Retained CLV a pool of this one skill adds over an average agent (negative for weaker
    pools); `score` is the average agent's best P(success) (the openness score), `gain`
    the retention one VE success adds."""
    return clv * gain * (success_with(score, skill) - score)


def best_activity(pool: PoolState, probabilities: Sequence[float] | None) -> str | None:
    """The activity this pool's agents are likeliest to succeed with for the customer."""
    if probabilities is None:
        return None
    shifted = [
        success_with(p, pool.activity_skill.get(activity, pool.skill))
        for activity, p in zip(ACTIVITIES, probabilities, strict=True)
    ]
    return ACTIVITIES[max(range(len(shifted)), key=shifted.__getitem__)]


def pool_value(
    pool: PoolState,
    score: float,
    clv: float,
    probabilities: Sequence[float] | None = None,
    gain: float = PUBLISHED_GAIN,
) -> float:
    """Retained CLV the pool adds over an average agent, on the customer's best activity."""
    return clv * gain * (best_success(pool, score, probabilities) - score)


def _eligible(pools, language: str, channel: str) -> tuple[list[PoolState], str]:
    serving = [p for p in pools if channel in p.channels]
    lang = primary_language(language)
    speaking = [p for p in serving if lang in p.languages]
    if speaking or lang == DEFAULT_LANGUAGE:
        return speaking, ""
    fallback = [p for p in serving if DEFAULT_LANGUAGE in p.languages]
    return fallback, f"no pool speaks {lang}, so {DEFAULT_LANGUAGE}-speaking pools; "


def _by_seats(pools, now, rule) -> list[PoolState]:
    """Most free seats first (unknown last), then by id: plain load balancing."""

    def key(pool):
        seats = free_seats(pool, now, rule.stale_seconds)
        return (seats is None, -(seats or 0), pool.pool_id)

    return sorted(pools, key=key)


def _plain_order(pools, now, rule) -> tuple[list[PoolState], Callable, frozenset]:
    """The plain rule: load balancing on free seats, blind to skill and openness."""

    def describe(pool):
        seats = free_seats(pool, now, rule.stale_seconds)
        counted = "unknown" if seats is None else str(seats)
        return f"plain rule: load balancing, most free seats first ({pool.pool_id}: {counted})"

    return _by_seats(pools, now, rule), describe, frozenset()


def _value_order(
    pools, score, clv, now, rule, recent, probabilities, gain: RetentionGain
) -> tuple[list[PoolState], Callable, frozenset]:
    """Value pools that admit the customer and add more than any other pool come first,
    best first; then the other pools by plain load balancing; value pools that did not
    admit the customer last (taken only when everything else is full)."""
    value = {p.pool_id: pool_value(p, score, clv, probabilities, gain.for_routing) for p in pools}
    admission = {
        p.pool_id: admit(p, value[p.pool_id], score, pools, now, rule, recent)
        for p in pools
        if p.is_value_pool
    }
    if recent is not None:
        for pool_id in admission:
            recent.add(pool_id, value[pool_id])
    best_other = max((value[p.pool_id] for p in pools if not p.is_value_pool), default=-math.inf)
    ranked = sorted(pools, key=lambda p: (-value[p.pool_id], p.pool_id))
    held = [p for p in ranked if p.is_value_pool and not admission[p.pool_id].admitted]
    matched = [p for p in ranked if p not in held and p.is_value_pool]
    matched = [p for p in matched if value[p.pool_id] > best_other]
    balanced = _by_seats([p for p in pools if p not in held and p not in matched], now, rule)
    _, balancing, _ = _plain_order(balanced, now, rule)

    def describe(pool):
        if pool in matched:
            return (
                f"expected value: VE success {best_success(pool, score, probabilities):.0%} in "
                f"{pool.pool_id} vs {score:.0%} with an average agent, worth "
                f"{value[pool.pool_id]:.1f} of CLV {clv:.0f} at {gain.describe()}; admitted: "
                + admission_note(pool, admission[pool.pool_id], rule)
            )
        why = balancing(pool)
        if held and pool not in held:
            why += f"; not admitted: {admission_note(held[0], admission[held[0].pool_id], rule)}"
        return why

    return matched + balanced + held, describe, frozenset(p.pool_id for p in matched)


def _capacity_note(pool: PoolState, now: datetime, rule: RoutingRule) -> str:
    if free_seats(pool, now, rule.stale_seconds) is not None:
        return f"{pool.pool_id} is full (0 free seats)"
    return f"{pool.pool_id} has no capacity report in the last {rule.stale_seconds:g} s"


def _why_plain(eligible, score, control_group) -> str:
    """Why this customer goes by the plain rule ('' when value routing applies)."""
    if control_group:
        return "routing control group, "
    if score is None:
        return "no openness score, "
    if all(p.skill is None and not p.activity_skill for p in eligible):
        return "no pool skill measured yet, "
    return ""


def choose_route(
    pools: Sequence[PoolState],
    *,
    band: str | None,
    score: float | None,
    clv: float,
    language: str,
    channel: str,
    control_group: bool,
    rule: RoutingRule,
    now: datetime,
    recent: RecentValues | None = None,
    probabilities: Sequence[float] | None = None,
    retention_gain: RetentionGain = PUBLISHED,
) -> Route:
    """The pool for one customer, with the reason and whether it is a fallback.

    `recent` holds the values value pools offered earlier customers; value routing adds
    this customer's to it. Without it, value pools admit by the floors alone.
    `probabilities`: the average agent's P(success) per activity (ACTIVITIES order), so
    that pools with per-activity skill are valued on the customer's best activity for them.
    `retention_gain`: the retention one VE success adds (measured or published); the route
    carries it whenever value routing weighed the pools.
    """
    if not pools:
        plain = plain_route(band)
        return Route(plain.pool, f"no pools configured; {plain.reason}", False, control_group)
    eligible, note = _eligible(pools, language, channel)
    if not eligible:
        plain = plain_route(band)
        why = f"no pool serves {primary_language(language)} on {channel}; {plain.reason}"
        return Route(plain.pool, why, True, control_group)
    why_plain = _why_plain(eligible, score, control_group)
    if why_plain:
        note += why_plain
        order, describe, matched = _plain_order(eligible, now, rule)
    else:
        order, describe, matched = _value_order(
            eligible, score, clv, now, rule, recent, probabilities, retention_gain
        )

    def route(pool: PoolState, why: str, fallback: bool) -> Route:
        value = pool.pool_id in matched
        return Route(
            pool.pool_id,
            why,
            fallback,
            control_group,
            kind="value" if value else "balanced",
            activity=best_activity(pool, probabilities) if value else None,
            free=free_seats(pool, now, rule.stale_seconds),
            retention_gain=None if why_plain else retention_gain,
        )

    best = order[0]
    for pool in order:
        if (free_seats(pool, now, rule.stale_seconds) or 0) > 0:
            if pool is best:
                return route(pool, note + describe(pool), False)
            why = (
                f"{_capacity_note(best, now, rule)}, so {pool.pool_id} instead; "
                f"{note}{describe(pool)}"
            )
            return route(pool, why, True)
    why = f"no eligible pool has known free seats, so the first choice; {note}{describe(best)}"
    return route(best, why, True)


class ValueRouter:
    """`router(RouteRequest) -> Route` for the assist pipeline.

    `pools` returns the current pool states (a cache, never the database per request).
    The router keeps this worker's recent customers' values for the admission bar.
    """

    def __init__(
        self,
        settings,
        pools: Callable[[], Sequence[PoolState]],
        clock=None,
        retention_gain: Callable[[], RetentionGain] = lambda: PUBLISHED,
    ):
        self._pools = pools
        self._retention_gain = retention_gain
        self._rule = RoutingRule.from_settings(settings)
        self._recent = RecentValues(self._rule.memory)
        self._clock = clock or (lambda: datetime.now(UTC))

    def __call__(self, request: RouteRequest) -> Route:
        return choose_route(
            self._pools(),
            band=request.band,
            score=request.score,
            clv=request.clv,
            language=request.language,
            channel=request.channel,
            control_group=request.routing_control,
            rule=self._rule,
            now=self._clock(),
            recent=self._recent,
            probabilities=request.probabilities,
            retention_gain=self._retention_gain(),
        )
