"""Value routing: send each customer to the pool where value enhancement is worth most.

Pools that serve the customer's language (others fall back to English, as cards do) and
channel are ranked by expected value: the customer's CLV times the retention a VE success
adds (DOMAIN.md: 17 points) times the rise in P(success) the pool's measured skill brings
over an average agent — P = sigmoid(logit(openness) + skill). Seats in a value pool are
scarce, so they go only to customers with openness >= `routing_min_openness` and an
expected value >= `routing_min_value`; pools whose values differ by less than
`routing_min_value` count as equal and go by free seats, so a hair's difference in
measured skill never drains one pool while another idles. When the best pool is full, or
its capacity is unknown (never reported, or older than `capacity_stale_seconds`), the
next one is taken and the route says so (`fallback`).

The routing control group (own salt and rate, independent of the card holdout) is routed
by the plain rule among the same eligible pools and with the same capacity fallback, so
the difference between the groups is the value-based matching alone.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from assist_api.services.holdout import in_control_group
from assist_api.services.routing import Route, plain_route
from features.vocabulary import DEFAULT_LANGUAGE, primary_language

RETENTION_GAIN_PER_SUCCESS = 0.17  # 90 vs 73 % (high effort), 69 vs 52 % (low effort)


@dataclass(frozen=True)
class PoolState:
    """What routing knows about a pool: whom it serves, its skill, its free seats."""

    pool_id: str
    languages: frozenset[str]
    channels: frozenset[str]
    is_value_pool: bool = False
    skill: float | None = None  # log-odds vs the average agent; None: not measured
    free: int | None = None  # free seats last reported; None: never reported
    reported_at: datetime | None = None


@dataclass(frozen=True)
class RoutingRule:
    min_openness: float
    min_value: float
    stale_seconds: float

    @classmethod
    def from_settings(cls, settings) -> "RoutingRule":
        return cls(
            settings.routing_min_openness,
            settings.routing_min_value,
            settings.capacity_stale_seconds,
        )


def free_seats(pool: PoolState, now: datetime, stale_seconds: float) -> int | None:
    """Free seats now, or None when unknown (never reported, or the report is stale)."""
    if pool.free is None or pool.reported_at is None:
        return None
    if (now - pool.reported_at).total_seconds() > stale_seconds:
        return None
    return pool.free


def success_with(score: float, skill: float | None) -> float:
    """P(success) with this pool's agents: the skill shifts the average agent's log-odds."""
    p = min(max(score, 1e-6), 1 - 1e-6)
    return 1.0 / (1.0 + math.exp(-(math.log(p / (1 - p)) + (skill or 0.0))))


def expected_value(score: float, clv: float, skill: float | None) -> float:
    """Retained CLV the pool adds over an average agent (negative for weaker pools)."""
    return clv * RETENTION_GAIN_PER_SUCCESS * (success_with(score, skill) - score)


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


def _plain_order(pools, band, now, rule) -> tuple[list[PoolState], Callable]:
    wants_value = band == "high"
    preferred = [p for p in pools if p.is_value_pool == wants_value]
    rest = [p for p in pools if p.is_value_pool != wants_value]
    target = "a value pool" if wants_value else "a standard pool"
    why = f"plain rule: {band or 'no'} openness, {target}"
    return _by_seats(preferred, now, rule) + _by_seats(rest, now, rule), lambda _pool: why


def _value_order(pools, score, clv, now, rule) -> tuple[list[PoolState], Callable]:
    """Allowed pools by expected value; pools within `min_value` of the best count as equal
    (their difference is not worth a choice) and go by free seats instead."""
    value = {p.pool_id: expected_value(score, clv, p.skill) for p in pools}

    def qualifies(pool):
        return not pool.is_value_pool or (
            score >= rule.min_openness and value[pool.pool_id] >= rule.min_value
        )

    ranked = sorted(pools, key=lambda p: (-value[p.pool_id], p.pool_id))
    allowed = [p for p in ranked if qualifies(p)]
    held = [p for p in ranked if not qualifies(p)]
    top = value[allowed[0].pool_id] if allowed else 0.0
    near = _by_seats([p for p in allowed if value[p.pool_id] >= top - rule.min_value], now, rule)
    order = near + [p for p in allowed if p not in near] + held

    def describe(pool):
        why = (
            f"expected value: VE success {success_with(score, pool.skill):.0%} in "
            f"{pool.pool_id} vs {score:.0%} with an average agent, "
            f"worth {value[pool.pool_id]:.1f} of CLV {clv:.0f}"
        )
        if pool in near and len(near) > 1:
            why += f"; pools within {rule.min_value:g} of the best go by free seats"
        if held and held[0] is not pool and value[held[0].pool_id] > value[pool.pool_id]:
            why += (
                f"; {held[0].pool_id} is kept for openness >= {rule.min_openness:.2f} "
                f"and value >= {rule.min_value:g}"
            )
        return why

    return order, describe


def _capacity_note(pool: PoolState, now: datetime, rule: RoutingRule) -> str:
    if free_seats(pool, now, rule.stale_seconds) is not None:
        return f"{pool.pool_id} is full (0 free seats)"
    return f"{pool.pool_id} has no capacity report in the last {rule.stale_seconds:g} s"


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
) -> Route:
    """The pool for one customer, with the reason and whether it is a fallback."""
    if not pools:
        plain = plain_route(band)
        return Route(plain.pool, f"no pools configured; {plain.reason}", False, control_group)
    eligible, note = _eligible(pools, language, channel)
    if not eligible:
        plain = plain_route(band)
        why = f"no pool serves {primary_language(language)} on {channel}; {plain.reason}"
        return Route(plain.pool, why, True, control_group)
    why_plain = (
        "routing control group, "
        if control_group
        else "no openness score, "
        if score is None
        else "no pool skill measured yet, "
        if all(p.skill is None for p in eligible)
        else ""
    )
    if why_plain:
        note += why_plain
        order, describe = _plain_order(eligible, band, now, rule)
    else:
        order, describe = _value_order(eligible, score, clv, now, rule)
    best = order[0]
    for pool in order:
        if (free_seats(pool, now, rule.stale_seconds) or 0) > 0:
            if pool is best:
                return Route(pool.pool_id, note + describe(pool), False, control_group)
            why = (
                f"{_capacity_note(best, now, rule)}, so {pool.pool_id} instead; "
                f"{note}{describe(pool)}"
            )
            return Route(pool.pool_id, why, True, control_group)
    why = f"no eligible pool has known free seats, so the first choice; {note}{describe(best)}"
    return Route(best.pool_id, why, True, control_group)


class ValueRouter:
    """`router(band=, score=, record=) -> Route` for the assist pipeline.

    `pools` returns the current pool states (a cache, never the database per request).
    """

    def __init__(self, settings, pools: Callable[[], Sequence[PoolState]], clock=None):
        self._settings = settings
        self._pools = pools
        self._rule = RoutingRule.from_settings(settings)
        self._clock = clock or (lambda: datetime.now(UTC))

    def __call__(self, *, band: str | None, score: float | None, record: dict) -> Route:
        settings = self._settings
        return choose_route(
            self._pools(),
            band=band,
            score=score,
            clv=float(record.get("clv") or 0.0),
            language=record.get("language") or DEFAULT_LANGUAGE,
            channel=record["channel"],
            control_group=in_control_group(
                record["customer_id"],
                settings.routing_holdout_salt,
                settings.routing_holdout_rate,
            ),
            rule=self._rule,
            now=self._clock(),
        )
