"""Routing's measured figures that are not per agent or pool, one row per figure."""

from datetime import datetime

from sqlalchemy import DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from assist_api.store.base import Base


class RoutingEstimate(Base):
    """The latest measurement of a named figure (today: `retention_gain_per_success`),
    replaced by each new measurement; `source` says whether it was measured here."""

    __tablename__ = "routing_estimates"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(16))
    ci_low: Mapped[float | None] = mapped_column(Float)
    ci_high: Mapped[float | None] = mapped_column(Float)
    n_offered: Mapped[int] = mapped_column(Integer)
    n_control: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text)
    measured_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
