"""`value-assist models shadow VERSION | --off` and `models shadow-report`: a challenger
scored on every request, never shown (services/learning/shadow*.py).

Heavy libraries are imported inside the commands, as in the other model commands.
"""

import getpass
import json

import click

from assist_api.cli.context import open_store, settings_from_env
from assist_api.cli.learning import moment


@click.command("shadow")
@click.argument("version", required=False)
@click.option("--off", is_flag=True, help="Stop shadowing.")
@click.option("--actor", default=None, help="Who is changing it (default: the OS user).")
def shadow(version, off, actor):
    """Make every worker also score VERSION on each /v1/assist decision (not shown), or stop.

    Workers pick the change up within VALUE_ASSIST_PLAYBOOK_REFRESH_SECONDS.
    """
    from assist_api.services.learning.shadow import registry_loader
    from assist_api.services.learning.shadow_store import set_shadow

    if off == bool(version):
        raise click.UsageError("give a VERSION to shadow, or --off")
    settings = settings_from_env()
    if version:
        try:
            registry_loader(settings)(version)  # what every worker will load: check it now
        except Exception as exc:
            raise click.ClickException(
                f"{settings.model_name} version {version!r} cannot shadow: {exc}"
            ) from exc
    actor = actor or getpass.getuser()
    with open_store(settings) as store:
        previous = set_shadow(store, settings.model_name, version, actor)
    was = f" (was v{previous})" if previous else ""
    if version:
        click.echo(f"{settings.model_name} v{version} now shadows the champion{was}")
    else:
        click.echo(f"shadowing stopped{was}")


@click.command("shadow-report")
@click.option("--version", default=None, help="Challenger (default: the current one).")
@click.option("--from", "start", default=None, help="First decision time (ISO 8601, UTC).")
@click.option("--to", "end", default=None, help="Decisions before this time (ISO 8601, UTC).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--min-ess", type=float, default=30.0, help="Refuse the estimate below this ESS.")
def shadow_report(version, start, end, fmt, min_ess):
    """Agreement of the challenger's top card with the champion's, and the off-policy value
    of both on the decisions where they differed."""
    from assist_api.services.learning import shadow_report as report_module

    settings = settings_from_env()
    with open_store(settings) as store:
        report = report_module.shadow_report(
            store,
            settings.model_name,
            version,
            start=moment(start),
            end=moment(end),
            min_ess=min_ess,
        )
    if fmt == "json":
        click.echo(json.dumps(report, indent=2, default=str))
    else:
        for line in report_module.render_text(report):
            click.echo(line)
