"""The ROI report: does offering value-enhancement cards pay, for whom, and by how much?

`roi_report` reads the period once (reports.data), then builds a plain dict that the
API, the CLI and the pages all render. The customer is the unit (the control group is
drawn per customer): each offered or control customer counts once, exposed at their first
contact in the period; retention, wallet change and money are per customer, contact-level
measures carry customer-clustered intervals (reports.units). Every report opens with the
experiment's health (reports.health); the plan in force is judged as declared, on its own
population and period (reports.declared), and any other view is labelled exploratory.
"""

from datetime import UTC, datetime

import pandas as pd

from assist_api.reports import stats
from assist_api.reports.customers import customer_frame
from assist_api.reports.data import ReportQuery, load_frame, period_of
from assist_api.reports.declared import day, is_declared_view, judge_declared
from assist_api.reports.effects import MEASURES, effect, proportion
from assist_api.reports.financial import customer_return
from assist_api.reports.health import experiment_health
from assist_api.reports.plan import declared_later, plan_in_force
from assist_api.reports.targets import judge_plan
from assist_api.reports.trend import cumulative, trend
from assist_api.reports.units import METHODS, unit_by, unit_effects
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
GROUP_MEASURES = ("ve_success", "retained_60d", "csat", "nps", "handle_seconds")
# DOMAIN.md: retention of customers considering switching, with VE / without.
PUBLISHED_RETENTION = {
    "high": {"with_ve": 0.90, "without_ve": 0.73},
    "low": {"with_ve": 0.69, "without_ve": 0.52},
}
TREND_MEASURES = ("ve_success", "retained_60d")
NOTES = (
    "Offered = outside the card control group (intention to treat), whether or not a card "
    "was then used; holdout = inside it. Differences are causal for splits fixed before "
    "the offer.",
    "Each customer counts once: exposure is their first contact in the period, which also "
    "places them in a split; retention and wallet change are the latest recorded values.",
    "The activity split compares contacts where that activity was attempted in each group; "
    "it is descriptive, not randomised (the holdout's attempts are agents' own).",
    "Retention by VE success compares customers who did and did not report VE success on "
    "any contact, among those who answered the survey every time; like the published "
    "figures it is an association, not an experiment.",
)


def roi_report(
    store: Store,
    query: ReportQuery,
    *,
    default_cost_per_agent_minute: float,
    now: datetime,
    holdout_rate: float = 0.10,
    currency: str = "USD",
) -> dict:
    """Read the period and build its ROI report, with the plan in force judged as declared."""
    frame = load_frame(store, query)
    start = query.start_at or (frame["started_at"].min() if len(frame) else None)
    start = start.to_pydatetime() if isinstance(start, pd.Timestamp) else (start or now)
    with store.uow() as uow:
        plan = plan_in_force(uow.session, start)
        later = declared_later(uow.session, start)
    cost = (plan or {}).get("cost_per_agent_minute")
    options = {
        "cost_per_agent_minute": default_cost_per_agent_minute if cost is None else cost,
        "holdout_rate": holdout_rate,
        "currency": currency,
        "now": now,
    }
    report = build_roi(frame, query, **options)
    report["cost_basis"] = {
        "cost_per_agent_minute": options["cost_per_agent_minute"],
        "currency": currency,
        "source": "setting" if cost is None else "plan",
        "plan_version": None if cost is None else plan["version"],
    }
    report["period"]["plan_judged_at"] = start.astimezone(UTC).isoformat()
    report["plan"] = judge_plan(plan, report)
    report["plan_note"] = _plan_note(plan, later, start)
    report["view"], report["declared"] = _declared(store, plan, query, report, options)
    return report


def _declared(store: Store, plan, query: ReportQuery, report: dict, options: dict):
    """("declared" | "exploratory", the declared plan's verdict or None)."""
    if not plan or not plan.get("period") or not plan.get("primary"):
        return "exploratory", None
    if is_declared_view(plan, query.start, query.end, query.filters):
        return "declared", judge_declared(plan, report, options["now"])
    period = plan["period"]
    declared = ReportQuery(
        start=day(period["from"]), end=day(period["to"]), filters=dict(plan.get("population") or {})
    )
    own = build_roi(load_frame(store, declared), declared, **options)
    return "exploratory", judge_declared(plan, own, options["now"])


def build_roi(
    frame: pd.DataFrame,
    query: ReportQuery,
    *,
    cost_per_agent_minute: float,
    now: datetime,
    holdout_rate: float = 0.10,
    currency: str = "USD",
) -> dict:
    """The report for the rows of `frame` (everything but the plan)."""
    customers = customer_frame(frame)
    offered_contacts = int((~frame["holdout"]).sum()) if len(frame) else 0
    financial = customer_return(customers, offered_contacts, cost_per_agent_minute)
    return {
        "report": "roi",
        "generated_at": now.astimezone(UTC).isoformat(),
        "period": period_of(frame, query),
        "filters": dict(query.filters),
        "unit": "customer",
        "currency": currency,
        "counts": _counts(frame, customers),
        "health": experiment_health(frame, customers, holdout_rate),
        "effects": unit_effects(frame, customers),
        "by": {
            name: unit_by(frame, customers, column, GROUP_MEASURES, order)
            for name, (column, order) in SPLITS.items()
        },
        "retention_by_ve": _retention_by_ve(customers),
        "financial": {**financial, "currency": currency},
        "routing": _routing(frame),
        "trend": trend(frame, customers, query, TREND_MEASURES),
        "cumulative": cumulative(frame, customers, query, TREND_MEASURES),
        "methods": {
            **METHODS,
            "rate": stats.WILSON,
            "share_difference": stats.NEWCOMBE,
            "mean_difference": stats.WELCH,
            "clustered": "cluster jackknife (leave one customer out) variance, t interval",
            "financial_return": "normal interval, customer jackknife variance",
            "confidence": stats.CONFIDENCE,
        },
        "measures": {name: m.label for name, m in MEASURES.items()},
        "notes": list(NOTES),
    }


def _counts(frame: pd.DataFrame, customers: pd.DataFrame) -> dict:
    n = len(frame)
    holdout = int(frame["holdout"].sum())
    held_customers = int(customers["holdout"].sum()) if len(customers) else 0
    return {
        "interactions": n,
        "offered": n - holdout,
        "holdout": holdout,
        "holdout_share": round(holdout / n, 4) if n else None,
        "customers": int(len(customers)),
        "customers_offered": int(len(customers)) - held_customers,
        "customers_holdout": held_customers,
        "holdout_customer_share": round(held_customers / len(customers), 4)
        if len(customers)
        else None,
        "contacts_per_customer": round(n / len(customers), 3) if len(customers) else None,
        "decisions": int(frame["has_decision"].sum()),
        "cards_shown": int(frame["cards_shown"].sum()),
        "cards_used": int(frame["card_used"].sum()),
        "survey_respondents": int(frame["ve_success"].notna().sum()),
        "retention_known": int(customers["retained_60d"].notna().sum()) if len(customers) else 0,
    }


def _retention_by_ve(customers: pd.DataFrame) -> dict:
    """Customer retention with and without VE success on any contact, per switching effort,
    among customers who answered the survey on every contact (otherwise a success on an
    unanswered contact would count as "without VE")."""
    known = customers[customers["ve_answered_all"].astype(bool) & customers["retained_60d"].notna()]
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


def _plan_note(plan: dict | None, later: list[int], start: datetime) -> str | None:
    if not later:
        return None if plan else "no ROI plan was declared before this period started"
    versions = ", ".join(str(v) for v in later)
    return (
        f"plan version(s) {versions} were declared after {start.date().isoformat()}, when "
        "this period started, so they are not used to judge it"
    )
