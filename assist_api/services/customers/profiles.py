"""Customer profiles: point-in-time versions, the cached lookup, and the merge rule.

The desk knows who the customer is, not their CLV or feature adoption: those come from
the CRM as profiles. Each profile is a version valid from its `as_of`, so training can
take the profile as of each interaction and never see a later update. /v1/assist reads
the version valid now through a small per-worker cache (`PROFILE_CACHE_SECONDS`): one
indexed read per customer per period, not one per request. Any field the request carries
overrides the profile for that decision; fields neither knows stay missing (NaN to the
model) and the answer says `customer_profile_missing` when there was no profile at all.
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from assist_api.errors import NotFound
from assist_api.services.audit import record_audit
from assist_api.services.clock import ExpiringEntries
from assist_api.store.customer_tables import CustomerProfile
from assist_api.store.prepared import PreparedStatement, pooled_connection
from assist_api.store.store import Store
from features.columns import CUSTOMER_FACT_NAMES

CUSTOMER_FIELDS = CUSTOMER_FACT_NAMES
# Shown to agents: everything but the customer's lifetime value, which is a commercial
# figure the conversation does not need (least privilege).
DESK_FIELDS = tuple(f for f in CUSTOMER_FIELDS if f != "clv")
PROFILE_MISSING = "customer_profile_missing"
CACHE_ENTRIES = 50_000

CURRENT_PROFILE = (
    select(CustomerProfile.version, *(getattr(CustomerProfile, f) for f in CUSTOMER_FIELDS))
    .where(
        CustomerProfile.customer_id == bindparam("customer_id"),
        CustomerProfile.as_of <= bindparam("at"),
    )
    .order_by(CustomerProfile.as_of.desc())
    .limit(1)
)


@dataclass(frozen=True)
class Profile:
    customer_id: str
    version: int
    fields: dict  # CUSTOMER_FIELDS -> value or None


def put_profile(
    session: Session,
    customer_id: str,
    fields: dict,
    *,
    as_of: datetime,
    now: datetime,
    source: str,
) -> CustomerProfile:
    """Store the version valid from `as_of` (replacing one with the same `as_of`)."""
    values = {name: fields.get(name) for name in CUSTOMER_FIELDS}
    row = session.scalars(
        select(CustomerProfile).where(
            CustomerProfile.customer_id == customer_id, CustomerProfile.as_of == as_of
        )
    ).first()
    if row is None:
        latest = session.scalar(
            select(func.max(CustomerProfile.version)).where(
                CustomerProfile.customer_id == customer_id
            )
        )
        row = CustomerProfile(customer_id=customer_id, as_of=as_of, version=(latest or 0) + 1)
        session.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    row.source = source
    row.recorded_at = now
    session.flush()
    return row


def profile_as_of(session: Session, customer_id: str, at: datetime) -> CustomerProfile | None:
    """The version valid at `at`: the latest `as_of` at or before it."""
    return session.scalars(
        select(CustomerProfile)
        .where(CustomerProfile.customer_id == customer_id, CustomerProfile.as_of <= at)
        .order_by(CustomerProfile.as_of.desc())
        .limit(1)
    ).first()


def merge_customer(
    request_customer: dict, profile: Profile | None, defaults: dict | None = None
) -> tuple[dict, list[str]]:
    """The customer fields a decision uses (request over profile over `defaults`), and
    what the answer must call degraded."""
    merged = dict(defaults or {})
    if profile:
        merged.update((name, value) for name, value in profile.fields.items() if value is not None)
    merged.update((name, value) for name, value in request_customer.items() if value is not None)
    for name in CUSTOMER_FIELDS:
        merged.setdefault(name, None)
    missing = profile is None and any(merged[name] is None for name in CUSTOMER_FIELDS)
    return merged, [PROFILE_MISSING] if missing else []


class ProfileCache:
    """customer_id -> the profile valid now (or None), re-read after `ttl_seconds`.

    A profile written through this worker is seen at once; one written elsewhere (an
    import, another worker) within `ttl_seconds`. A store that cannot be read keeps the
    last value, and an unseen customer is then answered without a profile (degraded),
    because guidance from what is known beats no guidance.
    """

    def __init__(self, store: Store, ttl_seconds: float, clock=time.monotonic):
        self._store = store
        self._entries = ExpiringEntries(
            ttl_seconds,
            outage=(SQLAlchemyError,),
            keep_missing=True,
            max_entries=CACHE_ENTRIES,
            clock=clock,
        )
        self._statement = PreparedStatement(CURRENT_PROFILE, store.engine.dialect)

    def lookup(self, customer_id: str, now: datetime) -> Profile | None:
        return self._entries.get(customer_id, lambda key: self._read(key, now))

    def forget(self, customer_id: str) -> None:
        self._entries.forget(customer_id)

    def _read(self, customer_id: str, now: datetime) -> Profile | None:
        with pooled_connection(self._store.engine) as connection:
            rows = self._statement.rows(connection, {"customer_id": customer_id, "at": now})
        if not rows:
            return None
        version, *values = rows[0]
        return Profile(customer_id, int(version), dict(zip(CUSTOMER_FIELDS, values, strict=True)))


def profile_view(row: CustomerProfile, *, with_clv: bool) -> dict:
    """A stored version as the API shows it (agents do not see CLV)."""
    shown = CUSTOMER_FIELDS if with_clv else DESK_FIELDS
    view = {"customer_id": row.customer_id, "version": row.version, "as_of": _aware(row.as_of)}
    view.update({name: getattr(row, name) for name in shown})
    return view


def save_profile(
    store: Store, customer_id: str, data: dict, *, actor: str, now: datetime
) -> CustomerProfile:
    """`PUT /v1/customers/{id}`: one version, audited (profiles are personal data)."""
    as_of = data.get("as_of") or now
    with store.uow() as uow:
        row = put_profile(uow.session, customer_id, data, as_of=as_of, now=now, source="api")
        record_audit(
            uow.session,
            actor=actor,
            action="customer_profile.put",
            entity_type="customer",
            entity_id=customer_id,
            details={"version": row.version, "as_of": as_of.isoformat()},
            now=now,
        )
        uow.commit()
        uow.session.refresh(row)
        uow.session.expunge(row)
    return row


def current_profile(store: Store, customer_id: str, now: datetime) -> CustomerProfile:
    with store.uow() as uow:
        row = profile_as_of(uow.session, customer_id, now)
        if row is None:
            raise NotFound(f"no profile is stored for customer {customer_id!r}")
        uow.session.expunge(row)
    return row


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
