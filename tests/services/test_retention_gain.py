"""The retention per VE success measured on the control group (issue 19, item 3).

The estimand is ITT retention / ITT VE success *as the survey measures it* — the success
the model predicts and routing multiplies by. The synthetic worlds here are built unlike
the simulator: success measured with error, the gain differing by segment, answers
missing at random; their truth is the ratio of the two population ITT effects.
"""

import json
from datetime import UTC, datetime

import numpy as np
import pytest
from click.testing import CliRunner
from scipy.stats import norm

from assist_api.cli import main
from assist_api.services.routing.retention_gain import (
    PUBLISHED_GAIN,
    fieller_interval,
    measure_retention_gain,
)
from assist_api.services.routing.retention_gain_store import (
    read_retention_gain,
    save_retention_gain,
)
from assist_api.store.migrate import upgrade
from assist_api.store.store import Store

Z90 = float(norm.ppf(0.95))
# segment -> (share, P(success) offered, P(success) control, base retention, gain)
SEGMENTS = {"hard": (0.5, 0.40, 0.20, 0.60, 0.30), "easy": (0.5, 0.30, 0.20, 0.40, 0.10)}
HIT, FALSE_ALARM = 0.85, 0.10  # P(survey says success | success), ... | no success)


def synthetic_customers(n: int, seed: int, missing: float = 0.15):
    rng = np.random.default_rng(seed)
    holdout = rng.random(n) < 0.1
    segment = rng.random(n) < SEGMENTS["hard"][0]
    pick = lambda i: np.where(segment, SEGMENTS["hard"][i], SEGMENTS["easy"][i])  # noqa: E731
    true_success = rng.random(n) < np.where(holdout, pick(2), pick(1))
    retained = (rng.random(n) < pick(3) + pick(4) * true_success).astype(float)
    said = rng.random(n) < np.where(true_success, HIT, FALSE_ALARM)
    measured = said.astype(float)
    measured[rng.random(n) < missing] = np.nan
    return retained, measured, holdout


def synthetic_truth() -> float:
    """The ratio of the population ITT effects: on retention, and on measured success."""
    retention = sum(s * (p1 - p0) * gain for s, p1, p0, _, gain in SEGMENTS.values())
    success = sum(s * (p1 - p0) * (HIT - FALSE_ALARM) for s, p1, p0, _, _ in SEGMENTS.values())
    return retention / success


def test_fieller_interval_solves_its_defining_equation():
    a, b, va, vb, cov = 0.03, 0.12, 0.0001, 0.0004, 0.00005
    low, high = fieller_interval(a, b, va, vb, cov, Z90)
    for theta in (low, high):  # (a - theta b)^2 = z^2 (va - 2 theta cov + theta^2 vb)
        assert (a - theta * b) ** 2 == pytest.approx(
            Z90**2 * (va - 2 * theta * cov + theta**2 * vb)
        )
    assert low < a / b < high
    # with no uncertainty in b and none shared, it is the plain interval for a, scaled
    low, high = fieller_interval(a, b, va, 0.0, 0.0, Z90)
    assert (low, high) == pytest.approx(((a - Z90 * va**0.5) / b, (a + Z90 * va**0.5) / b))


def test_fieller_interval_is_unbounded_when_the_denominator_is_not_clear_of_zero():
    assert fieller_interval(0.03, 0.02, 0.0001, 0.0004, 0.0, Z90) is None


def test_the_estimate_recovers_a_gain_unlike_the_published_one():
    truth = synthetic_truth()
    assert abs(truth - PUBLISHED_GAIN) > 0.1
    gain = measure_retention_gain(*synthetic_customers(200_000, 1))
    assert gain.source == "measured"
    assert gain.ci90[0] <= truth <= gain.ci90[1]
    assert not gain.ci90[0] <= PUBLISHED_GAIN <= gain.ci90[1]


def test_the_90_percent_interval_covers_the_truth_about_90_percent_of_the_time():
    truth = synthetic_truth()
    gains = [measure_retention_gain(*synthetic_customers(20_000, seed)) for seed in range(200)]
    assert all(g.source == "measured" for g in gains)
    covered = np.mean([g.ci90[0] <= truth <= g.ci90[1] for g in gains])
    assert 0.85 <= covered <= 0.95, covered


def test_too_few_control_customers_keep_the_published_figure_and_say_why():
    retained, measured, holdout = synthetic_customers(2_000, 2)
    gain = measure_retention_gain(retained, measured, holdout)
    assert (gain.value, gain.source, gain.ci90) == (PUBLISHED_GAIN, "published", None)
    assert "needs 300 customers per arm" in gain.note
    assert gain.n_control == int((holdout & ~np.isnan(measured)).sum()) < 300


def test_an_offer_that_does_not_move_ve_success_keeps_the_published_figure():
    rng = np.random.default_rng(3)
    n = 20_000
    holdout = rng.random(n) < 0.5
    success = (rng.random(n) < 0.3).astype(float)  # the same in both arms
    retained = (rng.random(n) < 0.6).astype(float)
    gain = measure_retention_gain(retained, success, holdout)
    assert gain.source == "published"
    assert "not clear of zero" in gain.note


def test_a_stored_figure_is_read_back_and_replaced(sqlite_store):
    now = datetime.now(UTC)
    with sqlite_store.uow() as uow:
        assert read_retention_gain(uow.session).source == "published"
    measured = measure_retention_gain(*synthetic_customers(50_000, 4))
    save_retention_gain(sqlite_store, measured, actor="t", now=now)
    with sqlite_store.uow() as uow:
        back = read_retention_gain(uow.session)
    assert (back.value, back.source, back.ci90) == (measured.value, "measured", measured.ci90)
    thin = measure_retention_gain(*synthetic_customers(2_000, 5))  # a later, thinner window
    save_retention_gain(sqlite_store, thin, actor="t", now=now)
    with sqlite_store.uow() as uow:
        again = read_retention_gain(uow.session)
    assert (again.value, again.source, again.ci90) == (PUBLISHED_GAIN, "published", None)
    assert again.note == thin.note


def test_the_cli_measures_on_the_store_and_routing_reads_what_it_stored(tmp_path, monkeypatch):
    """A simulated world imported into a store: the command stores the figure routing uses
    (an import of 30,000 contacts with ~950 control customers)."""
    from assist_api.services.outcomes.imports import import_files
    from training.simulator.study import outcome_world

    url = f"sqlite:///{tmp_path / 'store.db'}"
    upgrade(url)
    world = outcome_world(30_000, 12, 0.65)
    paths = [tmp_path / "interactions.csv", tmp_path / "outcomes.csv"]
    world.interactions.to_csv(paths[0], index=False)
    world.outcomes.to_csv(paths[1], index=False)
    store = Store.open(url)
    assert import_files(store, *paths).committed
    monkeypatch.setenv("VALUE_ASSIST_DATABASE_URL", url)
    printed = CliRunner().invoke(main, ["routing", "retention-gain", "--json"])
    assert printed.exit_code == 0, printed.output
    answer = json.loads(printed.output)
    assert answer["source"] == "measured" and answer["n_control"] >= 300
    assert answer["ci90"][0] < answer["value"] < answer["ci90"][1]
    with store.uow() as uow:
        assert read_retention_gain(uow.session).value == pytest.approx(answer["value"])
    store.close()
