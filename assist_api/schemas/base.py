"""The base schema: unknown fields are an error, never silently dropped."""

import marshmallow as ma


class BaseSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE
        ordered = True
