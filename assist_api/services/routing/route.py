"""Routing: the route a decision carries, and the band rule for when no pool can be chosen.

The band rule names a pool from the openness band alone: high openness to the
value-enhancement champions, everyone else to the standard pool. It answers only when
routing has no pools to choose from: the assist pipeline without a router, no pool
configured, or none serving the customer's channel and language — the same for the
routing control group and the rest, so it never biases their comparison. Among eligible
pools the control group goes by plain load balancing (routing.value).
"""

from collections.abc import Callable
from dataclasses import dataclass

from assist_api.services.routing.retention_gain import RetentionGain

VALUE_POOL = "ve_champions"
STANDARD_POOL = "standard"


@dataclass(frozen=True)
class Route:
    pool: str
    reason: str
    fallback: bool = False
    control_group: bool = False  # routing control group: sent by the plain rule on purpose
    # what the agent is told (routing.route_text): how the pool was chosen ("value": its
    # skill, "balanced": free seats, "band": the band rule), the activity the pool is best
    # at for this customer (value routes), and its free seats when known
    kind: str = "band"
    activity: str | None = None
    free: int | None = None
    # the retention per VE success value routing weighed pools with (None: it did not)
    retention_gain: RetentionGain | None = None


@dataclass(frozen=True)
class RouteRequest:
    """What a router is told about one customer: the pipeline's score and the facts routing
    reads, and whether the customer is in the routing control group (drawn once, by the
    pipeline, beside the cards' holdout)."""

    band: str | None
    score: float | None
    language: str
    channel: str
    clv: float = 0.0
    routing_control: bool = False
    # the average agent's P(success) per activity (ACTIVITIES order); None without a model
    probabilities: tuple[float, ...] | None = None


Router = Callable[[RouteRequest], Route]


def band_router(request: RouteRequest) -> Route:
    """The router when routing has no pools at all: the band rule, no routing experiment."""
    return plain_route(request.band)


def plain_route(band: str | None) -> Route:
    """The band rule: the pool name from the openness band alone."""
    if band == "high":
        return Route(VALUE_POOL, "high openness: value-enhancement champions")
    if band is None:
        return Route(STANDARD_POOL, "no openness score: standard pool")
    return Route(STANDARD_POOL, f"{band} openness: standard pool")
