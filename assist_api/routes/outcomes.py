"""POST /v1/outcomes — record what happened after an interaction."""

from dataclasses import asdict
from datetime import UTC, datetime

from flask import current_app, g, request
from flask.views import MethodView

from assist_api.body_parser import Blueprint
from assist_api.errors import ErrorSchema, InvalidFields
from assist_api.routes.common import secured
from assist_api.schemas.outcomes import OutcomeRequestSchema, OutcomeResponseSchema
from assist_api.services.outcomes.record import record_outcome

blp = Blueprint("outcomes", __name__, url_prefix="/v1", description="Outcomes of interactions")
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_CHARS = 128
IDEMPOTENCY_KEY = {
    "in": "header",
    "name": IDEMPOTENCY_HEADER,
    "required": False,
    "schema": {"type": "string", "maxLength": MAX_KEY_CHARS},
    "description": "Names a retry: a post with a key already used for this interaction "
    "changes nothing (`retry: true`); the same key with a different body is a 409.",
    "example": "survey-7f3a9c-1",
}


def idempotency_key() -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_KEY_CHARS or not key.isprintable():
        raise InvalidFields(
            {IDEMPOTENCY_HEADER: [f"must be 1-{MAX_KEY_CHARS} printable characters"]}
        )
    return key


@blp.route("/outcomes")
class Outcomes(MethodView):
    @secured(blp, "agent", "system", "lead")
    @blp.arguments(OutcomeRequestSchema)
    @blp.response(200, OutcomeResponseSchema)
    @blp.doc(parameters=[IDEMPOTENCY_KEY])
    @blp.alt_response(404, schema=ErrorSchema, description="the interaction is not known")
    @blp.alt_response(
        409,
        schema=ErrorSchema,
        description="card_id_used was not offered in this interaction, or the interaction is "
        "in the control group (no card was shown), or an Idempotency-Key reused with "
        "another body",
    )
    def post(self, data):
        """Record outcomes: any subset of fields, any number of times; retries change nothing.

        Each post is kept as an event and the latest value of each field wins, so the
        survey, the retention job and the telephony platform can each post what they know
        when they know it. The answer is the interaction's current merged outcome.
        """
        store = current_app.extensions["store"]
        recorded = record_outcome(
            store,
            data,
            now=datetime.now(UTC),
            caller=g.identity,
            idempotency_key=idempotency_key(),
        )
        return asdict(recorded)
