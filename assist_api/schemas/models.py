"""GET /v1/models/current and POST /v1/models/reload."""

from marshmallow import fields

from assist_api.schemas.base import BaseSchema


class BandThresholdsSchema(BaseSchema):
    medium = fields.Float(required=True, metadata={"description": "openness >= medium"})
    high = fields.Float(required=True, metadata={"description": "openness >= high"})


class CurrentModelSchema(BaseSchema):
    name = fields.String(required=True)
    version = fields.String(allow_none=True, required=True)
    run_id = fields.String(allow_none=True)
    source = fields.String(allow_none=True, metadata={"description": "registry or cache"})
    loaded_at = fields.DateTime(allow_none=True)
    metrics = fields.Dict(keys=fields.String(), values=fields.Float())
    band_thresholds = fields.Nested(BandThresholdsSchema, required=True)
    ready = fields.Boolean(required=True)
    last_error = fields.String(allow_none=True)


class ReloadResultSchema(BaseSchema):
    changed = fields.Boolean(required=True)
    model = fields.Nested(CurrentModelSchema, required=True)
