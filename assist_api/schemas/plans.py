"""The ROI plan's shapes: targets, the declared primary measure, population and period.

A declared plan names one primary measure with the minimum effect worth detecting, a
population of traits fixed before the offer (never `activity`), and a period; its power
is computed at declaration and stored with it (reports.plan, reports.power).
"""

from datetime import UTC

from marshmallow import ValidationError, fields, validate, validates_schema

from assist_api.reports.declared import POST_TREATMENT, PRE_TREATMENT
from assist_api.reports.targets import DIRECTIONS, PLAN_MEASURES
from assist_api.schemas.base import BaseSchema
from assist_api.schemas.report_limits import (
    DAY_RANGE,
    MAX_AMOUNT,
    MOMENT_RANGE,
    NAME,
    SHARE_MEASURES,
)
from assist_api.schemas.whole import WholeNumber
from features.vocabulary import CHANNELS, CONTACT_REASONS, SWITCHING_EFFORTS


class TargetSchema(BaseSchema):
    measure = fields.String(required=True, validate=validate.OneOf(PLAN_MEASURES))
    target = fields.Float(
        required=True,
        allow_nan=False,
        validate=validate.Range(-MAX_AMOUNT, MAX_AMOUNT),
        metadata={"description": "lift in the measure's unit (shares as fractions: 0.10)"},
    )
    direction = fields.String(load_default=None, validate=validate.OneOf(DIRECTIONS))

    @validates_schema
    def _shares_are_fractions(self, data: dict, **_kwargs) -> None:
        if data.get("measure") in SHARE_MEASURES and abs(data.get("target", 0.0)) > 1:
            raise ValidationError(
                "a share's lift is a fraction: +10 points is 0.10, not 10", "target"
            )


POPULATION_CHOICES = {
    "channel": CHANNELS,
    "contact_reason": CONTACT_REASONS,
    "switching_effort": SWITCHING_EFFORTS,
}


class PrimarySchema(BaseSchema):
    """The one measure the plan is judged by, and the smallest effect worth detecting."""

    measure = fields.String(
        required=True,
        validate=validate.OneOf(PLAN_MEASURES),
        metadata={"description": "the primary measure", "example": "retained_60d"},
    )
    minimum_effect = fields.Float(
        required=True,
        allow_nan=False,
        validate=validate.Range(-MAX_AMOUNT, MAX_AMOUNT),
        metadata={
            "description": "smallest lift worth detecting, in the measure's unit (shares as "
            "fractions); the sample size is computed for it at declaration",
            "example": 0.02,
        },
    )
    baseline = fields.Float(
        load_default=None,
        allow_none=True,
        allow_nan=False,
        validate=validate.Range(-MAX_AMOUNT, MAX_AMOUNT),
        metadata={
            "description": "control-group level if there is no history yet (else measured)",
            "example": 0.75,
        },
    )
    sd = fields.Float(
        load_default=None,
        allow_none=True,
        allow_nan=False,
        validate=validate.Range(0.0, MAX_AMOUNT),
        metadata={"description": "a mean measure's standard deviation if there is no history"},
    )

    @validates_schema
    def _sensible_effect(self, data: dict, **_kwargs) -> None:
        if data.get("minimum_effect") == 0:
            raise ValidationError(
                "must not be 0: no sample detects a zero effect", "minimum_effect"
            )
        if data.get("measure") in SHARE_MEASURES and abs(data.get("minimum_effect", 0.0)) > 1:
            raise ValidationError(
                "a share's lift is a fraction: +2 points is 0.02, not 2", "minimum_effect"
            )


class PeriodSchema(BaseSchema):
    """The declared period: whole UTC days, both ends included."""

    start = fields.Date(
        data_key="from",
        attribute="from",
        required=True,
        validate=DAY_RANGE,
        metadata={"description": "first day", "example": "2026-01-01"},
    )
    end = fields.Date(
        data_key="to",
        attribute="to",
        required=True,
        validate=DAY_RANGE,
        metadata={"description": "last day, included", "example": "2026-03-31"},
    )

    @validates_schema
    def _in_order(self, data: dict, **_kwargs) -> None:
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            raise ValidationError("the last day must not be before the first day", "to")


class PlanSchema(BaseSchema):
    """A new ROI plan version: declare it before the period it should judge starts."""

    primary = fields.Nested(
        PrimarySchema,
        load_default=None,
        allow_none=True,
        metadata={"description": "the measure the plan is judged by (with `period`)"},
    )
    population = fields.Dict(
        keys=fields.String(),
        values=fields.String(validate=NAME),
        load_default=dict,
        metadata={
            "description": "filters fixed before the offer that define who the plan is about "
            f"({', '.join(PRE_TREATMENT)}); never activity",
            "example": {"channel": "phone"},
        },
    )
    period = fields.Nested(
        PeriodSchema,
        load_default=None,
        allow_none=True,
        metadata={"description": "the period the verdict covers; judged once it has ended"},
    )

    effective_from = fields.AwareDateTime(
        default_timezone=UTC,
        load_default=None,
        validate=MOMENT_RANGE,
        metadata={"description": "when the plan starts to apply (default: now)"},
    )
    min_sample_per_arm = WholeNumber(
        load_default=100,
        validate=validate.Range(1),
        metadata={"description": "answers needed in each group before a target is judged"},
    )
    cost_per_agent_minute = fields.Float(
        load_default=None,
        allow_none=True,
        allow_nan=False,
        validate=validate.Range(0.0, MAX_AMOUNT),
    )
    targets = fields.List(
        fields.Nested(TargetSchema), required=True, validate=validate.Length(min=1, max=50)
    )
    note = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.And(
            validate.Length(max=2000),
            validate.Regexp(r"^[^\x00]*\Z", error="must not contain NUL characters"),
        ),
    )

    @validates_schema
    def _declared_before_the_offer(self, data: dict, **_kwargs) -> None:
        """A population only of traits fixed before the offer; primary and period together."""
        for key, value in (data.get("population") or {}).items():
            if key in POST_TREATMENT:
                raise ValidationError(
                    f"{key} is decided by the offer itself (post-treatment), so a population "
                    f"defined by it is not randomised; use {', '.join(PRE_TREATMENT)}",
                    "population",
                )
            if key not in PRE_TREATMENT:
                raise ValidationError(
                    f"unknown filter {key!r}; one of {', '.join(PRE_TREATMENT)}", "population"
                )
            if key in POPULATION_CHOICES and value not in POPULATION_CHOICES[key]:
                raise ValidationError(
                    f"{key} {value!r} is not one of {', '.join(POPULATION_CHOICES[key])}",
                    "population",
                )
        if bool(data.get("primary")) != bool(data.get("period")):
            missing = "period" if data.get("primary") else "primary"
            raise ValidationError(
                "a declared plan needs both a primary measure and a period", missing
            )


class PlanOutSchema(PlanSchema):
    power = fields.Dict(
        allow_none=True,
        metadata={
            "description": "sample size computed at declaration: customers_needed, baseline "
            "and its source, design effect, alpha, power",
            "example": {"customers_needed": 5400, "baseline": 0.76, "power": 0.8},
        },
    )
    version = fields.Integer(required=True)
    created_at = fields.AwareDateTime(required=True)
    author = fields.String(required=True)


class PlansSchema(BaseSchema):
    current = fields.Nested(PlanOutSchema, allow_none=True, metadata={"description": "in force"})
    plans = fields.List(fields.Nested(PlanOutSchema), metadata={"description": "newest first"})


class JudgedTargetSchema(BaseSchema):
    measure = fields.String()
    direction = fields.String()
    target = fields.Float()
    estimate = fields.Float(allow_none=True)
    ci95 = fields.List(fields.Float(), allow_none=True)
    n_per_group = fields.Integer()
    min_sample_per_arm = fields.Integer()
    status = fields.String(validate=validate.OneOf(("met", "not_met", "undecidable")))
    reason = fields.String()


class JudgedPlanSchema(PlanOutSchema):
    targets = fields.List(fields.Nested(JudgedTargetSchema))
