"""/v1/interactions/{id}: a live conversation's utterances in, its newest guidance out."""

from flask import current_app, g
from flask.views import MethodView

from assist_api.body_parser import Blueprint
from assist_api.errors import ErrorSchema
from assist_api.routes.common import secured
from assist_api.schemas.assist import AssistResponseSchema
from assist_api.schemas.utterances import (
    EXAMPLE_UTTERANCE,
    GuidanceQuerySchema,
    UtteranceBatchSchema,
)
from assist_api.services.access.authorization import InteractionOwner, require_interaction
from assist_api.services.customers.guidance import Busy
from assist_api.services.customers.stream import receive
from assist_api.store.tables import Interaction

blp = Blueprint(
    "interactions",
    __name__,
    url_prefix="/v1/interactions",
    description="Live conversations: utterance streams and guidance",
)
BATCH_SCHEMA = UtteranceBatchSchema()
QUERY_SCHEMA = GuidanceQuerySchema()
ANSWER_SCHEMA = AssistResponseSchema()
BUSY_RETRY_SECONDS = "1"


def no_content(headers: dict | None = None):
    return "", 204, headers or {}


def owner(interaction_id: str) -> InteractionOwner | None:
    with current_app.extensions["store"].uow() as uow:
        row = uow.session.get(Interaction, interaction_id)
        return row and InteractionOwner(row.customer_id, row.owner_key_id, row.agent_id, row.pool)


@blp.route("/<string:interaction_id>/utterances")
class Utterances(MethodView):
    @secured(blp, "agent", "system")
    @blp.arguments(BATCH_SCHEMA, example={"utterances": [EXAMPLE_UTTERANCE]})
    @blp.response(200, ANSWER_SCHEMA, description="the customer said more: new guidance")
    @blp.alt_response(204, description="stored; the guidance did not change")
    @blp.alt_response(422, schema=ErrorSchema, description="invalid fields, each named")
    def post(self, data, interaction_id):
        """Add utterances to a live interaction; new guidance when the customer said more.

        Partials (`is_final: false`) are replaced by the final with the same
        `utterance_id`; a repeated or late delivery changes nothing. A new final
        customer utterance scores the interaction again on the final utterances in
        `offset_ms` order (speaker labels kept) and answers with the /v1/assist body;
        anything else answers 204. Utterances for an interaction not yet opened with
        /v1/assist are kept and count from its first decision on.
        """
        found = owner(interaction_id)
        if found is not None:  # unknown yet: kept until /v1/assist opens it (and owns it)
            require_interaction(g.identity, found)
        answer = receive(interaction_id, data["utterances"], current_app.extensions["stream"])
        return current_app.json.response(answer) if answer else no_content()


@blp.route("/<string:interaction_id>/guidance")
class Guidance(MethodView):
    @secured(blp, "agent")
    @blp.arguments(QUERY_SCHEMA, location="query")
    @blp.response(200, ANSWER_SCHEMA, description="a newer answer than `after`")
    @blp.alt_response(204, description="nothing newer within the wait (or: poll again)")
    def get(self, query, interaction_id):
        """Wait for guidance newer than `after` (long-poll), made from the utterance stream.

        Answers as soon as the interaction's stream has an answer with `sequence` above
        `after` (the /v1/assist body), or 204 after the wait. Each worker holds a
        limited number of open waits (`guidance_max_waits`); beyond it the answer is 204
        at once with `Retry-After`, and the desk just asks again.
        """
        require_interaction(g.identity, owner(interaction_id))  # 404 for a stranger
        settings = current_app.config["SETTINGS"]
        wait = min(query["wait"] or settings.guidance_wait_seconds, settings.guidance_wait_seconds)
        board = current_app.extensions["stream"].board
        try:
            answer = board.wait(interaction_id, query["after"], wait)
        except Busy:
            return no_content({"Retry-After": BUSY_RETRY_SECONDS})
        return current_app.json.response(answer) if answer else no_content()
