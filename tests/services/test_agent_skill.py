"""Agent skill: observed vs expected successes, shrunk, with a minimum before any claim.

Pure functions on small hand-made attempt tables (routing.agent_skill and the pooling in
routing.pool_skill), plus one check that `expected` is exactly what serving scores.
"""

import numpy as np
import pandas as pd
import pytest

from assist_api.services.routing.agent_skill import estimate_skill, suggest_champion_pool
from assist_api.services.routing.expected_success import expected_success
from assist_api.services.routing.pool_skill import pooled_skill
from features.row import activity_matrix, prepare
from features.spec import spec_as_dict
from features.vocabulary import ACTIVITIES
from models.artifacts import save_fast_path
from models.calibration import Calibrator
from models.loaded import load_model
from tests.helpers.records import interaction, outcome, write_csv
from tests.helpers.tiny_model import train_tiny_booster
from training.dataset import read_import_dir

CROWD = 30  # agents with a real spread of skill, so the prior's spread can be estimated
CROWD_ATTEMPTS = 200


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def crowd(seed: int = 0) -> pd.DataFrame:
    """CROWD agents with true skill ~ N(0, 0.4) on mixed cases; success drawn from the truth."""
    rng = np.random.default_rng(seed)
    frames = []
    for k, skill in enumerate(rng.normal(0, 0.4, CROWD)):
        expected = rng.uniform(0.15, 0.85, CROWD_ATTEMPTS)
        logit = np.log(expected / (1 - expected)) + skill
        success = (rng.random(CROWD_ATTEMPTS) < sigmoid(logit)).astype(int)
        frames.append(
            pd.DataFrame({"agent_id": f"c-{k:02d}", "success": success, "expected": expected})
        )
    return pd.concat(frames, ignore_index=True)


def agent(agent_id: str, expected: float, successes: int, attempts: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "agent_id": agent_id,
            "success": [1] * successes + [0] * (attempts - successes),
            "expected": expected,
        }
    )


def test_few_attempts_are_shrunk_toward_the_average_and_claim_nothing():
    # Same record (every attempt a success on 50 % cases), 4 attempts vs 60 attempts.
    attempts = pd.concat([crowd(), agent("few", 0.5, 4, 4), agent("many", 0.5, 60, 60)])
    report = estimate_skill(attempts, min_attempts=20).by_agent()
    few, many = report["few"], report["many"]
    raw_few = (4 - 2.0) / (4 * 0.25)  # Peto's one-step offset before shrinkage
    assert report["few"].attempts == 4 and not few.rated and many.rated
    assert 0 < few.estimate < many.estimate
    assert few.estimate < raw_few / 3, "a 4-attempt record is mostly prior"
    assert (few.high - few.low) > (many.high - many.low)
    assert few.agent_id not in {a.agent_id for a in suggest_champion_pool(report.values())}


def test_estimates_are_relative_to_the_average_agent_and_track_true_skill():
    rng = np.random.default_rng(0)
    truth = rng.normal(0, 0.4, CROWD)  # the same draws crowd() makes first
    report = estimate_skill(crowd(), min_attempts=20)
    estimated = pd.Series({a.agent_id: a.estimate for a in report.agents})
    true = pd.Series(truth, index=[f"c-{k:02d}" for k in range(CROWD)])[estimated.index]
    assert abs(estimated.mean()) < 0.05
    assert 0.2 < report.spread < 0.6
    assert np.corrcoef(estimated.rank(), true.rank())[0, 1] > 0.7


def test_case_mix_hard_cases_at_expectation_rank_level_with_easy_cases():
    attempts = pd.concat(
        [
            crowd(),
            agent("hard_as_expected", 0.2, 20, 100),  # 20 % on cases the model put at 20 %
            agent("easy_as_expected", 0.8, 80, 100),  # 80 % on cases the model put at 80 %
            agent("hard_beats_expected", 0.2, 32, 100),  # 32 % where 20 % was expected
        ]
    )
    report = estimate_skill(attempts, min_attempts=20).by_agent()
    hard, easy = report["hard_as_expected"], report["easy_as_expected"]
    assert hard.estimate == pytest.approx(easy.estimate, abs=0.05)
    assert hard.observed_over_expected == pytest.approx(1.0)
    assert report["hard_beats_expected"].estimate > easy.estimate + 0.2
    order = [a.agent_id for a in estimate_skill(attempts, min_attempts=20).agents]
    assert order.index("hard_beats_expected") < order.index("easy_as_expected")


def test_without_a_spread_between_agents_nobody_is_singled_out():
    rng = np.random.default_rng(3)
    expected = rng.uniform(0.2, 0.8, 4000)
    same = pd.DataFrame(
        {
            "agent_id": [f"s-{k % 20}" for k in range(4000)],
            "expected": expected,
            "success": (rng.random(4000) < expected).astype(int),
        }
    )
    report = estimate_skill(same, min_attempts=20)
    assert max(abs(a.estimate) for a in report.agents) < 0.1
    assert suggest_champion_pool(report.agents) == []


def test_champion_suggestion_needs_a_rated_interval_above_the_baseline():
    attempts = pd.concat([crowd(), agent("star", 0.4, 85, 120), agent("lucky", 0.4, 5, 5)])
    report = estimate_skill(attempts, min_attempts=30)
    suggested = suggest_champion_pool(report.agents)
    assert "star" in [a.agent_id for a in suggested]
    assert "lucky" not in [a.agent_id for a in suggested]
    assert all(a.rated and a.low > 0 for a in suggested)
    assert [a.estimate for a in suggested] == sorted((a.estimate for a in suggested), reverse=True)
    assert len(suggest_champion_pool(report.agents, size=1)) == 1
    with pytest.raises(ValueError, match="size"):
        suggest_champion_pool(report.agents, size=0)


@pytest.mark.parametrize(
    "frame, message",
    [
        (pd.DataFrame({"agent_id": ["a"], "success": [1]}), "missing \\['expected'\\]"),
        (pd.DataFrame({"agent_id": ["a"], "success": [2], "expected": [0.5]}), "success"),
        (pd.DataFrame({"agent_id": ["a"], "success": [1], "expected": [1.5]}), "expected"),
    ],
)
def test_bad_attempt_tables_are_refused_by_name(frame, message):
    with pytest.raises(ValueError, match=message):
        estimate_skill(frame)


def test_a_pool_is_its_members_shrunk_skill_weighted_by_information():
    # Three agents with 10 attempts each: none rated alone, the pool (30) is measured.
    members = [(10, 2.0, 0.3), (10, 2.0, 0.1), (10, 4.0, -0.1)]
    assert pooled_skill(members, min_attempts=30) == pytest.approx((0.6 + 0.2 - 0.4) / 8.0)
    assert pooled_skill(members[:2], min_attempts=30) is None


def test_a_pool_picked_on_these_measurements_is_not_credited_with_their_luck():
    # Agents with no true difference: the top five by raw O/E did well by chance.
    rng = np.random.default_rng(5)
    expected = rng.uniform(0.2, 0.8, 6000)
    frame = pd.DataFrame(
        {
            "agent_id": [f"s-{k % 60}" for k in range(6000)],
            "expected": expected,
            "success": (rng.random(6000) < expected).astype(int),
        }
    )
    report = estimate_skill(frame, min_attempts=30)
    lucky = sorted(report.agents, key=lambda a: -a.observed_over_expected)[:5]
    raw = sum(a.successes - a.expected for a in lucky) / sum(a.information for a in lucky)
    pooled = pooled_skill([(a.attempts, a.information, a.estimate) for a in lucky], 30)
    assert raw > 0.2
    assert abs(pooled) < raw / 3


def test_expected_is_what_serving_scores_for_the_attempted_activity(tmp_path):
    booster, _ = train_tiny_booster()
    folder = save_fast_path(
        tmp_path / "fast", booster, spec_as_dict(), Calibrator("platt", a=1.1, b=-0.05)
    )
    model = load_model(folder, name="tiny", version="1", run_id="r")
    rows = [interaction(i, activity_attempted=ACTIVITIES[i % 5]) for i in range(1, 9)]
    write_csv(tmp_path / "interactions.csv", rows)
    write_csv(tmp_path / "outcomes.csv", [outcome(i) for i in range(1, 9)])
    interactions, outcomes, _ = read_import_dir(tmp_path)
    scored = expected_success(interactions, outcomes, model)

    assert len(scored) == 8 and set(scored["success"]) == {1}
    for record, (_, row) in zip(rows, scored.iterrows(), strict=True):
        serving = model.score(activity_matrix(prepare(record)))
        assert row["expected"] == pytest.approx(serving[ACTIVITIES.index(row["activity"])])
