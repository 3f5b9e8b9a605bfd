"""Customer profiles: `PUT /v1/customers/{id}` in, a stored version out.

The field definitions (types, ranges, vocabularies) are the same ones /v1/assist's
`customer` uses and the importer checks, so a value accepted in one place is accepted
in all three.
"""

from marshmallow import fields, validate

from assist_api.schemas.base import BaseSchema
from assist_api.schemas.whole import WholeNumber
from features.columns import MAX_CONTACTS, MAX_DAYS, MAX_MONEY, MAX_PRODUCTS
from features.vocabulary import SWITCHING_EFFORTS

EXAMPLE_PROFILE = {
    "days_since_purchase": 12,
    "persona": "novice",
    "plan_tier": "standard",
    "products_owned": 2,
    "feature_adoption": 0.35,
    "prior_contacts_90d": 1,
    "clv": 1200.0,
    "switching_effort": "high",
}


def customer_fields(**options) -> dict[str, fields.Field]:
    """Fresh field objects for the eight CRM attributes (`options` go to every field)."""

    def meta(description: str, name: str) -> dict:
        return {"description": description, "example": EXAMPLE_PROFILE[name]}

    return {
        "days_since_purchase": WholeNumber(
            validate=validate.Range(0, MAX_DAYS),
            metadata=meta("days since the customer's latest purchase", "days_since_purchase"),
            **options,
        ),
        "persona": fields.String(
            validate=validate.Length(1, 64),
            metadata=meta("CRM persona (open vocabulary)", "persona"),
            **options,
        ),
        "plan_tier": fields.String(
            validate=validate.Length(1, 64),
            metadata=meta("the plan or tier the customer is on", "plan_tier"),
            **options,
        ),
        "products_owned": WholeNumber(
            validate=validate.Range(0, MAX_PRODUCTS),
            metadata=meta("products the customer owns", "products_owned"),
            **options,
        ),
        "feature_adoption": fields.Float(
            validate=validate.Range(0.0, 1.0),
            metadata=meta("share of the product's features in use (0-1)", "feature_adoption"),
            **options,
        ),
        "prior_contacts_90d": WholeNumber(
            validate=validate.Range(0, MAX_CONTACTS),
            metadata=meta("service contacts in the last 90 days", "prior_contacts_90d"),
            **options,
        ),
        "clv": fields.Float(
            validate=validate.Range(0.0, MAX_MONEY),
            metadata=meta("customer lifetime value, in the report's currency", "clv"),
            **options,
        ),
        "switching_effort": fields.String(
            validate=validate.OneOf(SWITCHING_EFFORTS),
            metadata=meta("how hard leaving would be for the customer", "switching_effort"),
            **options,
        ),
    }


ProfileRequestSchema = BaseSchema.from_dict(
    {
        "as_of": fields.AwareDateTime(
            load_default=None,
            metadata={
                "description": "from when this version is true (ISO 8601 with zone); "
                "default: now. The same as_of again replaces that version",
                "example": "2026-11-30T00:00:00+00:00",
            },
        ),
        **customer_fields(allow_none=True),
    },
    name="ProfileRequestSchema",
)

ProfileSchema = BaseSchema.from_dict(
    {
        "customer_id": fields.String(
            required=True, metadata={"description": "the CRM's id", "example": "example-c-77"}
        ),
        "version": fields.Integer(
            required=True,
            metadata={"description": "this customer's profile version number", "example": 3},
        ),
        "as_of": fields.AwareDateTime(
            required=True,
            metadata={
                "description": "from when this version is true",
                "example": "2026-11-30T00:00:00+00:00",
            },
        ),
        **customer_fields(allow_none=True),
    },
    name="ProfileSchema",
)
