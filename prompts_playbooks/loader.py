"""Card files in and out: `<card_id>.yaml`, one card per file, read with `yaml.safe_load`.

Every problem is collected, never just the first, so a CS lead fixing a folder of cards
(or the CLI's `playbooks validate`) sees the whole list as `file: field: reason` at once.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from marshmallow import ValidationError

from prompts_playbooks import SHIPPED_CARDS_DIR
from prompts_playbooks.cards import Card, CardValidationError, Problem
from prompts_playbooks.schema import CardSchema

CARD_SUFFIX = ".yaml"
WHOLE_CARD = "(card)"  # the field name used when a problem is about the card as a whole

_SCHEMA = CardSchema()


def _flatten(source: str, messages: Any, path: tuple[str, ...] = ()) -> Iterator[Problem]:
    """marshmallow's nested messages -> one Problem per reason, with a dotted field path."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _flatten(source, value, path if key == "_schema" else (*path, str(key)))
    elif isinstance(messages, list):
        for message in messages:
            yield from _flatten(source, message, path)
    else:
        yield Problem(source, ".".join(path) or WHOLE_CARD, str(messages))


def parse_card(data: Any, source: str, expected_id: str | None = None) -> Card:
    """Validate one card's data; `source` names it in problems (a file name or an API path).

    `expected_id` is the id the card is saved under (its file name, or the URL of a PUT);
    a card whose own id differs is rejected. Raises CardValidationError.
    """
    if not isinstance(data, dict):
        raise CardValidationError([Problem(source, WHOLE_CARD, "must be a mapping of fields")])
    problems = []
    try:
        card = _SCHEMA.load(data)
    except ValidationError as exc:
        problems = list(_flatten(source, exc.messages))
    if expected_id is not None and data.get("id") != expected_id:
        reason = f"must equal {expected_id!r}, the name the card is saved under"
        problems.append(Problem(source, "id", reason))
    if problems:
        raise CardValidationError(problems)
    return card


def load_card_file(path: str | Path) -> Card:
    """Read and validate `<card_id>.yaml`; the file name must be the card's id."""
    path = Path(path)
    source = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CardValidationError([Problem(source, "(yaml)", f"{where}{problem}")]) from None
    except UnicodeDecodeError:
        raise CardValidationError([Problem(source, "(file)", "must be UTF-8 text")]) from None
    return parse_card(data, source, expected_id=path.name.removesuffix(CARD_SUFFIX))


def _load_all(directory: Path) -> tuple[list[Card], list[Problem]]:
    """Cards in `directory` and its sub-folders (so `prompts_playbooks/` finds `cards/`)."""
    cards, problems = [], []
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        if path.suffix == ".yml":
            problems.append(Problem(str(path), "(file)", f"card files end in {CARD_SUFFIX}"))
        elif path.suffix == CARD_SUFFIX:
            try:
                cards.append(load_card_file(path))
            except CardValidationError as exc:
                problems.extend(exc.problems)
    return cards, problems


def load_cards(directory: str | Path | None = None) -> list[Card]:
    """Every card in `directory` (default: the shipped cards), sorted by id; all or nothing."""
    cards, problems = _load_all(Path(directory or SHIPPED_CARDS_DIR))
    if problems:
        raise CardValidationError(problems)
    return sorted(cards, key=lambda card: card.card_id)


def validate_dir(directory: str | Path) -> list[Problem]:
    """Every problem in every card file of `directory`; empty when all are valid."""
    return _load_all(Path(directory))[1]


# Rules that are off unless a card switches them on: `false` is noise in a file, as None is.
OFF_BY_DEFAULT = frozenset({"after_resolution"})


def _prune(value: Any) -> Any:
    """Drop None and empty lists/mappings: they mean "no restriction" and only add noise."""
    if isinstance(value, dict):
        pruned = {key: _prune(item) for key, item in value.items()}
        return {
            key: item
            for key, item in pruned.items()
            if item not in (None, [], {}) and not (key in OFF_BY_DEFAULT and item is False)
        }
    if isinstance(value, list):
        return [_prune(item) for item in value]
    return value


def card_to_dict(card: Card) -> dict:
    """The card as file data (no version: the store keeps versions); parse_card's inverse."""
    return _prune(_SCHEMA.dump(card))


def dump_card_yaml(card: Card) -> str:
    """The card as the text of `<card_id>.yaml`, Japanese kept readable."""
    return yaml.safe_dump(card_to_dict(card), allow_unicode=True, sort_keys=False, width=100)
