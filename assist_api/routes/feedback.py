"""The agent's card feedback: PUT it per card of a decision; leads read the summary."""

from datetime import UTC, datetime

from flask import current_app, g
from flask.views import MethodView

from assist_api.body_parser import Blueprint
from assist_api.errors import ErrorSchema
from assist_api.routes.common import secured
from assist_api.schemas.feedback import (
    FeedbackReportSchema,
    FeedbackRequestSchema,
    FeedbackSchema,
)
from assist_api.services.decisions.feedback import feedback_report, record_feedback

blp = Blueprint(
    "feedback", __name__, url_prefix="/v1", description="Agents' verdicts on the cards offered"
)
REQUEST_SCHEMA = FeedbackRequestSchema()


@blp.route("/decisions/<string:decision_id>/cards/<string:card_id>/feedback")
class CardFeedback(MethodView):
    @secured(blp, "agent", "lead")
    @blp.arguments(REQUEST_SCHEMA)
    @blp.response(200, FeedbackSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="the decision is not known")
    @blp.alt_response(409, schema=ErrorSchema, description="the card was not offered in it")
    def put(self, data, decision_id, card_id):
        """Accept or dismiss a card offered in a decision, with a reason."""
        with current_app.extensions["store"].uow() as uow:
            answer = record_feedback(
                uow.session,
                decision_id,
                card_id,
                data,
                actor=g.identity.actor,
                now=datetime.now(UTC),
            )
            uow.commit()
        return answer


@blp.route("/reports/feedback")
class FeedbackReport(MethodView):
    @secured(blp, "lead")
    @blp.response(200, FeedbackReportSchema)
    def get(self):
        """Agents' verdicts per card: accepted, dismissed and the reasons given."""
        with current_app.extensions["store"].uow() as uow:
            return feedback_report(uow.session)
