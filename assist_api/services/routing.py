"""Routing: which agent pool should take this customer.

The plain rule (used until pools report skill and capacity, and for the routing control
group): customers with high openness go to the value-enhancement champions.
"""

from dataclasses import dataclass

VALUE_POOL = "ve_champions"
STANDARD_POOL = "standard"


@dataclass(frozen=True)
class Route:
    pool: str
    reason: str
    fallback: bool = False
    control_group: bool = False  # routing control group: sent by the plain rule on purpose


def plain_route(band: str | None, **_context) -> Route:
    """The plain rule; routers all take (band=, score=, record=), this one needs only band."""
    if band == "high":
        return Route(VALUE_POOL, "high openness: value-enhancement champions")
    if band is None:
        return Route(STANDARD_POOL, "no openness score: standard pool")
    return Route(STANDARD_POOL, f"{band} openness: standard pool")
