"""POST /v1/outcomes — record what happened after an interaction."""

from dataclasses import asdict
from datetime import UTC, datetime

from flask import current_app
from flask.views import MethodView

from assist_api.body_parser import Blueprint
from assist_api.errors import ErrorSchema
from assist_api.routes.common import secured
from assist_api.schemas.outcomes import OutcomeRequestSchema, OutcomeResponseSchema
from assist_api.services.outcomes.record import record_outcome

blp = Blueprint("outcomes", __name__, url_prefix="/v1", description="Outcomes of interactions")


@blp.route("/outcomes")
class Outcomes(MethodView):
    @secured(blp, "agent")
    @blp.arguments(OutcomeRequestSchema)
    @blp.response(200, OutcomeResponseSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="the interaction is not known")
    @blp.alt_response(
        409,
        schema=ErrorSchema,
        description="card_id_used was not offered in this interaction, or the interaction is "
        "in the control group (no card was shown)",
    )
    def post(self, data):
        """Record outcomes: any subset of fields, any number of times; retries change nothing.

        Each post is kept as an event and the latest value of each field wins, so the
        survey, the retention job and the telephony platform can each post what they know
        when they know it. The answer is the interaction's current merged outcome.
        """
        store = current_app.extensions["store"]
        return asdict(record_outcome(store, data, now=datetime.now(UTC)))
