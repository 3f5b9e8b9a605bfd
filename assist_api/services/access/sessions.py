"""Server-side sessions for the web pages.

Signing in checks the API key once; the browser then holds only a random session id in
an HTTP-only cookie. The store keeps the id's hash (a stolen database cannot resume a
session), the key id it belongs to and the CSRF token forms and scripts must echo.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from assist_api.services.access.keys import Identity, identity_of, verify_key
from assist_api.services.clock import as_utc
from assist_api.store.tables import ApiKey, UiSession

SESSION_HOURS = 12


@dataclass(frozen=True)
class PageSession:
    identity: Identity
    csrf_token: str


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start_session(session: Session, presented_key: str, now: datetime) -> tuple[str, PageSession]:
    """(new session id, the session) for a valid key; raises ValueError for a bad key."""
    identity = verify_key(session, presented_key)
    if identity is None:
        raise ValueError("the API key is unknown or revoked")
    session_id = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    session.execute(delete(UiSession).where(UiSession.expires_at < now))
    session.add(
        UiSession(
            session_hash=_hash(session_id),
            key_id=identity.key_id,
            csrf_token=csrf,
            created_at=now,
            expires_at=now + timedelta(hours=SESSION_HOURS),
        )
    )
    return session_id, PageSession(identity, csrf)


def resolve_session(session: Session, session_id: str, now: datetime) -> PageSession | None:
    row = session.get(UiSession, _hash(session_id))
    if row is None or as_utc(row.expires_at) < now:
        return None
    key = session.get(ApiKey, row.key_id)
    if key is None or key.revoked_at is not None:
        return None
    return PageSession(identity_of(key), row.csrf_token)


def end_session(session: Session, session_id: str) -> None:
    session.execute(delete(UiSession).where(UiSession.session_hash == _hash(session_id)))
