"""`value-assist models evaluate-policy`: off-policy value of a model's top-card policy.

Heavy libraries are imported inside the command, as in the other model commands.
"""

import json
from datetime import datetime

import click

from assist_api.cli.context import open_store, settings_from_env

POLICY_CHOICES = ("greedy", "uniform", "worst_first")


def moment(value: str | None) -> datetime | None:
    if value is None:
        return None
    from assist_api.services.clock import as_utc

    try:
        return as_utc(datetime.fromisoformat(value))
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 date or time") from exc


@click.command("evaluate-policy")
@click.option("--version", default=None, help="Model version to evaluate.")
@click.option("--alias", default=None, help="Registry alias to evaluate (default: champion).")
@click.option("--from", "start", default=None, help="First decision time (ISO 8601, UTC).")
@click.option("--to", "end", default=None, help="Decisions before this time (ISO 8601, UTC).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--policy",
    type=click.Choice(POLICY_CHOICES),
    default="greedy",
    help="greedy: the model's top card first (what it would serve); uniform, worst_first: "
    "reference policies.",
)
@click.option(
    "--min-ess", type=float, default=30.0, help="Refuse below this effective sample size."
)
def evaluate_policy(version, alias, start, end, fmt, policy, min_ess):
    """Estimate the VE success rate a model's top-card policy would have had (IPS/SNIPS/DR)."""
    from assist_api.services.learning.ope import ThinSupport
    from assist_api.services.learning.policy_report import evaluate_model_policy, render_text
    from training.batch_score import BatchScoreError, load_model_files

    if version and alias:
        raise click.UsageError("give --version or --alias, not both")
    settings = settings_from_env()
    uri, name = settings.mlflow_tracking_uri, settings.model_name
    try:
        model = load_model_files(uri, name, alias or settings.model_alias, version)
    except BatchScoreError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        champion = load_model_files(uri, name, settings.model_alias)
    except BatchScoreError:
        champion = None  # no champion yet: nothing to put beside the estimate
    with open_store(settings) as store:
        try:
            report = evaluate_model_policy(
                store,
                model,
                champion,
                policy_name=policy,
                start=moment(start),
                end=moment(end),
                min_ess=min_ess,
            )
        except (ThinSupport, ValueError) as exc:
            raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps(report, indent=2, default=str))
    else:
        for line in render_text(report):
            click.echo(line)
