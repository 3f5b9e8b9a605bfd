"""GET /v1/interactions/{interaction_id}: a live contact as stored (for a desk reload)."""

from marshmallow import fields

from assist_api.schemas.base import BaseSchema


class ContactCustomerSchema(BaseSchema):
    customer_id = fields.String(required=True)
    days_since_purchase = fields.Integer(allow_none=True)
    persona = fields.String(allow_none=True)
    plan_tier = fields.String(allow_none=True)
    products_owned = fields.Integer(allow_none=True)
    feature_adoption = fields.Float(allow_none=True)
    prior_contacts_90d = fields.Integer(allow_none=True)
    clv = fields.Float(allow_none=True)
    switching_effort = fields.String(allow_none=True)


class ContactSchema(BaseSchema):
    interaction_id = fields.String(required=True)
    channel = fields.String(required=True)
    language = fields.String(required=True)
    contact_reason = fields.String(allow_none=True)
    customer = fields.Nested(ContactCustomerSchema, required=True)
    transcript = fields.List(fields.String(), required=True)
    last_sequence = fields.Integer(allow_none=True)
    updated_at = fields.DateTime(required=True)
