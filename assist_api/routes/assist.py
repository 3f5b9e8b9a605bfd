"""POST /v1/assist — score a live interaction and return the agent's guidance."""

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from assist_api.errors import ErrorSchema
from assist_api.metrics import observe_assist
from assist_api.routes.common import secured
from assist_api.schemas.assist import AssistRequestSchema, AssistResponseSchema
from assist_api.services.assist import assist
from assist_api.services.stage_timer import StageTimer

blp = Blueprint("assist", __name__, url_prefix="/v1", description="Live guidance for agents")


@blp.route("/assist")
class Assist(MethodView):
    @secured(blp, "agent")
    @blp.arguments(AssistRequestSchema)
    @blp.response(200, AssistResponseSchema)
    @blp.alt_response(413, schema=ErrorSchema, description="transcript over the size limit")
    def post(self, data):
        """Score a live interaction: openness, reasons, ranked cards, route, holdout.

        Call it again as the conversation goes on: each call is the next decision in the
        interaction's sequence, and `top_card_changed` says whether the best card moved.
        """
        timer = StageTimer()
        answer = assist(data, current_app.extensions["assist_dependencies"], timer)
        observe_assist(
            timer.seconds, answer["openness"]["band"], answer["route"]["pool"], answer["degraded"]
        )
        return answer
