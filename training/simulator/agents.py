"""The demo world's agents: pools, languages, a hidden VE skill, and who answers whom.

`agents.csv` (evaluation only) lists each agent's pool, languages (";"-separated), true
skill (a logit effect on VE success) and card propensity (how readily they use a card).
Pools: `ve_champions` (picked on demonstrated results, so mostly but not only the most
skilled), `standard`, `ja_support` (Japanese speakers) and `digital` (async channels).
Agentless channels have no agent and the pool `self_service`.
"""

import numpy as np
import pandas as pd

from features.vocabulary import AGENTLESS_CHANNELS, SYNCHRONOUS_CHANNELS

AGENT_COUNT = 120
POOL_SIZES = {"ja_support": 30, "digital": 20, "ve_champions": 16}  # the rest: standard
AGENTLESS_POOL = "self_service"
AGENT_SKILL_SD = 0.35
# Champions were picked on demonstrated results, i.e. skill seen through noise.
CHAMPION_SELECTION_NOISE_SD = 0.3
JA_SPEAKER_SHARE = {"ve_champions": 0.3, "standard": 0.2, "digital": 0.4}
ENGLISH_SHARE_IN_JA_SUPPORT = 0.5
CARD_PROPENSITY_LOG_SD = 0.25
# Routing weights: async work goes mostly to the digital pool, live work to the rest.
DIGITAL_WEIGHT = {"async": 3.0, "sync": 0.0}
OTHER_POOL_WEIGHT = {"async": 0.3, "sync": 1.0}
JA_SUPPORT_JA_WEIGHT = 1.5
# Per-activity skill (worlds built with `activity_skill`): an agent's term on activity k's
# log-odds is general skill x loading(k) + an activity-specific deviation, larger for the
# hardest activities; educating and advising also need training, and an untrained
# attempt does worse than none (DOMAIN.md: "an untrained attempt can do worse than none").
ACTIVITY_DEVIATION_SD = {
    "validate_purchase": 0.10,
    "anticipate_needs": 0.15,
    "achieve_goals": 0.15,
    "educate_usage": 0.45,
    "advise_new_features": 0.45,
}
TRAINED_SHARE = {"educate_usage": 0.55, "advise_new_features": 0.45}
UNTRAINED_PENALTY = 3.0  # log-odds: below the no-attempt chance on an ordinary contact


def channel_mode(channel: np.ndarray) -> np.ndarray:
    """'sync' / 'async' / 'agentless': the channel property that shapes VE and routing."""
    sync = np.isin(channel, list(SYNCHRONOUS_CHANNELS))
    agentless = np.isin(channel, list(AGENTLESS_CHANNELS))
    return np.where(agentless, "agentless", np.where(sync, "sync", "async"))


def draw_agents(rng: np.random.Generator) -> pd.DataFrame:
    """~120 agents with a latent VE skill, pools, languages and a habit of using cards."""
    skill = rng.normal(0, AGENT_SKILL_SD, AGENT_COUNT)
    order = rng.permutation(AGENT_COUNT)
    pool = np.full(AGENT_COUNT, "standard", dtype=object)
    n_ja, n_digital = POOL_SIZES["ja_support"], POOL_SIZES["digital"]
    pool[order[:n_ja]] = "ja_support"
    pool[order[n_ja : n_ja + n_digital]] = "digital"
    rest = order[n_ja + n_digital :]
    shown = skill[rest] + rng.normal(0, CHAMPION_SELECTION_NOISE_SD, rest.size)
    pool[rest[np.argsort(-shown)[: POOL_SIZES["ve_champions"]]]] = "ve_champions"
    ja_support = pool == "ja_support"
    speaks_en = ~ja_support | (rng.random(AGENT_COUNT) < ENGLISH_SHARE_IN_JA_SUPPORT)
    speaks_ja = ja_support.copy()
    for name, share in JA_SPEAKER_SHARE.items():
        in_pool = pool == name
        speaks_ja[in_pool] = rng.random(in_pool.sum()) < share
    languages = [
        ";".join(lang for lang, ok in (("ja", j), ("en", e)) if ok)
        for j, e in zip(speaks_ja, speaks_en, strict=True)
    ]
    return pd.DataFrame(
        {
            "agent_id": [f"a-{k:03d}" for k in range(1, AGENT_COUNT + 1)],
            "pool": pool.astype(str),
            "languages": languages,
            "true_skill": np.round(skill, 4),
            "card_propensity": np.round(
                np.exp(rng.normal(0, CARD_PROPENSITY_LOG_SD, AGENT_COUNT)), 4
            ),
        }
    )


def add_activity_skills(
    agents: pd.DataFrame, loading: dict[str, float], rng: np.random.Generator
) -> pd.DataFrame:
    """`agents` plus `skill_<activity>` (the agent's full term on that activity's log-odds)
    and `trained_<activity>` (always true where no training is needed)."""
    out = agents.copy()
    general = agents["true_skill"].to_numpy(float)
    for activity, sd in ACTIVITY_DEVIATION_SD.items():
        trained = rng.random(len(agents)) < TRAINED_SHARE.get(activity, 1.0)
        term = general * loading[activity] + rng.normal(0, sd, len(agents))
        out[f"skill_{activity}"] = np.round(term - UNTRAINED_PENALTY * ~trained, 4)
        out[f"trained_{activity}"] = trained
    return out


def route(
    channel: np.ndarray, language: np.ndarray, agents: pd.DataFrame, rng: np.random.Generator
) -> np.ndarray:
    """Index of the handling agent per contact (-1 on agentless channels).

    Japanese-speaking customers only reach Japanese speakers; everyone else reaches English
    speakers. Routing ignores skill (history before the product existed).
    """
    mode = channel_mode(channel)
    is_ja = np.char.startswith(language.astype(str), "ja")
    agent = np.full(channel.size, -1)
    pool = agents["pool"].to_numpy()
    speaks = {lang: agents["languages"].str.contains(lang).to_numpy() for lang in ("ja", "en")}
    for m in ("sync", "async"):
        base = np.where(pool == "digital", DIGITAL_WEIGHT[m], OTHER_POOL_WEIGHT[m])
        for ja in (True, False):
            rows = np.flatnonzero((mode == m) & (is_ja == ja))
            weights = base * speaks["ja" if ja else "en"]
            if ja:
                weights = weights * np.where(pool == "ja_support", JA_SUPPORT_JA_WEIGHT, 1.0)
            agent[rows] = rng.choice(len(pool), rows.size, p=weights / weights.sum())
    return agent
