"""SQLAlchemy 2.0 typed tables. Schema changes go through Alembic (assist_api/migrations)."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from assist_api.store.base import Base


class Interaction(Base):
    """One service contact with the customer's attributes as they were at that time."""

    __tablename__ = "interactions"

    interaction_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(128), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(35))
    contact_reason: Mapped[str | None] = mapped_column(String(32))
    transcript: Mapped[str | None] = mapped_column(Text)
    customer_sentiment: Mapped[float | None] = mapped_column(Float)
    elapsed_seconds: Mapped[float] = mapped_column(Float)
    agent_id: Mapped[str | None] = mapped_column(String(128), index=True)
    pool: Mapped[str | None] = mapped_column(String(128))
    # the customer's CRM attributes as the decision knew them (null: unknown then)
    days_since_purchase: Mapped[int | None] = mapped_column(Integer)
    persona: Mapped[str | None] = mapped_column(String(64))
    plan_tier: Mapped[str | None] = mapped_column(String(64))
    products_owned: Mapped[int | None] = mapped_column(Integer)
    feature_adoption: Mapped[float | None] = mapped_column(Float)
    prior_contacts_90d: Mapped[int | None] = mapped_column(Integer)
    clv: Mapped[float | None] = mapped_column(Float)
    switching_effort: Mapped[str | None] = mapped_column(String(8))
    holdout: Mapped[bool] = mapped_column(Boolean)
    activity_attempted: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # written by a test key: left out of every report and training set (migration 0005)
    test: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # the key whose /v1/assist call created it (None: imported); see access/authorization
    owner_key_id: Mapped[str | None] = mapped_column(String(32))


class OutcomeEvent(Base):
    """Every outcome post as it arrived; a retried identical post is not stored twice."""

    __tablename__ = "outcome_events"
    __table_args__ = (UniqueConstraint("interaction_id", "payload_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    interaction_id: Mapped[str] = mapped_column(
        ForeignKey("interactions.interaction_id", ondelete="CASCADE"), index=True
    )
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    payload: Mapped[dict] = mapped_column(JSON)
    payload_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(32), default="api")
    # when it happened (None: as of received_at); the latest event time wins
    event_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Outcome(Base):
    """The current outcome of an interaction: the latest value of each field."""

    __tablename__ = "outcomes"

    interaction_id: Mapped[str] = mapped_column(
        ForeignKey("interactions.interaction_id", ondelete="CASCADE"), primary_key=True
    )
    card_id_used: Mapped[str | None] = mapped_column(String(200))
    ves_confidence: Mapped[int | None] = mapped_column(Integer)
    ves_ability: Mapped[int | None] = mapped_column(Integer)
    csat: Mapped[int | None] = mapped_column(Integer)
    nps: Mapped[int | None] = mapped_column(Integer)
    ces: Mapped[int | None] = mapped_column(Integer)
    resolved: Mapped[bool | None] = mapped_column(Boolean)
    retained_60d: Mapped[bool | None] = mapped_column(Boolean)
    wallet_change: Mapped[float | None] = mapped_column(Float)
    handle_seconds: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Decision(Base):
    """One /v1/assist answer: what the model said, what was shown, where the customer went."""

    __tablename__ = "decisions"
    __table_args__ = (
        UniqueConstraint("interaction_id", "sequence"),
        Index("ix_decisions_created_at", "created_at"),
    )

    decision_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # looked up through the unique (interaction_id, sequence) index: no index of its own
    interaction_id: Mapped[str] = mapped_column(String(128))
    sequence: Mapped[int] = mapped_column(Integer)
    customer_id: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    model_name: Mapped[str | None] = mapped_column(String(128))
    model_version: Mapped[str | None] = mapped_column(String(32))
    score: Mapped[float | None] = mapped_column(Float)
    band: Mapped[str | None] = mapped_column(String(8))
    activity_scores: Mapped[dict | None] = mapped_column(JSON)
    reasons: Mapped[list] = mapped_column(JSON)
    cards: Mapped[list] = mapped_column(JSON)
    top_card_id: Mapped[str | None] = mapped_column(String(200))
    top_card_changed: Mapped[bool] = mapped_column(Boolean, default=False)
    pool: Mapped[str | None] = mapped_column(String(128))
    route_reason: Mapped[str | None] = mapped_column(Text)
    route_fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    holdout: Mapped[bool] = mapped_column(Boolean)
    routing_holdout: Mapped[bool] = mapped_column(Boolean, default=False)
    degraded: Mapped[list] = mapped_column(JSON)
    latency_ms: Mapped[float | None] = mapped_column(Float)
    agent_id: Mapped[str | None] = mapped_column(String(128))  # whom the cards were ranked for
    profile_version: Mapped[int | None] = mapped_column(Integer)  # the CRM profile used
    # the learning loop (migration 0005; assist_api.services.learning)
    inputs: Mapped[dict | None] = mapped_column(JSON)  # the feature row scored + spec version
    as_of: Mapped[dict | None] = mapped_column(JSON)  # time-varying inputs at the decision
    policy: Mapped[dict | None] = mapped_column(JSON)  # arm, eligible cards, P(shown first)
    test: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Pool(Base):
    """A pool of agents the routing platform can send a customer to."""

    __tablename__ = "pools"

    pool_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    is_value_pool: Mapped[bool] = mapped_column(Boolean, default=False)
    languages: Mapped[list] = mapped_column(JSON)
    channels: Mapped[list] = mapped_column(JSON)
    skills: Mapped[list] = mapped_column(JSON)
    capacity_free: Mapped[int | None] = mapped_column(Integer)
    capacity_reported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Agent(Base):
    """A human agent, the pool they sit in, and their last measured VE skill.

    skill_*: VE attempts, successes and the successes the model expected for those cases,
    the information sum p(1 - p) (a pool weights its members by it), and the shrunken
    estimate (log-odds vs the average agent) with its interval.
    """

    __tablename__ = "agents"

    agent_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    pool_id: Mapped[str | None] = mapped_column(
        ForeignKey("pools.pool_id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str | None] = mapped_column(String(200))
    languages: Mapped[list] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    skill_attempts: Mapped[int | None] = mapped_column(Integer)
    skill_successes: Mapped[int | None] = mapped_column(Integer)
    skill_expected: Mapped[float | None] = mapped_column(Float)
    skill_information: Mapped[float | None] = mapped_column(Float)
    skill_estimate: Mapped[float | None] = mapped_column(Float)
    skill_low: Mapped[float | None] = mapped_column(Float)
    skill_high: Mapped[float | None] = mapped_column(Float)
    skill_estimated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # activity -> {attempts, skill, low, high, rated} (routing.activity_skill)
    skill_by_activity: Mapped[dict | None] = mapped_column(JSON)


class ApiKey(Base):
    """An API key: only a salted hash is kept; the key itself is shown once."""

    __tablename__ = "api_keys"

    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    salt: Mapped[str] = mapped_column(String(64))
    key_hash: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # a test key's traffic is marked and excluded from results (migration 0005)
    test: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # an agent key bound to one agent or one team (a pool id): see access/authorization
    agent_id: Mapped[str | None] = mapped_column(String(128))
    team: Mapped[str | None] = mapped_column(String(128))


class AuditEntry(Base):
    """Who changed what: playbooks, pools, plans, keys and models."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict] = mapped_column(JSON)


class RoiPlan(Base):
    """The ROI plan declared in advance: success measures and targets, versioned."""

    __tablename__ = "roi_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    effective_from: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    author: Mapped[str] = mapped_column(String(200))
    targets: Mapped[dict] = mapped_column(JSON)


class UiSession(Base):
    """A signed-in web page session: the browser holds only a random id in a cookie.

    The API key typed at sign-in is checked once and never stored; the session points to
    its key id, so revoking the key ends the session too.
    """

    __tablename__ = "ui_sessions"

    session_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_id: Mapped[str] = mapped_column(ForeignKey("api_keys.key_id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


# Cards, customers and routing keep their tables in their own modules; importing them here
# puts them in Base.metadata wherever these tables are used (migrations, the schema test).
from assist_api.store import card_tables, customer_tables, routing_tables  # noqa: E402, F401
