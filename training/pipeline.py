"""The training pipeline: data -> training set -> model -> evaluation -> MLflow -> champion.

Used by `value-assist train`, `value-assist demo` (simulate_train_register) and the bench.
Each stage lives in its own module; this one only passes results along and times them.
Nothing here reads settings or the environment: the caller passes a TrainConfig.
"""

import time
from collections.abc import Callable
from pathlib import Path

from training.candidate import fit_candidate
from training.dataset import build_training_set, read_import_dir, read_truth
from training.registration import TrainConfig, TrainResult, log_candidate


def train_from_frames(
    interactions,
    outcomes,
    config: TrainConfig,
    *,
    truth=None,
    source: str = "store",
    skipped: int = 0,
) -> TrainResult:
    """Typed import-format frames (e.g. from the store) -> a registered model."""
    if config.dask:
        raise ValueError("Dask training reads partitioned Parquet: use train_from_dir")
    ts = build_training_set(interactions, outcomes, skipped)
    candidate = fit_candidate(
        ts, truth, config.band_thresholds, config.params, interactions=interactions
    )
    return log_candidate(candidate, config, source)


def train_from_dir(folder: Path | str, config: TrainConfig) -> TrainResult:
    """Import-format files in `folder` (truth.csv beside them is used for evaluation only)."""
    folder = Path(folder)
    truth = read_truth(folder)
    if truth is not None:
        from training.simulator.observable import with_observable_oracle

        truth = with_observable_oracle(folder, truth)
    if config.dask:
        from training.dask_train import dask_candidate

        candidate = dask_candidate(
            folder, config.dask, truth, config.band_thresholds, config.params
        )
        return log_candidate(candidate, config, str(folder.resolve()))
    started = time.perf_counter()
    interactions, outcomes, skipped = read_import_dir(folder)
    ts = build_training_set(interactions, outcomes, skipped)
    load_seconds = time.perf_counter() - started
    candidate = fit_candidate(
        ts, truth, config.band_thresholds, config.params, interactions=interactions
    )
    candidate.seconds = {"load": load_seconds, **candidate.seconds}
    return log_candidate(candidate, config, str(folder.resolve()))


def simulate_train_register(
    out_dir: Path | str,
    config: TrainConfig,
    interactions: int = 20_000,
    seed: int = 0,
    echo: Callable[[str], None] = print,
) -> TrainResult:
    """The demo's model: simulate a world into `out_dir`, train, register and promote.

    The first model becomes champion; later ones only if they win the declared rule.
    """
    from training.simulator.world import simulate_world, write_world

    echo(f"simulating {interactions} interactions (seed {seed}) into {out_dir}")
    write_world(simulate_world(interactions, seed), Path(out_dir))
    result = train_from_dir(out_dir, TrainConfig(**{**config.__dict__, "promote": True}))
    for line in summary_lines(result):
        echo(line)
    return result


def summary_lines(result: TrainResult) -> list[str]:
    """What `value-assist train` prints."""
    from training.report import render_summary

    return render_summary(result)
