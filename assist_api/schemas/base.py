"""The base schema (unknown fields are an error, never silently dropped) and the one rule
for ids that clients send.

An id is kept, logged and sent back, and other routes look it up later: one that holds a
control character, or a bidirectional or invisible formatting character (which can make
`i-1001` display as something else), is refused everywhere the same way, so an id
/v1/assist accepts is always one /v1/outcomes accepts too.
"""

import unicodedata

import marshmallow as ma
from marshmallow import validate

MAX_ID_CHARS = 128


def _plain_text_id(value: str) -> str:
    if any(unicodedata.category(char) in ("Cc", "Cf") for char in value):
        raise ma.ValidationError(
            "must not contain control characters or invisible formatting characters (bidi marks)"
        )
    return value


ID = validate.And(validate.Length(min=1, max=MAX_ID_CHARS), _plain_text_id)


class BaseSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE
        ordered = True
