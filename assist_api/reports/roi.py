"""The ROI report: does offering value-enhancement cards pay, for whom, and by how much?

`roi_report` reads the period once (reports.data), then builds a plain dict that the
API, the CLI and the dashboard all render: counts, offered-vs-holdout effects with 95 %
intervals overall and by switching effort, activity, contact reason, channel, language,
segment and pool, retention by switching effort with and without VE success next to the
published figures, the financial return, the routing control group's lift, a trend, and
the plan in force with each target judged.
"""

from datetime import UTC, datetime

import pandas as pd

from assist_api.reports import stats
from assist_api.reports.data import ReportQuery, load_frame
from assist_api.reports.effects import MEASURES, by, effect, effects, proportion
from assist_api.reports.financial import financial_return
from assist_api.reports.plan import declared_later, plan_in_force
from assist_api.reports.targets import judge_plan
from assist_api.store.store import Store
from features.segments import ADOPTION_BANDS, DAYS_BANDS, UNKNOWN

# by.<name> -> the frame column it splits on, and the order of its groups (None: by size).
SPLITS = {
    "switching_effort": ("switching_effort", ("high", "low")),
    "activity": ("activity", None),
    "contact_reason": ("contact_reason", None),
    "channel": ("channel", None),
    "language": ("language", None),
    "days_since_purchase": ("days_band", (*DAYS_BANDS, UNKNOWN)),
    "feature_adoption": ("adoption_band", (*ADOPTION_BANDS, UNKNOWN)),
    "persona": ("persona", None),
    "pool": ("pool", None),
}
# DOMAIN.md: retention of customers considering switching, with VE / without.
PUBLISHED_RETENTION = {
    "high": {"with_ve": 0.90, "without_ve": 0.73},
    "low": {"with_ve": 0.69, "without_ve": 0.52},
}
TREND_MEASURES = ("ve_success", "retained_60d")
WEEKLY_UP_TO_DAYS = 112  # longer periods trend by month, so each point has enough contacts
NOTES = (
    "Offered = outside the card control group (intention to treat), whether or not a card "
    "was then used; holdout = inside it. Differences are causal for splits fixed before "
    "the offer.",
    "The activity split compares contacts where that activity was attempted in each group; "
    "it is descriptive, not randomised (the holdout's attempts are agents' own).",
    "Retention by VE success compares customers who did and did not report VE success; "
    "like the published figures it is an association, not an experiment.",
    "Intervals treat contacts as independent; customers with several contacts make them "
    "slightly optimistic.",
)


def roi_report(
    store: Store, query: ReportQuery, *, default_cost_per_agent_minute: float, now: datetime
) -> dict:
    """Read the period and build its ROI report, judged against the plan then in force."""
    frame = load_frame(store, query)
    start = query.start_at or (frame["started_at"].min() if len(frame) else None)
    start = start.to_pydatetime() if isinstance(start, pd.Timestamp) else (start or now)
    with store.uow() as uow:
        plan = plan_in_force(uow.session, start)
        later = declared_later(uow.session, start)
    cost = (plan or {}).get("cost_per_agent_minute")
    report = build_roi(
        frame,
        query,
        cost_per_agent_minute=default_cost_per_agent_minute if cost is None else cost,
        now=now,
    )
    report["period"]["plan_judged_at"] = start.astimezone(UTC).isoformat()
    report["plan"] = judge_plan(plan, report)
    report["plan_note"] = _plan_note(plan, later, start)
    return report


def build_roi(
    frame: pd.DataFrame, query: ReportQuery, *, cost_per_agent_minute: float, now: datetime
) -> dict:
    """The report for the rows of `frame` (everything but the plan)."""
    return {
        "report": "roi",
        "generated_at": now.astimezone(UTC).isoformat(),
        "period": _period(frame, query),
        "filters": dict(query.filters),
        "counts": _counts(frame),
        "effects": effects(frame),
        "by": {name: by(frame, column, order=order) for name, (column, order) in SPLITS.items()},
        "retention_by_ve": _retention_by_ve(frame),
        "financial": financial_return(frame, cost_per_agent_minute),
        "routing": _routing(frame),
        "trend": _trend(frame, query),
        "methods": {
            "rate": stats.WILSON,
            "share_difference": stats.NEWCOMBE,
            "mean_difference": stats.WELCH,
            "financial_return": stats.DELTA,
            "confidence": stats.CONFIDENCE,
        },
        "measures": {name: m.label for name, m in MEASURES.items()},
        "notes": list(NOTES),
    }


def _period(frame: pd.DataFrame, query: ReportQuery) -> dict:
    times = frame["started_at"]
    return {
        "from": query.start.isoformat() if query.start else None,
        "to": query.end.isoformat() if query.end else None,
        "first_interaction": times.min().isoformat() if len(frame) else None,
        "last_interaction": times.max().isoformat() if len(frame) else None,
    }


def _counts(frame: pd.DataFrame) -> dict:
    n = len(frame)
    holdout = int(frame["holdout"].sum())
    return {
        "interactions": n,
        "offered": n - holdout,
        "holdout": holdout,
        "holdout_share": round(holdout / n, 4) if n else None,
        "decisions": int(frame["has_decision"].sum()),
        "cards_shown": int(frame["cards_shown"].sum()),
        "cards_used": int(frame["card_used"].sum()),
        "survey_respondents": int(frame["ve_success"].notna().sum()),
        "retention_known": int(frame["retained_60d"].notna().sum()),
    }


def _retention_by_ve(frame: pd.DataFrame) -> dict:
    """60-day retention of respondents with and without VE success, per switching effort."""
    known = frame[frame["ve_success"].notna() & frame["retained_60d"].notna()]
    result = {}
    for effort, published in PUBLISHED_RETENTION.items():
        rows = known[known["switching_effort"] == effort]
        success = rows["ve_success"].to_numpy(float) == 1.0
        retained = rows["retained_60d"].to_numpy(float)
        result[effort] = {
            "with_ve": proportion(retained[success]),
            "without_ve": proportion(retained[~success]),
            "published": published,
        }
    return result


def _routing(frame: pd.DataFrame) -> dict:
    """Model routing vs the routing control group, among offered contacts the service saw."""
    seen = frame[frame["has_decision"] & ~frame["holdout"]]
    control = seen["routing_holdout"].astype(bool).to_numpy()
    if not control.any() or control.all():
        return {
            "available": False,
            "reason": "no live decisions in both the routing control group and the rest",
            "n_routed": int((~control).sum()),
            "n_control": int(control.sum()),
        }
    return {
        "available": True,
        "n_routed": int((~control).sum()),
        "n_control": int(control.sum()),
        **{
            name: effect(
                seen[name].to_numpy(float)[~control],
                seen[name].to_numpy(float)[control],
                MEASURES[name],
            )
            for name in TREND_MEASURES
        },
    }


def _trend(frame: pd.DataFrame, query: ReportQuery) -> list[dict]:
    if frame.empty:
        return []
    times = frame["started_at"].dt.tz_convert(None)
    first = pd.Timestamp(query.start) if query.start else times.min()
    last = pd.Timestamp(query.end) if query.end else times.max()
    weekly = (last - first).days <= WEEKLY_UP_TO_DAYS
    buckets = times.dt.to_period("W-SUN" if weekly else "M").dt.start_time
    points = []
    for start, rows in frame.groupby(buckets.to_numpy(), sort=True):
        points.append(
            {
                "start": pd.Timestamp(start).date().isoformat(),
                "granularity": "week" if weekly else "month",
                "n": int(len(rows)),
                **effects(rows, TREND_MEASURES),
            }
        )
    return points


def _plan_note(plan: dict | None, later: list[int], start: datetime) -> str | None:
    if not later:
        return None if plan else "no ROI plan was declared before this period started"
    versions = ", ".join(str(v) for v in later)
    return (
        f"plan version(s) {versions} were declared after {start.date().isoformat()}, when "
        "this period started, so they are not used to judge it"
    )
