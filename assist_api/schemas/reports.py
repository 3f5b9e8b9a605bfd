"""The reports' query string, their JSON shapes, and the ROI plan (CONTRACT.md).

Report sections whose keys are data (one entry per channel, pool, week…) are documented
as open dictionaries; the fixed parts — each effect's `offered`, `holdout`, `lift`,
`ci95` — are spelled out, since other tools read those names.
"""

from marshmallow import ValidationError, fields, validate, validates_schema

from assist_api.schemas.base import BaseSchema
from assist_api.schemas.plans import JudgedPlanSchema
from assist_api.schemas.report_limits import DAY_RANGE, NAME
from features.vocabulary import (
    ACTIVITIES,
    CHANNELS,
    CONTACT_REASONS,
    SWITCHING_EFFORTS,
    primary_language,
)

FORMATS = ("json", "csv", "html", "pdf")
LANGUAGES = ("en", "ja")
LANGUAGE_TAG = validate.Regexp(
    r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$", error="not a language tag"
)


class ReportQuerySchema(BaseSchema):
    """A period of whole days (UTC, both ends included) and optional filters."""

    start = fields.Date(
        data_key="from", load_default=None, validate=DAY_RANGE, metadata={"example": "2025-01-01"}
    )
    end = fields.Date(
        data_key="to", load_default=None, validate=DAY_RANGE, metadata={"example": "2025-03-31"}
    )
    format = fields.String(
        load_default="json",
        validate=validate.OneOf(FORMATS),
        metadata={"description": "json, csv, html (printable, with charts) or pdf"},
    )
    lang = fields.String(
        load_default="en",
        validate=validate.OneOf(LANGUAGES),
        metadata={"description": "language of the html and pdf formats", "example": "ja"},
    )
    channel = fields.String(validate=validate.OneOf(CHANNELS))
    contact_reason = fields.String(validate=validate.OneOf(CONTACT_REASONS))
    switching_effort = fields.String(validate=validate.OneOf(SWITCHING_EFFORTS))
    activity = fields.String(validate=validate.OneOf(ACTIVITIES))
    language = fields.String(validate=LANGUAGE_TAG)
    pool = fields.String(validate=NAME)
    persona = fields.String(validate=NAME)
    plan_tier = fields.String(validate=NAME)

    @validates_schema
    def _period_in_order(self, data: dict, **_kwargs) -> None:
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError("must not be after 'to'", "from")


def query_parts(args: dict) -> tuple[str, dict]:
    """(format, ReportQuery keyword arguments) from the loaded query string."""
    filters = {
        k: v
        for k, v in args.items()
        if k not in ("start", "end", "format", "lang") and v is not None
    }
    if "language" in filters:
        filters["language"] = primary_language(filters["language"])
    return args["format"], {"start": args["start"], "end": args["end"], "filters": filters}


class EffectSchema(BaseSchema):
    offered = fields.Float(allow_none=True, metadata={"description": "offered group's value"})
    holdout = fields.Float(allow_none=True, metadata={"description": "holdout group's value"})
    lift = fields.Float(allow_none=True, metadata={"description": "offered - holdout"})
    ci95 = fields.List(
        fields.Float(), allow_none=True, metadata={"description": "[low, high] of the lift"}
    )
    n_offered = fields.Integer(
        metadata={"description": "values in the offered group (customers or contacts: unit)"}
    )
    n_holdout = fields.Integer(metadata={"description": "values in the holdout group"})
    better = fields.String(validate=validate.OneOf(("higher", "lower")))
    unit = fields.String(
        validate=validate.OneOf(("customer", "contact")),
        metadata={
            "description": "customer: counted once per customer; contact: per contact with "
            "customer-clustered intervals",
            "example": "customer",
        },
    )
    customers_offered = fields.Integer(
        metadata={"description": "customers behind a contact-level measure's offered values"}
    )
    customers_holdout = fields.Integer(
        metadata={"description": "customers behind a contact-level measure's holdout values"}
    )
    se = fields.Float(
        allow_none=True, metadata={"description": "standard error of the lift", "example": 0.01}
    )
    p_value = fields.Float(
        allow_none=True,
        metadata={"description": "two-sided p-value of the lift (normal)", "example": 0.003},
    )


class ReportBaseSchema(BaseSchema):
    report = fields.String(required=True)
    generated_at = fields.String(required=True)
    period = fields.Dict()
    filters = fields.Dict()
    notes = fields.List(fields.String())


class RoiReportSchema(ReportBaseSchema):
    counts = fields.Dict(keys=fields.String(), values=fields.Raw())
    effects = fields.Dict(keys=fields.String(), values=fields.Nested(EffectSchema))
    by = fields.Dict(
        metadata={"description": "by.<split>.<group>: n, n_offered, n_holdout and effects"}
    )
    retention_by_ve = fields.Dict(
        metadata={"description": "per switching effort: with_ve, without_ve, published"}
    )
    financial = fields.Dict(metadata={"description": "return, its parts and 95 % intervals"})
    routing = fields.Dict(metadata={"description": "model routing vs routing control group"})
    trend = fields.List(fields.Dict())
    plan = fields.Nested(JudgedPlanSchema, allow_none=True)
    plan_note = fields.String(allow_none=True)
    methods = fields.Dict()
    measures = fields.Dict(keys=fields.String(), values=fields.String())
    unit = fields.String(
        metadata={
            "description": "the unit of analysis: each customer counts once (exposure = "
            "first contact in the period)",
            "example": "customer",
        }
    )
    currency = fields.String(
        metadata={"description": "ISO 4217 code of every money figure", "example": "JPY"}
    )
    health = fields.Dict(
        metadata={
            "description": "experiment health: sound, flags, sample_ratio (chi-square), "
            "outcome_recording per measure and arm (with Lee bounds when flagged), "
            "no_outcome_yet, customers_in_both_arms",
            "example": {"sound": True, "flags": []},
        }
    )
    cumulative = fields.List(
        fields.Dict(),
        metadata={"description": "lift using everything up to each week/month, with intervals"},
    )
    cost_basis = fields.Dict(
        metadata={
            "description": "cost per agent minute, its currency and where it came from",
            "example": {"cost_per_agent_minute": 0.9, "currency": "USD", "source": "plan"},
        }
    )
    view = fields.String(
        validate=validate.OneOf(("declared", "exploratory")),
        metadata={
            "description": "declared: exactly the plan's population and period; "
            "exploratory: any other filters or dates",
            "example": "exploratory",
        },
    )
    declared = fields.Dict(
        allow_none=True,
        metadata={
            "description": "the declared plan's verdict on its own population and period "
            "(withheld until the period ends); null without a declared plan",
        },
    )


class SegmentsReportSchema(ReportBaseSchema):
    interactions = fields.Integer()
    ranked_of = fields.Integer(metadata={"description": "segments eligible for ranking"})
    methods = fields.Dict(metadata={"description": "lift interval, ranking and multiplicity"})
    currency = fields.String(metadata={"description": "ISO 4217 code", "example": "USD"})
    by = fields.Dict(metadata={"description": "segments per dimension"})
    ranked = fields.List(fields.Dict(), metadata={"description": "by opportunity, best first"})
    min_respondents_per_group = fields.Integer()


class AutomationReportSchema(ReportBaseSchema):
    interactions = fields.Integer()
    min_respondents = fields.Integer(
        metadata={"description": "answers before a situation is judged"}
    )
    currency = fields.String(metadata={"description": "ISO 4217 code", "example": "USD"})
    candidates = fields.Integer()
    situations = fields.List(fields.Dict(), metadata={"description": "candidates first"})
    method = fields.String()
