"""Limits on the shape of a JSON body, checked as it is parsed (once) before any route sees it.

The byte limit (MAX_CONTENT_LENGTH) bounds how much a client may send, but not what a
small body can cost or whether the store can keep it: 200 kB of `[` nests deeper than
Python's parser can recurse, a 5,000-digit number makes `int()` refuse, a string may
carry a lone surrogate (`"\\ud800"`: no UTF-8 encoding exists, so no database takes it)
or a NUL character (PostgreSQL refuses it), and an integer past 2^53 is not the same
number in every JSON reader. Each of those would surface as a 500 from deep inside a
route; here it becomes the contract's 400, 413 or 422, naming the field.
"""

import json

from assist_api.errors import InvalidFields, Malformed, TooLarge

MAX_SAFE_INTEGER = 2**53 - 1  # the largest integer every JSON reader reads exactly


def _name(trail) -> str:
    """`trail` is (key, parent trail) or None -> "customer.persona", "transcript[3]"."""
    keys = []
    while trail is not None:
        key, trail = trail
        keys.append(key)
    parts = []
    for key in reversed(keys):
        parts.append(f"[{key}]" if isinstance(key, int) else (f".{key}" if parts else key))
    return "".join(parts) or "body"


def _too_deep(field: str, max_depth: int) -> Malformed:
    return Malformed(
        f"{field} is nested deeper than {max_depth} levels",
        details={"field": field, "limit": max_depth},
    )


def _check_text(value: str, trail, max_chars: int) -> None:
    if len(value) > max_chars:
        raise TooLarge(
            f"{_name(trail)} has {len(value)} characters; the limit is {max_chars}",
            details={"field": _name(trail), "limit": max_chars},
        )
    if "\x00" in value:
        raise InvalidFields({_name(trail): ["must not contain NUL characters"]})
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidFields({_name(trail): ["is not valid Unicode text"]}) from None


NOT_JSON = object()  # the body does not parse: the route's own parser reports it as 400


def load_checked(raw: bytes, *, max_depth: int, max_string_chars: int):
    """The body's document (parsed here, once for the whole request), or NOT_JSON.

    Raises Malformed, TooLarge or InvalidFields for a body the routes must not see.
    """
    try:
        document = json.loads(raw)
    except RecursionError as exc:
        raise _too_deep("body", max_depth) from exc
    except (json.JSONDecodeError, UnicodeDecodeError):
        return NOT_JSON
    except ValueError as exc:  # an integer with more digits than int() accepts
        raise Malformed("the body holds a number with too many digits") from exc
    _check(document, max_depth=max_depth, max_string_chars=max_string_chars)
    return document


def check_document(document, *, max_depth: int, max_string_chars: int) -> None:
    """The same limits for a document that did not come as JSON (a card sent as YAML)."""
    _check(document, max_depth=max_depth, max_string_chars=max_string_chars)


def _check(document, *, max_depth: int, max_string_chars: int) -> None:
    stack = [(document, 0, None)]
    while stack:
        value, depth, trail = stack.pop()
        if depth > max_depth:
            raise _too_deep(_name(trail), max_depth)
        if isinstance(value, str):
            _check_text(value, trail, max_string_chars)
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int) and abs(value) > MAX_SAFE_INTEGER:
            raise InvalidFields({_name(trail): [f"must be between ±{MAX_SAFE_INTEGER}"]})
        elif isinstance(value, dict):
            for key, item in value.items():
                _check_text(key, trail, max_string_chars)
                stack.append((item, depth + 1, (key, trail)))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, (i, trail)) for i, item in enumerate(value))
