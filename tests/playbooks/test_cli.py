"""`value-assist playbooks validate [DIR]` through click's CliRunner."""

import click
import pytest
from click.testing import CliRunner

from assist_api.cli.playbooks import register
from prompts_playbooks import SHIPPED_CARDS_DIR


@pytest.fixture
def cli() -> click.Group:
    @click.group()
    def main():
        pass

    register(main)
    return main


def test_shipped_cards_validate(cli):
    result = CliRunner().invoke(cli, ["playbooks", "validate"])
    assert result.exit_code == 0, result.output
    count = len(list(SHIPPED_CARDS_DIR.glob("*.yaml")))
    assert result.output == f"{count} card(s) valid in {SHIPPED_CARDS_DIR}\n"


def test_valid_folder(cli, tmp_path, write_card, card_data):
    write_card(card_data)
    result = CliRunner().invoke(cli, ["playbooks", "validate", str(tmp_path)])
    assert result.exit_code == 0
    assert result.output == f"1 card(s) valid in {tmp_path}\n"


def test_broken_folder_lists_every_problem(cli, tmp_path, write_card, card_data):
    good = write_card(card_data)
    card_data["weight"] = 0
    card_data["texts"]["en"]["body"] = "{{ ''.__class__ }}"
    bad = write_card(card_data, "educate_usage.bad")
    result = CliRunner().invoke(cli, ["playbooks", "validate", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{bad}: weight: must be greater than 0" in lines
    assert f"{bad}: texts.en.body: attribute '__class__' reaches Python internals" in lines
    assert f"{bad}: id: must equal 'educate_usage.bad', the name the card is saved under" in lines
    assert not any(line.startswith(str(good)) for line in lines)
    assert lines[-1] == "3 problem(s) in 1 file(s)"


def test_missing_folder_is_a_usage_error(cli, tmp_path):
    result = CliRunner().invoke(cli, ["playbooks", "validate", str(tmp_path / "nope")])
    assert result.exit_code == 2
