"""The README's promises that a command can check."""

from pathlib import Path

from click.testing import CliRunner

from assist_api.cli import main

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_starts_with_the_two_setup_commands():
    first_block = README.read_text("utf-8").split("```")[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()[1:] if line]
    assert commands == ["make demo", "make test"]


def test_readme_settings_table_is_what_the_settings_command_prints():
    text = README.read_text("utf-8")
    table = text.split("<!-- settings-table -->\n")[1].split("<!-- /settings-table -->")[0]
    printed = CliRunner().invoke(main, ["settings"]).output
    assert table.strip() == printed.strip()
