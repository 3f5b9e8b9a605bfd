"""`value-assist playbooks validate|import|export [DIR]`: card files and the store.

`validate` is for CS leads editing cards in a repository and for CI: every problem in
every file is printed as `file: field: reason`, and the exit code is 1 if there is any.
`import` adds the cards of DIR that the store lacks (published as version 1); the store
is the source of truth afterwards, and `export` writes it back as files for review in git.
"""

from pathlib import Path

import click

from prompts_playbooks import SHIPPED_CARDS_DIR
from prompts_playbooks.loader import CARD_SUFFIX, validate_dir


def cards_dir(exists: bool):
    """The commands' optional DIR argument (default: the shipped starter cards)."""
    return click.argument(
        "directory",
        metavar="[DIR]",
        required=False,
        default=SHIPPED_CARDS_DIR,
        type=click.Path(exists=exists, file_okay=False, path_type=Path),
    )


@click.group("playbooks")
def playbooks() -> None:
    """Playbook cards."""


@playbooks.command("validate")
@cards_dir(exists=True)
def validate(directory: Path) -> None:
    """Validate every <card_id>.yaml in DIR (default: the shipped cards)."""
    problems = validate_dir(directory)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        broken = len({problem.file for problem in problems})
        click.echo(f"{len(problems)} problem(s) in {broken} file(s)")
        raise click.exceptions.Exit(1)
    count = len(list(directory.rglob(f"*{CARD_SUFFIX}")))
    click.echo(f"{count} card(s) valid in {directory}")


@playbooks.command("import")
@cards_dir(exists=True)
def import_command(directory: Path) -> None:
    """Add the cards in DIR that the store does not have yet (default: the starter cards).

    Cards already in the store are left alone: change them with the editor or the API.
    """
    from assist_api.cli.context import open_store, settings_from_env
    from assist_api.cli.service import local_actor
    from assist_api.services.playbooks.editing import seed_from_files
    from assist_api.store.migrate import upgrade
    from prompts_playbooks.cards import CardValidationError

    settings = settings_from_env()
    upgrade(settings.database_url)
    with open_store(settings) as store, store.uow() as uow:
        try:
            seeded = seed_from_files(uow.session, directory, actor=local_actor())
        except CardValidationError as exc:
            for problem in exc.problems:
                click.echo(str(problem))
            click.echo(f"nothing imported: {len(exc.problems)} problem(s)")
            raise click.exceptions.Exit(1) from None
        uow.commit()
    for card_id in seeded:
        click.echo(f"imported {card_id} (version 1, published)")
    total = len(list(directory.rglob(f"*{CARD_SUFFIX}")))
    click.echo(f"{len(seeded)} card(s) imported; {total - len(seeded)} already in the store")


@playbooks.command("export")
@cards_dir(exists=False)
@click.option("--drafts", is_flag=True, help="write each card's latest version, published or not")
def export_command(directory: Path, drafts: bool) -> None:
    """Write the store's published cards to DIR as <card_id>.yaml (default: the starter
    cards' folder, so `git diff` shows what leads changed)."""
    from assist_api.cli.context import open_store, settings_from_env
    from assist_api.services.playbooks.reading import export_to_dir

    with open_store(settings_from_env()) as store, store.uow() as uow:
        written = export_to_dir(uow.session, directory, drafts=drafts)
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"{len(written)} card(s) written to {directory}; the others were unchanged")


def register(group: click.Group) -> None:
    group.add_command(playbooks)
