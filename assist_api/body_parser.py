"""flask-smorest's Blueprint, reading request bodies the before-request check parsed.

Every JSON body on /v1 is parsed once, when its limits are checked
(`assist_api.json_limits`), and the document is kept in `g.json_body`; webargs would
parse the bytes a second time. Routes declare arguments as usual
(`@blp.arguments(Schema)`); only where the document comes from changes. A body that did
not parse goes to webargs' own reader, which reports it as the usual 400.
"""

from flask import g
from flask_smorest import Blueprint as SmorestBlueprint
from webargs.flaskparser import FlaskParser, is_json_request

from assist_api.json_limits import NOT_JSON


class ParsedBodyParser(FlaskParser):
    def _raw_load_json(self, req):
        document = g.get("json_body", NOT_JSON)
        if document is NOT_JSON or not is_json_request(req):
            return super()._raw_load_json(req)
        return document


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = ParsedBodyParser()
