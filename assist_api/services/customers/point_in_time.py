"""Training's join of interactions to the profile valid when each happened.

An interaction's stored customer fields are a snapshot of what the decision knew, so
they are kept as they are. Fields the snapshot lacks (the desk sent only the id and no
profile existed yet, or the CRM was loaded after the interactions) are taken from the
profile version whose `as_of` is the latest at or before the interaction's start, never
a later one: a profile updated after an interaction must not leak into its training
row. One `merge_asof` per frame, not a query per row.
"""

import pandas as pd
from sqlalchemy import select

from assist_api.services.customers.profiles import CUSTOMER_FIELDS
from assist_api.store.customer_tables import CustomerProfile
from assist_api.store.store import Store


def profile_frame(store: Store) -> pd.DataFrame:
    columns = ("customer_id", "as_of", *CUSTOMER_FIELDS)
    statement = select(*(getattr(CustomerProfile, name) for name in columns))
    with store.engine.connect() as connection:
        rows = connection.execute(statement).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=list(columns))
    frame["as_of"] = pd.to_datetime(frame["as_of"], utc=True)
    return frame


def fill_from_profiles(interactions: pd.DataFrame, profiles: pd.DataFrame) -> pd.DataFrame:
    """`interactions` with missing customer fields filled as of each `started_at`."""
    if profiles.empty or interactions.empty:
        return interactions
    left = interactions.reset_index(drop=True).assign(_order=lambda f: range(len(f)))
    left = left.sort_values("started_at", kind="stable")
    right = profiles.sort_values("as_of", kind="stable").add_prefix("_p_")
    joined = pd.merge_asof(
        left,
        right,
        left_on="started_at",
        right_on="_p_as_of",
        left_by="customer_id",
        right_by="_p_customer_id",
        direction="backward",
    ).sort_values("_order", kind="stable")
    out = interactions.copy()
    for name in CUSTOMER_FIELDS:
        known = joined[name].to_numpy(dtype=object)
        fallback = joined[f"_p_{name}"].to_numpy(dtype=object)
        filled = [k if not _missing(k) else f for k, f in zip(known, fallback, strict=True)]
        out[name] = pd.Series(filled, index=out.index, dtype=object)
    return out


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value)
