"""Who may do what, in one place: role checks for every route, ownership checks for objects.

Every protected route declares its roles (`routes.common.secured` -> `require_role`), and
every service that reads or changes one interaction asks `require_interaction` (or puts
`interaction_access` into its statement) before it does. Keeping both here means the
answer to "can this key touch that interaction?" is the same for /v1/assist, outcomes,
utterances and any route added later.

Roles: `admin` may do everything; `lead` manages and sees all of the centre's contacts;
`system` is a data feed (outcomes of business measures, profiles, pool capacity) and may
do only what a route grants it by name; `scientist` reads models and training data;
`agent` works its own contacts. An agent key may be bound to one agent (`agent_id`) or one
team (a pool id). An agent key touches an interaction it created, or — when bound — one
whose `agent_id` is its agent or whose `pool` is its team. Refusals never repeat the
interaction id or the values sent (they may be personal data, and errors reach logs).

An interaction no key created (`owner_key_id` NULL: imported, or opened before migration
0004 added the column) belongs to the data feed: `system`, leads and admins reach it, and
agent keys bound to its agent or team; an unbound agent key is a stranger to it, and no
call makes a key its owner later (tests/routes/test_ownerless_interactions.py).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from assist_api.errors import Conflict, Forbidden, NotFound

ADMIN = "admin"
SYSTEM = "system"
# Roles that feed business data: the outcome fields only they may set, pool capacity.
FEED_ROLES = (SYSTEM, "lead", ADMIN)
FEED_ONLY_FIELDS = ("retained_60d", "wallet_change")
# Roles that may touch any interaction, not only their own.
UNRESTRICTED_ROLES = frozenset({ADMIN, "lead", SYSTEM})


class Caller(Protocol):
    """What authorization needs of a verified key (`access.keys.Identity`)."""

    key_id: str
    role: str
    agent_id: str | None
    team: str | None


@dataclass(frozen=True)
class InteractionOwner:
    """The facts of a stored interaction that decide who may touch it."""

    customer_id: str
    owner_key_id: str | None
    agent_id: str | None
    pool: str | None


def require_role(caller: Caller, roles: Iterable[str]) -> None:
    """Allow `caller` if its role is one of `roles` (admins may do everything)."""
    roles = tuple(roles)
    if roles and caller.role not in roles and caller.role != ADMIN:
        raise Forbidden(
            f"this needs the role {' or '.join(roles)}; the key's role is {caller.role}"
        )


def require_fields_role(caller: Caller | None, fields: Iterable[str]) -> None:
    """Business measures (retention, wallet) come from data feeds, not from agents."""
    restricted = sorted(set(fields) & set(FEED_ONLY_FIELDS))
    if restricted and caller is not None and caller.role not in FEED_ROLES:
        raise Forbidden(
            f"{', '.join(restricted)} may only be sent by a {' / '.join(FEED_ROLES)} key",
            details={"fields": restricted, "roles": list(FEED_ROLES)},
        )


def unrestricted(caller: Caller | None) -> bool:
    """True for trusted in-process callers (None: the CLI, batch jobs) and broad roles."""
    return caller is None or caller.role in UNRESTRICTED_ROLES


def can_touch_interaction(caller: Caller | None, owner: InteractionOwner) -> bool:
    if unrestricted(caller):
        return True
    if owner.owner_key_id is not None and owner.owner_key_id == caller.key_id:
        return True
    if caller.agent_id is not None and owner.agent_id == caller.agent_id:
        return True
    return caller.team is not None and owner.pool == caller.team


UNKNOWN_INTERACTION = (
    "no such interaction is known to this key: record it through /v1/assist or "
    "`value-assist import` before posting its outcome"
)


def require_interaction(caller: Caller | None, owner: InteractionOwner | None) -> None:
    """NotFound when the interaction is unknown or not the caller's: a stranger learns
    nothing, not even that the id exists."""
    if owner is None or not can_touch_interaction(caller, owner):
        raise NotFound(UNKNOWN_INTERACTION)


def bound_agent_id(caller: Caller | None, requested: str | None) -> str | None:
    """The agent id to record: a key bound to an agent speaks only for that agent."""
    bound = getattr(caller, "agent_id", None)
    if bound is None:
        return requested
    if requested is not None and requested != bound:
        raise Forbidden("this key is bound to another agent: send its own agent_id or none")
    return bound


def interaction_access(caller: Caller | None) -> dict:
    """Parameters of the ownership condition inside the snapshot upsert
    (`decisions.log.owned_by_caller`): the database applies `can_touch_interaction`
    in the same statement that writes, so no check-then-write race exists."""
    return {
        "access_unrestricted": unrestricted(caller),
        "access_key_id": getattr(caller, "key_id", None),
        "access_agent_id": getattr(caller, "agent_id", None),
        "access_team": getattr(caller, "team", None),
    }


def access_allows(access: dict | None, owner: InteractionOwner) -> bool:
    """`can_touch_interaction` from the parameters `interaction_access` made (a spooled
    decision carries them; None: written before they existed, by a trusted path)."""
    if access is None or access["access_unrestricted"]:
        return True
    pairs = (
        (owner.owner_key_id, access["access_key_id"]),
        (owner.agent_id, access["access_agent_id"]),
        (owner.pool, access["access_team"]),
    )
    return any(stored is not None and stored == given for stored, given in pairs)


def refused_snapshot(owner: InteractionOwner, customer_id: str):
    """The error for a snapshot the upsert did not write: another customer's interaction
    id (409), or one this key may not touch (403)."""
    if owner.customer_id != customer_id:
        return Conflict(
            "this interaction id already belongs to another customer: use a new interaction id"
        )
    return Forbidden("this interaction belongs to another agent's contact")
