"""Authentication and role checks for the HTTP routes.

Two ways in: `Authorization: Bearer <key>` (desktops, scripts) or the signed-in page's
session cookie (the web pages' scripts), which must echo the session's CSRF token in
`X-CSRF-Token` on anything that changes state. Verified keys and sessions are cached per
worker for `CACHE_SECONDS`, so the real-time path does not hit the database for every
request; a revoked key stops working within that time. `last_used_at` is written at most
once per cache period per key.

When the store cannot be reached, a key or session verified before keeps working (the
store cannot say otherwise, and agents keep their guidance); an unseen key gets 503, not
a 500. Callers over the per-key rate limit (a setting) get 429.
"""

import hmac
from datetime import UTC, datetime
from functools import wraps

from flask import current_app, g, request
from sqlalchemy.exc import SQLAlchemyError

from assist_api.errors import Forbidden, NotReady, Unauthenticated
from assist_api.services.access import authorization
from assist_api.services.access.keys import Identity, touch_key, verify_key
from assist_api.services.access.sessions import PageSession, resolve_session
from assist_api.services.clock import ExpiringEntries

CACHE_SECONDS = 30.0
SESSION_COOKIE = "va_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class KeyCache:
    """presented key -> identity, and page session id -> session: a small per-worker
    cache. Keys and sessions live in separate maps, so a bearer value can only ever be
    looked up as a key (`Bearer session:<id>` once found a cached page session and used
    it as an identity). Unknown keys are not remembered, so a new key works at once."""

    def __init__(self, store):
        self._store = store
        self._keys = ExpiringEntries(CACHE_SECONDS, outage=(SQLAlchemyError,))
        self._sessions = ExpiringEntries(CACHE_SECONDS, outage=(SQLAlchemyError,))

    def identify(self, presented: str) -> Identity | None:
        return self._keys.get(presented, self._verify, _store_unavailable)

    def page_session(self, session_id: str) -> PageSession | None:
        return self._sessions.get(session_id, self._resolve, _store_unavailable)

    def forget_session(self, session_id: str) -> None:
        self._sessions.forget(session_id)

    def clear(self) -> None:
        self._keys.clear()
        self._sessions.clear()

    def _verify(self, presented: str) -> Identity | None:
        with self._store.uow() as uow:
            identity = verify_key(uow.session, presented)
        if identity is not None:
            self._touch(identity.key_id)
        return identity

    def _resolve(self, session_id: str) -> PageSession | None:
        with self._store.uow() as uow:
            return resolve_session(uow.session, session_id, datetime.now(UTC))

    def _touch(self, key_id: str) -> None:
        """Record `last_used_at`; a store that reads but cannot write does not stop a caller."""
        try:
            with self._store.uow() as uow:
                touch_key(uow.session, key_id, datetime.now(UTC))
                uow.commit()
        except SQLAlchemyError:
            pass


def _store_unavailable():
    """The store is unreachable and this credential was never verified here: 503."""
    raise NotReady("credentials cannot be checked: the store is unavailable")


def bearer_key() -> str | None:
    """The key from `Authorization: Bearer …`, or None when there is no such header."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthenticated("the Authorization header must be 'Bearer <API key>'")
    return value.strip()


def current_page_session() -> PageSession | None:
    session_id = request.cookies.get(SESSION_COOKIE)
    if not session_id:
        return None
    return current_app.extensions["key_cache"].page_session(session_id)


def current_identity() -> Identity:
    key = bearer_key()
    cache = current_app.extensions["key_cache"]
    if key:
        identity = cache.identify(key)
        if identity is None:
            raise Unauthenticated("the API key is unknown or revoked")
        return identity
    page = current_page_session()
    if page is None:
        raise Unauthenticated("an API key is required: send 'Authorization: Bearer <key>'")
    # bytes: compare_digest raises TypeError (a 500) on a str header with non-ASCII in it
    if request.method not in SAFE_METHODS and not hmac.compare_digest(
        request.headers.get(CSRF_HEADER, "").encode(), page.csrf_token.encode()
    ):
        raise Forbidden(f"a signed-in page must send its CSRF token in {CSRF_HEADER}")
    return page.identity


def require_role(*roles: str):
    """Allow callers whose key has one of `roles` (admins may do everything): the HTTP side
    of `access.authorization.require_role`, which every protected route goes through."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            identity = current_identity()
            authorization.require_role(identity, roles)
            limiter = current_app.extensions.get("rate_limiter")
            if limiter is not None:
                limiter.check(identity.key_id)
            g.identity = identity
            return view(*args, **kwargs)

        wrapper.required_roles = roles
        return wrapper

    return decorator
