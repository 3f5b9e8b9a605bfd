"""`value-assist simulate`: write a seeded demo world in the import format, or summarise one.

    value-assist simulate --out D --interactions N [--seed S] [--summary]
    value-assist simulate --summary --from D      # summarise D/interactions + D/outcomes
    value-assist simulate --closed-loop --out D [--weeks W] [--per-day N] [--exploration E]

The simulator and pandas are imported inside the command so `value-assist --help` and
the other commands do not pay for them.
"""

import time
from pathlib import Path

import click

TABLE_SUFFIXES = (".csv", ".parquet")


def register(group: click.Group) -> None:
    group.add_command(simulate)


def _table_path(directory: Path, table: str) -> Path:
    """`directory/<table>.csv`, or `.parquet` when only that exists."""
    for suffix in TABLE_SUFFIXES:
        path = directory / f"{table}{suffix}"
        if path.is_file():
            return path
    raise click.UsageError(f"{directory} has no {table}.csv or {table}.parquet")


def _summarise_directory(directory: Path) -> str:
    from training.simulator.summary import format_summary, summarize_world
    from training.table_io import read_table

    interactions = read_table(_table_path(directory, "interactions"))
    outcomes = read_table(_table_path(directory, "outcomes"))
    return format_summary(summarize_world(interactions, outcomes))


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write interactions.csv, outcomes.csv, truth.csv, agents.csv.",
)
@click.option(
    "--interactions",
    "n_interactions",
    type=click.IntRange(min=1),
    help="Number of interactions to simulate.",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Random seed: the same seed writes the same world.",
)
@click.option("--summary", is_flag=True, help="Print a summary of the world after writing it.")
@click.option(
    "--from",
    "from_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Only summarise the import-format files in this directory (implies --summary).",
)
@click.option(
    "--closed-loop",
    is_flag=True,
    help="Drive the real service in process day by day (store and models under --out), "
    "retrain weekly and promote by the rule; print one line per week.",
)
@click.option("--weeks", type=click.IntRange(min=1), default=6, show_default=True)
@click.option("--per-day", type=click.IntRange(min=1), default=200, show_default=True)
@click.option(
    "--history",
    type=click.IntRange(min=100),
    default=5000,
    show_default=True,
    help="Imported contacts the first model is trained on (closed loop).",
)
@click.option(
    "--exploration",
    type=click.FloatRange(0, 1),
    default=0.05,
    show_default=True,
    help="Share of non-holdout decisions that explore (closed loop).",
)
@click.option(
    "--compliance",
    type=click.FloatRange(0, 1),
    default=0.7,
    show_default=True,
    help="Share of contacts where the agent uses the card shown first (closed loop).",
)
def simulate(
    out: Path | None,
    n_interactions: int | None,
    seed: int,
    summary: bool,
    from_dir: Path | None,
    closed_loop: bool,
    weeks: int,
    per_day: int,
    history: int,
    exploration: float,
    compliance: float,
) -> None:
    """Simulate a demo contact-centre world (truth.csv and agents.csv are for evaluation only)."""
    if closed_loop:
        if out is None:
            raise click.UsageError("--closed-loop needs --out D (its store and models)")
        from assist_api.services.studies.closed_loop import LoopConfig, run_closed_loop, week_table
        from assist_api.services.studies.closed_loop_world import Behaviour

        config = LoopConfig(
            weeks=weeks,
            contacts_per_day=per_day,
            history=history,
            epsilon=exploration,
            behaviour=Behaviour(compliance=compliance),
            seed=seed,
        )
        started = time.perf_counter()
        result = run_closed_loop(config, out)
        for line in week_table(result.weeks):
            click.echo(line)
        click.echo(f"closed loop of {weeks} weeks in {time.perf_counter() - started:.0f} s")
        return
    if from_dir is not None:
        if out is not None or n_interactions is not None:
            raise click.UsageError("--from summarises existing files; drop --out/--interactions")
        click.echo(_summarise_directory(from_dir))
        return
    if out is None or n_interactions is None:
        raise click.UsageError("--out and --interactions are required (or --from D)")

    from training.simulator.summary import format_summary, summarize_world
    from training.simulator.world import simulate_world, write_world

    started = time.perf_counter()
    world = simulate_world(n_interactions, seed=seed)
    paths = write_world(world, out)
    elapsed = time.perf_counter() - started
    for table, path in paths.items():
        click.echo(f"{table:<13} {path}")
    click.echo(f"{n_interactions:,} interactions (seed {seed}) in {elapsed:.1f} s")
    if summary:
        click.echo("")
        click.echo(format_summary(summarize_world(world.interactions, world.outcomes)))
