"""Benchmark: `value-assist train --from D` wall time and peak memory, one machine vs Dask.

Usage:  .venv/bin/python bench/train_bench.py [--sizes 100000 1000000] [--seed 3]
                                              [--keep DIR]

For each size it simulates a demo world once (CSV, as `value-assist simulate` writes it),
then trains on it twice — on this machine, and with `--dask local` (a LocalCluster of
2 workers x 1 thread) — each in a fresh child process that runs the whole `train` path
(read and validate the files, label, split, features, fit, calibrate, evaluate, log and
register in a throwaway MLflow store). Peak memory is the largest total resident memory
of that child and everything it started (the Dask scheduler and workers), sampled every
50 ms. Prints one table at the end.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SAMPLE_SECONDS = 0.05
MODES = ("single", "dask")


def simulate(size: int, seed: int, folder: Path) -> float:
    from training.simulator.world import simulate_world, write_world

    started = time.perf_counter()
    write_world(simulate_world(size, seed), folder)
    return time.perf_counter() - started


def child(data: Path, mode: str, scratch: Path) -> None:
    """Run in the child process: one training, its figures printed as JSON on stdout."""
    from training.pipeline import TrainConfig, train_from_dir

    config = TrainConfig(
        tracking_uri=f"sqlite:///{scratch / 'mlflow.db'}",
        artifact_root=scratch / "mlartifacts",
        dask="local" if mode == "dask" else None,
    )
    started = time.perf_counter()
    result = train_from_dir(data, config)
    seconds = time.perf_counter() - started
    candidate = result.candidate
    print(
        json.dumps(
            {
                "seconds": seconds,
                "stages": candidate.seconds,
                "rows": candidate.dataset["rows"],
                "train_rows": candidate.dataset["train"]["rows"],
                "trees": candidate.fit.rounds,
                "auc": candidate.report["overall"]["roc_auc"],
                "oracle_auc": candidate.report.get("truth", {}).get("oracle_roc_auc"),
                "ece": candidate.report["overall"]["ece"],
            }
        )
    )


def tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def measure(data: Path, mode: str) -> dict:
    """Train in a child process; its wall time, peak tree memory and JSON figures."""
    with tempfile.TemporaryDirectory(prefix="va-bench-") as scratch:
        command = [sys.executable, __file__, "--child", str(data), mode, scratch]
        # as `value-assist train` does: OpenMP threads sleep while waiting (see cli/models.py)
        env = {**os.environ, "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "PASSIVE")}
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        watched = psutil.Process(process.pid)
        peak = [0]
        done = threading.Event()

        def sample():
            while not done.is_set():
                try:
                    peak[0] = max(peak[0], tree_rss(watched))
                except psutil.NoSuchProcess:
                    return
                time.sleep(SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        stdout, stderr = process.communicate()
        done.set()
        sampler.join()
        wall = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{mode} training failed:\n{stderr[-3000:]}")
    figures = json.loads(stdout.strip().splitlines()[-1])
    return {**figures, "wall": wall, "peak_mb": peak[0] / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the simulated worlds in this folder")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), args.child[1], Path(args.child[2]))
        return
    rows = []
    with tempfile.TemporaryDirectory(prefix="va-worlds-") as worlds:
        base = args.keep or Path(worlds)
        for size in args.sizes:
            folder = base / f"world_{size}"
            print(f"simulating {size:,} interactions ...", flush=True)
            sim_seconds = simulate(size, args.seed, folder)
            for mode in MODES:
                print(f"  training ({mode}) ...", flush=True)
                rows.append(
                    {"size": size, "mode": mode, "simulate": sim_seconds, **measure(folder, mode)}
                )
    print()
    print(
        f"{'interactions':>12} {'mode':<7} {'labelled':>9} {'train rows':>10} {'trees':>5} "
        f"{'wall s':>7} {'fit s':>6} {'peak MB':>8} {'test AUC':>8} {'oracle':>7} {'ECE':>6}"
    )
    for r in rows:
        oracle = f"{r['oracle_auc']:.4f}" if r["oracle_auc"] is not None else "-"
        print(
            f"{r['size']:>12,} {r['mode']:<7} {r['rows']:>9,} {r['train_rows']:>10,} "
            f"{r['trees']:>5} {r['wall']:>7.1f} {r['stages']['fit']:>6.1f} "
            f"{r['peak_mb']:>8.0f} {r['auc']:>8.4f} {oracle:>7} {r['ece']:>6.4f}"
        )
    print(
        "\nwall s: the whole `train --from D` in a fresh process (imports, reading and "
        "validating the CSVs, features, fit, calibration, evaluation, MLflow logging);"
    )
    print(
        "fit s: LightGBM alone (early-stopping fit + refit on train+valid); peak MB: the "
        "process and its children (Dask scheduler and workers) together."
    )


if __name__ == "__main__":
    main()
