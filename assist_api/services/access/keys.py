"""API keys: created once, shown once, stored as a salted hash, revocable.

A key looks like `va_<key id>_<secret>`. The key id finds the row; the secret is checked
against `sha256(salt + secret)`. Secrets are 256 random bits, so a fast hash is enough
(slow password hashes protect low-entropy passwords, which these are not) and checking a
key costs microseconds on the real-time path.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from assist_api.errors import InvalidFields, NotFound
from assist_api.services.audit import record_audit
from assist_api.store.tables import ApiKey
from features.vocabulary import ROLES

KEY_PREFIX = "va_"
# The audit log names a caller "<name> (<role>, key <id>)"; that must fit its 128-200
# character author and actor columns.
MAX_NAME_CHARS = 80
MAX_BINDING_CHARS = 128


@dataclass(frozen=True)
class Identity:
    key_id: str
    name: str
    role: str
    # an agent key bound to one agent or one team (a pool id): see access/authorization
    agent_id: str | None = None
    team: str | None = None
    test: bool = False  # a test key: what it writes is left out of reports and training

    @property
    def actor(self) -> str:
        """How the audit log names this caller."""
        return f"{self.name} ({self.role}, key {self.key_id})"


def _digest(salt: str, secret: str) -> str:
    return hashlib.sha256(f"{salt}:{secret}".encode()).hexdigest()


def create_key(
    session: Session,
    *,
    role: str,
    name: str,
    actor: str,
    now: datetime,
    test: bool = False,
    agent_id: str | None = None,
    team: str | None = None,
) -> str:
    """Store a new key and return it in full — the only time it is ever visible.

    A `test` key is for trying the service (desk trials, curl, Swagger's "try it"): the
    interactions and decisions it writes are marked and every report and training set
    leaves them out. An agent key may be bound to one `agent_id` or one `team` (a pool
    id); other roles act for the whole centre, so a binding on them is refused.
    """
    problems = {}
    if role not in ROLES:
        problems["role"] = [f"must be one of {', '.join(ROLES)}"]
    if not name or not name.strip() or len(name) > MAX_NAME_CHARS:
        problems["name"] = [f"must be 1-{MAX_NAME_CHARS} characters"]
    for field_name, value in (("agent_id", agent_id), ("team", team)):
        if value is not None and role != "agent":
            problems[field_name] = ["only an agent key can be bound to an agent or a team"]
        elif value is not None and not 1 <= len(value.strip()) <= MAX_BINDING_CHARS:
            problems[field_name] = [f"must be 1-{MAX_BINDING_CHARS} characters"]
    if agent_id is not None and team is not None:
        problems["team"] = ["bind a key to an agent or to a team, not both"]
    if problems:
        raise InvalidFields(problems)
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_hex(16)
    session.add(
        ApiKey(
            key_id=key_id,
            name=name.strip(),
            role=role,
            salt=salt,
            key_hash=_digest(salt, secret),
            created_at=now,
            test=test,
            agent_id=agent_id.strip() if agent_id else None,
            team=team.strip() if team else None,
        )
    )
    record_audit(
        session,
        actor=actor,
        action="create",
        entity_type="api_key",
        entity_id=key_id,
        details={"role": role, "name": name, "test": test, "agent_id": agent_id, "team": team},
        now=now,
    )
    return f"{KEY_PREFIX}{key_id}_{secret}"


def split_key(presented: str) -> tuple[str, str] | None:
    if not presented.startswith(KEY_PREFIX):
        return None
    key_id, _, secret = presented[len(KEY_PREFIX) :].partition("_")
    if not key_id or not secret:
        return None
    return key_id, secret


def verify_key(session: Session, presented: str) -> Identity | None:
    """The caller's identity, or None for an unknown, wrong or revoked key."""
    parts = split_key(presented)
    if parts is None:
        return None
    key_id, secret = parts
    row = session.get(ApiKey, key_id)
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.key_hash, _digest(row.salt, secret)):
        return None
    return identity_of(row)


def identity_of(row: ApiKey) -> Identity:
    return Identity(row.key_id, row.name, row.role, row.agent_id, row.team, bool(row.test))


def touch_key(session: Session, key_id: str, now: datetime) -> None:
    row = session.get(ApiKey, key_id)
    if row is not None:
        row.last_used_at = now


def revoke_key(session: Session, key_id: str, *, actor: str, now: datetime) -> None:
    row = session.get(ApiKey, key_id)
    if row is None:
        raise NotFound(f"no API key {key_id!r}")
    row.revoked_at = row.revoked_at or now
    record_audit(
        session, actor=actor, action="revoke", entity_type="api_key", entity_id=key_id, now=now
    )


def list_keys(session: Session) -> list[dict]:
    rows = session.scalars(select(ApiKey).order_by(ApiKey.created_at))
    return [
        {
            "key_id": r.key_id,
            "name": r.name,
            "role": r.role,
            "agent_id": r.agent_id,
            "team": r.team,
            "created_at": r.created_at,
            "revoked_at": r.revoked_at,
            "last_used_at": r.last_used_at,
            "test": bool(r.test),
        }
        for r in rows
    ]
