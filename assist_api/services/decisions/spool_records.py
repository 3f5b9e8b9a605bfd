"""Spool records that carry their own length and checksum, so a torn write loses only itself.

A JSON line ends where the next newline is: if a full disk cuts a write short, the next
(complete, fsync'd, acknowledged) append is glued onto the torn half and the combined line
is unreadable, so an acknowledged decision is lost. A record here is

    RS "VA1 " <payload bytes, 8 hex> " " <CRC-32 of the payload, 8 hex> " " <payload> LF

where RS is the ASCII record separator 0x1E. JSON escapes every control character inside
strings, so RS never occurs in a payload: a reader finds each record's start by it alone,
checks length and checksum, and sets aside only what fails (the torn half), never the
complete record after it. Files written before this format (plain JSON lines, no RS) are
still read line by line.
"""

import zlib
from dataclasses import dataclass

SEPARATOR = b"\x1e"
MAGIC = b"VA1 "
_HEADER_CHARS = len(MAGIC) + 8 + 1 + 8 + 1


@dataclass(frozen=True)
class Chunk:
    raw: bytes  # exactly the bytes read, for the rejected file
    payload: bytes | None  # None: torn or corrupted


def encode_record(payload: bytes) -> bytes:
    """One framed record for `payload` (JSON text without RS characters)."""
    if SEPARATOR in payload:
        raise ValueError("a spool payload must not contain the record separator")
    header = b"%s%08x %08x " % (MAGIC, len(payload), zlib.crc32(payload))
    return SEPARATOR + header + payload + b"\n"


def _decode_one(body: bytes) -> tuple[bytes | None, bytes]:
    """(the payload of one record, or None when it is damaged; bytes after the record
    that belong to no record, e.g. an unframed write glued on by a crash)."""
    if len(body) < _HEADER_CHARS or not body.startswith(MAGIC):
        return None, b""
    try:
        length = int(body[4:12], 16)
        checksum = int(body[13:21], 16)
    except ValueError:
        return None, b""
    end = _HEADER_CHARS + length
    payload = body[_HEADER_CHARS:end]
    if len(payload) != length or zlib.crc32(payload) != checksum or body[end : end + 1] != b"\n":
        return None, b""
    return payload, body[end + 1 :]


def split_records(data: bytes) -> list[Chunk]:
    """Every record in a file's bytes, in order; damaged ones with payload None."""
    head, *bodies = data.split(SEPARATOR)
    # before the first RS: JSON lines from before framed records (decoded as they are)
    chunks = [Chunk(line, line) for line in head.splitlines(keepends=True) if line.strip()]
    for body in bodies:
        payload, stray = _decode_one(body)
        record = SEPARATOR + (body[: len(body) - len(stray)] if stray else body)
        chunks.append(Chunk(record, payload))
        if stray.strip():
            chunks.append(Chunk(stray, None))
    return chunks
