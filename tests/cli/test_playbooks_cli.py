"""`value-assist playbooks import` and `export`: files into the store and back, via click."""

import shutil

import click
import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import func, select

from assist_api.cli.playbooks import register
from assist_api.services.playbooks.editing import publish, save_draft
from assist_api.store.card_tables import Card as CardRow
from assist_api.store.store import Store
from prompts_playbooks import SHIPPED_CARDS_DIR

CARD_ID = "anticipate_needs.connect_products"


@pytest.fixture
def cli() -> click.Group:
    @click.group()
    def main():
        pass

    register(main)
    return main


@pytest.fixture
def store_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("VALUE_ASSIST_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("VALUE_ASSIST_DATABASE_URL", url)
    return url


def card_count(url: str) -> int:
    store = Store.open(url)
    try:
        with store.uow() as uow:
            return uow.session.scalar(select(func.count()).select_from(CardRow))
    finally:
        store.close()


def test_import_adds_the_missing_cards_once(cli, store_url, tmp_path):
    first = CliRunner().invoke(cli, ["playbooks", "import"])
    assert first.exit_code == 0, first.output
    assert first.output.splitlines()[-1] == "15 card(s) imported; 0 already in the store"
    again = CliRunner().invoke(cli, ["playbooks", "import"])
    assert again.output.splitlines() == ["0 card(s) imported; 15 already in the store"]
    assert card_count(store_url) == 15


def test_a_broken_folder_imports_nothing_and_names_file_and_field(cli, store_url, tmp_path):
    folder = tmp_path / "cards"
    shutil.copytree(SHIPPED_CARDS_DIR, folder)
    broken = folder / f"{CARD_ID}.yaml"
    data = yaml.safe_load(broken.read_text(encoding="utf-8"))
    data["texts"]["ja"]["title"] = "{{ customer.secret }}"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    result = CliRunner().invoke(cli, ["playbooks", "import", str(folder)])

    assert result.exit_code == 1
    assert f"{broken}: texts.ja.title: unknown variable 'customer.secret'" in result.output
    assert card_count(store_url) == 0


def test_export_writes_only_what_leads_changed(cli, store_url, tmp_path):
    CliRunner().invoke(cli, ["playbooks", "import"])
    folder = tmp_path / "review"
    shutil.copytree(SHIPPED_CARDS_DIR, folder)
    store = Store.open(store_url)
    try:
        with store.uow() as uow:
            card = yaml.safe_load((folder / f"{CARD_ID}.yaml").read_text(encoding="utf-8"))
            card["texts"]["en"]["title"] = "Connect what they already own"
            save_draft(uow.session, CARD_ID, card, 1, actor="lead")
            uow.commit()
        drafts_only = CliRunner().invoke(cli, ["playbooks", "export", str(folder)])
        assert drafts_only.output.splitlines()[-1].startswith("0 card(s) written")
        with store.uow() as uow:
            publish(uow.session, CARD_ID, 2, actor="lead", two_person=False)
            uow.commit()
    finally:
        store.close()

    result = CliRunner().invoke(cli, ["playbooks", "export", str(folder)])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"wrote {folder / f'{CARD_ID}.yaml'}"
    assert result.output.splitlines()[-1].startswith("1 card(s) written")
    exported = yaml.safe_load((folder / f"{CARD_ID}.yaml").read_text(encoding="utf-8"))
    assert exported["texts"]["en"]["title"] == "Connect what they already own"
    valid = CliRunner().invoke(cli, ["playbooks", "validate", str(folder)])
    assert valid.exit_code == 0, valid.output


def test_export_with_drafts_writes_the_latest_versions(cli, store_url, tmp_path):
    CliRunner().invoke(cli, ["playbooks", "import"])
    store = Store.open(store_url)
    try:
        with store.uow() as uow:
            card = yaml.safe_load((SHIPPED_CARDS_DIR / f"{CARD_ID}.yaml").read_text("utf-8"))
            card["weight"] = 2.5
            save_draft(uow.session, CARD_ID, card, 1, actor="lead")
            uow.commit()
    finally:
        store.close()
    out = tmp_path / "out"

    result = CliRunner().invoke(cli, ["playbooks", "export", str(out), "--drafts"])

    assert result.output.splitlines()[-1].startswith("15 card(s) written")
    assert yaml.safe_load((out / f"{CARD_ID}.yaml").read_text("utf-8"))["weight"] == 2.5
