"""The routing replay on a small simulated world: skill vs truth, and a capacity-true replay.

The world is simulated once per module; the model is trained on its earlier part with a
fast learning rate so the module takes seconds. The figures themselves (rank correlation,
lift) are reported by `value-assist routing evaluate` on the demo-size world; here the
replay's mechanics are checked, and the one physical fact the lift rests on: that a
contact's true success with another agent is its logged success with the skill swapped.
"""

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from assist_api.cli import main
from assist_api.cli.routing import evaluation_lines
from assist_api.services.routing.value import RoutingRule
from assist_api.services.studies.routing_replay import (
    ReplayConfig,
    evaluate_routing,
    fit_history_model,
    pool_success,
    split_by_time,
)
from training.dataset import read_import_dir
from training.simulator.response import SKILL_LOADING
from training.simulator.world import simulate_world, write_world

WORLD_SIZE = 20_000
FAST = {"learning_rate": 0.2}
CONFIG = ReplayConfig(rule=RoutingRule(0.0, 0.0, 120.0, 1000), min_attempts=15)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("world")
    write_world(simulate_world(WORLD_SIZE, seed=11), folder)
    return folder


@pytest.fixture(scope="module")
def report(world):
    interactions, outcomes, _ = read_import_dir(world)
    early, _ = split_by_time(interactions, CONFIG.estimate_share)
    return evaluate_routing(world, CONFIG, model=fit_history_model(early, outcomes, FAST))


def test_success_with_another_agent_is_the_logged_success_with_the_skill_swapped(world):
    truth = pd.read_csv(world / "truth.csv")
    agents = pd.read_csv(world / "agents.csv", keep_default_na=False)
    interactions = pd.read_csv(world / "interactions.csv", keep_default_na=False)
    rows = interactions.merge(truth, on="interaction_id")
    rows = rows[(rows["agent_id"] == "a-001") & (rows["activity_attempted"] != "")].head(50)
    rows = rows.assign(activity_attempted=rows["activity_attempted"]).reset_index(drop=True)
    speaks = agents.loc[agents["agent_id"] == "a-001", "languages"].iat[0]
    group = np.where(rows["language"].str.startswith("ja"), "ja", "en")
    assert set(group) <= set(speaks.split(";"))

    same = agents[agents["agent_id"] == "a-001"].assign(pool="solo")
    logged = [rows[f"p_{a}"].iat[i] for i, a in enumerate(rows["activity_attempted"])]
    assert pool_success(rows, same, group)["solo"] == pytest.approx(logged, abs=1e-6)

    other = same.assign(true_skill=same["true_skill"] + 0.5)
    loading = rows["activity_attempted"].map(SKILL_LOADING).to_numpy()
    p = np.clip(np.array(logged), 1e-6, 1 - 1e-6)
    expected = 1 / (1 + np.exp(-(np.log(p / (1 - p)) + 0.5 * loading)))
    assert pool_success(rows, other, group)["solo"] == pytest.approx(expected, abs=1e-6)


def test_estimated_skill_ranks_agents_like_the_truth(report):
    skill = report["skill"]
    assert skill["agents"] >= 110
    assert skill["rated_agents"] >= 30
    assert skill["spearman_rated"] > 0.3
    pools = report["pool_skill"]
    assert pools["ve_champions"]["measured"] > pools["standard"]["measured"]


def test_both_policies_replay_the_same_contacts_within_capacity(report):
    plain, value = report["replay"]["plain"], report["replay"]["value"]
    assert plain["contacts"] == value["contacts"] > 2000
    for result in (plain, value):
        assert 0 < result["success_rate"] < result["success_per_attempt"] < 1
        assert result["over_capacity"] < 0.1 * result["contacts"]
        assert 0 < result["value_pool_share"] < 0.5
    lift = report["lift"]
    assert lift["success_rate_points"] == pytest.approx(
        100 * (value["success_rate"] - plain["success_rate"])
    )
    lines = evaluation_lines(report)
    assert lines[1].startswith("rank correlation, estimated vs true skill: ")
    assert lines[-1].startswith("lift of value routing over the plain rule: ")


def test_evaluate_needs_a_simulated_world(tmp_path):
    (tmp_path / "interactions.csv").write_text("interaction_id\n")
    result = CliRunner().invoke(main, ["routing", "evaluate", "--from", str(tmp_path)])
    assert result.exit_code == 2
    assert "has no truth.csv" in result.output
