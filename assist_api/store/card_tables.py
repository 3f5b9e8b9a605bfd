"""The playbook cards' tables: identity and versions, impressions shown, agents' feedback."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from assist_api.store.base import Base


class Card(Base):
    """A playbook card's identity and which of its versions is live."""

    __tablename__ = "cards"

    card_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    activity: Mapped[str] = mapped_column(String(32))
    latest_version: Mapped[int] = mapped_column(Integer)
    published_version: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CardVersion(Base):
    """Every saved version of a card; versions are never edited, only added."""

    __tablename__ = "card_versions"
    __table_args__ = (UniqueConstraint("card_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    card_id: Mapped[str] = mapped_column(ForeignKey("cards.card_id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    base_version: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str | None] = mapped_column(String(128))


class CardImpression(Base):
    """A card shown to a customer: what the per-customer frequency cap counts."""

    __tablename__ = "card_impressions"
    __table_args__ = (Index("ix_card_impressions_lookup", "customer_id", "card_id", "shown_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(String(128))
    card_id: Mapped[str] = mapped_column(String(200))
    decision_id: Mapped[str] = mapped_column(String(64))
    shown_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CardFeedback(Base):
    """The agent's verdict on a card offered in a decision: accepted or dismissed, and why."""

    __tablename__ = "card_feedback"
    __table_args__ = (
        UniqueConstraint("decision_id", "card_id", name="uq_card_feedback_decision_card"),
        Index("ix_card_feedback_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    decision_id: Mapped[str] = mapped_column(String(64))
    interaction_id: Mapped[str] = mapped_column(String(128))
    card_id: Mapped[str] = mapped_column(String(200))
    verdict: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
