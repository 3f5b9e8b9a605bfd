"""`value-assist routing ...`: agent skill, the champion pool suggestion, the replay.

    routing skill [--from D]             measure agent skill with the champion model
    routing suggest-pool [--size N]      the champion pool the measurements support
    routing evaluate --from D            replay a simulated world: skill and routing lift

pandas, LightGBM and MLflow are imported inside the commands.
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from assist_api.cli.context import open_store, settings_from_env
from assist_api.cli.pools import service_call
from assist_api.cli.service import local_actor


def register(group: click.Group) -> None:
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
def routing_skill(from_dir, min_attempts, no_save):
    """Measure each agent's VE skill: successes vs the champion model's expectation."""
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
def routing_suggest_pool(pool_id, size, out):
    """Suggest the champion pool: rated agents whose interval clears the average agent."""
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
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A simulated world (value-assist simulate --out D): needs truth.csv and agents.csv.",
)
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
def routing_evaluate(from_dir, model, estimate_share, window, as_json):
    """Replay a simulated world: estimated vs true skill, value routing vs the plain rule."""
    from assist_api.services.routing.value import RoutingRule
    from assist_api.services.studies.routing_replay import ReplayConfig, evaluate_routing

    settings = settings_from_env()
    for name in ("truth.csv", "agents.csv"):
        if not (from_dir / name).is_file():
            raise click.UsageError(f"{from_dir} has no {name}: evaluate needs a simulated world")
    config = ReplayConfig(
        rule=RoutingRule.from_settings(settings),
        bands=(settings.band_medium, settings.band_high),
        min_attempts=settings.skill_min_attempts,
        estimate_share=estimate_share,
        window=window,
    )
    loaded = None
    if model == "champion":
        from training.batch_score import BatchScoreError, load_model_files

        try:
            loaded, _ = load_model_files(
                settings.mlflow_tracking_uri, settings.model_name, settings.model_alias
            )
        except BatchScoreError as exc:
            raise click.ClickException(str(exc)) from exc
    report = evaluate_routing(from_dir, config, model=loaded)
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    for line in evaluation_lines(report):
        click.echo(line)


def evaluation_lines(report: dict) -> list[str]:
    skill, lift = report["skill"], report["lift"]
    plain, value = report["replay"]["plain"], report["replay"]["value"]
    lines = [
        f"skill measured on {report['estimate_part']['attempts']} attempts "
        f"({report['estimate_part']['contacts']} earlier contacts), "
        f"{skill['rated_agents']} of {skill['agents']} agents rated",
        f"rank correlation, estimated vs true skill: {_number(skill['spearman_rated'])} "
        f"(rated agents), {_number(skill['spearman_all'])} (all)",
        f"suggested champion pool: {skill['suggested_pool_size']} agents, true skill "
        f"{_signed(skill['suggested_pool_true_skill'])} vs the current pool's "
        f"{_signed(skill['current_pool_true_skill'])}",
        "pool skill, measured (true mean): "
        + ", ".join(
            f"{pool} {_signed(v['measured'])} ({_signed(v['true_mean'])})"
            for pool, v in report["pool_skill"].items()
        ),
        f"replay of {plain['contacts']} later contacts, capacity respected:",
        f"{'':<14}{'VE success':>11}{'per attempt':>13}{'value/contact':>15}"
        f"{'value pool':>12}{'fallback':>10}{'over cap.':>10}",
    ]
    for name, result in (("plain rule", plain), ("value routing", value)):
        lines.append(
            f"{name:<14}{result['success_rate']:>11.4f}{result['success_per_attempt']:>13.4f}"
            f"{result['retained_value_per_contact']:>15.2f}{result['value_pool_share']:>12.1%}"
            f"{result['fallback_share']:>10.1%}{result['over_capacity']:>10}"
        )
    lines.append(
        f"lift of value routing over the plain rule: {lift['success_rate_points']:+.3f} points "
        f"of VE success ({lift['success_rate_relative']:+.2%}), "
        f"{lift['retained_value_relative']:+.2%} retained value"
    )
    return lines


def _number(value) -> str:
    return "n/a (no spread between agents detected)" if value is None else f"{value:.3f}"


def _signed(value) -> str:
    return "n/a" if value is None else f"{value:+.3f}"
