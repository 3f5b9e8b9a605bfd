"""`value-assist routing evaluate`: the worlds it replays and its printed report (skill vs
truth, the arms, the lifts)."""

import statistics
from pathlib import Path

import click

ARM_NAMES = {"plain": "load balancing", "value": "value routing", "oracle": "oracle router"}


def evaluation_lines(report: dict) -> list[str]:
    skill, lift = report["skill"], report["lift"]
    plain = report["replay"]["plain"]
    lines = [
        f"world {report['world']}",
        f"skill measured on {report['estimate_part']['attempts']} attempts "
        f"({report['estimate_part']['contacts']} earlier contacts), "
        f"{skill['rated_agents']} of {skill['agents']} agents rated",
        f"rank correlation, estimated vs true skill: {_number(skill['spearman_rated'])} "
        f"(rated agents), {_number(skill['spearman_all'])} (all)",
        "per activity (rated cells: Spearman; one overall skill per agent instead): "
        + ", ".join(
            f"{activity} {v['rated_cells']}: {_number(v['spearman'], 2)} "
            f"({_number(v['spearman_overall_skill'], 2)})"
            for activity, v in report["activity_skill"].items()
        ),
        f"suggested champion pool: {skill['suggested_pool_size']} agents, true skill "
        f"{_signed(skill['suggested_pool_true_skill'])} vs the current pool's "
        f"{_signed(skill['current_pool_true_skill'])}",
        "pool skill, measured (true mean): "
        + ", ".join(
            f"{pool} {_signed(v['measured'])} ({_signed(v['true_mean'])})"
            for pool, v in report["pool_skill"].items()
        ),
        f"replay of {plain['contacts']} later contacts on the world's truth, capacity respected:",
        f"{'':<16}{'VE success':>11}{'per attempt':>13}{'value/contact':>15}"
        f"{'value pool':>12}{'fallback':>10}{'over cap.':>10}",
    ]
    for arm, result in report["replay"].items():
        lines.append(
            f"{ARM_NAMES[arm]:<16}{result['success_rate']:>11.4f}"
            f"{result['success_per_attempt']:>13.4f}"
            f"{result['retained_value_per_contact']:>15.2f}{result['value_pool_share']:>12.1%}"
            f"{result['fallback_share']:>10.1%}{result['over_capacity']:>10}"
        )
    for arm, figures in lift.items():
        low, high = figures["success_points_ci95"]
        money_low, money_high = figures["retained_value_per_contact_ci95"]
        lines.append(
            f"lift of the {ARM_NAMES[arm]} over load balancing: "
            f"{figures['success_points']:+.3f} points of VE success [{low:+.3f}, {high:+.3f}], "
            f"{figures['retained_value_per_contact']:+.2f} retained value per contact "
            f"[{money_low:+.2f}, {money_high:+.2f}] (95 %, bootstrap over customers)"
        )
    return lines


def seeds_summary(reports: list[dict]) -> list[str]:
    """Across worlds: each arm's mean lift and value routing's share of the oracle's."""
    value = [r["lift"]["value"]["success_points"] for r in reports]
    oracle = [r["lift"]["oracle"]["success_points"] for r in reports]
    share = [v / o if o > 0 else float("nan") for v, o in zip(value, oracle, strict=True)]
    return [
        f"over {len(reports)} worlds: value routing {statistics.mean(value):+.3f} points, "
        f"oracle router {statistics.mean(oracle):+.3f} points; value routing's share of the "
        "oracle's lift per world: " + ", ".join(f"{s:.0%}" for s in share)
    ]


def _number(value, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _signed(value) -> str:
    return "n/a" if value is None else f"{value:+.3f}"


def champion(settings):
    from training.batch_score import BatchScoreError, load_model_files

    try:
        return load_model_files(
            settings.mlflow_tracking_uri, settings.model_name, settings.model_alias
        )[0]
    except BatchScoreError as exc:
        raise click.ClickException(str(exc)) from exc


def worlds(from_dir, seeds, interactions, activity_skill):
    """The folders to replay: the given world, or one simulated world per seed."""
    if from_dir is not None:
        for name in ("truth.csv", "agents.csv"):
            if not (from_dir / name).is_file():
                raise click.UsageError(
                    f"{from_dir} has no {name}: evaluate needs a simulated world"
                )
        yield from_dir
        return
    import tempfile

    from training.simulator.world import simulate_world, write_world

    try:
        numbers = [int(s) for s in seeds.split(",") if s.strip()]
    except ValueError as exc:
        raise click.UsageError(f"--seeds takes whole numbers separated by commas: {seeds}") from exc
    with tempfile.TemporaryDirectory() as scratch:
        for seed in numbers:
            folder = Path(scratch) / f"seed-{seed}"
            write_world(simulate_world(interactions, seed, activity_skill=activity_skill), folder)
            yield folder
