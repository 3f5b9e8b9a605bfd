"""`value-assist routing ...`: agent skill, the champion pool suggestion, the replay.

    routing skill [--from D]             measure agent skill with the champion model
    routing suggest-pool [--size N]      the champion pool the measurements support
    routing evaluate --from D            replay a simulated world: skill and routing lift
    routing retention-gain               retention per VE success, from the control group

pandas, LightGBM and MLflow are imported inside the commands.
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from assist_api.cli.context import open_store, settings_from_env
from assist_api.cli.pools import service_call
from assist_api.cli.service import local_actor
from features.vocabulary import ACTIVITIES


def register(group: click.Group) -> None:
    from assist_api.cli.routing_gain import retention_gain

    routing.add_command(retention_gain)
    group.add_command(routing)


@click.group()
def routing():
    """Agent skill, the champion pool suggestion, and the routing replay."""


@routing.command("skill")
@click.option(
    "--from",
    "from_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Measure on import-format files in this folder instead of the store.",
)
@click.option("--min-attempts", type=click.IntRange(min=1), help="default: the setting")
@click.option("--no-save", is_flag=True, help="Print only; do not store the estimates.")
@click.option(
    "--by-activity",
    is_flag=True,
    help="Also per agent x activity (cross-fitted expectations; no champion needed).",
)
@click.option("--json", "as_json", is_flag=True, help="With --by-activity: print JSON.")
def routing_skill(from_dir, min_attempts, no_save, by_activity, as_json):
    """Measure each agent's VE skill: successes vs the champion model's expectation."""
    if as_json and not by_activity:
        raise click.UsageError("--json goes with --by-activity")
    if by_activity:
        _activity_skill(from_dir, min_attempts, no_save, as_json)
        return
    from assist_api.services.routing.expected_success import measure_skill
    from assist_api.services.routing.pool_skill import store_skill
    from training.batch_score import BatchScoreError, load_model_files

    settings = settings_from_env()
    min_attempts = min_attempts or settings.skill_min_attempts
    try:
        model, label = load_model_files(
            settings.mlflow_tracking_uri, settings.model_name, settings.model_alias
        )
    except BatchScoreError as exc:
        raise click.ClickException(str(exc)) from exc
    with open_store(settings) as store:
        interactions, outcomes = _history(store, from_dir)
        report, attempts = measure_skill(interactions, outcomes, model, min_attempts)
        click.echo(
            f"{len(attempts)} attempts with a known result, expected by "
            f"{settings.model_name} {label}"
        )
        unknown = (
            []
            if no_save
            else store_skill(store, report, actor=local_actor(), now=datetime.now(UTC))
        )
    _print_skill(report)
    if not no_save:
        click.echo(
            f"estimates stored for {len(report.agents) - len(unknown)} agent(s)"
            + (f"; {len(unknown)} not in any pool's roster" if unknown else "")
        )


def _activity_skill(from_dir, min_attempts, no_save, as_json) -> None:
    """Per agent x activity: a list of {agent_id, activity (None: overall), attempts,
    skill, ci90, rated}; stored on the agents unless --no-save."""
    from assist_api.services.routing.expected_success import measure_activity_skill
    from assist_api.services.routing.pool_skill import store_activity_skill

    settings = settings_from_env()
    min_attempts = min_attempts or settings.skill_min_attempts
    with open_store(settings) as store:
        interactions, outcomes = _history(store, from_dir)
        cells = measure_activity_skill(interactions, outcomes, min_attempts)
        unknown = (
            []
            if no_save or not cells
            else store_activity_skill(store, cells, actor=local_actor(), now=datetime.now(UTC))
        )
    if as_json:
        click.echo(json.dumps([c.as_dict() for c in cells], indent=2))
        return
    if not cells:
        click.echo("no VE attempts with a known result: nothing to measure")
        return
    click.echo(f"{'agent':<12}{'activity':<22}{'attempts':>9}{'skill':>8}  90 % interval")
    for c in cells:
        mark = "" if c.rated else "  (too few attempts: no claim)"
        click.echo(
            f"{c.agent_id:<12}{c.activity or '(overall)':<22}{c.attempts:>9}{c.skill:>+8.3f}  "
            f"[{c.low:+.3f}, {c.high:+.3f}]{mark}"
        )
    if not no_save:
        agents = len({c.agent_id for c in cells}) - len(unknown)
        click.echo(f"per-activity estimates stored for {agents} agent(s)")


def _history(store, from_dir):
    if from_dir is None:
        from assist_api.services.outcomes.training_data import load_import_frames

        return load_import_frames(store)
    from training.dataset import DatasetError, read_import_dir

    try:
        interactions, outcomes, _ = read_import_dir(from_dir)
    except DatasetError as exc:
        raise click.ClickException(str(exc)) from exc
    return interactions, outcomes


def _print_skill(report) -> None:
    click.echo(
        f"baseline (average agent) {report.baseline:+.3f} log-odds; spread of true skill "
        f"{report.spread:.3f}; {report.level:.0%} intervals; rated from "
        f"{report.min_attempts} attempts"
    )
    click.echo(
        f"{'agent':<12}{'attempts':>9}{'succ.':>7}{'expected':>10}{'O/E':>6}{'skill':>8}  interval"
    )
    for a in report.agents:
        mark = "" if a.rated else "  (too few attempts: no claim)"
        click.echo(
            f"{a.agent_id:<12}{a.attempts:>9}{a.successes:>7}{a.expected:>10.1f}"
            f"{a.observed_over_expected:>6.2f}{a.estimate:>+8.3f}  "
            f"[{a.low:+.3f}, {a.high:+.3f}]{mark}"
        )


@routing.command("suggest-pool")
@click.option("--pool", "pool_id", default="ve_champions", show_default=True)
@click.option("--size", type=click.IntRange(min=1), help="At most this many agents.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the pool's PUT body with the suggested members, for `pools set`.",
)
@click.option(
    "--activity",
    type=click.Choice(ACTIVITIES),
    help="A pool by competence: agents proven on this activity (routing skill --by-activity).",
)
def routing_suggest_pool(pool_id, size, out, activity):
    """Suggest the champion pool: rated agents whose interval clears the average agent."""
    if activity:
        from assist_api.cli.routing_suggest import suggest_for_activity

        suggest_for_activity(activity, pool_id, size, out)
        return
    from assist_api.schemas.pools import PoolRequestSchema
    from assist_api.services.routing.agent_skill import AgentSkill, suggest_champion_pool
    from assist_api.services.routing.pool_skill import stored_skills
    from assist_api.services.routing.pools import get_pool

    settings = settings_from_env()
    now = datetime.now(UTC)
    with open_store(settings) as store:
        measured = stored_skills(store, settings.skill_min_attempts)
        current = service_call(
            lambda: get_pool(
                store,
                pool_id,
                now=now,
                stale_seconds=settings.capacity_stale_seconds,
                min_attempts=settings.skill_min_attempts,
            )
        )
    if not measured:
        raise click.ClickException("no skill measured yet: run `value-assist routing skill`")
    fields = (
        "agent_id",
        "attempts",
        "successes",
        "expected",
        "information",
        "estimate",
        "low",
        "high",
        "rated",
    )
    suggested = suggest_champion_pool(
        [AgentSkill(**{k: m[k] for k in fields}) for m in measured], size
    )
    members = {m["agent_id"] for m in current["members"]}
    chosen = {a.agent_id for a in suggested}
    for a in suggested:
        state = "stays" if a.agent_id in members else "joins"
        click.echo(f"{a.agent_id:<12} {a.estimate:+.3f} [{a.low:+.3f}, {a.high:+.3f}]  {state}")
    for agent_id in sorted(members - chosen):
        click.echo(f"{agent_id:<12} leaves (not shown to beat the average agent)")
    click.echo(f"{len(suggested)} agent(s) suggested for {pool_id}; nothing was changed")
    if out:
        languages = {m["agent_id"]: m["languages"] for m in measured}
        body = {
            k: current[k]
            for k in ("name", "description", "is_value_pool", "languages", "channels", "skills")
        }
        body["members"] = [
            {"agent_id": a.agent_id, "languages": languages.get(a.agent_id, [])} for a in suggested
        ]
        out.write_text(json.dumps(PoolRequestSchema().dump(body), indent=2, ensure_ascii=False))
        click.echo(f"review {out}, then accept it with: value-assist pools set {pool_id} {out}")


@routing.command("evaluate")
@click.option(
    "--from",
    "from_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A simulated world (value-assist simulate --out D): needs truth.csv and agents.csv.",
)
@click.option(
    "--seeds",
    help="Instead of --from: simulate a world per seed (comma-separated) and replay each.",
)
@click.option("--interactions", default=60_000, show_default=True, type=click.IntRange(1000))
@click.option("--activity-skill", is_flag=True, help="Simulated agents differ by activity.")
@click.option(
    "--model",
    type=click.Choice(["fit", "champion"]),
    default="fit",
    show_default=True,
    help="fit: train on the earlier part only; champion: the registry's champion.",
)
@click.option("--estimate-share", default=0.6, show_default=True, type=click.FloatRange(0, 1))
@click.option("--window", default="1D", show_default=True, help="Capacity period (pandas).")
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as JSON.")
def routing_evaluate(
    from_dir, seeds, interactions, activity_skill, model, estimate_share, window, as_json
):
    """Replay simulated worlds on their own truth: value routing vs load balancing, with
    the oracle router (true skills) as the ceiling."""
    from assist_api.cli.routing_evaluate import champion, evaluation_lines, seeds_summary, worlds
    from assist_api.services.routing.pool_state import RoutingRule
    from assist_api.services.studies.routing_replay import ReplayConfig, evaluate_routing

    if (from_dir is None) == (seeds is None):
        raise click.UsageError("give either --from D or --seeds S1,S2,...")
    settings = settings_from_env()
    config = ReplayConfig(
        rule=RoutingRule.from_settings(settings),
        bands=(settings.band_medium, settings.band_high),
        min_attempts=settings.skill_min_attempts,
        estimate_share=estimate_share,
        window=window,
    )
    loaded = champion(settings) if model == "champion" else None
    reports = []
    for folder in worlds(from_dir, seeds, interactions, activity_skill):
        report = evaluate_routing(folder, config, model=loaded)
        reports.append(report)
        if not as_json:
            for line in evaluation_lines(report):
                click.echo(line)
    if as_json:
        click.echo(json.dumps(reports[0] if from_dir else reports, indent=2))
    elif len(reports) > 1:
        for line in seeds_summary(reports):
            click.echo(line)
