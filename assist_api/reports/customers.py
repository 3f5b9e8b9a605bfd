"""The customer as the unit: one row per customer seen in the period.

The control group is drawn per customer, and retention, wallet change and lifetime value
are facts about a customer, not a contact: a customer with three contacts in the period
is retained (or not) once. So these measures are counted once per customer here, and the
customer's arm, CLV and traits are those of their *exposure* — their first contact in the
period (what was known when the experiment first touched them). Retention and wallet
change are the latest value recorded on any of the customer's contacts, since a later
contact's record is the more up-to-date reading of the same customer fact.
"""

import numpy as np
import pandas as pd

# Customer facts taken from the exposure (first contact in the period).
AT_EXPOSURE = (
    "started_at",
    "holdout",
    "clv",
    "switching_effort",
    "persona",
    "plan_tier",
    "channel",
    "contact_reason",
    "language",
    "days_band",
    "adoption_band",
    "pool",
    "activity",
)
# Customer facts: the latest known value over the customer's contacts.
LATEST_KNOWN = ("retained_60d", "wallet_change")
SECONDS_PER_MINUTE = 60.0


def customer_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per customer of `frame` (the reports' contact rows), exposure first.

    Columns: customer_id, the AT_EXPOSURE traits (`started_at` = exposure), `contacts`,
    `mixed_arms` (contacts in both arms — a broken assignment, reported by the health
    checks), the LATEST_KNOWN facts (NaN when never recorded), `ve_success` (1 if any
    contact reported VE success, 0 if all that answered did not, NaN if none answered),
    `ve_answered_all` (every contact has a VES answer, so `ve_success` is complete) and
    `handle_minutes` (the customer's total: mean known handle time x contacts).
    """
    columns = ["customer_id", *AT_EXPOSURE, "contacts", "mixed_arms", *LATEST_KNOWN]
    if frame.empty:
        return pd.DataFrame(columns=[*columns, "ve_success", "ve_answered_all", "handle_minutes"])
    ordered = frame.sort_values(["started_at", "interaction_id"], kind="stable")
    groups = ordered.groupby("customer_id", sort=False)
    exposure = ordered.drop_duplicates("customer_id", keep="first").set_index("customer_id")
    out = exposure[list(AT_EXPOSURE)].copy()
    out["contacts"] = groups.size()  # aligned on the customer_id index
    out["mixed_arms"] = groups["holdout"].nunique() > 1
    for name in LATEST_KNOWN:  # GroupBy.last skips missing values: the latest known one
        out[name] = groups[name].last().astype(float)
    out["ve_success"] = groups["ve_success"].max().astype(float)  # NaN only if none known
    out["ve_answered_all"] = groups["ve_success"].count() == out["contacts"]
    mean_seconds = groups["handle_seconds"].mean()
    out["handle_minutes"] = mean_seconds * out["contacts"] / SECONDS_PER_MINUTE
    out = out.reset_index()
    out["holdout"] = out["holdout"].astype(bool)
    out["clv"] = out["clv"].astype(float)
    return out[[*columns, "ve_success", "ve_answered_all", "handle_minutes"]].sort_values(
        ["started_at", "customer_id"], kind="stable", ignore_index=True
    )


def arms(customers: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(offered mask, holdout mask) over customer rows."""
    holdout = customers["holdout"].to_numpy(bool)
    return ~holdout, holdout
