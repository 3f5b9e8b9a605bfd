"""GET /v1/interactions/{interaction_id} — the contact as stored, for a desk that reloads."""

from flask import current_app, g
from flask.views import MethodView

from assist_api.body_parser import Blueprint
from assist_api.errors import ErrorSchema
from assist_api.routes.common import secured
from assist_api.schemas.contact import ContactSchema
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
            return contact_state(uow.session, interaction_id, caller=g.identity)
