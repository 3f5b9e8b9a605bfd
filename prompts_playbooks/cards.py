"""A playbook card as plain, immutable data.

Cards are read on every assist request by many threads at once, so they are frozen: a
new version is a new object (the store uses `dataclasses.replace(card, version=n)`),
never an edit in place. Empty tuples in the rules mean "no restriction".
"""

from dataclasses import dataclass, field

from features.vocabulary import DEFAULT_LANGUAGE


@dataclass(frozen=True, slots=True)
class CardText:
    """What one card says in one language (every string is a sandboxed template)."""

    title: str
    body: str  # one line for the agent: what to do and why
    talk_track: tuple[str, ...]  # 2-4 lines the agent can say
    evidence: tuple[str, ...]  # cues to listen for before using the card
    avoid: tuple[str, ...]  # what not to do
    self_service_text: str | None = None  # shown to the customer when no agent is present


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Who may get the card at all."""

    plan_tiers: tuple[str, ...] = ()
    personas: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()  # primary language tags of the customer
    min_products_owned: int | None = None
    max_products_owned: int | None = None


@dataclass(frozen=True, slots=True)
class Applicability:
    """Whether the card is relevant to this interaction now."""

    contact_reasons: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    min_days_since_purchase: int | None = None
    max_days_since_purchase: int | None = None
    min_feature_adoption: float | None = None
    max_feature_adoption: float | None = None


@dataclass(frozen=True, slots=True)
class Suitability:
    """Whether using the card now is in the customer's interest."""

    min_sentiment: float | None = None  # -1..1; unknown sentiment does not block
    not_during_unresolved_complaint: bool = True
    max_per_customer_per_30d: int | None = None
    # Waits until the customer's issue is resolved (a recap of the win, say): offered
    # before, it reads as brushing the problem aside.
    after_resolution: bool = False


@dataclass(frozen=True, slots=True)
class Rules:
    eligibility: Eligibility = field(default_factory=Eligibility)
    applicability: Applicability = field(default_factory=Applicability)
    suitability: Suitability = field(default_factory=Suitability)


@dataclass(frozen=True, slots=True)
class Card:
    card_id: str  # "<activity>.<slug>"
    activity: str
    texts: dict[str, CardText]  # keyed by primary language tag; always has ja and en
    weight: float = 1.0  # the CS leads' business lever in ranking: P(success) x weight
    rules: Rules = field(default_factory=Rules)
    version: int = 1  # set by the versioned store; files carry no version

    def shown_language(self, language: str) -> str:
        """`language` (a primary tag) if the card has text in it, else English."""
        return language if language in self.texts else DEFAULT_LANGUAGE

    def text_for(self, language: str) -> CardText:
        return self.texts[self.shown_language(language)]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one card, precise enough to fix without reading code."""

    file: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.reason}"


class CardValidationError(ValueError):
    """A card (or a folder of cards) failed validation; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
