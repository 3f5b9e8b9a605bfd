"""Exploration with known probabilities: epsilon-greedy over the eligible cards.

With probability epsilon (a setting; default 5 % of non-holdout decisions) the card shown
first is drawn uniformly from the eligible cards; otherwise it is the model's top card
(P(success) x card weight). Why epsilon-greedy rather than Thompson sampling:

- its propensities are exact and closed-form, (1 - eps) * [greedy] + eps / K, so every
  decision logs the true probability of every eligible card without Monte Carlo;
- every eligible card keeps a floor of eps / K, so inverse-propensity weights are bounded
  by K / eps and off-policy estimates of any candidate stay finite;
- LightGBM has no posterior to sample from: Thompson sampling would need a bootstrap
  ensemble scored on every request, which the latency budget does not have;
- the cost of exploring is a fixed, stated share of decisions, easy to read in the ROI.

The draws are salted hashes of the interaction id (like the holdout's of the customer
id), so asking again about the same interaction gives the same arm and the same card:
a desk refreshing after every line does not see the top card flip at random, and the
propensity logged on each of the interaction's decisions is the marginal probability.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from assist_api.services.holdout import hash_fraction

POLICY_NAME = "epsilon_greedy"
POLICY_VERSION = "1"
EXPLOIT, EXPLORE, HOLDOUT = "exploit", "explore", "holdout"
ARMS = (EXPLOIT, EXPLORE, HOLDOUT)


@dataclass(frozen=True)
class FirstCard:
    """Which eligible card goes first, and the probability each one had of going first."""

    index: int  # into the eligible cards, best first; -1 when none is shown
    arm: str  # exploit | explore | holdout
    propensities: tuple[float, ...]  # per eligible card, in the order given

    @property
    def propensity(self) -> float | None:
        """The probability that the card shown first was shown first (None: no card)."""
        return self.propensities[self.index] if self.index >= 0 else None


def draws(interaction_id: str, salt: str) -> tuple[float, float]:
    """Two independent uniform draws for an interaction: (arm, card within the explore arm)."""
    return (
        hash_fraction(interaction_id, f"{salt}:arm"),
        hash_fraction(interaction_id, f"{salt}:pick"),
    )


def propensities(n_eligible: int, epsilon: float) -> tuple[float, ...]:
    """P(card i is shown first) for eligible cards sorted best first (index 0 is greedy)."""
    if n_eligible == 0:
        return ()
    share = epsilon / n_eligible
    return (1.0 - epsilon + share, *([share] * (n_eligible - 1)))


def choose_first(n_eligible: int, epsilon: float, u_arm: float, u_pick: float) -> FirstCard:
    """The first card among `n_eligible` cards sorted best first, given the two draws."""
    if not 0.0 <= epsilon <= 1.0:
        raise ValueError(f"epsilon must be within [0, 1], got {epsilon}")
    probs = propensities(n_eligible, epsilon)
    if n_eligible == 0:
        return FirstCard(-1, EXPLOIT, probs)
    if u_arm < epsilon:
        return FirstCard(min(int(u_pick * n_eligible), n_eligible - 1), EXPLORE, probs)
    return FirstCard(0, EXPLOIT, probs)


def holdout_choice() -> FirstCard:
    return FirstCard(-1, HOLDOUT, ())


def move_first(items: Sequence, index: int) -> list:
    """`items` with items[index] first and the others in their order."""
    if index <= 0:
        return list(items)
    return [items[index], *items[:index], *items[index + 1 :]]


def policy_record(choice: FirstCard, epsilon: float, eligible: Sequence[tuple]) -> dict:
    """What a decision logs about its policy. `eligible`: (card_id, weight) best first."""
    return {
        "name": POLICY_NAME,
        "version": POLICY_VERSION,
        "arm": choice.arm,
        "epsilon": epsilon,
        "propensity": choice.propensity,
        "eligible": [
            [card_id, weight, round(p, 6)]
            for (card_id, weight), p in zip(eligible, choice.propensities, strict=True)
        ],
    }


def answer_policy(record: dict) -> dict:
    """The answer's `policy` object (additive): name, version, arm, propensity."""
    return {k: record[k] for k in ("name", "version", "arm", "propensity")}
