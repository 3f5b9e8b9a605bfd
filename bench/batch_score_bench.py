"""Benchmark: `value-assist batch-score` on a customer base, rows per second, beside the
registered pyfunc scoring the same rows.

Usage:  .venv/bin/python bench/batch_score_bench.py [--customers 1000000] [--dask]
                                                    [--interactions 30000]

It trains a demo model (as `value-assist demo` does), builds a customer file of
`--customers` distinct customers (rows drawn from the demo world, each under a new
customer id, as a CRM export of latest profiles would hold them), then times, in this
run: the whole `value-assist batch-score` command (read CSV, latest row per customer,
score five activities, best card, control group, write CSV) on one machine — and on a
Dask LocalCluster with `--dask` — and the registered pyfunc's own model class predicting the
same rows with one activity (the plain peer: no file reading or writing, one activity, no
cards). Peak memory of each command is its resident set, sampled every 50 ms.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
SAMPLE_SECONDS = 0.05


def peak_rss(process: psutil.Process, done: threading.Event, out: list[int]) -> None:
    """The largest resident memory of the process and its children until `done`."""
    peak = 0
    while not done.is_set():
        try:
            family = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in family if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(SAMPLE_SECONDS)
    out.append(peak)


def timed(command: list[str], env: dict) -> tuple[float, int, str]:
    """(seconds, peak bytes, output) of one command."""
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    done, peak = threading.Event(), []
    sampler = threading.Thread(target=peak_rss, args=(psutil.Process(child.pid), done, peak))
    sampler.start()
    output = child.communicate()[0].decode(errors="replace")
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise RuntimeError(f"{command[1]} failed:\n{output[-3000:]}")
    return seconds, peak[0], output


def customer_file(world: Path, customers: int, path: Path) -> None:
    rows = pd.read_csv(world / "interactions.csv", dtype=str, keep_default_na=False)
    drawn = rows.sample(customers, replace=True, random_state=0).reset_index(drop=True)
    drawn["customer_id"] = [f"c-bench-{i}" for i in range(customers)]
    drawn["interaction_id"] = [f"i-bench-{i}" for i in range(customers)]
    drawn.to_csv(path, index=False)


def pyfunc_rows_per_second(tracking_uri: str, path: Path) -> tuple[float, float]:
    """(seconds, rows/s) of the registered pyfunc predicting every row, one activity."""
    import mlflow

    mlflow.set_tracking_uri(tracking_uri)
    # the registered model's own Python class: its signature check refuses CSV text
    # columns (the model issue makes the pyfunc take what read_csv gives)
    model = mlflow.pyfunc.load_model("models:/ve-openness@champion").unwrap_python_model()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).assign(activity="validate_purchase")
    started = time.perf_counter()
    predictions = np.asarray(model.predict(None, frame))
    seconds = time.perf_counter() - started
    assert len(predictions) == len(frame)
    return seconds, len(frame) / seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--interactions", type=int, default=30_000)
    parser.add_argument("--dask", action="store_true", help="also on a Dask LocalCluster")
    args = parser.parse_args()

    from assist_api.config import load_settings
    from assist_api.services.studies.demo import prepare_demo

    data_dir = Path(tempfile.mkdtemp(prefix="va-batch-")).resolve()
    settings = load_settings(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'store.db'}",
        mlflow_tracking_uri=f"sqlite:///{data_dir / 'mlflow.db'}",
    )
    demo = prepare_demo(settings, args.interactions, echo=lambda line: None)
    customers = data_dir / "customers.csv"
    customer_file(demo.world_dir, args.customers, customers)
    print(f"{args.customers:,} customers in {customers} ({customers.stat().st_size / 1e6:.0f} MB)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VALUE_ASSIST_", "MLFLOW_"))}
    env.update(
        VALUE_ASSIST_DATA_DIR=str(data_dir),
        VALUE_ASSIST_DATABASE_URL=settings.database_url,
        MLFLOW_TRACKING_URI=settings.mlflow_tracking_uri,
    )
    command = [str(VENV_BIN / "value-assist"), "batch-score", "--input", str(customers)]
    runs = [("batch-score, one machine", [*command, "--output", str(data_dir / "out.csv")])]
    if args.dask:
        dask_out = ["--output", str(data_dir / "out-dask.csv"), "--dask", "local"]
        runs.append(("batch-score, Dask local", [*command, *dask_out]))
    results = []
    for name, argv in runs:
        seconds, peak, output = timed(argv, env)
        results.append((name, seconds, peak))
        print(output.strip().splitlines()[-1])
    written = pd.read_csv(data_dir / "out.csv", usecols=["customer_id", "outreach"])
    assert len(written) == args.customers
    peer_seconds, peer_rate = pyfunc_rows_per_second(settings.mlflow_tracking_uri, customers)

    print(f"\n{'command':<28}{'seconds':>9}{'customers/s':>13}{'peak MB':>9}")
    for name, seconds, peak in results:
        print(f"{name:<28}{seconds:>9.1f}{args.customers / seconds:>13,.0f}{peak / 1e6:>9.0f}")
    print(f"{'pyfunc.predict, 1 activity':<28}{peer_seconds:>9.1f}{peer_rate:>13,.0f}{'':>9}")
    single = results[0][1]
    print(f"target: batch-score one machine >= 40,000 customers/s: {args.customers / single:,.0f}")
    print(f"outreach rows: {int(written['outreach'].sum()):,} of {len(written):,}")


if __name__ == "__main__":
    main()
