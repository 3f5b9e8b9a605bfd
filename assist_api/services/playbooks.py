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

import difflib
import logging
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path

import yaml
from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from assist_api.errors import Conflict, Forbidden, InvalidFields, NotFound
from assist_api.services.audit import record_audit
from assist_api.store.store import Store
from assist_api.store.tables import Card as CardRow
from assist_api.store.tables import CardVersion
from features.vocabulary import CARD_LANGUAGES
from prompts_playbooks.cards import Card, CardValidationError
from prompts_playbooks.context import SAMPLE_CONTEXTS
from prompts_playbooks.loader import (
    CARD_SUFFIX,
    card_to_dict,
    load_card_file,
    load_cards,
    parse_card,
)
from prompts_playbooks.render import render_card
from prompts_playbooks.rules import card_passes

ENTITY_TYPE = "playbook_card"
NEW_CARD = 0  # the base_version that creates a card
SEED_NOTE = "seeded from files"
SEED_ACTOR = "system (first start)"

log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(moment: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without a zone; everything stored is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def card_yaml(content: dict) -> str:
    """Stored content as card-file text (the format of `loader.dump_card_yaml`)."""
    return yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=100)


def validate_draft(card_id: str, data: object) -> Card:
    """The draft as a Card, or InvalidFields naming every bad field (`texts.ja.title`)."""
    try:
        return parse_card(data, f"/v1/playbooks/{card_id}", expected_id=card_id)
    except CardValidationError as exc:
        fields: dict[str, list[str]] = {}
        for problem in exc.problems:
            fields.setdefault(problem.field, []).append(problem.reason)
        raise InvalidFields(fields) from None


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


def _card_row(session: Session, card_id: str) -> CardRow:
    row = session.get(CardRow, card_id)
    if row is None:
        raise NotFound(f"no card {card_id!r}")
    return row


def _version_row(session: Session, card_id: str, version: int, field: str) -> CardVersion:
    row = session.scalars(
        select(CardVersion).where(CardVersion.card_id == card_id, CardVersion.version == version)
    ).first()
    if row is None:
        raise InvalidFields({field: [f"card {card_id!r} has no version {version}"]})
    return row


def _state(row: CardRow, content: dict | None) -> dict:
    return {
        "card_id": row.card_id,
        "activity": row.activity,
        "latest_version": row.latest_version,
        "published_version": row.published_version,
        "updated_at": _utc(row.updated_at),
        "card": content,
    }


def _version_info(row: CardVersion, published_version: int | None) -> dict:
    return {
        "card_id": row.card_id,
        "version": row.version,
        "base_version": row.base_version,
        "author": row.author,
        "created_at": _utc(row.created_at),
        "note": row.note,
        "published_at": _utc(row.published_at),
        "published_by": row.published_by,
        "live": row.version == published_version,
    }


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
    now = now or _now()
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
    return _version_info(row, published_version=None)


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
    session: Session, card: CardRow, target: CardVersion, *, actor: str, two_person: bool, now
) -> None:
    if two_person and target.published_at is None and target.author == actor:
        raise Forbidden(
            "two-person rule: a draft is published by a lead other than its author "
            f"(version {target.version} was written by {target.author})"
        )
    card.published_version, card.updated_at = target.version, now
    if target.published_at is None:  # a version records when it was first approved
        target.published_at, target.published_by = now, actor
    session.flush()


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
    now = now or _now()
    card = _card_row(session, card_id)
    target = _version_row(session, card_id, version, "version")
    if card.published_version == version:
        raise Conflict(f"version {version} of {card_id!r} is already published")
    previous = card.published_version
    _go_live(session, card, target, actor=actor, two_person=two_person, now=now)
    _audit(
        session,
        actor,
        "playbook.publish",
        card_id,
        {"version": version, "previous_version": previous},
        now,
    )
    return _state(card, target.content)


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
    now = now or _now()
    card = _card_row(session, card_id)
    if card.published_version is None:
        raise Conflict(f"nothing of {card_id!r} is published yet: publish a version instead")
    if to_version >= card.published_version:
        reason = f"must be earlier than the published version {card.published_version}"
        raise InvalidFields({"to_version": [reason]})
    target = _version_row(session, card_id, to_version, "to_version")
    previous = card.published_version
    _go_live(session, card, target, actor=actor, two_person=two_person, now=now)
    _audit(
        session,
        actor,
        "playbook.rollback",
        card_id,
        {"version": to_version, "previous_version": previous},
        now,
    )
    return _state(card, target.content)


def list_cards(session: Session, *, include_unpublished: bool) -> list[dict]:
    """Every card's state with its published content; drafts-only cards for leads."""
    live = and_(
        CardVersion.card_id == CardRow.card_id, CardVersion.version == CardRow.published_version
    )
    query = select(CardRow, CardVersion.content).outerjoin(CardVersion, live)
    if not include_unpublished:
        query = query.where(CardRow.published_version.is_not(None))
    rows = session.execute(query.order_by(CardRow.card_id)).all()
    return [_state(row, content) for row, content in rows]


def get_card(session: Session, card_id: str, *, include_unpublished: bool) -> dict:
    card = _card_row(session, card_id)
    if card.published_version is None and not include_unpublished:
        raise NotFound(f"card {card_id!r} has no published version")
    content = None
    if card.published_version is not None:
        content = _version_row(session, card_id, card.published_version, "version").content
    return _state(card, content)


def versions(session: Session, card_id: str) -> list[dict]:
    """Every version, newest first, with its content and the diff from the one before."""
    card = _card_row(session, card_id)
    rows = session.scalars(
        select(CardVersion).where(CardVersion.card_id == card_id).order_by(CardVersion.version)
    ).all()
    history, before = [], ""
    for row in rows:
        text = card_yaml(row.content)
        diff = difflib.unified_diff(
            before.splitlines(keepends=True),
            text.splitlines(keepends=True),
            fromfile=f"{card_id} v{row.version - 1}" if before else "/dev/null",
            tofile=f"{card_id} v{row.version}",
        )
        info = _version_info(row, card.published_version)
        history.append({**info, "card": row.content, "yaml": text, "diff": "".join(diff)})
        before = text
    return history[::-1]


def preview(card_id: str, data: object, sample: dict | None = None) -> dict:
    """Render a draft in every card language for a sample interaction, with its rule check.

    `sample` overrides fields of the built-in sample interaction; nothing is stored.
    """
    card = validate_draft(card_id, data)
    context = replace(SAMPLE_CONTEXTS[0], **(sample or {}))
    rendered = {}
    for language in CARD_LANGUAGES:
        shown = replace(context, language=language)
        passes, reason = card_passes(card, shown)
        rendered[language] = {
            **asdict(render_card(card, language, shown)),
            "passes": passes,
            "reason": reason,
        }
    return {"card_id": card_id, "sample": asdict(context), "rendered": rendered}


def seed_from_files(
    session: Session, directory: str | Path | None = None, *, actor: str, now=None
) -> list[str]:
    """Add the cards of `directory` (default: the starter playbook) that the store lacks,
    each published as version 1. Idempotent; all or nothing (CardValidationError)."""
    now = now or _now()
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


def session_has_cards(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(CardRow)) > 0


def export_to_dir(session: Session, directory: str | Path, *, drafts: bool = False) -> list[Path]:
    """Write each card's published (or, with `drafts`, latest) version as `<card_id>.yaml`.

    A file that already holds the same card is left as it is, hand formatting included,
    so `git diff` after an export shows only what leads changed. Returns the files written.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    which = CardRow.latest_version if drafts else CardRow.published_version
    rows = session.execute(
        select(CardVersion.card_id, CardVersion.content)
        .join(CardRow, and_(CardRow.card_id == CardVersion.card_id, which == CardVersion.version))
        .order_by(CardVersion.card_id)
    ).all()
    written = []
    for card_id, content in rows:
        path = directory / f"{card_id}{CARD_SUFFIX}"
        if not _holds(path, content):
            path.write_text(card_yaml(content), encoding="utf-8")
            written.append(path)
    return written


def _holds(path: Path, content: dict) -> bool:
    if not path.exists():
        return False
    try:
        return card_to_dict(load_card_file(path)) == content
    except CardValidationError:
        return False
