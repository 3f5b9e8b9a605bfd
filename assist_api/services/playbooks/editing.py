"""Versioned playbook editing: drafts, publishing, rollback, history, preview and files.

Once seeded, the store is the source of truth: every save is a new immutable row in
`card_versions`, and `cards.published_version` points at the one agents are shown.
Saves use optimistic locking: the writer names the version it edited (`base_version`),
and the check and the bump are one `UPDATE … WHERE latest_version = :base`, so of two
concurrent saves exactly one wins and the other gets 409, on SQLite and PostgreSQL alike.
Every change adds its audit entry in the same transaction.

Rollback re-publishes an earlier version instead of copying it as a new one: version
numbers stay one-to-one with what a lead wrote, the (card_id, version) in each decision
keeps naming exactly the text shown, and a rollback leaves `latest_version` alone, so it
cannot invalidate a colleague's draft in progress. The two-person rule guards drafts: a
version that was never published may not be published by its own author; one that was
published before (the usual rollback target) was already approved and needs no review.
"""

import logging
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from assist_api.errors import Conflict, Forbidden, InvalidFields, NotFound
from assist_api.services.audit import record_audit
from assist_api.services.clock import utc_now
from assist_api.services.playbooks.reading import (
    ENTITY_TYPE,
    card_row,
    card_state,
    session_has_cards,
    validate_draft,
    version_info,
    version_row,
)
from assist_api.store.card_tables import Card as CardRow
from assist_api.store.card_tables import CardVersion
from assist_api.store.store import Store
from prompts_playbooks.cards import Card
from prompts_playbooks.loader import card_to_dict, load_cards

NEW_CARD = 0  # the base_version that creates a card
SEED_NOTE = "seeded from files"
SEED_ACTOR = "system (first start)"

log = logging.getLogger(__name__)


def _audit(session: Session, actor: str, action: str, card_id: str, details: dict, now) -> None:
    record_audit(
        session,
        actor=actor,
        action=action,
        entity_type=ENTITY_TYPE,
        entity_id=card_id,
        details=details,
        now=now,
    )


def save_draft(
    session: Session,
    card_id: str,
    data: object,
    base_version: int,
    *,
    actor: str,
    note: str | None = None,
    now: datetime | None = None,
) -> dict:
    """Save `data` as the card's next version; base_version 0 creates the card.

    Raises InvalidFields (bad card), Conflict (base_version is not the latest: someone
    saved meanwhile) or NotFound. The caller commits.
    """
    card = validate_draft(card_id, data)
    now = now or utc_now()
    new_version = base_version + 1
    if base_version == NEW_CARD:
        _create_row(session, card, now)
    else:
        bumped = session.execute(
            update(CardRow)
            .where(CardRow.card_id == card_id, CardRow.latest_version == base_version)
            .values(latest_version=new_version, updated_at=now)
        ).rowcount
        if bumped != 1:
            existing = session.get(CardRow, card_id)
            if existing is None:
                raise NotFound(f"no card {card_id!r}: send base_version 0 to create it")
            latest = existing.latest_version
            raise Conflict(
                f"version {base_version} is not the latest ({latest}): someone saved meanwhile; "
                "reload the card, reapply your change and save again",
                details={"base_version": base_version, "latest_version": latest},
            )
    row = CardVersion(
        card_id=card_id,
        version=new_version,
        content=card_to_dict(card),
        author=actor,
        created_at=now,
        base_version=base_version or None,
        note=note,
    )
    session.add(row)
    _audit(
        session,
        actor,
        "playbook.save_draft",
        card_id,
        {"version": new_version, "base_version": base_version, "note": note},
        now,
    )
    session.flush()
    return version_info(row, published_version=None)


def _create_row(session: Session, card: Card, now: datetime) -> None:
    exists = Conflict(
        f"card {card.card_id!r} already exists: send its latest version as base_version"
    )
    if session.get(CardRow, card.card_id) is not None:
        raise exists
    try:
        session.execute(
            insert(CardRow).values(
                card_id=card.card_id, activity=card.activity, latest_version=1, updated_at=now
            )
        )
    except IntegrityError:  # created by a concurrent request a moment ago
        raise exists from None


def _go_live(
    session: Session, card: CardRow, version: int, field: str, action: str, editor: dict
) -> dict:
    """Point the card at `version` (publish and rollback alike), audited; the new state.

    `field` names the request field in the error for a missing version; `editor` holds
    the caller's actor, two_person and now.
    """
    actor, two_person = editor["actor"], editor["two_person"]
    now = editor["now"] or utc_now()
    target = version_row(session, card.card_id, version, field)
    if two_person and target.published_at is None and target.author == actor:
        raise Forbidden(
            "two-person rule: a draft is published by a lead other than its author "
            f"(version {target.version} was written by {target.author})"
        )
    previous = card.published_version
    card.published_version, card.updated_at = target.version, now
    if target.published_at is None:  # a version records when it was first approved
        target.published_at, target.published_by = now, actor
    session.flush()
    details = {"version": target.version, "previous_version": previous}
    _audit(session, actor, action, card.card_id, details, now)
    return card_state(card, target.content)


def publish(
    session: Session,
    card_id: str,
    version: int,
    *,
    actor: str,
    two_person: bool,
    now: datetime | None = None,
) -> dict:
    """Make `version` the one agents see; returns the card's state."""
    card = card_row(session, card_id)
    if card.published_version == version:
        raise Conflict(f"version {version} of {card_id!r} is already published")
    editor = {"actor": actor, "two_person": two_person, "now": now}
    return _go_live(session, card, version, "version", "playbook.publish", editor)


def rollback(
    session: Session,
    card_id: str,
    to_version: int,
    *,
    actor: str,
    two_person: bool,
    now: datetime | None = None,
) -> dict:
    """Publish an earlier version again (see the module docstring for why not a copy)."""
    card = card_row(session, card_id)
    if card.published_version is None:
        raise Conflict(f"nothing of {card_id!r} is published yet: publish a version instead")
    if to_version >= card.published_version:
        reason = f"must be earlier than the published version {card.published_version}"
        raise InvalidFields({"to_version": [reason]})
    editor = {"actor": actor, "two_person": two_person, "now": now}
    return _go_live(session, card, to_version, "to_version", "playbook.rollback", editor)


def seed_from_files(
    session: Session, directory: str | Path | None = None, *, actor: str, now=None
) -> list[str]:
    """Add the cards of `directory` (default: the starter playbook) that the store lacks,
    each published as version 1. Idempotent; all or nothing (CardValidationError)."""
    now = now or utc_now()
    cards = load_cards(directory)
    known = set(session.scalars(select(CardRow.card_id)))
    seeded = []
    for card in cards:
        if card.card_id in known:
            continue
        session.add(
            CardRow(
                card_id=card.card_id,
                activity=card.activity,
                latest_version=1,
                published_version=1,
                updated_at=now,
            )
        )
        session.flush()  # the card row first: its versions refer to it
        session.add(
            CardVersion(
                card_id=card.card_id,
                version=1,
                content=card_to_dict(card),
                author=actor,
                created_at=now,
                note=SEED_NOTE,
                published_at=now,
                published_by=actor,
            )
        )
        _audit(session, actor, "playbook.seed", card.card_id, {"version": 1}, now)
        seeded.append(card.card_id)
    session.flush()
    return seeded


def seed_if_empty(store: Store, directory: str | Path | None = None) -> list[str]:
    """First start: a store without cards gets the starter playbook, published.

    Workers starting together may race: the first commit wins and the others add nothing.
    A store that is unreachable or not migrated yet is logged, not fatal: the service
    still starts (and reports itself not ready) instead of crash-looping.
    """
    try:
        with store.uow() as uow:
            if session_has_cards(uow.session):
                return []
            seeded = seed_from_files(uow.session, directory, actor=SEED_ACTOR)
            uow.commit()
        return seeded
    except IntegrityError:
        return []
    except SQLAlchemyError as exc:
        log.warning("the starter playbook was not seeded: %s", exc)
        return []
