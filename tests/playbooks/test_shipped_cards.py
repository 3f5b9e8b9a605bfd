"""The starter playbook: every shipped card loads, renders and round-trips."""

from collections import Counter

import pytest
import yaml

from features.vocabulary import ACTIVITIES, CARD_LANGUAGES
from prompts_playbooks import SHIPPED_CARDS_DIR
from prompts_playbooks.context import SAMPLE_CONTEXTS
from prompts_playbooks.loader import (
    card_to_dict,
    dump_card_yaml,
    load_card_file,
    load_cards,
    parse_card,
    validate_dir,
)
from prompts_playbooks.render import render_card

SHIPPED = sorted(SHIPPED_CARDS_DIR.glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[path.stem for path in SHIPPED])
def test_shipped_card_is_valid_and_renders(path):
    card = load_card_file(path)
    assert card.card_id == path.stem
    assert set(CARD_LANGUAGES) <= set(card.texts)
    for text in card.texts.values():
        assert 2 <= len(text.talk_track) <= 4
        assert text.evidence and text.avoid
    for sample in SAMPLE_CONTEXTS:
        for lang in CARD_LANGUAGES:
            rendered = render_card(card, lang, sample)
            assert rendered.language == lang
            shown = [rendered.title, rendered.body, *rendered.talk_track]
            assert all(line and "{" not in line and "None" not in line for line in shown)


@pytest.mark.parametrize("path", SHIPPED, ids=[path.stem for path in SHIPPED])
def test_shipped_card_round_trips_through_export(path):
    card = load_card_file(path)
    assert parse_card(card_to_dict(card), "export") == card
    assert parse_card(yaml.safe_load(dump_card_yaml(card)), "export") == card


def test_at_least_three_cards_per_activity():
    counts = Counter(card.activity for card in load_cards())
    assert all(counts[activity] >= 3 for activity in ACTIVITIES), counts


def test_talk_tracks_use_customer_placeholders():
    placeholders = [
        card.card_id
        for card in load_cards()
        if any("{{ customer." in line for line in card.texts["en"].talk_track)
    ]
    assert len(placeholders) >= 5


def test_every_activity_has_a_self_service_card():
    served = {card.activity for card in load_cards() if card.texts["en"].self_service_text}
    assert served == set(ACTIVITIES)


def test_shipped_folder_has_no_problems():
    assert validate_dir(SHIPPED_CARDS_DIR) == []
