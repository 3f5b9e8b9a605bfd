"""What every connector returns, and the one error a malformed event raises.

A connector reads only the fields it needs and names the first one that is missing or
of the wrong type with its path in the event (`Segments[2].Transcript.Content`), so the
platform's operator can find the bad field in their own payload.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

SPEAKERS = ("customer", "agent", "system", "bot")
MAX_ID = 128  # interaction and utterance ids (the store's interaction_id column)
MAX_TEXT = 20_000  # one utterance (a Zendesk comment is the longest kind)


class EventInvalid(ValueError):
    """A native event that cannot be mapped: `path` names the field, `reason` says why."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Mapped:
    """One native event, mapped. `utterances` may be empty (session start/end events)."""

    interaction_id: str
    utterances: list[dict] = field(default_factory=list)
    language: str | None = None  # the platform's language tag, when it gives one


def utterance(
    utterance_id: str,
    speaker: str,
    text: str,
    *,
    is_final: bool,
    offset_ms: int,
    language: str | None = None,
) -> dict:
    """An utterance in the shape `POST /v1/interactions/{id}/utterances` takes."""
    item = {
        "utterance_id": utterance_id,
        "speaker": speaker,
        "text": text,
        "is_final": is_final,
        "offset_ms": offset_ms,
    }
    if language:
        item["language"] = language
    return item


def need(
    container: object,
    key: str,
    kind: type | tuple[type, ...],
    path: str,
    max_length: int = MAX_ID,
):
    """`container[key]`, which must exist and be of `kind` (a str at most `max_length`
    characters: ids must fit the store's columns); else EventInvalid naming it."""
    where = f"{path}.{key}" if path else key
    if not isinstance(container, Mapping):
        raise EventInvalid(path or "body", "must be an object")
    if key not in container or container[key] is None:
        raise EventInvalid(where, "is required")
    value = container[key]
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise EventInvalid(where, "must be a number")
    if not isinstance(value, kind):
        raise EventInvalid(where, f"must be {_kind_name(kind)}")
    if isinstance(value, str) and not value.strip():
        raise EventInvalid(where, "must not be empty")
    if isinstance(value, (str, int)) and len(str(value)) > max_length:
        raise EventInvalid(where, f"longer than {max_length} characters")
    return value


def maybe(
    container: Mapping,
    key: str,
    kind: type | tuple[type, ...],
    path: str,
    max_length: int = MAX_ID,
):
    """`container[key]` when present (and of `kind`), else None."""
    if container.get(key) is None:
        return None
    return need(container, key, kind, path, max_length)


def text(container: object, key: str, path: str) -> str:
    """An utterance's words: a non-empty string of at most MAX_TEXT characters."""
    return need(container, key, str, path, max_length=MAX_TEXT)


def epoch_ms(text: str, path: str) -> int:
    """An ISO 8601 time as milliseconds since the Unix epoch (offsets for platforms that
    give wall-clock times: within one interaction they order utterances just as well)."""
    try:
        moment = datetime.fromisoformat(_trim_fraction(text.replace("Z", "+00:00")))
    except ValueError as exc:
        raise EventInvalid(path, "must be an ISO 8601 date-time") from exc
    if moment.tzinfo is None:
        raise EventInvalid(path, "must carry a time zone (e.g. Z)")
    return int(moment.timestamp() * 1000)


def _trim_fraction(text: str) -> str:
    """Python reads at most 6 fractional digits; Zendesk sends 9 (nanoseconds)."""
    head, dot, rest = text.partition(".")
    if not dot:
        return text
    digits = len(rest) - len(rest.lstrip("0123456789"))
    return f"{head}.{rest[: min(digits, 6)]}{rest[digits:]}"


def _kind_name(kind) -> str:
    names = {str: "a string", bool: "true or false", int: "a whole number", list: "a list"}
    names[dict] = "an object"
    if isinstance(kind, tuple):
        return "a number" if set(kind) == {int, float} else " or ".join(map(_kind_name, kind))
    return names.get(kind, kind.__name__)
