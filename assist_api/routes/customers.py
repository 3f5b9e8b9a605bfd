"""/v1/customers/{customer_id} — the CRM's profile of one customer, as point-in-time versions."""

from datetime import UTC, datetime

from flask import current_app, g
from flask.views import MethodView

from assist_api.body_parser import Blueprint
from assist_api.errors import ErrorSchema
from assist_api.routes.common import secured
from assist_api.schemas.customers import EXAMPLE_PROFILE, ProfileRequestSchema, ProfileSchema
from assist_api.services.customers.profiles import current_profile, profile_view, save_profile

blp = Blueprint(
    "customers", __name__, url_prefix="/v1/customers", description="Customer profiles (CRM)"
)
REQUEST_SCHEMA = ProfileRequestSchema()
RESPONSE_SCHEMA = ProfileSchema()
# CLV is a commercial figure: the desk's agents see every other field.
SEES_CLV = ("system", "lead", "scientist", "admin")
EXAMPLE = {"customer_id": "example-c-77", "version": 3, "as_of": "2026-11-30T00:00:00+00:00"}
EXAMPLE.update(EXAMPLE_PROFILE)


@blp.route("/<string:customer_id>")
class Customer(MethodView):
    @secured(blp, "agent", "system", "lead", "scientist")
    @blp.response(200, RESPONSE_SCHEMA, example=EXAMPLE)
    @blp.alt_response(404, schema=ErrorSchema, description="no profile for this customer")
    def get(self, customer_id):
        """The customer's profile valid now (the fields the desk may show).

        The version with the latest `as_of` that is not in the future. Any field may be
        null: the CRM did not know it. Agents' keys get every field but `clv`.
        """
        row = current_profile(current_app.extensions["store"], customer_id, datetime.now(UTC))
        return profile_view(row, with_clv=g.identity.role in SEES_CLV)

    @secured(blp, "system", "lead")
    @blp.arguments(
        REQUEST_SCHEMA, example={"as_of": "2026-11-30T00:00:00+00:00", **EXAMPLE_PROFILE}
    )
    @blp.response(200, RESPONSE_SCHEMA, example=EXAMPLE)
    @blp.alt_response(422, schema=ErrorSchema, description="invalid fields, each named")
    def put(self, data, customer_id):
        """Store a version of the customer's profile, valid from `as_of` (default now).

        Send what the CRM knows; a field left out is unknown (null). The same `as_of`
        again replaces that version; a new `as_of` adds one, so training still sees
        what was known at each past interaction. /v1/assist in this worker uses it at
        once, other workers within `profile_cache_seconds`. Audited.
        """
        store = current_app.extensions["store"]
        row = save_profile(store, customer_id, data, actor=g.identity.actor, now=datetime.now(UTC))
        current_app.extensions["profile_cache"].forget(customer_id)
        return profile_view(row, with_clv=True)
