"""`value-assist db upgrade` and `value-assist import`."""

import time
from pathlib import Path

import click

from assist_api.cli.context import open_store, settings_from_env

MAX_PROBLEMS_SHOWN = 200


def register(group: click.Group) -> None:
    group.add_command(db)
    group.add_command(import_command)


@click.group()
def db():
    """Database schema commands."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision):
    """Apply database migrations (Alembic)."""
    from assist_api.store.migrate import current_revision, upgrade

    settings = settings_from_env()
    upgrade(settings.database_url, revision)
    click.echo(f"database at revision {current_revision(settings.database_url)}")


@click.command("import")
@click.option("--interactions", "interactions_path", type=click.Path(path_type=Path))
@click.option("--outcomes", "outcomes_path", type=click.Path(path_type=Path))
@click.option(
    "--customers",
    "customers_path",
    type=click.Path(path_type=Path),
    help="CRM profiles: customer_id, as_of and the customer columns (point-in-time versions).",
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Load the good rows and write the rejects (with reasons) beside each input.",
)
def import_command(interactions_path, outcomes_path, customers_path, skip_invalid):
    """Validate and load interactions, outcomes and customer profiles (CSV or Parquet).

    All-or-nothing by default: any bad row means nothing is loaded, and every bad row is
    reported with its row number, column and reason.
    """
    from assist_api.services.outcomes.imports import import_files
    from training.table_io import TableFormatError

    if interactions_path is None and outcomes_path is None and customers_path is None:
        raise click.UsageError("give --interactions, --outcomes and/or --customers")
    settings = settings_from_env()
    started = time.perf_counter()
    with open_store(settings) as store:
        try:
            report = import_files(
                store,
                interactions_path,
                outcomes_path,
                skip_invalid=skip_invalid,
                customers_path=customers_path,
            )
        except TableFormatError as exc:
            raise click.ClickException(str(exc)) from exc
    for path, problem in report.problems[:MAX_PROBLEMS_SHOWN]:
        click.echo(f"{path}: {problem}", err=True)
    if len(report.problems) > MAX_PROBLEMS_SHOWN:
        click.echo(f"... and {len(report.problems) - MAX_PROBLEMS_SHOWN} more problems", err=True)
    elapsed = time.perf_counter() - started
    if not report.committed:
        raise click.ClickException(
            f"{len(report.problems)} problem(s) found; nothing was loaded "
            "(fix the rows, or use --skip-invalid to load the good rows)"
        )
    for file_report in report.files:
        line = f"{file_report.path}: {file_report.loaded} of {file_report.rows} rows loaded"
        if file_report.inserted or file_report.updated:
            line += f" ({file_report.inserted} new, {file_report.updated} updated)"
        if file_report.rejects_path:
            line += f"; rejects written to {file_report.rejects_path}"
        click.echo(line)
    click.echo(f"import took {elapsed:.1f} s")
