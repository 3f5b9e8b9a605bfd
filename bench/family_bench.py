"""Issue 16's table: the product against its references on the demo world and every family world.

Usage:  .venv/bin/python bench/family_bench.py [--interactions 100000] [--out D] [--only NAME]

For the demo world (`value-assist simulate --seed 3`) and each world of
training/simulator/family.py, trains the product exactly as `value-assist train` does
(text models, capacity search, calibration, refit) and prints, on the same test rows:
test ROC AUC and its gap to the observable oracle (the target; the oracle beside it),
card-choice regret as a share of the logged agents', the plain `LGBMClassifier()`
reference on both, and whether the product beats it. Worlds marked `design` were looked at
while choosing the design; the others only judge it. Takes minutes: run it under
`flock /tmp/bench.lock` on a shared machine.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from training.candidate import fit_candidate  # noqa: E402
from training.dataset import build_training_set, read_import_dir, read_truth  # noqa: E402
from training.simulator.family import FAMILY, write_family_world  # noqa: E402
from training.simulator.observable import with_observable_oracle  # noqa: E402
from training.simulator.world import simulate_world, write_world  # noqa: E402

AUC_GAP = 0.010
REGRET_SHARE = 0.06


def worlds(out: Path, n: int, only: str | None):
    if only in (None, "demo-seed-3"):
        folder = out / "demo-seed-3"
        if not (folder / "truth.csv").is_file():
            write_world(simulate_world(n, seed=3), folder)
        yield "demo-seed-3", "design", folder
    for spec in FAMILY:
        if only in (None, spec.name):
            folder = out / spec.name
            if not (folder / "truth.csv").is_file():
                write_family_world(spec, folder, n)
            yield spec.name, spec.role, folder


def measure(folder: Path) -> dict:
    truth = with_observable_oracle(folder, read_truth(folder))
    interactions, outcomes, _ = read_import_dir(folder)
    ts = build_training_set(interactions, outcomes)
    started = time.perf_counter()
    candidate = fit_candidate(ts, truth, interactions=interactions)
    seconds = time.perf_counter() - started
    rows = {r["model"]: r for r in candidate.references}
    return {
        "rows": candidate.report["overall"]["rows"],
        "product": rows["product"],
        "plain": rows["plain LGBMClassifier()"],
        "observable": rows.get("observable oracle", {}),
        "oracle": rows.get("oracle", {}),
        "search": candidate.search.params if candidate.search else {},
        "tried": (len(candidate.search.table), candidate.search.stopped_by)
        if candidate.search
        else (0, "-"),
        "text": candidate.text_model.facts.get("reason_model", {}) if candidate.text_model else {},
        "seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--interactions", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/va-family-bench"))
    parser.add_argument("--only", default=None)
    args = parser.parse_args()
    header = (
        f"{'world':<20} {'role':<6} {'test':>5} {'AUC':>6} {'obs.or':>6} {'gap':>6} "
        f"{'oracle':>6} {'regret/agents':>13} {'plain AUC':>9} {'plain r/a':>9} "
        f"{'LL prod':>7} {'LL plain':>8} {'beats plain':>11} {'fit s':>6}"
    )
    print(header)
    for name, role, folder in worlds(args.out, args.interactions, args.only):
        m = measure(folder)
        p, plain, obs = m["product"], m["plain"], m["observable"]
        gap = obs["roc_auc"] - p["roc_auc"] if obs else float("nan")
        beats = p["log_loss"] < plain["log_loss"] and p["regret"] < plain["regret"]
        print(
            f"{name:<20} {role:<6} {m['rows']:>5} {p['roc_auc']:>6.4f} "
            f"{obs.get('roc_auc', float('nan')):>6.4f} {gap:>6.4f} "
            f"{m['oracle'].get('roc_auc', float('nan')):>6.4f} {p['regret_to_agents']:>13.3f} "
            f"{plain['roc_auc']:>9.4f} {plain['regret_to_agents']:>9.3f} "
            f"{p['log_loss']:>7.4f} {plain['log_loss']:>8.4f} {'yes' if beats else 'NO':>11} "
            f"{m['seconds']:>6.1f}",
            flush=True,
        )
        text = ", ".join(f"{k} {v['accuracy']:.3f}" for k, v in m["text"].items())
        tried, stopped = m["tried"]
        print(
            f"{'':<28} search tried {tried} (stopped by {stopped}), chose {m['search']}; "
            f"reason accuracy {text or 'n/a'}",
            flush=True,
        )
    print(
        f"\ntargets: gap to the observable oracle <= {AUC_GAP}, regret <= {REGRET_SHARE} x the "
        "logged agents', and better than the plain reference on log loss and regret."
    )


if __name__ == "__main__":
    main()
