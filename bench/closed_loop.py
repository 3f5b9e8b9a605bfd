"""Closed loop: off-policy coverage and the cost of exploring, on the real service.

Usage:  .venv/bin/python bench/closed_loop.py [--weeks 6] [--per-day 250] [--history 5000]
                                              [--seed 0] [--min-ess 20] [--coverage-only]

Runs `value-assist simulate --closed-loop` twice on the same world and the same random
draws per contact: with exploration at 5 % and at 0 %. Prints each run's weekly table,
then, on the 5 % run's logged decisions, the IPS, SNIPS and DR estimates (95 % intervals
by customer bootstrap) of four policies next to their true value from the world's truth
— the final champion's top card, the first champion's (history only), the champion's
worst-first ranking and uniform random — and whether each interval contains it. Last,
exploration's cost: VE success of offered contacts with 5 % vs 0 % (observed, with
intervals) and the true expected difference, paired by contact.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assist_api.services.learning.evaluation import POLICIES, evaluate_policy  # noqa: E402
from assist_api.services.learning.logged import logged_decisions  # noqa: E402
from assist_api.services.learning.ope import (  # noqa: E402
    ThinSupport,
    cluster_sums,
    interval,
    observed,
    ratio_bootstrap,
)
from assist_api.services.learning.snapshots import matrix_from_inputs  # noqa: E402
from assist_api.services.studies.closed_loop import (  # noqa: E402
    LoopConfig,
    run_closed_loop,
    week_table,
)


def true_value(decisions, values, policy, score) -> float:
    total = 0.0
    for d in decisions:
        cards = [(c, w) for c, w, _p in d.eligible]
        pi = policy(cards, score(matrix_from_inputs(d.inputs)))
        total += float(pi @ np.array([values[d.interaction_id][c] for c, _w in cards]))
    return total / len(decisions)


def coverage(result, min_ess: float) -> None:
    decisions = logged_decisions(result.service.store)
    first, final = result.service.scorer_for("1"), result.service.scorer_for(None)
    candidates = (
        ("champion top card", POLICIES["greedy"], final),
        ("first model top card", POLICIES["greedy"], first),
        ("champion worst first", POLICIES["worst_first"], final),
        ("uniform random", POLICIES["uniform"], final),
    )
    print(f"\noff-policy estimates on {len(decisions)} logged decisions (5 % exploration)")
    print(f"{'policy':<22} {'true':>6}  {'estimator':<5} {'value':>6} {'95 % CI':>17}  covers  ESS")
    for label, policy, score in candidates:
        truth = true_value(decisions, result.values, policy, score)
        try:
            report = evaluate_policy(decisions, policy, score, min_ess=min_ess)
        except ThinSupport as exc:
            print(f"{label:<22} {truth:>6.3f}  refused: {exc}")
            continue
        for name, est in report["estimates"].items():
            low, high = est["ci95"]
            covers = "yes" if low <= truth <= high else "NO"
            print(
                f"{label:<22} {truth:>6.3f}  {name:<5} {est['value']:>6.3f} "
                f"[{low:.3f}, {high:.3f}]  {covers:>6}  {report['ess']:.0f}"
            )


def paired(customers, diff) -> str:
    sums, counts = cluster_sums(customers, diff, np.ones(len(diff)))
    low, high = interval(ratio_bootstrap({"d": sums}, {"d": counts})["d"])
    return f"{np.mean(diff):+.4f} [{low:+.4f}, {high:+.4f}]"


def cost(explore, plain) -> None:
    ids = sorted(set(explore.shown_first_value) & set(plain.shown_first_value))
    customers = np.array([explore.customer[i] for i in ids])
    diff = np.array([explore.shown_first_value[i] - plain.shown_first_value[i] for i in ids])
    own = sorted(explore.shown_first_value)
    immediate = np.array([explore.shown_first_value[i] - explore.greedy_value[i] for i in own])
    print("\nexploration's cost, offered contacts")
    for label, run in (("5 %", explore), ("0 %", plain)):
        rows = [w for w in run.weeks]
        n = sum(w.surveyed_offered for w in rows)
        rate = sum((w.ve_success_offered or 0) * w.surveyed_offered for w in rows) / max(n, 1)
        true = np.mean(list(run.shown_first_value.values()))
        observed_ci = observed(run.surveyed_customers, run.surveyed_success)
        low, high = observed_ci["ci95"]
        print(
            f"  exploration {label}: observed VE success {rate:.4f} [{low:.4f}, {high:.4f}] "
            f"(n={n}); true expected {true:.4f}"
        )
    print(
        f"  true expected difference (5 % minus 0 %), paired by contact, customer bootstrap: "
        f"{paired(customers, diff)} over {len(ids)} contacts"
    )
    print(
        "  immediate cost at 5 % (card shown first minus the serving model's top card, same "
        f"model): {paired([explore.customer[i] for i in own], immediate)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--weeks", type=int, default=6)
    parser.add_argument("--per-day", type=int, default=250)
    parser.add_argument("--history", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--min-ess", type=float, default=20.0)
    parser.add_argument(
        "--coverage-only", action="store_true", help="only the 5 %% run and its coverage table"
    )
    args = parser.parse_args()
    runs = {}
    with tempfile.TemporaryDirectory() as folder:
        for epsilon in (0.05,) if args.coverage_only else (0.05, 0.0):
            started = time.perf_counter()
            config = LoopConfig(
                weeks=args.weeks,
                contacts_per_day=args.per_day,
                history=args.history,
                epsilon=epsilon,
                seed=args.seed,
            )
            runs[epsilon] = run_closed_loop(config, Path(folder) / f"eps{epsilon}")
            print(f"\nexploration {100 * epsilon:.0f} % ({time.perf_counter() - started:.0f} s)")
            for line in week_table(runs[epsilon].weeks):
                print(line, flush=True)
        coverage(runs[0.05], args.min_ess)
        if not args.coverage_only:
            cost(runs[0.05], runs[0.0])


if __name__ == "__main__":
    main()
