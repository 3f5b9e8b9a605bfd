"""Reports for CS leads: ROI (step 8), segments (step 1) and automation candidates (step 7).

Each report is a plain dict built from one read of the store (`reports.data`), rendered
afterwards as JSON, CSV or HTML (`reports.render`), so the API, the CLI and the dashboard
show the same numbers. Nothing here runs on the real-time path.
"""

from datetime import datetime

from assist_api.reports.automation import automation_report
from assist_api.reports.data import ReportQuery
from assist_api.reports.roi import roi_report
from assist_api.reports.segments import segments_report
from assist_api.store.store import Store

KINDS = ("roi", "segments", "automation")
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
}


def run_report(
    kind: str, store: Store, query: ReportQuery, *, cost_per_agent_minute: float, now: datetime
) -> dict:
    """Build report `kind` for `query`; `cost_per_agent_minute` applies when no plan sets it."""
    if kind == "roi":
        return roi_report(
            store, query, default_cost_per_agent_minute=cost_per_agent_minute, now=now
        )
    if kind == "segments":
        return segments_report(store, query, now=now)
    if kind == "automation":
        return automation_report(store, query, now=now)
    raise ValueError(f"unknown report {kind!r}; one of {', '.join(KINDS)}")
