"""Reading playbook cards from the store: card states, version history with diffs,
previews of drafts, and export of the store's cards back to YAML files.

Everything here reads; `editing` writes. Both share the row look-ups and the shape of a
card's state defined here.
"""

import difflib
from dataclasses import asdict, replace
from pathlib import Path

import yaml
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from assist_api.errors import InvalidFields, NotFound
from assist_api.services.clock import as_utc
from assist_api.store.card_tables import Card as CardRow
from assist_api.store.card_tables import CardVersion
from assist_api.store.tables import AuditEntry
from features.vocabulary import CARD_LANGUAGES
from models.explanation_text import label
from prompts_playbooks.cards import Card, CardValidationError
from prompts_playbooks.context import SAMPLE_CONTEXTS
from prompts_playbooks.loader import CARD_SUFFIX, card_to_dict, load_card_file, parse_card
from prompts_playbooks.render import render_card
from prompts_playbooks.rules import card_passes
from prompts_playbooks.why_not import why_not_line

ENTITY_TYPE = "playbook_card"  # how the audit log names a card
EVENT_ACTIONS = ("playbook.publish", "playbook.rollback")


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


def card_row(session: Session, card_id: str) -> CardRow:
    row = session.get(CardRow, card_id)
    if row is None:
        raise NotFound(f"no card {card_id!r}")
    return row


def version_row(session: Session, card_id: str, version: int, field: str) -> CardVersion:
    row = session.scalars(
        select(CardVersion).where(CardVersion.card_id == card_id, CardVersion.version == version)
    ).first()
    if row is None:
        raise InvalidFields({field: [f"card {card_id!r} has no version {version}"]})
    return row


def card_state(row: CardRow, content: dict | None) -> dict:
    return {
        "card_id": row.card_id,
        "activity": row.activity,
        "latest_version": row.latest_version,
        "published_version": row.published_version,
        "updated_at": as_utc(row.updated_at),
        "card": content,
    }


def version_info(row: CardVersion, published_version: int | None) -> dict:
    return {
        "card_id": row.card_id,
        "version": row.version,
        "base_version": row.base_version,
        "author": row.author,
        "created_at": as_utc(row.created_at),
        "note": row.note,
        "published_at": as_utc(row.published_at),
        "published_by": row.published_by,
        "live": row.version == published_version,
    }


def list_cards(session: Session, *, include_unpublished: bool) -> list[dict]:
    """Every card's state with its published content; drafts-only cards for leads."""
    live = and_(
        CardVersion.card_id == CardRow.card_id, CardVersion.version == CardRow.published_version
    )
    query = select(CardRow, CardVersion.content).outerjoin(CardVersion, live)
    if not include_unpublished:
        query = query.where(CardRow.published_version.is_not(None))
    rows = session.execute(query.order_by(CardRow.card_id)).all()
    return [card_state(row, content) for row, content in rows]


def get_card(session: Session, card_id: str, *, include_unpublished: bool) -> dict:
    card = card_row(session, card_id)
    if card.published_version is None and not include_unpublished:
        raise NotFound(f"card {card_id!r} has no published version")
    content = None
    if card.published_version is not None:
        content = version_row(session, card_id, card.published_version, "version").content
    return card_state(card, content)


def versions(session: Session, card_id: str) -> list[dict]:
    """Every version, newest first, with its content and the diff from the one before."""
    card = card_row(session, card_id)
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
        info = version_info(row, card.published_version)
        history.append({**info, "card": row.content, "yaml": text, "diff": "".join(diff)})
        before = text
    return history[::-1]


def preview(card_id: str, data: object, sample: dict | None = None) -> dict:
    """Render a draft in every card language for a sample interaction, with its rule check.

    `sample` overrides fields of the built-in sample interaction; nothing is stored. A
    card held back says why in that language's words (`reason`), with the rule's code.
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
            "reason": why_not_line(reason, language, label) if reason else None,
            "reason_code": getattr(reason, "code", None),
        }
    return {"card_id": card_id, "sample": asdict(context), "rendered": rendered}


def events(session: Session, card_id: str) -> list[dict]:
    """Publishes and rollbacks of a card, newest first, from the audit log: a rollback is
    an entry of its own in the history, not only a moved `live` badge."""
    card_row(session, card_id)  # NotFound for an unknown card
    rows = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.entity_type == ENTITY_TYPE,
            AuditEntry.entity_id == card_id,
            AuditEntry.action.in_(EVENT_ACTIONS),
        )
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    return [
        {
            "action": row.action.removeprefix("playbook."),
            "version": row.details.get("version"),
            "previous_version": row.details.get("previous_version"),
            "actor": row.actor,
            "at": as_utc(row.at),
        }
        for row in rows
    ]


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
