"""Off-policy evaluation of a candidate's top-card policy on the service's logged decisions.

Each logged decision (non-holdout, with a VES answer) gives: the eligible cards with their
weights and logged probabilities of being shown first, the card that was shown first, the
feature row it was scored on and the reward (VE success). A target policy maps (eligible
cards, activity probabilities) to a probability over the eligible cards; the candidate
model supplies the activity probabilities by re-scoring the stored feature row.

The DR estimator's reward model q_hat(x, card) recalibrates the logging model's own
stored activity probabilities to the reward actually observed (a two-parameter logistic
fit): the reward is VE success of the interaction with that card shown first, which also
depends on whether the agent followed the card, so the raw P(success | attempted) is
not the reward's scale.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression

from assist_api.services.learning.ope import Logged, estimate, observed
from assist_api.services.learning.snapshots import matrix_from_inputs
from features.vocabulary import ACTIVITIES

Eligible = Sequence[tuple[str, float]]  # (card_id, weight)
Policy = Callable[[Eligible, np.ndarray | None], np.ndarray]
Scorer = Callable[[np.ndarray], np.ndarray]  # (5, n_features) -> P(success) per activity
PROBABILITY_FLOOR = 1e-4
_INDEX = {a: i for i, a in enumerate(ACTIVITIES)}


@dataclass(frozen=True)
class LoggedDecision:
    interaction_id: str
    customer_id: str
    eligible: list  # [[card_id, weight, p_first], ...]
    shown_first: str
    reward: float
    activity_scores: dict | None  # the logging model's P(success) per activity
    inputs: dict | None  # decisions.inputs
    decision_id: str | None = None


def activity_of(card_id: str) -> int:
    return _INDEX[card_id.split(".", 1)[0]]


def greedy(eligible: Eligible, probabilities: np.ndarray | None) -> np.ndarray:
    """The top card by P(success of its activity) x weight, ties by card id (as served)."""
    keys = [
        (-(probabilities[activity_of(c)] * w if probabilities is not None else w), c)
        for c, w in eligible
    ]
    best = min(range(len(keys)), key=keys.__getitem__)
    out = np.zeros(len(eligible))
    out[best] = 1.0
    return out


def worst_first(eligible: Eligible, probabilities: np.ndarray | None) -> np.ndarray:
    """The deliberately bad policy: the card the model likes least goes first."""
    keys = [
        ((probabilities[activity_of(c)] * w if probabilities is not None else w), c)
        for c, w in eligible
    ]
    out = np.zeros(len(eligible))
    out[min(range(len(keys)), key=keys.__getitem__)] = 1.0
    return out


def uniform(eligible: Eligible, probabilities: np.ndarray | None) -> np.ndarray:
    return np.full(len(eligible), 1.0 / len(eligible))


POLICIES: dict[str, Policy] = {"greedy": greedy, "worst_first": worst_first, "uniform": uniform}


def _logit(p):
    p = np.clip(np.asarray(p, float), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def reward_model(decisions: Sequence[LoggedDecision]) -> Callable[[LoggedDecision], np.ndarray]:
    """q_hat(decision) -> predicted reward of each eligible card (see module docstring)."""
    scored = [d for d in decisions if d.activity_scores]
    rewards = np.array([d.reward for d in scored])
    mean = float(np.mean([d.reward for d in decisions])) if decisions else 0.0
    if len(scored) < 20 or rewards.min() == rewards.max():
        return lambda d: np.full(len(d.eligible), mean)
    x = _logit([d.activity_scores[d.shown_first.split(".", 1)[0]] for d in scored])
    fit = LogisticRegression(C=1e4).fit(x[:, None], rewards)
    a, b = float(fit.intercept_[0]), float(fit.coef_[0, 0])

    def q_hat(d: LoggedDecision) -> np.ndarray:
        if not d.activity_scores:
            return np.full(len(d.eligible), mean)
        p = [d.activity_scores[c.split(".", 1)[0]] for c, _w, _p in d.eligible]
        return 1.0 / (1.0 + np.exp(-(a + b * _logit(p))))

    return q_hat


def logged_arrays(
    decisions: Sequence[LoggedDecision], policy: Policy, score: Scorer | None
) -> Logged:
    """The arrays the estimators take, for `policy` driven by the model `score`."""

    def target(d: LoggedDecision, cards: list) -> np.ndarray:
        probs = score(matrix_from_inputs(d.inputs)) if score and d.inputs else None
        return policy(cards, probs)

    return target_arrays(decisions, target)


def target_arrays(
    decisions: Sequence[LoggedDecision],
    target: Callable[[LoggedDecision, list], np.ndarray],
    q_hat: Callable[[LoggedDecision], np.ndarray] | None = None,
) -> Logged:
    """The estimators' arrays for a target policy given per decision: `target(d, cards)`
    -> P(each eligible card first); `q_hat` defaults to a reward model fitted on these."""
    q_hat = q_hat or reward_model(decisions)
    n = len(decisions)
    mu, pi_logged, q_logged, v_target = (np.empty(n) for _ in range(4))
    for i, d in enumerate(decisions):
        cards = [(c, w) for c, w, _p in d.eligible]
        shown = [c for c, _w in cards].index(d.shown_first)
        pi = target(d, cards)
        q = q_hat(d)
        mu[i] = max(d.eligible[shown][2], PROBABILITY_FLOOR)
        pi_logged[i], q_logged[i], v_target[i] = pi[shown], q[shown], float(pi @ q)
    return Logged(
        customer=np.array([d.customer_id for d in decisions], dtype=object),
        reward=np.array([d.reward for d in decisions], float),
        propensity=mu,
        target=pi_logged,
        q_logged=q_logged,
        v_target=v_target,
    )


def evaluate_policy(
    decisions: Sequence[LoggedDecision],
    policy: Policy,
    score: Scorer | None,
    *,
    min_ess: float,
    draws: int = 1000,
    seed: int = 0,
) -> dict:
    """{"logged", "estimates", "ess", "n_decisions", "matched"}; raises ThinSupport."""
    logged = logged_arrays(decisions, policy, score)
    result = estimate(logged, min_ess=min_ess, draws=draws, seed=seed)
    result["logged"] = observed(logged.customer, logged.reward, draws=draws, seed=seed)
    return result
