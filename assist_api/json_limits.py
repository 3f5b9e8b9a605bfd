"""Limits on the shape of a JSON body, checked before any route parses it.

The byte limit (MAX_CONTENT_LENGTH) bounds how much a client may send, but not what a
small body can cost: 200 kB of `[` nests deeper than Python's parser can recurse, a
200 kB string can be stored and echoed, and a 5,000-digit number makes `int()` refuse.
Each of those would otherwise surface as a 500 from deep inside a route. Here they
become the contract's 400 or 413, naming the field and the limit.
"""

import json

from assist_api.errors import Malformed, TooLarge


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


def check_json_limits(raw: bytes, *, max_depth: int, max_string_chars: int) -> None:
    """Raise Malformed (too deep, unreadable number) or TooLarge (a string over the limit).

    Bodies that are not JSON at all pass: the route's own parser reports them as 400.
    """
    try:
        document = json.loads(raw)
    except RecursionError as exc:
        raise _too_deep("body", max_depth) from exc
    except (json.JSONDecodeError, UnicodeDecodeError):
        return
    except ValueError as exc:  # an integer with more digits than int() accepts
        raise Malformed("the body holds a number with too many digits") from exc
    stack = [(document, 0, None)]
    while stack:
        value, depth, trail = stack.pop()
        if depth > max_depth:
            raise _too_deep(_name(trail), max_depth)
        if isinstance(value, str):
            if len(value) > max_string_chars:
                raise TooLarge(
                    f"{_name(trail)} has {len(value)} characters; the limit is {max_string_chars}",
                    details={"field": _name(trail), "limit": max_string_chars},
                )
        elif isinstance(value, dict):
            for key, item in value.items():
                if len(key) > max_string_chars:
                    raise TooLarge(
                        f"a field name in {_name(trail)} is over {max_string_chars} characters",
                        details={"field": _name(trail), "limit": max_string_chars},
                    )
                stack.append((item, depth + 1, (key, trail)))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, (i, trail)) for i, item in enumerate(value))
