"""Coverage of the measured retention per VE success on simulated worlds (issue 19).

For each mix of contacts per customer and each seed, a world of `--interactions` contacts
is drawn (training.simulator.study: retention is a customer fact, 90/73 % and 69/52 % by
switching effort, so the true gain per success is 0.17), reduced to the ROI report's
customer rows, and measured as `value-assist routing retention-gain` measures a store.
Prints, per mix, how often the estimate was measured (not the published fallback), how
often its 90 % interval contains 0.17, and the median estimate and interval width.

    python bench/retention_gain_coverage.py [--seeds 20] [--interactions 40000]
"""

import argparse

import numpy as np

from assist_api.reports.customers import customer_frame
from assist_api.reports.offline import frame_from_tables
from assist_api.services.routing.retention_gain import PUBLISHED_GAIN, measure_retention_gain
from training.simulator.study import outcome_world

MIXES = (0.35, 0.65, 1.0)  # customers per contact: ~3, ~1.5 and 1 contact per customer


def measured(interactions: int, seed: int, mix: float):
    world = outcome_world(interactions, seed, mix)
    customers = customer_frame(frame_from_tables(world.interactions, world.outcomes))
    return measure_retention_gain(
        customers["retained_60d"].to_numpy(float),
        customers["ve_success"].to_numpy(float),
        customers["holdout"].to_numpy(bool),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--interactions", type=int, default=40_000)
    args = parser.parse_args()
    header = ("customers/contact", "measured", "covers 0.17", "median", "width")
    print("{:>18} {:>9} {:>12} {:>7} {:>6}".format(*header))
    for mix in MIXES:
        gains = [measured(args.interactions, 500 + seed, mix) for seed in range(args.seeds)]
        done = [g for g in gains if g.source == "measured"]
        covers = sum(g.ci90[0] <= PUBLISHED_GAIN <= g.ci90[1] for g in done)
        median = np.median([g.value for g in done]) if done else float("nan")
        width = np.median([g.ci90[1] - g.ci90[0] for g in done]) if done else float("nan")
        print(
            f"{mix:>18.2f} {len(done):>4}/{len(gains):<4} {covers:>6}/{len(done):<5} "
            f"{median:>7.3f} {width:>6.3f}"
        )


if __name__ == "__main__":
    main()
