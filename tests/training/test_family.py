"""The family of test worlds: valid import files, and an observable oracle that means it."""

import numpy as np
import pytest

from features.vocabulary import ACTIVITIES
from training.simulator.family import FAMILY, WorldSpec, simulate_family_world
from training.simulator.observable import observable_oracle
from training.simulator.world import simulate_world, write_world
from training.validation import validate_interactions, validate_outcomes

P = [f"p_{a}" for a in ACTIVITIES]
P_OBS = [f"p_obs_{a}" for a in ACTIVITIES]


@pytest.mark.parametrize("spec", FAMILY, ids=lambda s: s.name)
def test_every_world_is_valid_import_data(spec):
    interactions, outcomes, truth = simulate_family_world(spec, 1500)
    assert not validate_interactions(interactions).problems
    assert not validate_outcomes(outcomes).problems
    assert truth[P + P_OBS].gt(0).all().all() and truth[P + P_OBS].lt(1).all().all()
    attempted = interactions["activity_attempted"].replace("", None).dropna()
    if spec.rare_activity:
        assert (attempted == spec.rare_activity).mean() < 0.05


def test_roles_keep_design_worlds_apart_from_judging_worlds():
    roles = {spec.role for spec in FAMILY}
    assert roles == {"design", "judge"}
    assert len({spec.seed for spec in FAMILY}) == len(FAMILY)


def test_with_nothing_hidden_the_observable_oracle_is_the_oracle():
    spec = WorldSpec("plain", "logistic", seed=7, skill_sd=0.0, sentiment_missing=0.0)
    _, _, truth = simulate_family_world(spec, 800)
    np.testing.assert_allclose(truth[P_OBS].to_numpy(), truth[P].to_numpy(), atol=2e-6)


def test_the_observable_oracle_is_the_truth_averaged_over_what_is_hidden():
    """E[p | what is seen] = p_obs: the same mean, less spread (the skill is averaged out)."""
    spec = WorldSpec("a", "threshold", seed=9, skill_sd=0.6, sentiment_missing=0.5)
    _, _, truth = simulate_family_world(spec, 20000)
    p, p_obs = truth[P].to_numpy(), truth[P_OBS].to_numpy()
    np.testing.assert_allclose(p.mean(axis=0), p_obs.mean(axis=0), atol=0.006)
    assert (p_obs.var(axis=0) < p.var(axis=0)).all()


def test_demo_world_observable_oracle_equals_truth_where_nothing_is_hidden(tmp_path):
    write_world(simulate_world(3000, seed=5), tmp_path)
    import pandas as pd

    interactions = pd.read_csv(tmp_path / "interactions.csv", keep_default_na=False)
    truth = pd.read_csv(tmp_path / "truth.csv")
    obs = observable_oracle(tmp_path)
    agentless = interactions["agent_id"].eq("") & interactions["customer_sentiment"].ne("")
    assert agentless.sum() > 50
    np.testing.assert_allclose(
        obs.loc[agentless, P_OBS].to_numpy(), truth.loc[agentless, P].to_numpy(), atol=1e-4
    )
    assert (obs.loc[~agentless, P_OBS].to_numpy() != truth.loc[~agentless, P].to_numpy()).any()
