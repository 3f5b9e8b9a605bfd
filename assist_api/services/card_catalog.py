"""Where the assist path gets its published cards from.

`FileCardCatalog` serves the starter playbook shipped in prompts_playbooks/cards; the
versioned store replaces it once leads edit cards (same `published()` interface).
"""

from collections.abc import Sequence

from prompts_playbooks.cards import Card
from prompts_playbooks.loader import load_cards


class FileCardCatalog:
    def __init__(self, directory=None):
        self._cards = tuple(load_cards(directory))

    def published(self) -> Sequence[Card]:
        return self._cards
