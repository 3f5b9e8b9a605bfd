"""Why the score is what it is: LightGBM's own contributions, turned into a few sentences.

The reasons explain the openness score, i.e. the best activity's row. Contributions are
in raw log-odds (before calibration): their signs and relative sizes are what matter
here, and they add up exactly to the row's raw score, so nothing is approximated.
Everything below is precomputed from the feature spec at import: a request costs one
pred_contrib call plus a bincount, an argsort and a few string formats.
"""

import math
from dataclasses import asdict, dataclass

import numpy as np

from features.row import PreparedInteraction
from features.spec import CATEGORICAL, FEATURES
from models.explanation_text import GROUPS, reason_sentence, sentence, text_language
from models.loaded import LoadedModel

MIN_CONTRIBUTION = 1e-9  # a feature the trees never split on explains nothing
# Not a reason about the customer: "best fit: confirming the purchase" restates the ranking.
NOT_REASONS = ("activity",)

_NAMES = tuple(f.name for f in FEATURES)
_GROUP_NAMES = tuple(dict.fromkeys(GROUPS.get(n, n) for n in _NAMES))
_GROUP_OF = np.array([_GROUP_NAMES.index(GROUPS.get(n, n)) for n in _NAMES], dtype=np.intp)
_COLUMN = {name: i for i, name in enumerate(_NAMES)}
_CATEGORIES = {f.name: f.categories for f in FEATURES if f.kind == CATEGORICAL}
_INFERRED_COLUMN = _COLUMN["reason_inferred"]
_NOT_REASON_GROUPS = np.array([_GROUP_NAMES.index(n) for n in NOT_REASONS if n in _GROUP_NAMES])


@dataclass(frozen=True)
class Reason:
    feature: str
    contribution: float  # raw log-odds; > 0 raised the score
    text: str

    def to_dict(self) -> dict:
        return asdict(self)


def explain(
    model: LoadedModel,
    prepared: PreparedInteraction | None,
    best_row: np.ndarray,
    language: str | None,
    top_k: int = 3,
) -> list[Reason]:
    """The top_k strongest drivers of this row's score, as sentences in ja or en."""
    if top_k <= 0:
        return []
    return reasons_from_contributions(
        model.contributions(best_row), prepared, best_row, language, top_k
    )


def reasons_from_contributions(
    contributions: np.ndarray,
    prepared: PreparedInteraction | None,
    row: np.ndarray,
    language: str | None,
    top_k: int = 3,
) -> list[Reason]:
    """Group (bias dropped), keep the top_k by |contribution|, raisers first, and text them."""
    if len(contributions) != len(_NAMES) + 1:
        raise ValueError(
            f"expected {len(_NAMES) + 1} contributions (features + bias), got {len(contributions)}"
        )
    sums = np.bincount(_GROUP_OF, weights=contributions[:-1], minlength=len(_GROUP_NAMES))
    sums[_NOT_REASON_GROUPS] = 0.0
    strongest = np.argsort(-np.abs(sums), kind="stable")[:top_k].tolist()
    chosen = [i for i in strongest if abs(sums[i]) > MIN_CONTRIBUTION]
    chosen.sort(key=lambda i: (sums[i] < 0, -abs(sums[i])))
    lang = text_language(language)
    reasons = []
    for i in chosen:
        name, value = _GROUP_NAMES[i], float(sums[i])
        reasons.append(Reason(name, value, _text(lang, name, row, prepared, value > 0)))
    return reasons


def _text(lang: str, name: str, row: np.ndarray, prepared, positive: bool) -> str:
    if name == "contact_reason":
        if prepared is not None:
            return reason_sentence(
                lang,
                prepared.contact_reason,
                prepared.reason_inferred,
                prepared.reason_evidence,
                positive,
            )
        inferred = row[_INFERRED_COLUMN] == 1.0
        return reason_sentence(lang, _value(name, row), inferred, (), positive)
    return sentence(lang, name, _value(name, row), positive)


def _value(name: str, row: np.ndarray):
    """The row's value for a feature: float, category value, or None when missing."""
    value = float(row[_COLUMN[name]])
    if math.isnan(value):
        return None
    categories = _CATEGORIES.get(name)
    if categories is None:
        return value
    code = int(value)
    return categories[code] if 0 <= code < len(categories) else None
