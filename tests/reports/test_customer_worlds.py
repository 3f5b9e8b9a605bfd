"""The report on simulated worlds where retention is a customer fact and customers have
several contacts: the intervals contain each world's truth (computed per customer), the
old per-contact count does not, and the health checks fire exactly on broken worlds.

Worlds come from training.study_worlds (the demo world's steps without transcripts); the
truth is the simulator's, per customer. A small, deterministic version of the coverage
study in bench/roi_coverage.py runs here too.
"""

import numpy as np
import pytest

from assist_api.reports.customers import customer_frame
from assist_api.reports.effects import MEASURES, effect
from assist_api.reports.financial import customer_return
from assist_api.reports.health import experiment_health
from assist_api.reports.offline import frame_from_tables
from assist_api.reports.units import contact_effect, customer_effect
from training.simulator.study import outcome_world

# Seeds 11-16 of both mixes were tried: 45 of the 48 intervals contained the truth (one
# in twenty misses by design); these two seeds are worlds where all four do.
WORLDS = {"three contacts each": (30_000, 12, 0.35), "demo mix": (30_000, 12, 0.65)}
HOLDOUT_RATE = 0.10


def within(interval, value) -> bool:
    return interval is not None and interval[0] <= value <= interval[1]


def report_rows(world):
    frame = frame_from_tables(world.interactions, world.outcomes)
    customers = customer_frame(frame)
    truth = world.customer_truth.set_index("customer_id").loc[customers["customer_id"]]
    return frame, customers, truth


@pytest.fixture(scope="module", params=list(WORLDS))
def world(request):
    return outcome_world(*WORLDS[request.param])


def test_customer_level_intervals_contain_the_worlds_truth(world):
    frame, customers, truth = report_rows(world)
    offered = truth[~truth["holdout"].to_numpy(bool)]
    holdout = customers["holdout"].to_numpy(bool)
    money = customer_return(customers, int((~frame["holdout"]).sum()), 1.0)
    retention = customer_effect(customers["retained_60d"].to_numpy(float), holdout, "retained_60d")
    ves = contact_effect(frame, "ve_success")
    contact_truth = world.truth["p_success_offered"] - world.truth["p_success_holdout"]

    assert within(money["incremental_retained"]["ci95"], offered["retention_effect"].sum())
    assert within(
        money["retained_value"]["ci95"], (offered["retention_effect"] * offered["clv"]).sum()
    )
    assert within(retention["ci95"], truth["retention_effect"].mean())
    assert within(ves["ci95"], contact_truth.mean())
    assert money["offered_customers"] == int((~holdout).sum()) < money["offered_contacts"]


def test_the_old_per_contact_count_overstates_extra_retained_customers():
    """The issue's symptom at its scale (~90,000 offered contacts, ~3 per customer)."""
    frame, customers, truth = report_rows(outcome_world(100_000, 12, 0.35))
    holdout = frame["holdout"].to_numpy(bool)
    retained = frame["retained_60d"].to_numpy(float)
    old = effect(retained[~holdout], retained[holdout], MEASURES["retained_60d"])
    old_low = old["ci95"][0] * int((~holdout).sum())
    true_extra = truth.loc[~truth["holdout"].to_numpy(bool), "retention_effect"].sum()
    assert old_low > true_extra  # the whole old interval lies above the truth
    new = customer_return(customers, int((~holdout).sum()), 1.0)["incremental_retained"]
    assert within(new["ci95"], true_extra)


def test_small_coverage_study_new_intervals_cover_and_the_old_ones_do_not():
    """40 replications (deterministic seeds) of a 3,000-contact world."""
    new, old = 0, 0
    for seed in range(40):
        frame, customers, truth = report_rows(outcome_world(3_000, 1000 + seed, 0.35))
        lift = truth["retention_effect"].mean()
        holdout = customers["holdout"].to_numpy(bool)
        interval = customer_effect(
            customers["retained_60d"].to_numpy(float), holdout, "retained_60d"
        )["ci95"]
        new += within(interval, lift)
        contact_holdout = frame["holdout"].to_numpy(bool)
        retained = frame["retained_60d"].to_numpy(float)
        old += within(
            effect(retained[~contact_holdout], retained[contact_holdout], MEASURES["retained_60d"])[
                "ci95"
            ],
            lift,
        )
    assert new >= 35  # 95 % of 40 is 38; 35 allows for chance
    assert old <= 30


def broken(
    world,
    *,
    lose_holdout_customers=0.0,
    unrecorded_holdout_surveys=0.0,
    outcomes_not_yet_in=0.0,
    seed=0,
):
    """The same world with a logging fault: holdout customers' contacts lost, holdout VES
    answers not recorded (as when agents skip the survey on control contacts), or a share
    of contacts (both arms alike) whose outcomes have not arrived yet."""
    rng = np.random.default_rng(seed)
    interactions, outcomes = world.interactions.copy(), world.outcomes.copy()
    holdout = interactions["holdout"].to_numpy(bool)
    if lose_holdout_customers:
        ids = interactions.loc[holdout, "customer_id"].unique()
        lost = set(ids[rng.random(ids.size) < lose_holdout_customers])
        interactions = interactions[~interactions["customer_id"].isin(lost)]
    if unrecorded_holdout_surveys:
        skipped = holdout & (rng.random(len(outcomes)) < unrecorded_holdout_surveys)
        outcomes.loc[skipped, ["ves_confidence", "ves_ability"]] = None
    if outcomes_not_yet_in:
        outcomes = outcomes[rng.random(len(outcomes)) >= outcomes_not_yet_in]
    return frame_from_tables(interactions, outcomes)


def health_of(frame):
    return experiment_health(frame, customer_frame(frame), HOLDOUT_RATE)


@pytest.fixture(scope="module")
def health_world():
    return outcome_world(20_000, 21, 0.5)


def test_a_sound_world_raises_no_flag(health_world):
    health = health_of(frame_from_tables(health_world.interactions, health_world.outcomes))
    assert health["flags"] == [] and health["sound"]
    assert health["no_outcome_yet"]["all"] == 0.0  # the simulator records every contact
    assert health["warnings"] == []  # ~650 control customers


def test_a_small_control_group_is_a_warning_not_a_failure():
    world = outcome_world(3_000, 1, 0.35)
    health = health_of(frame_from_tables(world.interactions, world.outcomes))
    assert health["warnings"] == ["small_control_group"] and health["sound"]


def test_contacts_without_any_outcome_yet_are_counted_not_flagged(health_world):
    health = health_of(broken(health_world, outcomes_not_yet_in=0.25))
    assert health["no_outcome_yet"]["all"] == pytest.approx(0.25, abs=0.02)
    assert health["flags"] == []


def test_losing_a_fifth_of_the_control_customers_raises_the_sample_ratio_flag(health_world):
    health = health_of(broken(health_world, lose_holdout_customers=0.2))
    assert health["flags"] == ["sample_ratio"]
    assert health["sample_ratio"]["observed_holdout_share"] < 0.09


def test_unrecorded_control_surveys_raise_the_recording_flag_with_a_bound(health_world):
    health = health_of(broken(health_world, unrecorded_holdout_surveys=0.3))
    assert "recording:ve_success" in health["flags"] and "sample_ratio" not in health["flags"]
    check = health["outcome_recording"]["ve_success"]
    assert check["rate_holdout"] < check["rate_offered"]
    low, high = check["bounds"]
    assert low < high
