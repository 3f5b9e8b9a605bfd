"""Retention: old transcripts and raw events go, decisions and outcomes stay, it is audited."""

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from assist_api.cli import main
from assist_api.errors import InvalidFields
from assist_api.services.access.keys import create_key
from assist_api.services.access.sessions import start_session
from assist_api.services.outcomes.events import apply_outcome_events
from assist_api.services.outcomes.imports import import_files
from assist_api.services.outcomes.purge import purge
from assist_api.store.card_tables import CardImpression
from assist_api.store.migrate import upgrade
from assist_api.store.store import Store
from assist_api.store.tables import (
    AuditEntry,
    Decision,
    Interaction,
    Outcome,
    OutcomeEvent,
    UiSession,
)
from tests.helpers.records import interaction, write_csv

NOW = datetime.now(UTC)
OLD = NOW - timedelta(days=400)
RECENT = NOW - timedelta(days=10)


def seed(store, tmp_path) -> None:
    """Interactions 1-2 from 400 days ago, 3-4 from 10 days ago, each with its trail."""
    rows = [interaction(i, started_at=(OLD if i <= 2 else RECENT).isoformat()) for i in range(1, 5)]
    assert import_files(store, write_csv(tmp_path / "interactions.csv", rows)).committed
    with store.uow() as uow:
        for i in range(1, 5):
            when = OLD if i <= 2 else RECENT
            apply_outcome_events(
                uow.session, [{"interaction_id": f"i-{i}", "csat": 4}], source="api", now=when
            )
            uow.session.add(
                CardImpression(
                    customer_id=f"c-{i}",
                    card_id="validate_purchase.reassure_choice",
                    decision_id=f"d-{i}",
                    shown_at=when,
                )
            )
            uow.session.execute(
                Decision.__table__.insert().values(
                    decision_id=f"d-{i}",
                    interaction_id=f"i-{i}",
                    sequence=1,
                    customer_id=f"c-{i}",
                    created_at=when,
                    reasons=[],
                    cards=[],
                    holdout=False,
                    degraded=[],
                )
            )
        key = create_key(uow.session, role="lead", name="lead", actor="tests", now=OLD)
        start_session(uow.session, key, NOW - timedelta(hours=1))
        start_session(uow.session, key, OLD)  # (a sign-in clears only sessions expired by then)
        uow.commit()


def count(store, table, *where) -> int:
    with store.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(table).where(*where))


def test_purge_clears_old_transcripts_and_events_and_keeps_the_evidence(store, tmp_path):
    seed(store, tmp_path)
    with store.uow() as uow:
        report = purge(uow.session, older_than_days=365, actor="tests", now=NOW)
        uow.commit()
    assert (
        report.transcripts_cleared,
        report.outcome_events_deleted,
        report.card_impressions_deleted,
        report.ui_sessions_deleted,
    ) == (2, 2, 2, 1)
    with store.uow() as uow:
        kept = dict(
            uow.session.execute(select(Interaction.interaction_id, Interaction.transcript)).all()
        )
        audit = uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "purge")).one()
        actor, details = audit.actor, audit.details
    assert kept["i-1"] is None and kept["i-2"] is None
    assert kept["i-3"] and kept["i-4"]
    assert count(store, OutcomeEvent) == 2 and count(store, Outcome) == 4
    assert count(store, Decision) == 4 and count(store, CardImpression) == 2
    assert count(store, UiSession) == 1
    assert actor == "tests" and details["transcripts_cleared"] == 2


def test_a_dry_run_changes_nothing(tmp_path, sqlite_store):
    seed(sqlite_store, tmp_path)
    url = sqlite_store.engine.url.render_as_string()
    result = CliRunner().invoke(
        main,
        ["purge", "--older-than", "30", "--dry-run"],
        env={"VALUE_ASSIST_DATABASE_URL": url, "VALUE_ASSIST_DATA_DIR": str(tmp_path)},
    )
    assert result.exit_code == 0, result.output
    assert "would clear 2 transcripts" in result.output
    assert count(sqlite_store, Interaction, Interaction.transcript.is_(None)) == 0
    assert count(sqlite_store, AuditEntry, AuditEntry.action == "purge") == 0


def test_the_command_applies_the_retention_setting(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade(url)
    store = Store.open(url)
    try:
        seed(store, tmp_path)
        result = CliRunner().invoke(
            main,
            ["purge"],
            env={
                "VALUE_ASSIST_DATABASE_URL": url,
                "VALUE_ASSIST_DATA_DIR": str(tmp_path),
                "VALUE_ASSIST_RETENTION_DAYS": "200",
            },
        )
        assert result.exit_code == 0, result.output
        assert "(200 days)" in result.output and "cleared 2 transcripts" in result.output
        assert count(store, Interaction, Interaction.transcript.is_(None)) == 2
        assert count(store, AuditEntry, AuditEntry.action == "purge") == 1
    finally:
        store.close()


def test_purge_refuses_a_period_under_a_day(sqlite_store):
    with sqlite_store.uow() as uow, pytest.raises(InvalidFields) as raised:
        purge(uow.session, older_than_days=0, actor="tests", now=NOW)
    assert "older_than" in raised.value.details["fields"]
