"""Tables of the learning loop's shadow challengers (services/learning/shadow*.py): which
version shadows the champion, and what it would have shown on each decision."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from assist_api.store.base import Base


class ShadowSetting(Base):
    """`value-assist models shadow`: one row per change, the latest one rules
    (`version` NULL: shadowing stopped). Workers re-read it on their refresh interval."""

    __tablename__ = "shadow_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    model_name: Mapped[str] = mapped_column(String(128))
    version: Mapped[str | None] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ShadowDecision(Base):
    """A challenger's would-be top card on one logged decision (never shown)."""

    __tablename__ = "shadow_decisions"
    __table_args__ = (
        Index("ix_shadow_decisions_decision_id", "decision_id"),
        Index("ix_shadow_decisions_version_created_at", "challenger_version", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    decision_id: Mapped[str] = mapped_column(String(64))
    interaction_id: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    challenger_version: Mapped[str] = mapped_column(String(32))
    champion_version: Mapped[str | None] = mapped_column(String(32))
    # the challenger's greedy top card over the decision's eligible cards
    top_card_id: Mapped[str] = mapped_column(String(200))
    # the champion's greedy top card (the first eligible card; the shown one may be explored)
    champion_top_card_id: Mapped[str | None] = mapped_column(String(200))
    activity_scores: Mapped[dict] = mapped_column(JSON)  # the challenger's P(success)
    test: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
