"""The demo-world simulator: import format, published figures, and a truth worth learning."""

import re

import click
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from assist_api.cli.simulate import register
from features.columns import INTERACTION_COLUMN_NAMES, OUTCOME_COLUMN_NAMES
from features.vocabulary import (
    ACTIVITIES,
    AGENTLESS_CHANNELS,
    CHANNELS,
    CONTACT_REASONS,
    PERSONAS,
    PLAN_TIERS,
    SWITCHING_EFFORTS,
)
from training.simulator.outcomes import draw_ves
from training.simulator.summary import format_summary, summarize_world
from training.simulator.world import TRUTH_COLUMNS, simulate_world, write_world
from training.table_io import read_table
from training.validation import validate_interactions, validate_outcomes

N = 20_000
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def world():
    return simulate_world(N, seed=7)


@pytest.fixture(scope="module")
def big_world():
    """100k rows (~2 s): enough for the retention figures to be within 2 points."""
    return simulate_world(100_000, seed=11)


def activity_index(interactions: pd.DataFrame) -> np.ndarray:
    return interactions["activity_attempted"].map({a: i for i, a in enumerate(ACTIVITIES)})


def test_same_seed_same_world_and_other_seed_other_world():
    first, again, other = (simulate_world(2_000, seed) for seed in (5, 5, 6))
    for table in ("interactions", "outcomes", "truth", "agents"):
        pd.testing.assert_frame_equal(getattr(first, table), getattr(again, table))
    assert not first.interactions.equals(other.interactions)


def test_tables_have_exactly_the_import_format_columns(world):
    assert tuple(world.interactions.columns) == INTERACTION_COLUMN_NAMES
    assert tuple(world.outcomes.columns) == OUTCOME_COLUMN_NAMES
    assert tuple(world.truth.columns) == TRUTH_COLUMNS
    assert len(world.interactions) == len(world.outcomes) == len(world.truth) == N
    assert world.interactions["interaction_id"].is_unique


def test_every_value_is_in_the_vocabulary_and_every_value_is_used(world):
    i, o = world.interactions, world.outcomes
    assert set(i["channel"]) == set(CHANNELS)
    assert set(i["contact_reason"].dropna()) == set(CONTACT_REASONS)
    assert set(i["activity_attempted"].dropna()) == set(ACTIVITIES)
    assert set(i["switching_effort"]) == set(SWITCHING_EFFORTS)
    assert set(i["persona"]) == set(PERSONAS) and set(i["plan_tier"]) == set(PLAN_TIERS)
    assert i["customer_sentiment"].dropna().between(-1, 1).all()
    assert i["feature_adoption"].between(0, 1).all()
    assert i["days_since_purchase"].between(0, 730).all()
    assert i["products_owned"].between(1, 6).all()
    for name, low, high in (
        ("ves_confidence", 1, 7),
        ("ves_ability", 1, 7),
        ("csat", 1, 5),
        ("nps", 0, 10),
        ("ces", 1, 7),
    ):
        assert o[name].dropna().between(low, high).all(), name
    assert set(world.truth["true_contact_reason"]) == set(CONTACT_REASONS)


def test_written_files_pass_the_importers_validation(world, tmp_path):
    paths = write_world(world, tmp_path)
    assert set(paths) == {"interactions", "outcomes", "truth", "agents", "customer_truth"}
    for table, validate in (
        ("interactions", validate_interactions),
        ("outcomes", validate_outcomes),
    ):
        result = validate(read_table(paths[table]))
        assert result.ok, result.problems[:5]
        assert len(result.rows) == N


def test_multiline_japanese_transcripts_round_trip_exactly(world, tmp_path):
    transcripts = world.interactions["transcript"]
    multiline_ja = transcripts.dropna().map(lambda t: "\n" in t and bool(JAPANESE.search(t)))
    assert multiline_ja.sum() > 100
    paths = write_world(world, tmp_path)
    back = pd.read_csv(paths["interactions"], dtype=str, keep_default_na=False, encoding="utf-8")
    assert back["transcript"].tolist() == transcripts.fillna("").tolist()


def test_missing_values_have_the_intended_shares(world):
    i, o = world.interactions, world.outcomes
    assert i["contact_reason"].isna().mean() == pytest.approx(0.30, abs=0.02)
    assert i["customer_sentiment"].isna().mean() == pytest.approx(0.20, abs=0.02)
    assert o["ves_confidence"].notna().mean() == pytest.approx(0.60, abs=0.02)
    assert 0.02 < i["transcript"].isna().mean() < 0.10
    assert o["retained_60d"].notna().all()


def test_customers_repeat_and_snapshots_are_point_in_time(world):
    i = world.interactions
    assert i["customer_id"].nunique() < 0.8 * len(i)
    started = pd.to_datetime(i["started_at"], format="ISO8601")
    assert started.is_monotonic_increasing
    assert (started.max() - started.min()).days > 170
    frame = i.assign(t=started).sort_values(["customer_id", "t"])
    same = frame["customer_id"].eq(frame["customer_id"].shift())
    elapsed_days = frame["t"].diff().dt.total_seconds() / 86400
    drift = frame["days_since_purchase"].diff() - elapsed_days
    assert drift[same].abs().max() < 1.01
    assert (frame["feature_adoption"].diff()[same] >= 0).all()


def test_routing_languages_and_agentless_channels(world):
    i, agents = world.interactions, world.agents.set_index("agent_id")
    agentless = i["channel"].isin(AGENTLESS_CHANNELS)
    assert i.loc[agentless, "agent_id"].isna().all()
    assert (i.loc[agentless, "pool"] == "self_service").all()
    assert i.loc[~agentless, "agent_id"].notna().all()
    ja_rows = i[~agentless & (i["language"] == "ja")]
    assert agents.loc[ja_rows["agent_id"], "languages"].str.contains("ja").all()
    assert i["language"].eq("ja").mean() == pytest.approx(0.45, abs=0.03)
    assert set(agents["pool"]) == {"ve_champions", "standard", "ja_support", "digital"}
    by_pool = agents.groupby("pool")["true_skill"].mean()
    assert by_pool["ve_champions"] > by_pool.drop("ve_champions").max()


def test_transcripts_follow_the_customers_language(world):
    i = world.interactions.dropna(subset=["transcript"])
    japanese = i["transcript"].map(lambda t: bool(JAPANESE.search(t)))
    assert japanese[i["language"] == "ja"].all()
    assert not japanese[i["language"] != "ja"].any()
    lines = i["transcript"].str.count("\n") + 1
    assert lines.between(1, 4).all() and (lines >= 3).any()


def test_holdout_is_ten_percent_by_customer_with_no_cards(world):
    i, o = world.interactions, world.outcomes
    assert i["holdout"].mean() == pytest.approx(0.10, abs=0.015)
    assert i.groupby("customer_id")["holdout"].nunique().max() == 1
    assert o.loc[i["holdout"].to_numpy(), "card_id_used"].isna().all()


def test_attempt_shares_and_card_ids(world):
    i, o = world.interactions, world.outcomes
    attempted = i["activity_attempted"].notna()
    assert 0.35 <= attempted[~i["holdout"]].mean() <= 0.50
    assert 0.05 <= attempted[i["holdout"]].mean() <= 0.15
    used = o["card_id_used"].notna().to_numpy()
    np.testing.assert_array_equal(used, (attempted & ~i["holdout"]).to_numpy())
    card_activity = o.loc[used, "card_id_used"].str.split(".").str[0]
    assert (card_activity.to_numpy() == i.loc[used, "activity_attempted"].to_numpy()).all()


def test_agents_choose_better_than_random_but_far_from_best(world):
    i, truth = world.interactions, world.truth
    p = truth[[f"p_{a}" for a in ACTIVITIES]].to_numpy()
    rows = (i["activity_attempted"].notna() & ~i["holdout"]).to_numpy()
    chosen = p[rows, activity_index(i)[rows].astype(int)].mean()
    random_choice, best = p[rows].mean(), p[rows].max(axis=1).mean()
    assert random_choice + 0.02 < chosen < best - 0.08


def test_the_right_card_depends_on_the_customer(world):
    i, truth = world.interactions, world.truth
    reason = truth["true_contact_reason"]
    recent_novice = (
        (i["days_since_purchase"] < 20)
        & (i["persona"] == "novice")
        & ~reason.isin(["how_to", "technical_issue"])
    )
    low_adoption_how_to = (
        (i["feature_adoption"] < 0.3) & (reason == "how_to") & (i["days_since_purchase"] > 60)
    )
    assert recent_novice.sum() > 200 and low_adoption_how_to.sum() > 200
    gap = truth["p_validate_purchase"] - truth["p_educate_usage"]
    assert gap[recent_novice].mean() > 0.10
    assert gap[low_adoption_how_to].mean() < -0.10
    shares = truth["best_activity"].value_counts(normalize=True)
    assert set(shares.index) == set(ACTIVITIES) and shares.max() < 0.5


def test_truth_is_consistent_with_outcomes(world):
    truth, o = world.truth, world.outcomes
    known = o["ves_confidence"].notna().to_numpy()
    surveyed = (o["ves_confidence"] >= 5) & (o["ves_ability"] >= 5)
    assert (surveyed[known].to_numpy() == truth["true_ve_success"][known].to_numpy()).all()
    p = truth[[f"p_{a}" for a in ACTIVITIES]].to_numpy()
    assert (truth["best_activity"].to_numpy() == np.array(ACTIVITIES)[p.argmax(axis=1)]).all()
    gain = truth["p_success_offered"] - truth["p_success_holdout"]
    assert gain.mean() > 0.05
    # Retention is a customer fact: each contact shows its customer's effect, 0.17 x the
    # gain in P(VE success on any of the customer's contacts).
    customers = world.customer_truth.set_index("customer_id")
    any_gain = customers["p_any_success_offered"] - customers["p_any_success_holdout"]
    np.testing.assert_allclose(customers["retention_effect"], 0.17 * any_gain, atol=1e-5)
    by_contact = world.interactions["customer_id"].map(customers["retention_effect"])
    np.testing.assert_allclose(truth["retention_effect"], by_contact)
    assert customers["contacts"].sum() == len(truth)
    retained = o.groupby(world.interactions["customer_id"])["retained_60d"].nunique()
    assert (retained == 1).all()  # one value per customer


def test_the_contact_unit_world_keeps_the_old_per_contact_retention():
    world = simulate_world(3_000, seed=5, retention_unit="contact")
    gain = world.truth["p_success_offered"] - world.truth["p_success_holdout"]
    np.testing.assert_allclose(world.truth["retention_effect"], 0.17 * gain, atol=1e-4)
    assert world.customer_truth.empty
    with pytest.raises(ValueError, match="retention_unit"):
        simulate_world(10, retention_unit="household")


def test_retention_reproduces_the_published_figures(big_world):
    retention = summarize_world(big_world.interactions, big_world.outcomes)["retention"]
    published = {"high": (0.90, 0.73), "low": (0.69, 0.52)}
    for effort, (with_ve, without) in published.items():
        assert retention[effort]["ve_success"]["rate"] == pytest.approx(with_ve, abs=0.02)
        assert retention[effort]["no_success"]["rate"] == pytest.approx(without, abs=0.02)


def test_success_is_best_on_inquiries_and_worst_on_complaints(world):
    by_reason = summarize_world(world.interactions, world.outcomes)["success_by_contact_reason"]
    assert by_reason["inquiry"]["rate"] > 2 * by_reason["complaint"]["rate"]
    assert by_reason["how_to"]["rate"] > by_reason["cancellation"]["rate"]


def test_summary_from_files_equals_summary_from_frames(world, tmp_path):
    paths = write_world(world, tmp_path)
    from_files = summarize_world(read_table(paths["interactions"]), read_table(paths["outcomes"]))
    assert from_files == summarize_world(world.interactions, world.outcomes)
    text = format_summary(from_files)
    assert "60-day retention" in text and "VE attempted" in text and "inquiry" in text


@given(st.lists(st.booleans(), min_size=1, max_size=200), st.integers(0, 2**32 - 1))
def test_ves_answers_agree_with_success(success, seed):
    flags = np.array(success)
    confidence, ability = draw_ves(flags, np.random.default_rng(seed))
    assert ((confidence >= 5) & (ability >= 5)).tolist() == success
    assert confidence.min() >= 1 and ability.max() <= 7


def cli() -> click.Group:
    group = click.Group()
    register(group)
    return group


def test_cli_writes_a_world_and_summarises_it(tmp_path):
    out = tmp_path / "world"
    result = CliRunner().invoke(
        cli(), ["simulate", "--out", str(out), "--interactions", "800", "--seed", "3", "--summary"]
    )
    assert result.exit_code == 0, result.output
    for name in ("interactions", "outcomes", "truth", "agents"):
        assert (out / f"{name}.csv").is_file() and str(out / f"{name}.csv") in result.output
    assert "800 interactions (seed 3) in" in result.output
    assert "60-day retention" in result.output

    again = CliRunner().invoke(cli(), ["simulate", "--summary", "--from", str(out)])
    assert again.exit_code == 0, again.output
    assert "interactions 800" in again.output


def test_cli_needs_out_and_interactions_or_from(tmp_path):
    result = CliRunner().invoke(cli(), ["simulate", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "--interactions" in result.output
