"""Admission to a value pool: its scarce seats go to the customers it adds most to.

A value pool holding a share s of the eligible free seats admits the customers whose
expected value is in the top s of recent customers' (`RecentValues`), above the floors
`routing_min_openness` and `routing_min_value` (routing.value explains why).
"""

from dataclasses import dataclass

from assist_api.services.routing.pool_state import PoolState, RoutingRule, free_seats


def seat_share(pool: PoolState, pools, now, rule) -> float | None:
    """The pool's share of the eligible pools' known free seats (None: it has none known)."""
    own = free_seats(pool, now, rule.stale_seconds)
    if not own:
        return None
    return own / sum(free_seats(p, now, rule.stale_seconds) or 0 for p in pools)


@dataclass(frozen=True)
class Admission:
    """Whether a value pool's seat goes to this customer, and the bar it was judged by."""

    admitted: bool
    bar: float
    share: float | None  # the pool's share of the free seats behind the bar; None: floor only


def admit(pool, value, score, pools, now, rule, recent) -> Admission:
    """A value pool admits customers above the floors and above the bar its free-seat share
    sets. A pool without known free seats is judged by the floors alone, so that a customer
    it would have taken is routed on as a capacity fallback, and says so."""
    share = seat_share(pool, pools, now, rule)
    adaptive = None if share is None or recent is None else recent.bar(pool.pool_id, share)
    bar = rule.min_value if adaptive is None else max(rule.min_value, adaptive)
    admitted = score >= rule.min_openness and value >= bar
    return Admission(admitted, bar, None if adaptive is None else share)


def admission_note(pool: PoolState, admission: Admission, rule: RoutingRule) -> str:
    why = f"{pool.pool_id} takes openness >= {rule.min_openness:.2f} and value >= "
    why += f"{admission.bar:.1f}"
    if admission.share is not None:
        why += f" (the top {admission.share:.0%} of recent customers: its share of free seats)"
    return why
