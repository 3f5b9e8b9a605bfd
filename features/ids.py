"""The one rule for the ids clients and files send (the API's schemas and the importer).

An id is kept, logged, sent back and looked up later: one holding a control character, or a
bidirectional or invisible formatting character (which can make `i-1001` display as
something else), is refused everywhere the same way, so an id one way in accepts is an id
every other way accepts too.
"""

import unicodedata

MAX_ID_CHARS = 128
HIDDEN_CHARACTERS_PROBLEM = (
    "must not contain control characters or invisible formatting characters (bidi marks)"
)
_HIDDEN_CATEGORIES = frozenset(("Cc", "Cf"))


def has_hidden_characters(value: str) -> bool:
    """Whether `value` holds a control (Cc) or formatting (Cf, e.g. bidi) character."""
    return any(unicodedata.category(char) in _HIDDEN_CATEGORIES for char in value)
