"""Reports for CS leads: ROI (step 8), segments (step 1) and automation candidates (step 7).

Each report is a plain dict built from one read of the store (`reports.data`), rendered
afterwards as JSON, CSV, HTML (`reports.render`) or PDF (`reports.pdf`), so the API, the
CLI and the pages show the same numbers. Nothing here runs on the real-time path.
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
    "pdf": "application/pdf",
}


def run_report(
    kind: str,
    store: Store,
    query: ReportQuery,
    *,
    cost_per_agent_minute: float,
    now: datetime,
    holdout_rate: float = 0.10,
    currency: str = "USD",
) -> dict:
    """Build report `kind` for `query`; `cost_per_agent_minute` applies when no plan sets
    it, `holdout_rate` is the configured control-group share the health check expects."""
    if kind == "roi":
        return roi_report(
            store,
            query,
            default_cost_per_agent_minute=cost_per_agent_minute,
            now=now,
            holdout_rate=holdout_rate,
            currency=currency,
        )
    if kind == "segments":
        return {**segments_report(store, query, now=now), "currency": currency}
    if kind == "automation":
        return {**automation_report(store, query, now=now), "currency": currency}
    raise ValueError(f"unknown report {kind!r}; one of {', '.join(KINDS)}")


def rendered(report: dict, output: str, language: str = "en") -> tuple[str | bytes, str, dict]:
    """(body, media type, headers) of `report` as csv, html or pdf in `language`."""
    from assist_api.reports.pdf import to_pdf
    from assist_api.reports.render import to_csv, to_html

    kind = report["report"]
    if output == "csv":
        headers = {"Content-Disposition": f'attachment; filename="{kind}-report.csv"'}
        return to_csv(report), MEDIA_TYPES["csv"], headers
    if output == "pdf":
        headers = {"Content-Disposition": f'attachment; filename="{kind}-report-{language}.pdf"'}
        return to_pdf(report, language), MEDIA_TYPES["pdf"], headers
    return to_html(report, language), MEDIA_TYPES["html"], {}
