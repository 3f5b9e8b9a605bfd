"""Interval coverage of the ROI report on replicated small worlds, new method vs old.

    .venv/bin/python bench/roi_coverage.py [--replications 400] [--interactions 4000]

Each replication draws a fresh simulated world (new seed) where retention and wallet
change are customer facts and customers have several contacts, builds the report rows
with the report's own derivation, and checks whether each 95 % interval contains that
world's truth, computed per customer from the simulator's true probabilities:

- retention lift, customer level (new) vs per contact (old), truth = mean customer effect;
- VE success lift, customer-clustered (new) vs contacts as independent (old), truth = mean
  contact effect (p_success_offered - p_success_holdout);
- extra retained customers, per customer (new) vs lift x offered contacts (old), truth =
  sum of offered customers' retention effects;
- retained value (new), truth = sum of offered customers' CLV x retention effect.

Transcripts are skipped (they do not enter any outcome), so a world takes ~0.3 s.
Prints one line per interval and its coverage with a binomial 95 % range.
"""

import argparse
import time

import pandas as pd

from assist_api.reports import stats
from assist_api.reports.customers import customer_frame
from assist_api.reports.effects import MEASURES, effect
from assist_api.reports.financial import customer_return
from assist_api.reports.offline import frame_from_tables
from assist_api.reports.units import contact_effect, customer_effect
from training.simulator.study import outcome_world


def replicate(
    seed: int, n_interactions: int, customers_per_interaction: float, openness_sd: float
) -> dict:
    """{interval name: (covered?, truth)} for one world."""
    world = outcome_world(n_interactions, seed, customers_per_interaction, openness_sd)
    frame = frame_from_tables(world.interactions, world.outcomes)
    customers = customer_frame(frame)
    truth_c = world.customer_truth.set_index("customer_id").loc[customers["customer_id"]]
    offered_truth = truth_c[~truth_c["holdout"].to_numpy(bool)]
    holdout = frame["holdout"].to_numpy(bool)
    contact_truth = world.truth["p_success_offered"] - world.truth["p_success_holdout"]

    new_retention = customer_effect(
        customers["retained_60d"].to_numpy(float),
        customers["holdout"].to_numpy(bool),
        "retained_60d",
    )
    retained = frame["retained_60d"].to_numpy(float)
    old_retention = effect(retained[~holdout], retained[holdout], MEASURES["retained_60d"])
    new_ves = contact_effect(frame, "ve_success")
    success = frame["ve_success"].to_numpy(float)
    old_ves = effect(success[~holdout], success[holdout], MEASURES["ve_success"])
    money = customer_return(customers, int((~holdout).sum()), cost_per_agent_minute=1.0)
    offered_contacts = int((~holdout).sum())
    old_extra = [b * offered_contacts for b in old_retention["ci95"]]

    truths = {
        "retention_lift": float(truth_c["retention_effect"].mean()),
        "ve_success_lift": float(contact_truth.mean()),
        "extra_retained": float(offered_truth["retention_effect"].sum()),
        "retained_value": float((offered_truth["retention_effect"] * offered_truth["clv"]).sum()),
    }
    intervals = {
        ("retention_lift", "new: customer level"): new_retention["ci95"],
        ("retention_lift", "old: per contact"): old_retention["ci95"],
        ("ve_success_lift", "new: customer-clustered"): new_ves["ci95"],
        ("ve_success_lift", "old: contacts independent"): old_ves["ci95"],
        ("extra_retained", "new: lift x offered customers"): money["incremental_retained"]["ci95"],
        ("extra_retained", "old: lift x offered contacts"): old_extra,
        ("retained_value", "new: per customer"): money["retained_value"]["ci95"],
    }
    return {
        key: (interval[0] <= truths[key[0]] <= interval[1], truths[key[0]])
        for key, interval in intervals.items()
    }


def coverage_table(
    replications: int, n_interactions: int, customers_per_interaction: float, openness_sd: float
):
    results = [
        replicate(seed, n_interactions, customers_per_interaction, openness_sd)
        for seed in range(replications)
    ]
    rows = []
    for key in results[0]:
        covered = sum(result[key][0] for result in results)
        low, high = stats.wilson(covered, replications)
        rows.append((*key, covered / replications, low, high))
    return pd.DataFrame(
        rows, columns=["interval", "method", "coverage", "wilson_low", "wilson_high"]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=400)
    parser.add_argument("--interactions", type=int, default=4000)
    parser.add_argument("--customers-per-interaction", type=float, default=0.35)
    parser.add_argument(
        "--customer-openness-sd",
        type=float,
        default=0.0,
        help="hidden per-customer term in the VE success logit (correlates a customer's contacts)",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    table = coverage_table(
        args.replications,
        args.interactions,
        args.customers_per_interaction,
        args.customer_openness_sd,
    )
    print(
        f"{args.replications} replications of a {args.interactions}-contact world "
        f"(customers per interaction {args.customers_per_interaction}, customer openness sd "
        f"{args.customer_openness_sd}), {time.perf_counter() - started:.0f} s"
    )
    with pd.option_context("display.width", 120, "display.float_format", "{:.3f}".format):
        print(table.to_string(index=False))


if __name__ == "__main__":
    main()
