"""Pools: `GET /v1/pools`, `PUT /v1/pools/{pool_id}`, `PUT /v1/pools/{pool_id}/capacity`."""

from marshmallow import ValidationError, fields, validate

from assist_api.schemas.base import BaseSchema
from assist_api.schemas.whole import WholeNumber
from assist_api.services.routing.pools import POOL_ID_PATTERN, POOL_ID_RULE
from features.vocabulary import ACTIVITIES, CHANNELS

POOL_ID = validate.Regexp(POOL_ID_PATTERN, error=POOL_ID_RULE)
AGENT_ID = validate.Length(min=1, max=128)
PRIMARY_LANGUAGE = validate.Regexp(
    r"^[a-z]{2,3}$", error="use a primary language tag in lower case, such as ja or en"
)
MAX_MEMBERS = 5000
MAX_FREE_SEATS = 1_000_000


def distinct(values: list) -> None:
    duplicates = sorted({v for v in values if values.count(v) > 1})
    if duplicates:
        raise ValidationError(f"list each value once; repeated: {', '.join(duplicates)}")


class MemberSchema(BaseSchema):
    agent_id = fields.String(required=True, validate=AGENT_ID)
    name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    languages = fields.List(
        fields.String(validate=PRIMARY_LANGUAGE),
        load_default=list,
        validate=[validate.Length(max=20), distinct],
    )
    active = fields.Boolean(load_default=True)


class PoolRequestSchema(BaseSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=2000)
    )
    is_value_pool = fields.Boolean(
        load_default=False,
        metadata={"description": "value-enhancement champions: seats kept for high-value cases"},
    )
    languages = fields.List(
        fields.String(validate=PRIMARY_LANGUAGE),
        required=True,
        validate=[validate.Length(min=1, max=20), distinct],
    )
    channels = fields.List(
        fields.String(validate=validate.OneOf(CHANNELS)),
        required=True,
        validate=[validate.Length(min=1), distinct],
    )
    skills = fields.List(
        fields.String(validate=validate.OneOf(ACTIVITIES)),
        load_default=list,
        validate=distinct,
        metadata={"description": "VE activities the pool is trained for"},
    )
    members = fields.List(
        fields.Nested(MemberSchema), load_default=list, validate=validate.Length(max=MAX_MEMBERS)
    )


class PoolImportSchema(PoolRequestSchema):
    """One pool of a `value-assist pools import` file: the PUT body plus its id."""

    pool_id = fields.String(required=True, validate=POOL_ID)


class SkillSchema(BaseSchema):
    attempts = fields.Integer(metadata={"description": "VE attempts with a known result"})
    successes = fields.Integer()
    expected = fields.Float(metadata={"description": "successes the model expected"})
    information = fields.Float(metadata={"description": "sum of p(1 - p) over the attempts"})
    estimate = fields.Float(metadata={"description": "log-odds vs the average agent, shrunk"})
    low = fields.Float()
    high = fields.Float()
    rated = fields.Boolean(metadata={"description": "enough attempts for any claim"})
    estimated_at = fields.DateTime()


class MemberViewSchema(BaseSchema):
    agent_id = fields.String(required=True)
    name = fields.String(allow_none=True)
    languages = fields.List(fields.String())
    active = fields.Boolean()
    skill = fields.Nested(SkillSchema, allow_none=True)


class CapacityViewSchema(BaseSchema):
    free = fields.Integer(allow_none=True)
    reported_at = fields.DateTime(allow_none=True)
    stale = fields.Boolean(metadata={"description": "older than capacity_stale_seconds"})


class PoolSchema(BaseSchema):
    pool_id = fields.String(required=True)
    name = fields.String(required=True)
    description = fields.String(allow_none=True)
    is_value_pool = fields.Boolean()
    languages = fields.List(fields.String())
    channels = fields.List(fields.String())
    skills = fields.List(fields.String())
    members = fields.List(fields.Nested(MemberViewSchema))
    measured_skill = fields.Float(
        allow_none=True,
        metadata={"description": "active members' shrunk skill, weighted by information"},
    )
    capacity = fields.Nested(CapacityViewSchema)
    updated_at = fields.DateTime()


class PoolListSchema(BaseSchema):
    pools = fields.List(fields.Nested(PoolSchema), required=True)


class CapacityRequestSchema(BaseSchema):
    free = WholeNumber(required=True, validate=validate.Range(0, MAX_FREE_SEATS))
    reported_at = fields.AwareDateTime(
        load_default=None, metadata={"description": "when the seats were counted (default: now)"}
    )


class CapacityResponseSchema(BaseSchema):
    pool_id = fields.String(required=True)
    free = fields.Integer(required=True)
    reported_at = fields.DateTime(required=True)
