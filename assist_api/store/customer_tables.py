"""Tables of the customers domain: profiles as point-in-time versions, utterance streams,
and the latest guidance each live interaction's stream produced."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from assist_api.store.base import Base


class CustomerProfile(Base):
    """A customer's CRM attributes as of `as_of`; versions are added, never edited in place
    (the same `as_of` again replaces that one version: a re-sent CRM extract)."""

    __tablename__ = "customer_profiles"
    # lookups are "the latest as_of at or before t for this customer": this index's prefix
    __table_args__ = (UniqueConstraint("customer_id", "as_of"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(String(128))
    as_of: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer)
    days_since_purchase: Mapped[int | None] = mapped_column(Integer)
    persona: Mapped[str | None] = mapped_column(String(64))
    plan_tier: Mapped[str | None] = mapped_column(String(64))
    products_owned: Mapped[int | None] = mapped_column(Integer)
    feature_adoption: Mapped[float | None] = mapped_column(Float)
    prior_contacts_90d: Mapped[int | None] = mapped_column(Integer)
    clv: Mapped[float | None] = mapped_column(Float)
    switching_effort: Mapped[str | None] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Utterance(Base):
    """One utterance of a live interaction, keyed by the platform's id: a partial is
    replaced by its final, and a retried delivery finds its row already there."""

    __tablename__ = "utterances"

    interaction_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    utterance_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    speaker: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)  # redacted, like every stored transcript
    is_final: Mapped[bool] = mapped_column(Boolean)
    offset_ms: Mapped[int] = mapped_column(BigInteger)  # epoch ms for wall-clock platforms
    language: Mapped[str | None] = mapped_column(String(35))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class InteractionGuidance(Base):
    """The latest answer an interaction's utterance stream produced, as sent: what a desk
    waiting on `GET /v1/interactions/{id}/guidance` receives (one row per interaction)."""

    __tablename__ = "interaction_guidance"

    interaction_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer)
    answer: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
