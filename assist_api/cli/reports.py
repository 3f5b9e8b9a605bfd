"""`value-assist report roi|segments|automation` and `value-assist plan set|show`.

The same services and schemas as GET /v1/reports/* and /v1/reports/roi/plans, so a
report printed here is the one the dashboard shows, and a bad option is rejected with the
same field-by-field reasons the API gives.
"""

import json
from datetime import UTC, date, datetime
from pathlib import Path

import click

from assist_api.cli.context import open_store, settings_from_env
from assist_api.cli.service import local_actor

KINDS = ("roi", "segments", "automation")


def register(group: click.Group) -> None:
    group.add_command(report_command)
    group.add_command(plan)


def _usage_error(error) -> click.UsageError:
    from assist_api.errors import flatten_messages

    reasons = "; ".join(
        f"{name}: {' '.join(messages)}"
        for name, messages in flatten_messages(error.messages).items()
    )
    return click.UsageError(reasons)


@click.command("report")
@click.argument("kind", type=click.Choice(KINDS))
@click.option("--from", "start", help="first day (YYYY-MM-DD, UTC); default: the first contact")
@click.option("--to", "end", help="last day, included (YYYY-MM-DD, UTC); default: the last")
@click.option(
    "--format", "output", type=click.Choice(("json", "csv", "html", "pdf")), default="json"
)
@click.option("--lang", type=click.Choice(("en", "ja")), default="en", help="html and pdf")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="default: stdout")
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="KEY=VALUE",
    help="channel, contact_reason, switching_effort, activity, language, pool, persona or "
    "plan_tier (repeatable)",
)
def report_command(kind, start, end, output, lang, out, filters):
    """Build the ROI, segments or automation report for a period."""
    from marshmallow import ValidationError

    from assist_api.reports import ReportQuery, rendered, run_report
    from assist_api.schemas import reports as schemas

    raw = {"format": output, **dict(_pair(item) for item in filters)}
    raw.update({key: value for key, value in (("from", start), ("to", end)) if value})
    try:
        args = schemas.ReportQuerySchema().load(raw)
    except ValidationError as exc:
        raise _usage_error(exc) from exc
    output, query = schemas.query_parts(args)
    settings = settings_from_env()
    with open_store(settings) as store:
        report = run_report(
            kind,
            store,
            ReportQuery(**query),
            cost_per_agent_minute=settings.cost_per_agent_minute,
            now=datetime.now(UTC),
            holdout_rate=settings.holdout_rate,
            currency=settings.currency,
        )
    if output == "pdf" and out is None:
        raise click.UsageError("--format pdf writes a binary file: give --out FILE.pdf")
    if output != "json":
        text = rendered(report, output, lang)[0]
    else:
        schema = {
            "roi": schemas.RoiReportSchema,
            "segments": schemas.SegmentsReportSchema,
            "automation": schemas.AutomationReportSchema,
        }[kind]()
        text = json.dumps(schema.dump(report), ensure_ascii=False, indent=2) + "\n"
    _write(text, out)


def _pair(item: str) -> tuple[str, str]:
    key, separator, value = (part.strip() for part in item.partition("="))
    if not separator or not key:
        raise click.UsageError(f"--filter {item!r}: write it as KEY=VALUE, e.g. channel=phone")
    if key in ("from", "to", "format"):
        raise click.UsageError(f"--filter {item!r}: use --{key} for the {key}")
    return key, value


def _write(text: str | bytes, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
        return
    if isinstance(text, bytes):
        out.write_bytes(text)
    else:
        out.write_text(text, encoding="utf-8")
    click.echo(f"wrote {out}", err=True)


@click.group()
def plan():
    """The ROI plan: success measures and targets, declared before the period."""


@plan.command("set")
@click.option(
    "--file",
    "path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="the plan as YAML or JSON (effective_from, min_sample_per_arm, "
    "cost_per_agent_minute, targets: [{measure, target, direction}], note)",
)
def plan_set(path):
    """Declare a new plan version from a file; earlier versions are kept unchanged."""
    import yaml
    from marshmallow import ValidationError

    from assist_api.reports.plan import declare_plan
    from assist_api.schemas.plans import PlanOutSchema, PlanSchema

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise click.UsageError(f"{path}: not YAML or JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise click.UsageError(f"{path}: the plan must be a mapping of fields")
    try:
        loaded = PlanSchema().load(_dates_as_text(raw))
    except ValidationError as exc:
        raise _usage_error(exc) from exc
    settings = settings_from_env()
    with open_store(settings) as store:
        created = declare_plan(
            store,
            loaded,
            actor=local_actor(),
            now=datetime.now(UTC),
            holdout_rate=settings.holdout_rate,
        )
    click.echo(json.dumps(PlanOutSchema().dump(created), ensure_ascii=False, indent=2))


def _dates_as_text(raw: dict) -> dict:
    """YAML reads 2025-04-01 as a date; the schema reads ISO text (a date: midnight UTC)."""
    value = raw.get("effective_from")
    if isinstance(raw.get("period"), dict):
        period = {k: v.isoformat() if isinstance(v, date) else v for k, v in raw["period"].items()}
        raw = {**raw, "period": period}
    if isinstance(value, datetime):
        return {**raw, "effective_from": value.isoformat()}
    if isinstance(value, date):
        return {**raw, "effective_from": f"{value.isoformat()}T00:00:00+00:00"}
    return raw


@plan.command("show")
@click.option("--at", "at", help="show the plan in force on this day (YYYY-MM-DD); default: now")
def plan_show(at):
    """Print the plan in force and every version, newest first (JSON)."""
    from assist_api.reports.plan import list_plans, plan_in_force
    from assist_api.schemas.plans import PlansSchema

    try:
        moment = datetime.combine(date.fromisoformat(at), datetime.min.time(), UTC) if at else None
    except ValueError as exc:
        raise click.UsageError(f"--at {at!r}: write the day as YYYY-MM-DD") from exc
    with open_store(settings_from_env()) as store, store.uow() as uow:
        shown = {
            "current": plan_in_force(uow.session, moment or datetime.now(UTC)),
            "plans": list_plans(uow.session),
        }
    click.echo(json.dumps(PlansSchema().dump(shown), ensure_ascii=False, indent=2))
