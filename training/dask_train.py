"""The same model on a Dask cluster: partitioned Parquet in, `lightgbm.dask` to fit.

Input files are turned into typed Parquet parts (streamed, so no file is held in memory
whole), joined and labelled per partition with training.dataset, split with the same
time cut-offs, and turned into feature rows per partition with features.frame — the
code the single-machine path and serving use. LightGBM's Dask estimator cannot stop
early, so it fits up to DASK_MAX_ROUNDS trees and the tree count is then chosen exactly
as early stopping would: the prefix with the lowest validation log loss.
"""

import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd

from features.spec import CATEGORICAL_INDICES, FEATURE_NAMES
from training.calibrate import EPS, choose_calibrator
from training.dataset import (
    LABEL,
    LABEL_OUTCOME_COLUMNS,
    SPLITS,
    DatasetError,
    assign_split,
    attach_labels,
    fingerprint,
    normalise_types,
    row_hashes,
    time_cutoffs,
)
from training.train import (
    PARAMS,
    FitResult,
    feature_matrix,
    min_leaf_rows,
    predict_raw,
    refit_rounds,
    truncate,
)
from training.validation import validate_interactions, validate_outcomes

DASK_MAX_ROUNDS = 1000  # lightgbm.dask cannot stop early: fit this many, keep the best prefix
ROWS_PER_PART = 50_000
CURVE_BLOCK = 100  # trees per pred_leaf call when tracing the validation curve
LOCAL_WORKERS = 2
REMOTE_PARTS_DIR = "_dask_parts"
VALIDATORS = {"interactions": validate_interactions, "outcomes": validate_outcomes}


@contextmanager
def dask_client(address: str):
    """A client for `address`, or for a fresh LocalCluster when address is 'local'."""
    from dask.distributed import Client, LocalCluster

    if address == "local":
        with (
            LocalCluster(
                n_workers=LOCAL_WORKERS,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=40,
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
    else:
        with Client(address, timeout="30s") as client:
            yield client


def typed_part(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Validate and type one chunk exactly as the single-machine reader does."""
    text = frame.astype("string").fillna("") if len(frame.columns) else frame
    result = VALIDATORS[table](text)
    return normalise_types(result.rows.drop(columns="_row"))


def write_parquet_parts(source: Path, target: Path, table: str, rows=ROWS_PER_PART) -> Path:
    """Stream a CSV or Parquet file (or a folder of Parquet files) into typed parts."""
    shutil.rmtree(target, ignore_errors=True)  # never mix in parts of an earlier run
    target.mkdir(parents=True)
    if source.is_dir():
        chunks = (pd.read_parquet(p) for p in sorted(source.glob("*.parquet")))
    elif source.suffix.lower() in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        batches = pq.ParquetFile(source).iter_batches(batch_size=rows)
        chunks = (batch.to_pandas() for batch in batches)
    else:
        chunks = pd.read_csv(
            source,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            encoding="utf-8",
            chunksize=rows,
        )
    for k, chunk in enumerate(chunks):
        typed_part(chunk, table).to_parquet(target / f"part-{k:05d}.parquet", index=False)
    return target


def _source(folder: Path, stem: str) -> Path:
    for candidate in (folder / stem, folder / f"{stem}.parquet", folder / f"{stem}.csv"):
        if candidate.exists():
            return candidate
    raise DatasetError(f"{folder}: no {stem}/, {stem}.parquet or {stem}.csv")


def _label_partition(merged: pd.DataFrame) -> pd.DataFrame:
    for column in LABEL_OUTCOME_COLUMNS[1:]:
        if column not in merged:
            merged[column] = None if column == "card_id_used" else np.nan
    return attach_labels(normalise_types(merged))


def _features_partition(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(feature_matrix(rows), columns=list(FEATURE_NAMES), index=rows.index)


def _non_empty(frame, lengths):
    keep = [i for i, n in enumerate(lengths) if n > 0]
    return frame.partitions[keep]


def validation_curve(booster: lgb.Booster, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Validation log loss after each tree, from the trees' leaf values (one pass)."""
    trees = booster.num_trees()
    raw = np.zeros(len(X))
    losses = np.empty(trees)
    for start in range(0, trees, CURVE_BLOCK):
        count = min(CURVE_BLOCK, trees - start)
        leaves = booster.predict(X, pred_leaf=True, start_iteration=start, num_iteration=count)
        for j in range(count):
            t = start + j
            values = np.array(
                [
                    booster.get_leaf_output(t, int(leaf))
                    for leaf in range(int(leaves[:, j].max()) + 1)
                ]
            )
            raw += values[leaves[:, j]]
            p = np.clip(1.0 / (1.0 + np.exp(-raw)), EPS, 1 - EPS)
            losses[t] = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    return losses


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["started_at", "interaction_id"], kind="stable").reset_index(drop=True)


def dask_fit(
    folder: Path, address: str, work: Path, params: dict | None = None, rows=ROWS_PER_PART
):
    """Fit on the cluster: (FitResult, calibrator, its evidence, test rows, summary, seconds).

    As on one machine: the train-only model picks the tree count and the calibration map
    on the validation part, and the shipped model is refitted on train + validation.
    """
    import dask.dataframe as dd

    started = time.perf_counter()
    paths = {t: write_parquet_parts(_source(folder, t), work / t, t, rows) for t in VALIDATORS}
    with dask_client(address) as client:
        interactions = dd.read_parquet(str(paths["interactions"]))
        outcomes = dd.read_parquet(str(paths["outcomes"]))
        outcomes = outcomes[[c for c in LABEL_OUTCOME_COLUMNS if c in outcomes.columns]]
        merged = interactions.merge(outcomes, on="interaction_id", how="left")
        labelled = merged.map_partitions(_label_partition).persist()
        times = labelled["started_at"].compute()
        if len(times) == 0:
            raise DatasetError("no labelled interactions")
        cutoffs = time_cutoffs(times)
        labelled = labelled.assign(
            split=labelled["started_at"].map_partitions(
                assign_split, cutoffs, meta=("split", object)
            )
        ).persist()
        digest = fingerprint(labelled.map_partitions(row_hashes, meta=(None, "u8")).compute())
        summary = _summary(labelled, digest)
        train = _on_cluster(labelled[labelled["split"] == "train"])
        valid = _sorted(labelled[labelled["split"] == "valid"].compute())
        test = _sorted(labelled[labelled["split"] == "test"].compute())
        prepared = time.perf_counter()
        fit_params = {
            **PARAMS,
            "min_data_in_leaf": min_leaf_rows(summary["train"]["rows"]),
            **(params or {}),
        }
        first, _ = _fit_on_cluster(client, train, fit_params, DASK_MAX_ROUNDS)
        X_valid, y_valid = feature_matrix(valid), valid[LABEL].to_numpy(float)
        curve = validation_curve(first, X_valid, y_valid)
        best = int(np.argmin(curve)) + 1
        selection = truncate(first, best)
        calibrator, evidence = choose_calibrator(predict_raw(selection, X_valid), y_valid)
        n_refit = summary["train"]["rows"] + summary["valid"]["rows"]
        refit_params = {**fit_params, "min_data_in_leaf": min_leaf_rows(n_refit)}
        rounds = refit_rounds(best, summary["train"]["rows"], n_refit)
        booster, machines = _fit_on_cluster(
            client, _on_cluster(labelled[labelled["split"] != "test"]), refit_params, rounds
        )
    fit = FitResult(
        booster,
        refit_params,
        best,
        time.perf_counter() - prepared,
        {"binary_logloss": curve.tolist()},
        selection,
        rounds,
        machines,
    )
    seconds = {"prepare": prepared - started, "fit": fit.seconds}
    return fit, calibrator, evidence, test, summary, seconds


def _on_cluster(rows):
    """Rows kept in the workers' memory, without empty partitions (LightGBM needs data)."""
    return _non_empty(rows, rows.map_partitions(len).compute().tolist()).persist()


def _fit_on_cluster(client, rows, params: dict, rounds: int) -> tuple[lgb.Booster, int]:
    """The booster, and how many workers held training rows (LightGBM's machines)."""
    from lightgbm.dask import DaskLGBMClassifier

    settings = {k: v for k, v in params.items() if k not in ("metric", "num_threads")}
    model = DaskLGBMClassifier(client=client, n_estimators=rounds, **settings)
    meta = pd.DataFrame({name: pd.Series(dtype=float) for name in FEATURE_NAMES})
    model.fit(
        rows.map_partitions(_features_partition, meta=meta),
        rows[LABEL],
        categorical_feature=list(CATEGORICAL_INDICES),
    )
    holders = {worker for keys in client.who_has(rows).values() for worker in keys}
    return model.booster_, len(holders)


def _summary(labelled, digest: str) -> dict:
    """Rows, success rate and time window per split, as TrainingSet.summary gives them."""
    counts = labelled.groupby("split")[LABEL].agg(["size", "mean"]).compute()
    window = labelled.groupby("split")["started_at"].agg(["min", "max"]).compute()
    out = {"fingerprint": digest, "rows": int(counts["size"].sum())}
    for split in SPLITS:
        have = split in counts.index
        out[split] = {
            "rows": int(counts.loc[split, "size"]) if have else 0,
            "success_rate": float(counts.loc[split, "mean"]) if have else float("nan"),
            "from": str(window.loc[split, "min"]) if have else None,
            "to": str(window.loc[split, "max"]) if have else None,
        }
    return out


def dask_candidate(
    folder, address: str, truth=None, bands=(0.35, 0.55), params=None, rows=ROWS_PER_PART
):
    """Fit on Dask, then calibrate and evaluate exactly as the single-machine path does."""
    from training.candidate import finish_candidate

    folder = Path(folder)
    if address == "local":
        with tempfile.TemporaryDirectory(prefix="va-dask-") as work:
            result = dask_fit(folder, address, Path(work), params, rows)
    else:  # a remote cluster must read the parts: write them beside the (shared) input
        try:
            result = dask_fit(folder, address, folder / REMOTE_PARTS_DIR, params, rows)
        finally:
            shutil.rmtree(folder / REMOTE_PARTS_DIR, ignore_errors=True)
    fit, calibrator, evidence, test, summary, seconds = result
    return finish_candidate(fit, calibrator, evidence, test, summary, truth, bands, seconds)
