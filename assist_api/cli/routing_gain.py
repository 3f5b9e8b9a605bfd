"""`value-assist routing retention-gain`: retention per VE success from the control group."""

import json
from datetime import UTC, date, datetime

import click

from assist_api.cli.context import open_store, settings_from_env
from assist_api.cli.service import local_actor


def measured_gain(store, start: date | None, end: date | None, min_customers: int):
    """The estimate over the customers first seen in [start, end] (the ROI report's unit:
    one row per customer, retention and VE success as customer facts)."""
    from assist_api.reports.customers import customer_frame
    from assist_api.reports.data import ReportQuery, load_frame
    from assist_api.services.routing.retention_gain import measure_retention_gain

    customers = customer_frame(load_frame(store, ReportQuery(start, end)))
    return measure_retention_gain(
        customers["retained_60d"].to_numpy(float),
        customers["ve_success"].to_numpy(float),
        customers["holdout"].to_numpy(bool),
        min_customers=min_customers,
    )


@click.command("retention-gain")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day (UTC).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day (UTC).")
@click.option(
    "--min-customers",
    default=300,
    show_default=True,
    type=click.IntRange(min=30),
    help="Per arm, with retention and VE success known, before the figure is measured.",
)
@click.option("--no-save", is_flag=True, help="Print only; routing keeps what it has.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def retention_gain(start, end, min_customers, no_save, as_json):
    """Measure the retention a VE success adds: ITT retention / ITT VE success over
    customers, card control group vs the rest, with Fieller's 90 % interval. Value routing
    uses the stored figure (the published 0.17 until one is measured)."""
    from assist_api.services.routing.retention_gain_store import save_retention_gain

    if start and end and end < start:
        raise click.BadParameter("must not be before --from", param_hint="--to")
    settings = settings_from_env()
    with open_store(settings) as store:
        gain = measured_gain(store, start and start.date(), end and end.date(), min_customers)
        if not no_save:
            save_retention_gain(store, gain, actor=local_actor(), now=datetime.now(UTC))
    if as_json:
        click.echo(json.dumps({
            "value": gain.value, "source": gain.source,
            "ci90": list(gain.ci90) if gain.ci90 else None,
            "n_offered": gain.n_offered, "n_control": gain.n_control, "note": gain.note,
            "saved": not no_save,
        }))  # fmt: skip
        return
    click.echo(gain.describe())
    click.echo("stored: value routing uses it" if not no_save else "not stored (--no-save)")
