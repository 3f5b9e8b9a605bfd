"""Lift over time: per week (or month) and cumulatively, each in its measure's unit.

A point of the trend holds the contacts of that week and the customers *exposed* that
week (first contact in the period). A point of the cumulative lift holds everything up to
the end of that week — the estimate a reader would have seen then — so its interval
narrows as customers accrue; it is the chart to show whether the effect has settled.
Periods longer than WEEKLY_UP_TO_DAYS go by month, so each point has enough customers.
"""

import pandas as pd

from assist_api.reports.data import ReportQuery
from assist_api.reports.units import unit_effects

WEEKLY_UP_TO_DAYS = 112


def _starts(times: pd.Series, granularity: str) -> pd.Series:
    period = "W-SUN" if granularity == "week" else "M"
    return times.dt.tz_convert(None).dt.to_period(period).dt.start_time


def _granularity(frame: pd.DataFrame, query: ReportQuery) -> str:
    times = frame["started_at"].dt.tz_convert(None)
    first = pd.Timestamp(query.start) if query.start else times.min()
    last = pd.Timestamp(query.end) if query.end else times.max()
    return "week" if (last - first).days <= WEEKLY_UP_TO_DAYS else "month"


def trend(frame: pd.DataFrame, customers: pd.DataFrame, query: ReportQuery, names) -> list:
    """One point per week/month: that bucket's contacts and newly exposed customers."""
    if frame.empty:
        return []
    granularity = _granularity(frame, query)
    contact_start = _starts(frame["started_at"], granularity)
    customer_start = _starts(customers["started_at"], granularity)
    points = []
    for start in sorted(contact_start.unique()):
        rows = frame[(contact_start == start).to_numpy()]
        exposed = customers[(customer_start == start).to_numpy()]
        points.append(
            {
                "start": pd.Timestamp(start).date().isoformat(),
                "granularity": granularity,
                "n": int(len(rows)),
                "customers": int(len(exposed)),
                **unit_effects(rows, exposed, names),
            }
        )
    return points


def cumulative(frame: pd.DataFrame, customers: pd.DataFrame, query: ReportQuery, names) -> list:
    """One point per week/month: everything up to the end of that bucket."""
    if frame.empty:
        return []
    granularity = _granularity(frame, query)
    contact_start = _starts(frame["started_at"], granularity).to_numpy()
    customer_start = _starts(customers["started_at"], granularity).to_numpy()
    points = []
    for start in sorted(pd.unique(contact_start)):
        points.append(
            {
                "start": pd.Timestamp(start).date().isoformat(),
                "granularity": granularity,
                "n": int((contact_start <= start).sum()),
                "customers": int((customer_start <= start).sum()),
                **unit_effects(
                    frame[contact_start <= start], customers[customer_start <= start], names
                ),
            }
        )
    return points
