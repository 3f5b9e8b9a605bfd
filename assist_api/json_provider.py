"""Flask's JSON responses through orjson.

Encoding was ~40 µs of a /v1/assist answer with the standard library (inside a worker
whose caches the rest of the machine keeps evicting); orjson does it in a few. What goes
over the wire does not change: UTF-8 without escapes, in the order the answer was built
(what `ensure_ascii=False` and `sort_keys=False` gave before), and anything orjson has no
native form for (a datetime, a Decimal, a set) goes to Flask's own `default`, so it is
written as Flask writes it. Reading stays the standard library's: orjson reads an integer
over 64 bits as a float, which would hide it from the limits check
(`assist_api.json_limits`); a body is parsed only once anyway.
"""

import orjson
from flask.json.provider import DefaultJSONProvider

# Datetimes go to Flask's `default` (an HTTP date), as before; int keys become strings.
DUMP_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


class OrjsonProvider(DefaultJSONProvider):
    ensure_ascii = False  # orjson always writes UTF-8: kept true to what is sent
    sort_keys = False  # keep the schemas' field order

    def dumps(self, obj, **kwargs) -> str:
        if kwargs:  # asked for a layout orjson does not do (indent, separators...)
            return super().dumps(obj, **kwargs)
        return orjson.dumps(obj, default=self.default, option=DUMP_OPTIONS).decode()

    def response(self, *args, **kwargs):
        obj = self._prepare_response_obj(args, kwargs)
        if (self.compact is None and self._app.debug) or self.compact is False:
            return super().response(obj)  # indented for people reading it in debug mode
        body = orjson.dumps(obj, default=self.default, option=DUMP_OPTIONS)
        return self._app.response_class(body, mimetype=self.mimetype)
