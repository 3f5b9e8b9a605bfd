"""An integer field that also takes whole-valued numbers: `csat: 4.0` is 4.

JSON has one number type, and many clients (JavaScript, spreadsheets, BI exports) write
every number as a float, so refusing 4.0 as "Not a valid integer" only punishes them.
4.5 is still refused, and so are strings and booleans (`true` is not 1): the field
stays strict about everything that is not a whole number.
"""

import math

from marshmallow import fields


class WholeNumber(fields.Integer):
    default_error_messages = {
        "invalid": "Not a valid integer.",
        "not_whole": "Must be a whole number (4 or 4.0, not 4.5).",
    }

    def __init__(self, **kwargs):
        kwargs["strict"] = True  # no strings; whole floats are handled below
        super().__init__(**kwargs)

    def _validated(self, value):
        if isinstance(value, float) and not isinstance(value, bool):
            if not math.isfinite(value) or not value.is_integer():
                raise self.make_error("not_whole")
            value = int(value)
        return super()._validated(value)
