"""The routing replay on a small simulated world: skill vs truth, and a capacity-true replay.

The world is simulated once per module; the model is trained on its earlier part with a
fast learning rate so the module takes seconds. The figures themselves (rank correlation,
lift) are reported by `value-assist routing evaluate` on the demo-size world; here the
replay's mechanics are checked, and the one physical fact the lift rests on: that a
contact's true success with another agent is its logged success with the skill swapped.
"""

import json

import numpy as np
import pytest
from click.testing import CliRunner

from assist_api.cli import main
from assist_api.cli.routing_evaluate import evaluation_lines
from assist_api.services.routing.pool_state import RoutingRule
from assist_api.services.studies.routing_replay import (
    ReplayConfig,
    evaluate_routing,
    fit_history_model,
    split_by_time,
)
from assist_api.services.studies.routing_truth import (
    agent_free_logits,
    language_group,
    pool_success,
    true_agent_terms,
)
from features.vocabulary import ACTIVITIES
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


@pytest.mark.parametrize("activity_skill", [False, True])
def test_success_with_another_agent_is_the_truth_with_the_agents_term_swapped(
    tmp_path, activity_skill
):
    world = simulate_world(4000, seed=12, activity_skill=activity_skill)
    rows = world.interactions.merge(world.truth, on="interaction_id")
    speaks = world.agents.set_index("agent_id")["languages"]
    rows = rows[rows["agent_id"] == "a-001"].reset_index(drop=True)
    group = language_group(rows["language"])
    assert set(group) <= set(speaks["a-001"].split(";"))
    terms = true_agent_terms(world.agents)
    free = agent_free_logits(rows, terms)
    truth = np.column_stack([rows[f"p_{a}"] for a in ACTIVITIES])

    same = world.agents[world.agents["agent_id"] == "a-001"].assign(pool="solo")
    assert pool_success(free, same, terms, group)["solo"] == pytest.approx(truth, abs=1e-5)

    better = terms.copy()
    better.loc["a-001"] += 0.5
    p = np.clip(truth, 1e-6, 1 - 1e-6)
    expected = 1 / (1 + np.exp(-(np.log(p / (1 - p)) + 0.5)))
    assert pool_success(free, same, better, group)["solo"] == pytest.approx(expected, abs=1e-5)
    if not activity_skill:  # one skill, loaded per activity, as the simulator draws it
        loading = np.array([SKILL_LOADING[a] for a in ACTIVITIES])
        skill = world.agents.set_index("agent_id").at["a-001", "true_skill"]
        assert terms.loc["a-001"].to_numpy() == pytest.approx(skill * loading)


def test_estimated_skill_ranks_agents_like_the_truth(report):
    skill = report["skill"]
    assert skill["agents"] >= 110
    assert skill["rated_agents"] >= 30
    assert skill["spearman_rated"] > 0.3
    pools = report["pool_skill"]
    assert pools["ve_champions"]["measured"] > pools["standard"]["measured"]


def test_every_arm_replays_the_same_contacts_within_capacity(report):
    arms = report["replay"]
    assert set(arms) == {"plain", "value", "oracle"}
    assert arms["plain"]["contacts"] == arms["value"]["contacts"] == arms["oracle"]["contacts"]
    assert arms["plain"]["contacts"] > 2000
    for result in arms.values():
        assert 0 < result["success_rate"] < result["success_per_attempt"] < 1
        assert result["over_capacity"] < 0.1 * result["contacts"]
        assert 0 < result["value_pool_share"] < 0.5
    for arm in ("value", "oracle"):
        lift = report["lift"][arm]
        assert lift["success_points"] == pytest.approx(
            100 * (arms[arm]["success_rate"] - arms["plain"]["success_rate"]), abs=1e-9
        )
        low, high = lift["success_points_ci95"]
        assert low < lift["success_points"] < high
    lines = evaluation_lines(report)
    assert lines[2].startswith("rank correlation, estimated vs true skill: ")
    assert lines[3].startswith("per activity (rated cells: Spearman;")
    assert lines[-1].startswith("lift of the oracle router over load balancing: ")


def test_evaluate_needs_a_simulated_world(tmp_path):
    (tmp_path / "interactions.csv").write_text("interaction_id\n")
    result = CliRunner().invoke(main, ["routing", "evaluate", "--from", str(tmp_path)])
    assert result.exit_code == 2
    assert "has no truth.csv" in result.output


def test_evaluate_takes_a_world_or_seeds(tmp_path):
    result = CliRunner().invoke(main, ["routing", "evaluate"])
    assert result.exit_code == 2 and "either --from D or --seeds" in result.output
    result = CliRunner().invoke(main, ["routing", "evaluate", "--seeds", "1,x"])
    assert result.exit_code == 2 and "--seeds takes whole numbers" in result.output


def test_skill_by_activity_prints_json_per_agent_and_activity(world, tmp_path, monkeypatch):
    monkeypatch.setenv("VALUE_ASSIST_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(
        main, ["routing", "skill", "--by-activity", "--json", "--no-save", "--from", str(world)]
    )
    assert result.exit_code == 0, result.output
    cells = json.loads(result.output)
    assert {tuple(sorted(c)) for c in cells} == {
        ("activity", "agent_id", "attempts", "ci90", "rated", "skill")
    }
    overall = [c for c in cells if c["activity"] is None]
    assert len(overall) >= 110 and len(cells) > 3 * len(overall)
    assert all(c["ci90"][0] <= c["skill"] <= c["ci90"][1] for c in cells)
    assert {c["activity"] for c in cells} - {None} == set(ACTIVITIES)
    result = CliRunner().invoke(main, ["routing", "skill", "--json"])
    assert result.exit_code == 2 and "--json goes with --by-activity" in result.output
