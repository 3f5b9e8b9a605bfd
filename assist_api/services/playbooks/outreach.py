"""Proactive outreach from a scored customer base: one row per customer, the card to open
with, and the control group left alone.

`value-assist batch-score` scores each customer's latest row (profile or interaction) with
the model's own code (`training.batch_score`); this module turns those rows into an
outreach list:
- **`best_card`**: the published card /v1/assist would rank first for that row — the same
  engagement rules (`prompts_playbooks.rules.card_passes`) and the same ranking
  (P(card's activity) x the card's weight, ties by card id); empty when no card passes;
- **`control_group`**: the card control group's deterministic hash, as /v1/assist draws
  it; those customers get no card and `outreach` false (ROI is measured against them),
  unless `include_control_group` is asked for.

The rules are checked once per *kind* of row, not once per row: rows are grouped by the
rule inputs (strings as they are; each number by where it falls among the cards' own
thresholds), and one row of each group is checked. Every row of a group passes and fails
the same comparisons, so the answer is the rules' own, at pandas speed.
"""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from assist_api.services.holdout import hash_fraction
from features.vocabulary import ACTIVITIES
from prompts_playbooks.cards import Card
from prompts_playbooks.context import context_from_record
from prompts_playbooks.rules import card_passes

OUTREACH_COLUMNS = ("best_card", "control_group", "outreach")
STRING_FIELDS = (
    "persona",
    "plan_tier",
    "channel",
    "language",
    "contact_reason",
    "complaint_unresolved",
)
# context field -> (is an integer, the card rule fields that hold its thresholds)
NUMERIC_FIELDS = {
    "days_since_purchase": (True, ("min_days_since_purchase", "max_days_since_purchase")),
    "products_owned": (True, ("min_products_owned", "max_products_owned")),
    "feature_adoption": (False, ("min_feature_adoption", "max_feature_adoption")),
    "customer_sentiment": (False, ("min_sentiment",)),
}


def _thresholds(cards: Sequence[Card], rule_fields: tuple[str, ...]) -> np.ndarray:
    values = set()
    for card in cards:
        for tier in (card.rules.eligibility, card.rules.applicability, card.rules.suitability):
            for name in rule_fields:
                value = getattr(tier, name, None)
                if value is not None:
                    values.add(float(value))
    return np.array(sorted(values), dtype=float)


def _numeric_codes(raw: pd.Series, integer: bool, limits: np.ndarray) -> tuple[np.ndarray, int]:
    """Each row's place among `limits` (below, on or above each), computed per distinct
    value; blank and malformed values get places of their own."""
    codes, uniques = pd.factorize(raw, use_na_sentinel=False)
    text = pd.Series(uniques, dtype=object).astype(str).str.strip()
    values = pd.to_numeric(text.mask(text.isin(("", "nan", "None", "<NA>"))), errors="coerce")
    values = values.to_numpy(float)
    if integer:
        values = np.trunc(values)
    left = np.searchsorted(limits, values, "left")
    place = left * 2 + (np.searchsorted(limits, values, "right") > left)
    blank = text.isin(("", "nan", "None", "<NA>")).to_numpy()
    size = 2 * len(limits) + 3
    place = np.where(np.isnan(values), np.where(blank, size - 2, size - 1), place)
    return place[codes], size


def rule_groups(frame: pd.DataFrame, cards: Sequence[Card]) -> np.ndarray:
    """A group number per row: rows of one group meet every card rule the same way."""
    parts = []
    for name in STRING_FIELDS:
        if name in frame.columns:
            codes, uniques = pd.factorize(frame[name], use_na_sentinel=False)
            parts.append((codes, len(uniques)))
    for name, (integer, rule_fields) in NUMERIC_FIELDS.items():
        if name in frame.columns:
            parts.append(_numeric_codes(frame[name], integer, _thresholds(cards, rule_fields)))
    groups, count = np.zeros(len(frame), dtype=np.int64), 1
    for codes, size in parts:
        if count * size >= 2**62:  # keep the combined key in 64 bits: renumber densely
            _, groups = np.unique(groups, return_inverse=True)
            count = int(groups.max()) + 1
        groups, count = groups * size + codes, count * size
    return np.unique(groups, return_inverse=True)[1]


def passing_cards(frame: pd.DataFrame, groups: np.ndarray, cards: Sequence[Card]) -> np.ndarray:
    """(groups, cards) booleans: may the card be offered to the group's rows."""
    first = pd.Series(np.arange(len(frame))).groupby(groups).first().sort_index()
    representatives = frame.iloc[first.to_numpy()].to_dict("records")
    passes = np.zeros((len(first), len(cards)), dtype=bool)
    for group, row in zip(first.index, representatives, strict=True):
        try:
            context = context_from_record({k: v for k, v in row.items() if not _missing(v)})
        except ValueError:
            continue  # a row the desk could not get cards for either (a field missing)
        passes[group] = [card_passes(card, context)[0] for card in cards]
    return passes


def best_cards(frame: pd.DataFrame, probabilities: np.ndarray, cards: Sequence[Card]):
    """The card each row would be offered first ("" when none passes)."""
    cards = sorted(cards, key=lambda card: card.card_id)  # argmax keeps the first: ties by id
    if not len(frame) or not cards:
        return np.full(len(frame), "", dtype=object)
    groups = rule_groups(frame, cards)
    allowed = passing_cards(frame, groups, cards)[groups]
    columns = [ACTIVITIES.index(card.activity) for card in cards]
    weights = np.array([card.weight for card in cards])
    scores = np.where(allowed, probabilities[:, columns] * weights, -np.inf)
    best = scores.argmax(axis=1)
    ids = np.array([card.card_id for card in cards], dtype=object)[best]
    return np.where(allowed.any(axis=1), ids, "")


def control_group(customer_ids, salt: str, rate: float) -> np.ndarray:
    """The card control group, drawn exactly as /v1/assist draws it."""
    if rate <= 0:
        return np.zeros(len(customer_ids), dtype=bool)
    return np.array([hash_fraction(str(c), salt) < rate for c in customer_ids], dtype=bool)


def outreach_rows(
    scored: pd.DataFrame,
    probabilities: np.ndarray,
    cards: Sequence[Card],
    *,
    salt: str,
    rate: float,
    include_control_group: bool = False,
) -> pd.DataFrame:
    """The scored rows with `best_card`, `control_group` and `outreach` added."""
    held = control_group(scored["customer_id"].to_numpy(), salt, rate)
    card = best_cards(scored, probabilities, cards)
    offered = ~held | include_control_group
    out = scored.copy()
    out["best_card"] = np.where(offered, card, "")
    out["control_group"] = held
    out["outreach"] = offered & (out["best_card"] != "").to_numpy()
    return out


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value == ""
