"""`value-assist import --customers F`: CRM profiles as point-in-time versions.

The file has `customer_id`, `as_of` (ISO 8601) and any of the customer columns of the
interaction import format, checked by the same column rules (types, ranges,
vocabularies); an empty cell means the CRM does not know the value. It loads in the
same transaction as the other files of the import (services.outcomes.imports), so one
bad row anywhere means nothing is written. A row with a (customer_id, as_of) already
stored replaces that version (re-sending an extract is harmless); others add versions.
"""

from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from assist_api.services.customers.profiles import CUSTOMER_FIELDS
from assist_api.store.bulk import bulk_insert, bulk_update
from assist_api.store.customer_tables import CustomerProfile

CHUNK = 500


def upsert_profiles(
    session: Session, rows: list[dict], now: datetime, source: str = "import"
) -> tuple[int, int]:
    """(inserted, updated) for validated profile rows (dicts of plain values)."""
    customers = sorted({row["customer_id"] for row in rows})
    versions: dict[str, int] = {}
    stored: dict[tuple[str, datetime], int] = {}
    for start in range(0, len(customers), CHUNK):
        chunk = customers[start : start + CHUNK]
        for customer_id, as_of, version, row_id in session.execute(
            select(
                CustomerProfile.customer_id,
                CustomerProfile.as_of,
                CustomerProfile.version,
                CustomerProfile.id,
            ).where(CustomerProfile.customer_id.in_(chunk))
        ):
            versions[customer_id] = max(versions.get(customer_id, 0), version)
            stored[(customer_id, _utc(as_of))] = row_id
    inserts, updates = [], []
    for row in rows:
        values = {name: row.get(name) for name in CUSTOMER_FIELDS}
        values.update(source=source, recorded_at=now)
        key = (row["customer_id"], _utc(row["as_of"]))
        if key in stored:
            updates.append({"id": stored[key], **values})
            continue
        versions[key[0]] = versions.get(key[0], 0) + 1
        inserts.append(
            {"customer_id": key[0], "as_of": key[1], "version": versions[key[0]], **values}
        )
    bulk_insert(session, CustomerProfile, inserts)
    bulk_update(session, CustomerProfile, updates, key="id")
    return len(inserts), len(updates)


def profile_records(frame: pd.DataFrame) -> list[dict]:
    """Validated rows as plain dicts (None for missing, datetimes for as_of)."""
    columns = ["customer_id", "as_of", *[c for c in CUSTOMER_FIELDS if c in frame.columns]]
    cleaned = frame[columns].astype(object).where(frame[columns].notna(), None)
    records = cleaned.to_dict("records")
    for record in records:
        if isinstance(record["as_of"], pd.Timestamp):
            record["as_of"] = record["as_of"].to_pydatetime()
    return records


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive UTC datetimes; compare everything as aware UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
