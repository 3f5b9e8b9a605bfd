"""UTC time helpers shared by services: everything the store holds is UTC.

SQLite hands datetimes back without a zone (PostgreSQL keeps it), so rows read back
are made aware here, once, instead of in each service.
"""

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    """`moment` with UTC attached if the store returned it naive; None stays None."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
