"""The card schema: what a card file (or a card saved through the API) may contain.

`CardSchema().load(data)` returns a `Card` or raises marshmallow's `ValidationError`
whose nested messages name every bad field; `loader.parse_card` turns them into
`Problem`s with dotted field paths. Unknown keys are errors (a typo such as `min_sentimen`
must not silently switch a rule off), and every text is checked as a sandboxed template.
"""

import re

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from features.vocabulary import (
    ACTIVITIES,
    AGENTLESS_CHANNELS,
    CARD_LANGUAGES,
    CHANNELS,
    CONTACT_REASONS,
)
from prompts_playbooks.cards import Applicability, Card, CardText, Eligibility, Rules, Suitability
from prompts_playbooks.templates import check_template

CARD_ID = re.compile(r"^(?P<activity>[a-z_]+)\.(?P<slug>[a-z0-9]+(?:_[a-z0-9]+)*)$")
SLUG = validate.Regexp(r"^[a-z0-9_]+$", error="must be lower-case letters, digits and _")
LANGUAGE_TAG = validate.Regexp(r"^[a-z]{2,3}$", error="must be a primary language tag like ja")


def _template(value: str) -> None:
    reasons = check_template(value)
    if reasons:
        raise ValidationError(reasons)


def _one_line(value: str) -> None:
    if "\n" in value.strip():
        raise ValidationError("must be a single line")


def _text(max_length: int, *extra) -> fields.Str:
    return fields.Str(
        required=True,
        validate=[validate.Length(min=1, max=max_length), *extra, _template],
    )


def _lines(min_count: int, max_count: int, max_length: int) -> fields.List:
    return fields.List(
        _text(max_length, _one_line),
        required=True,
        validate=validate.Length(
            min=min_count, max=max_count, error="needs {min} to {max} entries"
        ),
    )


def _check_ranges(data: dict, *names: str) -> None:
    """min_x must not exceed max_x: such a rule could never match, which is a mistake."""
    errors = {}
    for name in names:
        low, high = data.get(f"min_{name}"), data.get(f"max_{name}")
        if low is not None and high is not None and low > high:
            errors[f"min_{name}"] = [f"{low} is greater than max_{name} ({high})"]
    if errors:
        raise ValidationError(errors)


def _tuples(data: dict) -> dict:
    """Lists become tuples, so the frozen cards stay immutable all the way down."""
    return {key: tuple(value) if isinstance(value, list) else value for key, value in data.items()}


class BaseSchema(Schema):
    class Meta:
        unknown = RAISE


class CardTextSchema(BaseSchema):
    title = _text(80, _one_line)
    body = _text(240, _one_line)
    talk_track = _lines(2, 4, 300)
    evidence = _lines(1, 5, 200)
    avoid = _lines(1, 5, 200)
    self_service_text = fields.Str(
        load_default=None, validate=[validate.Length(min=1, max=600), _template]
    )

    @post_load
    def make(self, data: dict, **kwargs) -> CardText:
        return CardText(**_tuples(data))


class Texts(fields.Field):
    """`{language: CardText}`; a field of its own so errors read `texts.ja.title`."""

    def _deserialize(self, value, attr, data, **kwargs) -> dict[str, CardText]:
        if not isinstance(value, dict):
            raise ValidationError("must map languages (ja, en) to texts")
        errors: dict[str, list | dict] = {
            lang: [f"missing language {lang!r}: every card needs {', '.join(CARD_LANGUAGES)}"]
            for lang in CARD_LANGUAGES
            if lang not in value
        }
        texts = {}
        for lang, text in value.items():
            try:
                LANGUAGE_TAG(str(lang))
                texts[lang] = CardTextSchema().load(text)
            except ValidationError as exc:
                errors[str(lang)] = exc.messages
        if errors:
            raise ValidationError(errors)
        return texts

    def _serialize(self, value, attr, obj, **kwargs) -> dict[str, dict]:
        return {lang: CardTextSchema().dump(text) for lang, text in value.items()}


class EligibilitySchema(BaseSchema):
    plan_tiers = fields.List(fields.Str(validate=SLUG), load_default=())
    personas = fields.List(fields.Str(validate=SLUG), load_default=())
    languages = fields.List(fields.Str(validate=LANGUAGE_TAG), load_default=())
    min_products_owned = fields.Int(strict=True, load_default=None, validate=validate.Range(0))
    max_products_owned = fields.Int(strict=True, load_default=None, validate=validate.Range(0))

    @validates_schema(skip_on_field_errors=False)
    def ranges(self, data: dict, **kwargs) -> None:
        _check_ranges(data, "products_owned")

    @post_load
    def make(self, data: dict, **kwargs) -> Eligibility:
        return Eligibility(**_tuples(data))


class ApplicabilitySchema(BaseSchema):
    contact_reasons = fields.List(
        fields.Str(
            validate=validate.OneOf(
                CONTACT_REASONS, error="unknown contact reason {input!r}; one of: {choices}"
            )
        ),
        load_default=(),
    )
    channels = fields.List(
        fields.Str(
            validate=validate.OneOf(CHANNELS, error="unknown channel {input!r}; one of: {choices}")
        ),
        load_default=(),
    )
    min_days_since_purchase = fields.Int(strict=True, load_default=None, validate=validate.Range(0))
    max_days_since_purchase = fields.Int(strict=True, load_default=None, validate=validate.Range(0))
    min_feature_adoption = fields.Float(load_default=None, validate=validate.Range(0, 1))
    max_feature_adoption = fields.Float(load_default=None, validate=validate.Range(0, 1))

    @validates_schema(skip_on_field_errors=False)
    def ranges(self, data: dict, **kwargs) -> None:
        _check_ranges(data, "days_since_purchase", "feature_adoption")

    @post_load
    def make(self, data: dict, **kwargs) -> Applicability:
        return Applicability(**_tuples(data))


class SuitabilitySchema(BaseSchema):
    min_sentiment = fields.Float(load_default=None, validate=validate.Range(-1, 1))
    not_during_unresolved_complaint = fields.Bool(load_default=True)
    max_per_customer_per_30d = fields.Int(
        strict=True, load_default=None, validate=validate.Range(1)
    )
    after_resolution = fields.Bool(load_default=False)

    @post_load
    def make(self, data: dict, **kwargs) -> Suitability:
        return Suitability(**data)


class RulesSchema(BaseSchema):
    eligibility = fields.Nested(EligibilitySchema)
    applicability = fields.Nested(ApplicabilitySchema)
    suitability = fields.Nested(SuitabilitySchema)

    @post_load
    def make(self, data: dict, **kwargs) -> Rules:
        return Rules(**data)


class CardSchema(BaseSchema):
    card_id = fields.Str(data_key="id", required=True)
    activity = fields.Str(
        required=True,
        validate=validate.OneOf(ACTIVITIES, error="unknown activity {input!r}; one of: {choices}"),
    )
    weight = fields.Float(
        load_default=1.0,
        validate=validate.Range(min=0, min_inclusive=False, error="must be greater than 0"),
    )
    rules = fields.Nested(RulesSchema)
    texts = Texts(required=True)

    @validates_schema(skip_on_field_errors=False)
    def consistent(self, data: dict, **kwargs) -> None:
        errors: dict[str, object] = {}
        card_id, activity = data.get("card_id"), data.get("activity")
        match = CARD_ID.match(card_id) if card_id else None
        if card_id and not match:
            errors["id"] = ["must be <activity>.<slug>, e.g. validate_purchase.reassure_choice"]
        elif match and activity and match["activity"] != activity:
            errors["id"] = [f"must start with the card's activity {activity!r}"]
        # After a field error, `rules` holds marshmallow's partial dict rather than Rules.
        rules, texts = data.get("rules"), data.get("texts")
        if (
            isinstance(rules, Rules)
            and texts
            and (AGENTLESS_CHANNELS & set(rules.applicability.channels))
        ):
            errors["texts"] = {
                lang: {"self_service_text": ["required: the card lists a channel with no agent"]}
                for lang, text in texts.items()
                if text.self_service_text is None
            }
        if any(errors.values()):
            raise ValidationError(errors)

    @post_load
    def make(self, data: dict, **kwargs) -> Card:
        return Card(**data)
