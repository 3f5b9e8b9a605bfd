"""The family of test worlds: contact centres unlike the one the product was designed on.

Each world is a WorldSpec: a functional form for who responds to which activity
(`logistic` with interactions, `multiplicative`, `threshold` steps), how its customers
phrase things (`varied`: compositional wording of its own, `none`: no transcripts), how
often the reason and sentiment are left empty, how much the hidden agent skill matters,
and whether the logged agents almost never try one activity (where a model must not
extrapolate wildly). Claims are checked on every world; `role` keeps the worlds used
while choosing the design apart from those used to judge it.

Besides the simulator's oracle (`p_<activity>`: true reason, sentiment and the handling
agent's skill), truth.csv holds the **observable oracle** (`p_obs_<activity>`): the same
probability with what the service cannot see integrated out given what it can — the
agent's skill averaged over the agents who could take the contact, a missing sentiment
over its distribution given the reason. (The reason is taken as seen: it is given, or
the customer states it in the transcript.)
"""

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from features.vocabulary import ACTIVITIES, CHANNELS, CONTACT_REASONS, PERSONAS, PLAN_TIERS
from training.simulator.family_phrases import CORES, MOOD_LINES, OPENERS, SLOTS, TAILS

START = pd.Timestamp("2025-01-06T00:00:00Z")
DAYS = 200
AGENTS = 40
AGENTLESS = ("self_service", "chatbot")
LANGUAGES = ("en", "ja", "en-US", "ja-JP", "ko")
LANGUAGE_SHARES = (0.4, 0.35, 0.1, 0.1, 0.05)
REASON_SHARES = np.array([0.2, 0.17, 0.13, 0.13, 0.13, 0.1, 0.07, 0.07])
REASON_SENTIMENT = np.array([0.3, 0.15, -0.05, -0.2, -0.25, -0.6, -0.4, 0.0])
SENTIMENT_SD = 0.35
HERMITE = np.polynomial.hermite_e.hermegauss(9)  # nodes, weights for N(0, 1)
ATTEMPT_RATE, SURVEY_RATE, EMPTY_TEXT_RATE = 0.5, 0.7, 0.05
CHOICE = {"noise_sd": 0.8, "beta": 1.0, "explore": 0.3}
SKILL_LOADING = np.array([0.8, 1.0, 1.0, 1.3, 1.3])
WORLD_FILES = ("interactions.csv", "outcomes.csv", "truth.csv")


@dataclass(frozen=True)
class WorldSpec:
    name: str
    form: str  # "logistic" | "multiplicative" | "threshold"
    seed: int
    role: str = "judge"  # "design": used while choosing the design; "judge": only to judge
    phrasing: str = "varied"  # "varied" | "none"
    reason_missing: float = 0.3
    sentiment_missing: float = 0.2
    skill_sd: float = 0.3
    rare_activity: str | None = None
    rare_share: float = 0.05  # the rare activity's share of its would-be choices


FAMILY = (
    WorldSpec("interactions", "logistic", seed=101, role="design"),
    WorldSpec("rare-educate", "logistic", seed=102, rare_activity="educate_usage"),
    WorldSpec("products", "multiplicative", seed=103, reason_missing=0.5, skill_sd=0.2),
    WorldSpec("steps", "threshold", seed=104, sentiment_missing=0.6, skill_sd=0.4),
    WorldSpec(
        "steps-rare-advise", "threshold", seed=105, rare_activity="advise_new_features",
        phrasing="none", reason_missing=0.1,
    ),
)  # fmt: skip
BY_NAME = {spec.name: spec for spec in FAMILY}


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _customers(n: int, rng: np.random.Generator) -> pd.DataFrame:
    persona = rng.choice(len(PERSONAS), n, p=[0.3, 0.3, 0.2, 0.2])
    tier = np.minimum(rng.poisson(0.3 + 0.5 * persona), len(PLAN_TIERS) - 1)
    return pd.DataFrame(
        {
            "persona": np.array(PERSONAS)[persona],
            "plan_tier": np.array(PLAN_TIERS)[tier],
            "days_since_purchase": np.round(rng.lognormal(4.0, 1.2, n)).astype(int),
            "feature_adoption": np.round(rng.beta(1.3 + 0.7 * persona, 3.0, n), 3),
            "products_owned": 1 + rng.poisson(0.3 + 0.5 * tier),
            "prior_contacts_90d": rng.poisson(1.2, n),
            "clv": np.round(rng.gamma(2.0, 350.0 * (1 + tier)), 2),
            "switching_effort": np.where(rng.random(n) < 0.5, "high", "low"),
            "channel": rng.choice(
                CHANNELS, n, p=[0.3, 0.2, 0.12, 0.06, 0.05, 0.08, 0.08, 0.03, 0.08]
            ),
            "elapsed_seconds": np.round(rng.gamma(2.0, 150.0, n)).astype(int),
        }
    )


def _fit(form: str, c: pd.DataFrame, reason: np.ndarray, sentiment: np.ndarray) -> np.ndarray:
    """(n, 5) activity-fit logits (or log-factors for `multiplicative`) without skill."""
    days = c["days_since_purchase"].to_numpy(float)
    adoption = c["feature_adoption"].to_numpy(float)
    products = c["products_owned"].to_numpy(float)
    prior = c["prior_contacts_90d"].to_numpy(float)
    persona = c["persona"].to_numpy(str)
    premium = np.isin(c["plan_tier"].to_numpy(str), ["premium", "enterprise"])
    question = np.isin(reason, [0, 1])
    sync = np.isin(c["channel"].to_numpy(str), ["phone", "chat", "in_person"])
    if form == "logistic":
        open_ = -0.5 + 0.5 * question - 0.9 * (reason == 5) - 0.8 * (reason == 6) + 0.9 * sentiment
        open_ += 0.3 * sync - 0.15 * np.minimum(prior, 4)
        cols = [
            1.2 * (days < 30) * (persona == "novice") + 0.3 * (days < 30) - 0.4 * adoption,
            0.35 * (products - 1) * (adoption > 0.3) - 0.2,
            0.8 * (persona == "professional") * question
            + 0.6 * adoption * (1 - adoption) * 4
            - 0.9,
            1.5 * (1 - adoption) ** 3 + 0.6 * (reason == 1) - 0.3 * (sentiment < -0.3) - 0.5,
            1.6 * (adoption > 0.55) * premium + 0.5 * (persona == "enthusiast") - 0.9,
        ]
    elif form == "multiplicative":  # log-factors: p = openness x fit, multiplied out below
        open_ = np.log(np.where(question, 0.9, np.where(reason >= 5, 0.35, 0.6)))
        open_ += np.log(1 + 0.4 * sentiment) + np.log(np.where(sync, 1.0, 0.7))
        cols = [
            np.log(np.where(days < 60, 0.8, 0.45)),
            np.log(0.3 + 0.12 * np.minimum(products, 4)),
            np.log(0.3 + 0.5 / (1 + ((adoption - 0.5) / 0.2) ** 2)),
            np.log(np.clip((1.2 - adoption) * (1 - 0.4 * sentiment), 0.05, None) * 0.55),
            np.log(np.where((adoption > 0.6) & (persona != "novice"), 0.85, 0.25)),
        ]
    else:  # threshold: steps a tree can find, with a sentiment x activity sign flip
        open_ = (
            -0.3
            + 0.6 * (reason == 0)
            - 1.0 * (reason >= 5)
            + 0.7 * np.sign(sentiment) * (np.abs(sentiment) > 0.3)
        )
        open_ -= 0.5 * (prior >= 3)
        cols = [
            0.9 * (days < 14) + 0.4 * (days < 90) - 0.8,
            0.9 * (products >= 3) - 0.4,
            0.9 * ((adoption > 0.3) & (adoption < 0.6)) - 0.5,
            1.2 * (adoption < 0.2) + 0.6 * (sentiment < -0.3) - 0.6,
            1.4 * ((adoption > 0.65) & premium) - 0.7,
        ]
    return open_[:, None] + np.column_stack(cols)


def _with_skill(form: str, fit: np.ndarray, skill: np.ndarray) -> np.ndarray:
    if form == "multiplicative":
        return np.clip(np.exp(fit) * np.exp(0.6 * skill[:, None] * SKILL_LOADING), 0.01, 0.97)
    return _sigmoid(fit + skill[:, None] * SKILL_LOADING)


def probabilities(form, c, reason, sentiment, skill) -> np.ndarray:
    """(n, 5) true P(success) for given reason codes, sentiments and agent skills."""
    return _with_skill(form, _fit(form, c, reason, sentiment), skill)


def observable_probabilities(spec, c, reason, sentiment, seen_sentiment, skills, has_agent):
    """p_obs: skill averaged over the agents, a missing sentiment over its distribution."""
    out = np.zeros((len(c), len(ACTIVITIES)))
    nodes, weights = HERMITE
    weights = weights / weights.sum()
    for node, w in zip(nodes, weights, strict=True):
        drawn = np.clip(REASON_SENTIMENT[reason] + SENTIMENT_SD * node, -1, 1)
        fit = _fit(spec.form, c, reason, np.where(seen_sentiment, sentiment, drawn))
        for skill in skills:
            out += w * _with_skill(spec.form, fit, np.where(has_agent, skill, 0.0)) / len(skills)
    return out


def _bank(language: str) -> str:
    """Japanese customers write Japanese; everyone else English."""
    return "ja" if language.startswith("ja") else "en"


def _transcript(reason: int, lang: str, sentiment: float, rnd: random.Random) -> str:
    core = rnd.choice(CORES[lang][CONTACT_REASONS[reason]])
    core = core.format(**{k: rnd.choice(v) for k, v in SLOTS[lang].items()})
    lines = [core + ("" if lang == "ja" else rnd.choice(("?", ".", "", " ...")))]
    if rnd.random() < 0.6:
        lines.insert(0, rnd.choice(OPENERS[lang]))
    mood = "angry" if sentiment < -0.35 else "happy" if sentiment > 0.35 else None
    if mood and rnd.random() < 0.7:
        lines.insert(rnd.randrange(len(lines) + 1), rnd.choice(MOOD_LINES[lang][mood]))
    if rnd.random() < 0.4:
        lines.append(rnd.choice(TAILS[lang]))
    return "\n".join(lines)


def _choices(logits, rng, rare_index, rare_share) -> np.ndarray:
    perceived = CHOICE["beta"] * (logits + rng.normal(0, CHOICE["noise_sd"], logits.shape))
    soft = np.exp(perceived - perceived.max(axis=1, keepdims=True))
    soft /= soft.sum(axis=1, keepdims=True)
    p = CHOICE["explore"] / 5 + (1 - CHOICE["explore"]) * soft
    if rare_index is not None:
        p[:, rare_index] *= rare_share
        p /= p.sum(axis=1, keepdims=True)
    u = rng.random(len(p))[:, None]
    return np.minimum((u > p.cumsum(axis=1)).sum(axis=1), 4)


def simulate_family_world(spec: WorldSpec, n: int):
    """(interactions, outcomes, truth) in the import format, seeded by the spec."""
    rng = np.random.default_rng(spec.seed)
    rnd = random.Random(spec.seed)
    c = _customers(n, rng)
    seconds = np.sort(rng.uniform(0, DAYS * 86400, n))
    reason = rng.choice(len(CONTACT_REASONS), n, p=REASON_SHARES)
    sentiment = np.round(
        np.clip(REASON_SENTIMENT[reason] + rng.normal(0, SENTIMENT_SD, n), -1, 1), 2
    )
    skills = rng.normal(0, spec.skill_sd, AGENTS)
    has_agent = ~np.isin(c["channel"].to_numpy(str), AGENTLESS)
    agent = rng.integers(0, AGENTS, n)
    skill = np.where(has_agent, skills[agent], 0.0)
    p = probabilities(spec.form, c, reason, sentiment, skill)
    language = rng.choice(LANGUAGES, n, p=LANGUAGE_SHARES)
    rare = ACTIVITIES.index(spec.rare_activity) if spec.rare_activity else None
    choice = _choices(np.log(p / (1 - p)), rng, rare, spec.rare_share)
    attempted = rng.random(n) < ATTEMPT_RATE
    success = rng.random(n) < p[np.arange(n), choice]
    answered = attempted & (rng.random(n) < SURVEY_RATE)
    ves = np.where(
        success[:, None],
        rng.integers(5, 8, (n, 2)),
        np.column_stack([rng.integers(1, 5, n), rng.integers(1, 8, n)]),
    )
    reason_seen = rng.random(n) >= spec.reason_missing
    sentiment_seen = rng.random(n) >= spec.sentiment_missing
    texts = [""] * n
    if spec.phrasing == "varied":
        empty = rng.random(n) < EMPTY_TEXT_RATE
        texts = [
            "" if empty[i] else _transcript(reason[i], _bank(language[i]), sentiment[i], rnd)
            for i in range(n)
        ]
    ids = np.array([f"{spec.name}-{k:07d}" for k in range(n)])
    interactions = pd.DataFrame(
        {
            "interaction_id": ids,
            "customer_id": [f"fc-{k}" for k in rng.integers(0, n // 2 + 1, n)],
            "started_at": (START + pd.to_timedelta(seconds, unit="s")).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            ),
            "channel": c["channel"],
            "language": language,
            "contact_reason": np.where(reason_seen, np.array(CONTACT_REASONS)[reason], ""),
            "transcript": texts,
            "customer_sentiment": np.where(sentiment_seen, sentiment, np.nan),
            "elapsed_seconds": c["elapsed_seconds"],
            "agent_id": np.where(has_agent, [f"fa-{k:02d}" for k in agent], ""),
            "pool": np.where(has_agent, "general", "self_service"),
            **{k: c[k] for k in ("days_since_purchase", "persona", "plan_tier", "products_owned")},
            **{
                k: c[k]
                for k in ("feature_adoption", "prior_contacts_90d", "clv", "switching_effort")
            },
            "holdout": "false",
            "activity_attempted": np.where(attempted, np.array(ACTIVITIES)[choice], ""),
        }
    )
    outcomes = pd.DataFrame(
        {
            "interaction_id": ids[answered],
            "ves_confidence": ves[answered, 0],
            "ves_ability": ves[answered, 1],
        }
    )
    p_obs = observable_probabilities(spec, c, reason, sentiment, sentiment_seen, skills, has_agent)
    truth = pd.DataFrame(
        {
            "interaction_id": ids,
            "true_contact_reason": np.array(CONTACT_REASONS)[reason],
            "true_customer_sentiment": sentiment,
            **{f"p_{a}": np.round(p[:, k], 6) for k, a in enumerate(ACTIVITIES)},
            **{f"p_obs_{a}": np.round(p_obs[:, k], 6) for k, a in enumerate(ACTIVITIES)},
            "best_activity": np.array(ACTIVITIES)[p.argmax(axis=1)],
            "agent_skill": np.round(skill, 4),
        }
    )
    return interactions, outcomes, truth


def write_family_world(spec: WorldSpec | str, out_dir: Path, n: int) -> Path:
    """Write one world's interactions.csv, outcomes.csv and truth.csv into `out_dir`."""
    spec = BY_NAME[spec] if isinstance(spec, str) else spec
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for frame, file_name in zip(simulate_family_world(spec, n), WORLD_FILES, strict=True):
        frame.to_csv(out_dir / file_name, index=False, encoding="utf-8", lineterminator="\n")
    return out_dir
