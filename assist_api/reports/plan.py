"""The ROI plan: success measures and targets declared before a period starts, versioned.

A plan is never edited: each change is a new version, stored with who declared it and
when. A report judges a period against the plan in force at the period's start, i.e. the
newest version that was already declared (created_at) and already effective
(effective_from) when the period began — so a target written after the results were
seen can never be the one a period is judged by.
"""

from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assist_api.errors import Conflict, InvalidFields
from assist_api.reports.data import ReportQuery, load_frame
from assist_api.reports.power import HISTORY_DAYS, declaration_power
from assist_api.services.audit import record_audit
from assist_api.services.clock import to_utc
from assist_api.store.tables import RoiPlan

# What a plan holds besides its effective date (stored together in the `targets` column).
# primary, population, period and power make it a declared plan (reports.declared).
BODY_KEYS = (
    "targets",
    "min_sample_per_arm",
    "cost_per_agent_minute",
    "note",
    "primary",
    "population",
    "period",
    "power",
)


def declare_plan(store, plan: dict, *, actor: str, now: datetime, holdout_rate: float) -> dict:
    """Compute the plan's power from the population's last 90 days, then store it.

    A declared period must not start before the day of declaration (the plan is written
    before the data it judges), so this refuses one that does.
    """
    period = plan.get("period")
    if period and period["from"] < to_utc(now).date():
        raise InvalidFields(
            {"period.from": [f"must not be before today ({to_utc(now).date().isoformat()}): a "
                             "plan is declared before the period it judges"]}
        )  # fmt: skip
    if plan.get("primary"):
        history = ReportQuery(
            start=to_utc(now).date() - timedelta(days=HISTORY_DAYS),
            end=to_utc(now).date() - timedelta(days=1),
            filters=dict(plan.get("population") or {}),
        )
        frame = load_frame(store, history)
        plan = {**plan, "power": declaration_power(frame, plan["primary"], holdout_rate)}
    with store.uow() as uow:
        created = create_plan(uow.session, plan, actor=actor, now=now)
        uow.commit()
    return created


def create_plan(session: Session, plan: dict, *, actor: str, now: datetime) -> dict:
    """Store `plan` (validated by the caller) as the next version; audited in the same
    transaction. Raises Conflict if another version was saved at the same moment."""
    version = (session.scalar(select(func.max(RoiPlan.version))) or 0) + 1
    row = RoiPlan(
        version=version,
        effective_from=to_utc(plan.get("effective_from") or now),
        created_at=to_utc(now),
        author=actor,
        targets={key: _json(plan.get(key)) for key in BODY_KEYS},
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(
            f"plan version {version} was saved by someone else at the same moment; "
            "read the plans again and resubmit"
        ) from exc
    record_audit(
        session,
        actor=actor,
        action="roi_plan.create",
        entity_type="roi_plan",
        entity_id=str(version),
        details={"effective_from": row.effective_from.isoformat(), **row.targets},
        now=now,
    )
    return _as_dict(row)


def list_plans(session: Session) -> list[dict]:
    """Every version, newest first."""
    rows = session.scalars(select(RoiPlan).order_by(RoiPlan.version.desc()))
    return [_as_dict(row) for row in rows]


def plan_in_force(session: Session, start: datetime) -> dict | None:
    """The newest version declared and effective by `start`, or None."""
    start = to_utc(start)
    row = session.scalars(
        select(RoiPlan)
        .where(RoiPlan.effective_from <= start, RoiPlan.created_at <= start)
        .order_by(RoiPlan.version.desc())
        .limit(1)
    ).first()
    return _as_dict(row) if row else None


def declared_later(session: Session, start: datetime) -> list[int]:
    """Versions declared after `start`: never used to judge a period starting then."""
    return list(
        session.scalars(
            select(RoiPlan.version)
            .where(RoiPlan.created_at > to_utc(start))
            .order_by(RoiPlan.version)
        )
    )


def _as_dict(row: RoiPlan) -> dict:
    body = {key: row.targets.get(key) for key in BODY_KEYS}
    if body["period"]:
        body["period"] = {end: date.fromisoformat(body["period"][end]) for end in ("from", "to")}
    return {
        "version": row.version,
        "effective_from": to_utc(row.effective_from),
        "created_at": to_utc(row.created_at),
        "author": row.author,
        **body,
    }


def _json(value):
    """Dates (a declared period) as ISO text, so the JSON column can hold them."""
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value
