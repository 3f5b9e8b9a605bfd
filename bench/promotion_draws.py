"""Repeated draws: how often does the promotion rule promote an equal or a better candidate?

Usage:  .venv/bin/python bench/promotion_draws.py [--draws 400] [--rows 1000 3000]
                                                  [--interactions 40000] [--seed 0]

Test sets are drawn from a simulated world's contacts (its customers, their repeat
contacts and the true P(success) of the activity attempted). In each draw: a test set of
whole customers with about `rows` contacts, labels drawn fresh from the truth, and two
models that are the truth plus independent errors in log-odds — one shared by a
customer's contacts (a model misreads a customer, not a row) and one per row:

- equal:  champion and candidate errors of the same size (equally good in expectation);
- better: the candidate's errors are smaller (--better scales), by the margin printed
  (its true expected log-loss gain on the world, computed exactly from the truth).

Each pair is judged by the new rule (95 % paired bootstrap over customers above zero), the
same bootstrap over rows, and the old rule (gain >= 0.001 and AUC not lower by > 0.005).
Prints the promotion rates with a binomial 95 % interval.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from features.vocabulary import ACTIVITIES  # noqa: E402
from training.evaluate import auc_or_none  # noqa: E402
from training.promote import paired_gain, row_log_loss  # noqa: E402
from training.simulator.world import simulate_world  # noqa: E402

CUSTOMER_SD, ROW_SD = 0.35, 0.35  # the champion's (and an equal candidate's) errors
BOOTSTRAP = 600


def world_rows(n_interactions: int, seed: int):
    """(customer ids, true P(success) of the activity attempted) for attempted contacts."""
    world = simulate_world(n_interactions, seed=seed)
    frame = world.interactions.merge(world.truth, on="interaction_id")
    frame = frame[frame["activity_attempted"].notna()].reset_index(drop=True)
    column = frame["activity_attempted"].map(lambda a: f"p_{a}")
    p = np.array([frame.at[i, c] for i, c in enumerate(column)], float)
    assert set(frame["activity_attempted"]) <= set(ACTIVITIES)
    return frame["customer_id"].to_numpy(str), p


def model(rng, logit, customer_index, n_customers, scale):
    errors = rng.normal(0, CUSTOMER_SD * scale, n_customers)[customer_index]
    return 1 / (1 + np.exp(-(logit + errors + rng.normal(0, ROW_SD * scale, len(logit)))))


def expected_gain(p, rng, scale):
    """True expected log-loss gain of a candidate at `scale` over the champion (exact in y)."""
    logit = np.log(p / (1 - p))
    idx = np.arange(len(p))
    q1, q2 = model(rng, logit, idx, len(p), 1.0), model(rng, logit, idx, len(p), scale)

    def loss(q):
        return -(p * np.log(q) + (1 - p) * np.log(1 - q))

    return float(np.mean(loss(q1) - loss(q2)))


def old_rule(y, q1, q2) -> bool:
    gain = float(np.mean(row_log_loss(y, q1) - row_log_loss(y, q2)))
    drop = (auc_or_none(y, q1) or 0) - (auc_or_none(y, q2) or 0)
    return gain >= 0.001 and drop <= 0.005


def one_draw(rng, customers, p, rows, scale, seed):
    unique, index = np.unique(customers, return_inverse=True)
    per_customer = np.bincount(index)
    order = rng.permutation(len(unique))
    take = order[: np.searchsorted(np.cumsum(per_customer[order]), rows) + 1]
    mask = np.isin(index, take)
    cust, pt = index[mask], p[mask]
    y = (rng.random(len(pt)) < pt).astype(float)
    logit = np.log(pt / (1 - pt))
    q1 = model(rng, logit, cust, len(unique), 1.0)
    q2 = model(rng, logit, cust, len(unique), scale)
    by_customer = paired_gain(cust, y, q1, q2, draws=BOOTSTRAP, seed=seed)[1][0] > 0
    by_row = paired_gain(np.arange(len(y)), y, q1, q2, draws=BOOTSTRAP, seed=seed)[1][0] > 0
    return by_customer, by_row, old_rule(y, q1, q2)


def binomial_ci(k, n):
    p = k / n
    half = 1.96 * np.sqrt(max(p * (1 - p), 1e-12) / n)
    return f"{100 * p:5.1f} % [{100 * max(p - half, 0):4.1f}, {100 * min(p + half, 1):5.1f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--draws", type=int, default=400)
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 3000])
    parser.add_argument("--interactions", type=int, default=40000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--better", type=float, nargs="+", default=[0.7, 0.6, 0.5], help="candidate error scales"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    customers, p = world_rows(args.interactions, args.seed)
    rng = np.random.default_rng(args.seed)
    cases = [("equal", 1.0)]
    print(f"world: {len(p)} attempted contacts of {len(set(customers))} customers")
    for scale in args.better:
        margin = expected_gain(p, rng, scale)
        cases.append((f"+{margin:.4f}", scale))
        print(
            f"better x{scale}: candidate errors x{scale}, true expected log-loss gain {margin:.4f}"
        )
    heads = ("rule (customers)", "rows bootstrap", "old rule")
    print(f"{'case':8} {'rows':>5}  " + "  ".join(f"{h:>24}" for h in heads))
    for rows in args.rows:
        for case, scale in cases:
            counts = np.zeros(3, int)
            for k in range(args.draws):
                counts += one_draw(rng, customers, p, rows, scale, seed=k)
            cells = "  ".join(f"{binomial_ci(c, args.draws):>24}" for c in counts)
            print(f"{case:8} {rows:>5}  {cells}")
    print(f"promotion rates over {args.draws} draws each; {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
