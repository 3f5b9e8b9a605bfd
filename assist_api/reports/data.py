"""The reports' population in one SQL read: interactions + current outcomes + last decision.

Imported rows and live /v1/assist snapshots alike are interactions; each is joined to its
current outcome (the latest value of each field) and, where the service answered it, to
its latest decision (cards shown, routing control group, model score). Everything the
reports compute is derived here once, so the ROI, segment and automation reports can
never disagree on what "VE success" or "activity" means for a row.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from assist_api.store.store import Store
from assist_api.store.tables import Decision, Interaction, Outcome
from features.segments import UNKNOWN, adoption_bands, days_since_purchase_bands
from features.vocabulary import ACTIVITIES, is_ve_success, primary_language

# Filters applied in SQL (plain column equality) and after the read (derived values).
SQL_FILTERS = ("channel", "contact_reason", "switching_effort", "pool", "persona", "plan_tier")
DERIVED_FILTERS = ("language", "activity")
FILTERS = SQL_FILTERS + DERIVED_FILTERS
INTERACTION_COLUMNS = (
    "interaction_id",
    "customer_id",
    "started_at",
    "channel",
    "language",
    "contact_reason",
    "agent_id",
    "pool",
    "days_since_purchase",
    "persona",
    "plan_tier",
    "feature_adoption",
    "clv",
    "switching_effort",
    "holdout",
    "activity_attempted",
)
OUTCOME_COLUMNS = (
    "card_id_used",
    "ves_confidence",
    "ves_ability",
    "csat",
    "nps",
    "ces",
    "resolved",
    "retained_60d",
    "wallet_change",
    "handle_seconds",
)
CSAT_SATISFIED_FROM = 4  # CSAT is reported as the share of 4-5 answers
NPS_PROMOTER_FROM, NPS_DETRACTOR_UNTIL = 9, 6
MISSING = -1.0  # stands for an unanswered VES item where NaN cannot (as a lookup key)


@dataclass(frozen=True)
class ReportQuery:
    """A period of whole UTC days (either end open) and equality filters."""

    start: date | None = None
    end: date | None = None  # inclusive
    filters: dict = field(default_factory=dict)

    @property
    def start_at(self) -> datetime | None:
        return datetime.combine(self.start, time(), UTC) if self.start else None

    @property
    def end_before(self) -> datetime | None:
        return datetime.combine(self.end + timedelta(days=1), time(), UTC) if self.end else None


def load_frame(store: Store, query: ReportQuery) -> pd.DataFrame:
    """One row per interaction in the period, with every derived column the reports use."""
    with store.engine.connect() as connection:
        result = connection.execute(_statement(query))
        names, rows = list(result.keys()), result.fetchall()
    # Column lists, not Row objects: pandas probes each row's attributes otherwise.
    columns = zip(*rows, strict=True) if rows else ([] for _ in names)
    frame = pd.DataFrame(dict(zip(names, map(list, columns), strict=True)))
    frame = derive(frame)
    for name in DERIVED_FILTERS:
        if query.filters.get(name):
            frame = frame[frame[name] == query.filters[name]]
    return frame.reset_index(drop=True)


def _statement(query: ReportQuery):
    latest = (
        select(Decision.interaction_id, func.max(Decision.sequence).label("sequence"))
        .group_by(Decision.interaction_id)
        .subquery()
    )
    decision = aliased(Decision)
    statement = (
        select(
            *(getattr(Interaction, name) for name in INTERACTION_COLUMNS),
            *(getattr(Outcome, name) for name in OUTCOME_COLUMNS),
            latest.c.sequence.label("decision_sequence"),
            decision.score,
            decision.top_card_id,
            decision.routing_holdout,
        )
        .outerjoin(Outcome, Outcome.interaction_id == Interaction.interaction_id)
        .outerjoin(latest, latest.c.interaction_id == Interaction.interaction_id)
        .outerjoin(
            decision,
            and_(
                decision.interaction_id == latest.c.interaction_id,
                decision.sequence == latest.c.sequence,
            ),
        )
    )
    if hasattr(Interaction, "test"):  # test traffic (issue 17's flag) never counts
        from assist_api.services.test_traffic import real_only

        statement = statement.where(real_only(Interaction))
    if query.start_at is not None:
        statement = statement.where(Interaction.started_at >= query.start_at)
    if query.end_before is not None:
        statement = statement.where(Interaction.started_at < query.end_before)
    for name in SQL_FILTERS:
        if query.filters.get(name):
            statement = statement.where(getattr(Interaction, name) == query.filters[name])
    return statement


def _numbers(series: pd.Series) -> np.ndarray:
    """Floats with NaN for missing (booleans as 1.0 / 0.0)."""
    return pd.to_numeric(series.astype(object).where(series.notna()), errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )


def _activity(attempted: pd.Series, card_used: pd.Series) -> pd.Series:
    """The activity attempted, else the activity prefix of the card the agent used."""
    prefix = card_used.astype(object).where(card_used.notna()).str.split(".").str[0]
    from_card = prefix.where(prefix.isin(ACTIVITIES))
    return attempted.astype(object).where(attempted.notna(), from_card)


def derive(frame: pd.DataFrame) -> pd.DataFrame:
    """The reports' columns from the raw joined columns (also used by reports.offline)."""
    out = pd.DataFrame(index=frame.index)
    out["interaction_id"] = frame["interaction_id"].astype(str)
    out["customer_id"] = frame["customer_id"].astype(str)
    out["agent_id"] = frame["agent_id"].astype(object)
    out["started_at"] = pd.to_datetime(frame["started_at"], utc=True)
    out["holdout"] = frame["holdout"].astype(bool)
    for name in ("channel", "persona", "plan_tier", "switching_effort"):
        out[name] = frame[name].astype(object)
    out["contact_reason"] = frame["contact_reason"].astype(object).fillna(UNKNOWN)
    out["pool"] = frame["pool"].astype(object).fillna(UNKNOWN)
    tags = frame["language"].astype(object)
    out["language"] = tags.map({tag: primary_language(tag) for tag in tags.unique()})
    out["activity"] = _activity(frame["activity_attempted"], frame["card_id_used"])
    out["card_used"] = frame["card_id_used"].notna()
    out["days_band"] = days_since_purchase_bands(frame["days_since_purchase"])
    out["adoption_band"] = adoption_bands(frame["feature_adoption"])
    out["clv"] = _numbers(frame["clv"])

    out["ve_success"] = _ve_success(frame["ves_confidence"], frame["ves_ability"])
    out["retained_60d"] = _numbers(frame["retained_60d"])
    csat = _numbers(frame["csat"])
    out["csat"] = np.where(np.isnan(csat), np.nan, csat >= CSAT_SATISFIED_FROM)
    nps = _numbers(frame["nps"])  # per contact +100 / 0 / -100, so its mean is the NPS
    out["nps"] = np.select(
        [np.isnan(nps), nps >= NPS_PROMOTER_FROM, nps <= NPS_DETRACTOR_UNTIL],
        [np.nan, 100.0, -100.0],
        default=0.0,
    )
    for name in ("ces", "resolved", "wallet_change", "handle_seconds"):
        out[name] = _numbers(frame[name])

    out["has_decision"] = frame["decision_sequence"].notna()
    out["cards_shown"] = frame["top_card_id"].notna()
    out["routing_holdout"] = frame["routing_holdout"].astype(object).where(out["has_decision"])
    out["score"] = _numbers(frame["score"])
    return out


def _ve_success(confidence: pd.Series, ability: pd.Series) -> np.ndarray:
    """1.0 / 0.0 by `is_ve_success` (the one definition), NaN until both items are known.

    The verdict is computed once per distinct answer pair (at most 64), not per row.
    """
    answers = pd.DataFrame({"c": _numbers(confidence), "a": _numbers(ability)}).fillna(MISSING)
    distinct = answers.drop_duplicates()
    distinct["verdict"] = [
        np.nan if verdict is None else float(verdict)
        for verdict in (
            is_ve_success(None if c == MISSING else c, None if a == MISSING else a)
            for c, a in distinct.itertuples(index=False)
        )
    ]
    return answers.merge(distinct, on=["c", "a"], how="left")["verdict"].to_numpy(float)


def period_of(frame: pd.DataFrame, query: ReportQuery) -> dict:
    """The period as dates: the query's ends, else the first and last contact's day."""
    times = frame["started_at"]
    first = times.min() if len(frame) else None
    last = times.max() if len(frame) else None
    first_day = query.start or (first.date() if first is not None else None)
    last_day = query.end or (last.date() if last is not None else None)
    return {
        "from": query.start.isoformat() if query.start else None,
        "to": query.end.isoformat() if query.end else None,
        "first_day": first_day.isoformat() if first_day else None,
        "last_day": last_day.isoformat() if last_day else None,
        "first_interaction": first.isoformat() if first is not None else None,
        "last_interaction": last.isoformat() if last is not None else None,
    }
