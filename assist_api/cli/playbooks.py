"""`value-assist playbooks validate [DIR]`: check card files before they ship or are imported.

Meant for CS leads editing cards in a repository and for CI: every problem in every file
is printed as `file: field: reason`, and the exit code is 1 if there is any.
"""

from pathlib import Path

import click

from prompts_playbooks import SHIPPED_CARDS_DIR
from prompts_playbooks.loader import CARD_SUFFIX, validate_dir


@click.group("playbooks")
def playbooks() -> None:
    """Playbook cards."""


@playbooks.command("validate")
@click.argument(
    "directory",
    metavar="[DIR]",
    required=False,
    default=SHIPPED_CARDS_DIR,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
def validate(directory: Path) -> None:
    """Validate every <card_id>.yaml in DIR (default: the shipped cards)."""
    problems = validate_dir(directory)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        broken = len({problem.file for problem in problems})
        click.echo(f"{len(problems)} problem(s) in {broken} file(s)")
        raise click.exceptions.Exit(1)
    count = len(list(directory.glob(f"*{CARD_SUFFIX}")))
    click.echo(f"{count} card(s) valid in {directory}")


def register(group: click.Group) -> None:
    group.add_command(playbooks)
