"""The shadow challenger's rows: which version shadows the champion, and what it picked.

`value-assist models shadow` appends a setting (the latest wins; version None: off, and
every change is in the audit log); the workers' shadow thread reads it and writes one
row per shadowed decision in batches.
"""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, select

from assist_api.services.audit import record_audit
from assist_api.services.clock import utc_now
from assist_api.store.learning_tables import ShadowDecision, ShadowSetting
from assist_api.store.store import Store


def set_shadow(
    store: Store, model_name: str, version: str | None, actor: str, now: datetime | None = None
) -> str | None:
    """Make `version` the challenger (None: stop shadowing); returns the previous one."""
    now = now or utc_now()
    previous = shadow_version(store, model_name)
    with store.uow() as uow:
        uow.session.add(
            ShadowSetting(model_name=model_name, version=version, actor=actor, set_at=now)
        )
        record_audit(
            uow.session,
            actor=actor,
            action="shadow_model" if version else "shadow_off",
            entity_type="model",
            entity_id=f"{model_name}:{version or previous or '-'}",
            details={"version": version, "previous_version": previous},
            now=now,
        )
        uow.commit()
    return previous


def shadow_version(store: Store, model_name: str) -> str | None:
    """The version shadowing `model_name` now, or None."""
    statement = (
        select(ShadowSetting.version)
        .where(ShadowSetting.model_name == model_name)
        .order_by(ShadowSetting.id.desc())
        .limit(1)
    )
    with store.engine.connect() as connection:
        return connection.execute(statement).scalar()


def write_shadow_rows(store: Store, rows: Sequence[dict]) -> None:
    """Insert shadow rows (ShadowDecision's columns) in one transaction."""
    if rows:
        with store.engine.begin() as connection:
            connection.execute(insert(ShadowDecision), list(rows))


def shadow_rows(
    store: Store,
    version: str | None = None,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list:
    """Real-traffic shadow rows in [start, end), of one challenger version or all."""
    statement = select(ShadowDecision).where(ShadowDecision.test.is_(False))
    if version is not None:
        statement = statement.where(ShadowDecision.challenger_version == version)
    if start is not None:
        statement = statement.where(ShadowDecision.created_at >= start)
    if end is not None:
        statement = statement.where(ShadowDecision.created_at < end)
    with store.engine.connect() as connection:
        return list(connection.execute(statement.order_by(ShadowDecision.id)))
