"""`value-assist purge --older-than DAYS`: apply the retention period now.

Meant for a daily cron job or systemd timer; `--dry-run` shows what would go.
"""

from datetime import UTC, datetime

import click

from assist_api.cli.context import open_store, settings_from_env


def register(group: click.Group) -> None:
    group.add_command(purge_command)


@click.command("purge")
@click.option(
    "--older-than",
    "days",
    type=click.IntRange(min=1),
    help="Age in days (default: VALUE_ASSIST_RETENTION_DAYS).",
)
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; change nothing.")
@click.option("--vacuum", is_flag=True, help="Also rebuild the SQLite file (slow; exclusive).")
def purge_command(days, dry_run, vacuum):
    """Delete transcripts and raw events older than DAYS; keep decisions and outcomes.

    Also deletes the copies: leftover training exports, the spool's set-aside records of
    those days, and (SQLite) the deleted text still in the write-ahead log."""
    from assist_api.cli.service import local_actor
    from assist_api.services.decisions.spool import Spool
    from assist_api.services.outcomes.purge import purge
    from assist_api.services.outcomes.purge_copies import forget_copies

    settings = settings_from_env()
    days = days or settings.retention_days
    with open_store(settings) as store:
        with store.uow() as uow:
            report = purge(
                uow.session, older_than_days=days, actor=local_actor(), now=datetime.now(UTC)
            )
            if not dry_run:
                uow.commit()
        if not dry_run:
            copies = forget_copies(
                store.engine,
                settings.data_dir,
                Spool(settings.spool_dir),
                report.cutoff,
                vacuum=vacuum,
            )
    verb = "would clear" if dry_run else "cleared"
    click.echo(f"before {report.cutoff:%Y-%m-%d %H:%M} UTC ({days} days):")
    click.echo(f"  {verb} {report.transcripts_cleared} transcripts")
    verb = "would delete" if dry_run else "deleted"
    click.echo(
        f"  {verb} {report.outcome_events_deleted} outcome events, "
        f"{report.card_impressions_deleted} card impressions, "
        f"{report.ui_sessions_deleted} page sessions"
    )
    if not dry_run:
        click.echo(
            f"  deleted {copies.exports_deleted} training exports, "
            f"{copies.rejected_files_deleted} set-aside spool files"
            + ("; SQLite log checkpointed" if copies.sqlite_compacted else "")
        )
