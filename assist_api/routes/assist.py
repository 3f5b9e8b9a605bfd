"""POST /v1/assist — score a live interaction and return the agent's guidance."""

from flask import current_app, g
from flask.views import MethodView

from assist_api.body_parser import Blueprint
from assist_api.errors import ErrorSchema
from assist_api.metrics import observe_assist
from assist_api.routes.common import secured
from assist_api.schemas.assist import AssistRequestSchema, AssistResponseSchema
from assist_api.services.assist.pipeline import assist

blp = Blueprint("assist", __name__, url_prefix="/v1", description="Live guidance for agents")
# Instances, not classes: flask-smorest would build (and deep-copy) a schema per request.
REQUEST_SCHEMA = AssistRequestSchema()
# Documents the answer. `assist` builds the answer in exactly this shape (a test checks that
# dumping it changes nothing), so the view sends it as it is: the dump cost ~40 µs a call.
RESPONSE_SCHEMA = AssistResponseSchema()


@blp.route("/assist")
class Assist(MethodView):
    @secured(blp, "agent")
    @blp.arguments(REQUEST_SCHEMA)
    @blp.response(200, RESPONSE_SCHEMA)
    @blp.alt_response(413, schema=ErrorSchema, description="transcript over the size limit")
    def post(self, data):
        """Score a live interaction: openness, reasons, ranked cards, route, holdout.

        Call it again as the conversation goes on: each call is the next decision in the
        interaction's sequence, and `top_card_changed` says whether the best card moved.
        """
        deps = current_app.extensions["assist_dependencies"]
        answer = assist(data, deps, test=g.identity.test, caller=g.identity)  # set by @secured
        observe_assist(answer)
        return current_app.json.response(answer)
