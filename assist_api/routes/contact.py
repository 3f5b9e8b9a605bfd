"""GET /v1/interactions/{interaction_id} — the contact as stored, for a desk that reloads.

The transcript is the utterance stream's when the contact has one: the interaction row
holds the words of its last decision, so an agent line posted after it (which makes no
decision) would otherwise be lost by a reload."""

from flask import current_app, g
from flask.views import MethodView

from assist_api.body_parser import Blueprint
from assist_api.errors import ErrorSchema
from assist_api.routes.common import secured
from assist_api.schemas.contact import ContactSchema
from assist_api.services.customers.utterances import final_utterances, transcript_lines
from assist_api.services.decisions.contact import contact_state

blp = Blueprint("contact", __name__, url_prefix="/v1", description="Live contacts")


@blp.route("/interactions/<string:interaction_id>")
class Contact(MethodView):
    @secured(blp, "agent", "lead")
    @blp.response(200, ContactSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="no decision was made for it yet")
    def get(self, interaction_id):
        """A live contact: its customer, channel, language and transcript so far."""
        with current_app.extensions["store"].uow() as uow:
            contact = contact_state(uow.session, interaction_id, caller=g.identity)
            streamed = final_utterances(uow.session, interaction_id)
            if streamed:
                limit = current_app.config["SETTINGS"].max_transcript_chars
                contact["transcript"] = transcript_lines(streamed, limit)
        return contact
