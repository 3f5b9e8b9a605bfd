"""Replaying spooled decisions into the store once it answers again, exactly once.

Replay is idempotent, so a drain cut short (the store fails again, the worker dies) is
simply run again: `decision_id` is the primary key and a decision already stored is
skipped; a spooled snapshot replaces the stored one only if it is not older. A spooled
decision gets its `sequence` when it is replayed, after any decisions of the same
interaction written directly meanwhile. An entry the store refuses outright (not an
outage: a row it will never take) is set aside, so it cannot block the entries after it.
"""

import logging
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from assist_api.services.access.authorization import (
    InteractionOwner,
    access_allows,
    refused_snapshot,
)
from assist_api.services.clock import as_utc
from assist_api.services.decisions.log import SNAPSHOT_UPDATED_COLUMNS, DecisionLog
from assist_api.services.decisions.spool import Spool
from assist_api.store.store import Store
from assist_api.store.tables import Decision, Interaction

log = logging.getLogger(__name__)

UNREACHABLE = (OperationalError, InterfaceError, PoolTimeout)


@dataclass
class DrainReport:
    replayed: int = 0  # decisions written to the store
    already_stored: int = 0  # replayed before (a drain cut short), skipped
    rejected_lines: int = 0  # unreadable or refused by the store, set aside
    files_done: int = 0
    files_left: int = 0
    error: str | None = None  # the store error that stopped the drain


def store_unreachable(exc: SQLAlchemyError) -> bool:
    """Down, locked, timed out or cut off: worth waiting for, unlike a refused row."""
    return isinstance(exc, UNREACHABLE) or bool(getattr(exc, "connection_invalidated", False))


def drain(spool: Spool, store: Store) -> DrainReport:
    """Replay every spooled decision the store does not hold; delete each finished file."""
    report = DrainReport()
    decisions = DecisionLog(store)
    for path in spool.files():
        claimed = spool.claim(path)
        if claimed is not None and report.error is None:
            try:
                _drain_file(spool, claimed, decisions, report)
            except SQLAlchemyError as exc:  # rolled back: the file is replayed next time
                report.error = type(exc).__name__
    report.files_left = len(spool.files())
    return report


def _drain_file(spool: Spool, path, decisions: DecisionLog, report: DrainReport) -> None:
    with spool.taken(path) as entries:
        if entries is None:
            return  # another worker is draining this file
        readable = [(line, entry) for line, entry in entries if entry is not None]
        rejected = [line for line, entry in entries if entry is None]
        try:
            with decisions.store.engine.begin() as connection:
                replayed = sum(_replay(connection, entry, decisions) for _, entry in readable)
        except Exception as exc:  # any refusal (a driver may raise more than SQLAlchemy's)
            if isinstance(exc, SQLAlchemyError) and store_unreachable(exc):
                raise
            replayed, refused = _replay_one_by_one(decisions, readable)
            rejected += refused
        spool.finish(path, rejected)
    report.replayed += replayed
    report.already_stored += len(entries) - len(rejected) - replayed
    report.rejected_lines += len(rejected)
    report.files_done += 1


def _replay_one_by_one(decisions: DecisionLog, readable: list) -> tuple[int, list[bytes]]:
    """One transaction per entry, each tried twice (a sequence number taken meanwhile by
    a direct write succeeds the second time); an entry still refused is set aside."""
    replayed, refused = 0, []
    for line, entry in readable:
        for attempt in (1, 2):
            try:
                with decisions.store.engine.begin() as connection:
                    replayed += _replay(connection, entry, decisions)
                break
            except Exception as exc:
                if isinstance(exc, SQLAlchemyError) and store_unreachable(exc):
                    raise
                if attempt == 2:
                    log.error("spooled decision refused by the store: %s", type(exc).__name__)
                    refused.append(line)
    return replayed, refused


def _replay(connection, entry: dict, decisions: DecisionLog) -> bool:
    decision, snapshot = entry["decision"], entry["snapshot"]
    stored = connection.execute(
        select(Decision.decision_id).where(Decision.decision_id == decision["decision_id"])
    ).first()
    if stored is not None:
        return False
    _upsert_if_newer(connection, snapshot, entry.get("access"))
    decisions.append(connection, decision)
    return True


def _upsert_if_newer(connection, snapshot: dict, access: dict | None) -> None:
    """A spooled snapshot never overwrites a later one written directly meanwhile, nor an
    interaction its caller could not have touched (the same rule as a direct write; such
    an entry is refused and set aside)."""
    key = Interaction.interaction_id == snapshot["interaction_id"]
    row = connection.execute(
        select(
            Interaction.updated_at,
            Interaction.customer_id,
            Interaction.owner_key_id,
            Interaction.agent_id,
            Interaction.pool,
        ).where(key)
    ).first()
    if row is None:
        connection.execute(Interaction.__table__.insert(), snapshot)
        return
    owner = InteractionOwner(row.customer_id, row.owner_key_id, row.agent_id, row.pool)
    if owner.customer_id != snapshot["customer_id"] or not access_allows(access, owner):
        raise refused_snapshot(owner, snapshot["customer_id"])
    if as_utc(row.updated_at) <= snapshot["updated_at"]:
        values = {name: snapshot[name] for name in SNAPSHOT_UPDATED_COLUMNS}
        connection.execute(update(Interaction).where(key).values(values))
