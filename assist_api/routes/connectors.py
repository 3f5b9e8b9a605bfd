"""/v1/connectors/{platform} — contact-centre platforms' native transcript events.

Amazon Connect and Genesys events reach us through a forwarder the centre runs (a
Kinesis consumer, a notification relay), which holds a `system` key. Twilio and Zendesk
call us directly and cannot carry our key, so they prove themselves with their own
signature (a shared secret in settings); with no secret configured their endpoint is
closed (503). Every connector is idempotent: a redelivered event changes nothing.
"""

from flask import current_app, g, request
from flask.views import MethodView

from assist_api.body_parser import Blueprint
from assist_api.connectors import amazon_connect, genesys, twilio, zendesk
from assist_api.connectors.ingest import ingest
from assist_api.connectors.signatures import matches, twilio_signature, zendesk_signature
from assist_api.errors import ErrorSchema, Malformed, NotReady, Unauthenticated
from assist_api.json_limits import NOT_JSON
from assist_api.routes.common import secured, signature_secured
from assist_api.schemas.utterances import ConnectorReceiptSchema

blp = Blueprint(
    "connectors",
    __name__,
    url_prefix="/v1/connectors",
    description="Transcript events from contact-centre platforms",
)
RECEIPT = ConnectorReceiptSchema()
# The platforms' own event formats (the connector modules name their fields); examples are
# in assist_api/api_docs/operations.yaml.
JSON_EVENT = {
    "required": True,
    "description": "the platform's event, as it sends it",
    "content": {"application/json": {"schema": {"type": "object"}}},
}
FORM_EVENT = {
    "required": True,
    "description": "the callback's form fields, as Twilio sends them",
    "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}},
}
TWILIO_HEADER = "X-Twilio-Signature"
ZENDESK_HEADER = "X-Zendesk-Webhook-Signature"
ZENDESK_TIMESTAMP = "X-Zendesk-Webhook-Signature-Timestamp"


def _json_event() -> object:
    document = g.get("json_body", NOT_JSON)
    if document is NOT_JSON:
        raise Malformed("send the platform's event as a JSON body")
    return document


def _ingest(map_event, event) -> dict:
    return ingest(map_event, event, current_app.extensions["stream"])


def _secret(name: str) -> str:
    secret = getattr(current_app.config["SETTINGS"], name)
    if not secret:
        raise NotReady(f"this connector is not configured: set VALUE_ASSIST_{name.upper()}")
    return secret


def _public_url() -> str:
    """The URL the platform called (what Twilio signs), as the public sees it."""
    base = current_app.config["SETTINGS"].public_base_url
    if not base:
        return request.url
    query = request.query_string.decode()
    return base.rstrip("/") + request.path + (f"?{query}" if query else "")


@blp.route("/amazon-connect")
class AmazonConnect(MethodView):
    @secured(blp, "system")
    @blp.doc(requestBody=JSON_EVENT)
    @blp.response(200, RECEIPT, description="stored (a repeat changes nothing)")
    @blp.alt_response(422, schema=ErrorSchema, description="malformed event: the field named")
    def post(self):
        """One Contact Lens real-time segment event (STARTED, SEGMENTS, COMPLETED, FAILED).

        Post each record of the contact's segment stream as it is. `Transcript` segments
        are final, `Utterance` segments partial (linked by `TranscriptId`); the
        interaction id is the `ContactId`.
        """
        return _ingest(amazon_connect.map_event, _json_event())


@blp.route("/genesys")
class Genesys(MethodView):
    @secured(blp, "system")
    @blp.doc(requestBody=JSON_EVENT)
    @blp.response(200, RECEIPT, description="stored (a repeat changes nothing)")
    @blp.alt_response(422, schema=ErrorSchema, description="malformed event: the field named")
    def post(self):
        """One `v2.conversations.{id}.transcription` notification (envelope or eventBody).

        `EXTERNAL` channel results are the customer's, `INTERNAL` the agent's; the
        interaction id is the `conversationId`.
        """
        return _ingest(genesys.map_event, _json_event())


@blp.route("/twilio")
class Twilio(MethodView):
    @signature_secured(blp, "twilioSignature", TWILIO_HEADER)
    @blp.doc(requestBody=FORM_EVENT)
    @blp.response(200, RECEIPT, description="stored (a repeat changes nothing)")
    @blp.alt_response(422, schema=ErrorSchema, description="malformed event: the field named")
    @blp.alt_response(503, schema=ErrorSchema, description="no Twilio auth token configured")
    def post(self):
        """A real-time transcription callback (`statusCallbackUrl`), form-encoded.

        Authenticated by `X-Twilio-Signature` (the account's auth token), not by a key.
        Final results only; the interaction id is the `CallSid`.
        """
        token = _secret("twilio_auth_token")
        params = list(request.form.items(multi=True))
        if not matches(
            twilio_signature(token, _public_url(), params), request.headers.get(TWILIO_HEADER)
        ):
            raise Unauthenticated(f"{TWILIO_HEADER} does not match this request")
        return _ingest(twilio.map_event, request.form.to_dict())


@blp.route("/zendesk")
class Zendesk(MethodView):
    @signature_secured(blp, "zendeskSignature", ZENDESK_HEADER)
    @blp.doc(requestBody=JSON_EVENT)
    @blp.response(200, RECEIPT, description="stored (a repeat changes nothing)")
    @blp.alt_response(422, schema=ErrorSchema, description="malformed event: the field named")
    @blp.alt_response(503, schema=ErrorSchema, description="no Zendesk signing secret configured")
    def post(self):
        """A `zen:event-type:ticket.comment_added` webhook event.

        Authenticated by `X-Zendesk-Webhook-Signature` over the timestamp header and the
        raw body (the webhook's signing secret). Public comments only; the interaction
        id is `zendesk-<ticket id>`.
        """
        secret = _secret("zendesk_webhook_secret")
        stamp = request.headers.get(ZENDESK_TIMESTAMP, "")
        expected = zendesk_signature(secret, stamp, request.get_data(cache=True))
        if not stamp or not matches(expected, request.headers.get(ZENDESK_HEADER)):
            raise Unauthenticated(f"{ZENDESK_HEADER} does not match this request")
        return _ingest(zendesk.map_event, _json_event())
