"""Worlds where agents differ by activity: an agent x activity skill matrix, training gates."""

import numpy as np
import pytest

from features.vocabulary import ACTIVITIES
from training.simulator.agents import ACTIVITY_DEVIATION_SD, TRAINED_SHARE
from training.simulator.response import no_attempt_probability
from training.simulator.world import simulate_world

N = 6000


@pytest.fixture(scope="module")
def worlds():
    return simulate_world(N, seed=4), simulate_world(N, seed=4, activity_skill=True)


def test_the_option_adds_skills_and_leaves_every_other_draw_as_it_was(worlds):
    plain, varied = worlds
    assert not any(c.startswith("skill_") for c in plain.agents.columns)
    assert {f"skill_{a}" for a in ACTIVITIES} <= set(varied.agents.columns)
    same = [c for c in plain.interactions.columns if c != "activity_attempted"]
    assert plain.interactions[same].equals(varied.interactions[same])
    assert plain.agents["true_skill"].equals(varied.agents["true_skill"])
    assert not np.allclose(plain.truth["p_educate_usage"], varied.truth["p_educate_usage"])


def test_the_hardest_activities_vary_most_and_need_training(worlds):
    _, varied = worlds
    agents = varied.agents
    for activity in TRAINED_SHARE:
        trained = agents[f"trained_{activity}"]
        assert 0.2 < trained.mean() < 0.8
        # trained agents' terms are near their general skill; untrained ones far below
        gap = agents.loc[trained, f"skill_{activity}"].mean()
        gap -= agents.loc[~trained, f"skill_{activity}"].mean()
        assert gap > 2.0
    spread = {
        a: agents.loc[agents.get(f"trained_{a}", True), f"skill_{a}"].std() for a in ACTIVITIES
    }
    assert spread["educate_usage"] > spread["validate_purchase"] + 0.15
    assert ACTIVITY_DEVIATION_SD["advise_new_features"] > ACTIVITY_DEVIATION_SD["achieve_goals"]


def test_an_untrained_attempt_does_worse_than_none(worlds):
    _, varied = worlds
    interactions = varied.interactions.merge(varied.truth, on="interaction_id")
    trained = varied.agents.set_index("agent_id")["trained_educate_usage"]
    rows = interactions[interactions["agent_id"].notna()]
    untrained = rows[~rows["agent_id"].map(trained).astype(bool)]
    ctx = untrained.assign(
        true_contact_reason=untrained["true_contact_reason"],
        true_sentiment=untrained["true_customer_sentiment"],
        channel_mode=np.where(
            untrained["channel"].isin(["phone", "chat", "in_person"]), "sync", "async"
        ),
    )
    assert untrained["p_educate_usage"].mean() < no_attempt_probability(ctx).mean()


def test_agents_attempt_what_they_are_good_at(worlds):
    _, varied = worlds
    attempts = varied.interactions[varied.interactions["activity_attempted"] == "educate_usage"]
    trained = varied.agents.set_index("agent_id")["trained_educate_usage"]
    share_trained = attempts["agent_id"].map(trained).mean()
    assert share_trained > TRAINED_SHARE["educate_usage"] + 0.2
