"""The base schema (unknown fields are an error, never silently dropped) and the id rule.

The rule for ids is features/ids.py's, shared with the importer: an id /v1/assist accepts
is one /v1/outcomes and `value-assist import` accept too.
"""

import marshmallow as ma
from marshmallow import validate

from features.ids import HIDDEN_CHARACTERS_PROBLEM, MAX_ID_CHARS, has_hidden_characters


def _plain_text_id(value: str) -> str:
    if has_hidden_characters(value):
        raise ma.ValidationError(HIDDEN_CHARACTERS_PROBLEM)
    return value


ID = validate.And(validate.Length(min=1, max=MAX_ID_CHARS), _plain_text_id)


class BaseSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE
        ordered = True
