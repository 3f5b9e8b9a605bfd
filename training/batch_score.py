"""Score a customer base for proactive outreach: openness and the best activity per row.

The rows are import-format interaction columns or customer profiles (a proactive contact
has no transcript yet; missing columns count as missing values, as in serving). With
`per_customer`, only each customer's latest row is scored (`latest_per_customer`). The
output is those rows with their columns unchanged, plus `openness` (the best of the five
probabilities), its band, `best_activity` (the card type to open with) and `p_<activity>`
for each activity — from the registered pyfunc's own scoring code — and whatever the
caller's `finish` adds (the service's outreach list adds the card and the control group).

On Dask every step runs on the workers: the input is split into Parquet parts where the
workers can read them (beside the input, or under any fsspec URL given as `work`), rows
are shuffled by customer so each customer's rows meet in one partition, and each partition
is scored by the same function with the model sent once. Nothing is collected to the
client but the row count.
"""

import hashlib
import tempfile
import uuid
import warnings
from collections.abc import Callable
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd

from models.artifacts import ModelFiles, load_fast_path
from models.calibration import Calibrator
from models.pyfunc import PROBABILITY_COLUMNS, openness_frame
from models.pyfunc_input import InputError, import_frame
from training.table_io import PARQUET_SUFFIXES, TableFormatError, read_table, write_table

OUTPUT_COLUMNS = ("openness", "openness_band", "best_activity", *PROBABILITY_COLUMNS)
_WORKER_MODELS: dict[str, ModelFiles] = {}  # per worker process: model text hash -> files
LATEST_BY = ("as_of", "started_at")  # a profile's version time, an interaction's time
PARTS_SUFFIX = ".parts"
# (scored rows, their (n, 5) probabilities) -> the rows with the caller's columns added
Finish = Callable[[pd.DataFrame, np.ndarray], pd.DataFrame]


class BatchScoreError(Exception):
    """The input cannot be scored, or there is no model to score it with."""


def load_model_files(tracking_uri: str, name: str, alias: str, version: str | None = None):
    """(files, label) of the given version, or of the alias' version (the champion)."""
    from mlflow.exceptions import MlflowException

    from models import registry

    client = registry.connect(tracking_uri)
    try:
        info = (
            registry.version_info(client, name, version)
            if version
            else registry.champion(client, name, alias)
        )
    except MlflowException as exc:
        raise BatchScoreError(f"{name} has no version {version!r}") from exc
    if info is None:
        raise BatchScoreError(f"{name} has no @{alias} yet: run `value-assist train --promote`")
    with tempfile.TemporaryDirectory() as folder:
        files = load_fast_path(registry.download_fast_path(client, info, Path(folder)))
    return files, f"version {info.version}"


def latest_per_customer(frame: pd.DataFrame) -> pd.DataFrame:
    """The latest row of each customer, by `as_of` (profiles) or `started_at`
    (interactions) in UTC; ties, and files with neither column: the customer's last row."""
    if "customer_id" not in frame.columns:
        raise BatchScoreError("customer_id: missing (one row per customer needs it)")
    order = [c for c in LATEST_BY if c in frame.columns][:1]
    if order and len(frame):
        times = pd.to_datetime(frame[order[0]], utc=True, errors="coerce", format="ISO8601")
        frame = frame.iloc[np.argsort(times.dt.tz_convert(None).to_numpy(), kind="stable")]
    return frame.drop_duplicates("customer_id", keep="last").sort_index()


def score_rows(
    frame: pd.DataFrame,
    files: ModelFiles,
    bands=(0.35, 0.55),
    finish: Finish | None = None,
    per_customer: bool = False,
) -> pd.DataFrame:
    """The rows (each customer's latest with `per_customer`) with the output columns added
    (the input columns are left as they are).

    The same code as the registered pyfunc's answer without an `activity` column
    (models.pyfunc.openness_frame), after the same input checks.
    """
    if per_customer:
        frame = latest_per_customer(frame)
    try:
        scored = openness_frame(
            files, import_frame(frame.drop(columns="activity", errors="ignore"))
        )
    except InputError as exc:
        raise BatchScoreError(str(exc)) from exc
    out = frame.copy()
    openness = scored["openness"].to_numpy(float)
    out["openness"] = np.round(openness, 5)
    out["openness_band"] = np.where(
        openness >= bands[1], "high", np.where(openness >= bands[0], "medium", "low")
    )
    out["best_activity"] = scored["best_activity"].to_numpy(object)
    for column in PROBABILITY_COLUMNS:
        out[column] = np.round(scored[column].to_numpy(float), 5)
    if finish is None:
        return out
    return finish(out, scored[list(PROBABILITY_COLUMNS)].to_numpy(float))


def _payload(files: ModelFiles) -> tuple[str, dict, dict, object]:
    return files.booster.model_to_string(), files.spec, files.calibrator.to_dict(), files.text_model


def _score_partition(frame: pd.DataFrame, payload, bands, finish, per_customer) -> pd.DataFrame:
    """Rebuild the model once per worker process (keyed by its text), then score."""
    model_text, spec, calibration, text_model = payload
    key = hashlib.sha256(model_text.encode()).hexdigest()
    if key not in _WORKER_MODELS:
        _WORKER_MODELS[key] = ModelFiles(
            lgb.Booster(model_str=model_text), spec, Calibrator.from_dict(calibration), text_model
        )
    return score_rows(frame, _WORKER_MODELS[key], bands, finish, per_customer)


def score_file(
    input_path: Path,
    output_path: Path,
    files: ModelFiles,
    dask: str | None = None,
    bands=(0.35, 0.55),
    finish: Finish | None = None,
    per_customer: bool = False,
    work: str | None = None,
) -> int:
    """Score a CSV/Parquet file into another (by extension); returns the rows written.

    `work`: where a Dask run writes the input's parts (a folder or fsspec URL the workers
    can read; default: beside the input), removed afterwards."""
    input_path, output_path = Path(input_path), Path(output_path)
    if not dask:
        try:
            frame = read_table(input_path)
        except TableFormatError as exc:
            raise BatchScoreError(str(exc)) from exc
        scored = score_rows(frame, files, bands, finish, per_customer)
        write_table(scored, output_path)
        return len(scored)
    return _score_on_dask(input_path, output_path, files, dask, bands, finish, per_customer, work)


def write_parts(input_path: Path, work: str) -> None:
    """The input as Parquet parts under `work` (quoted transcripts span lines, so a CSV is
    split by rows, streamed, not by bytes)."""
    import pyarrow.parquet as pq

    from training.dask_train import ROWS_PER_PART

    if input_path.suffix.lower() in PARQUET_SUFFIXES:
        batches = pq.ParquetFile(input_path).iter_batches(batch_size=ROWS_PER_PART)
        chunks = (batch.to_pandas() for batch in batches)
    else:
        chunks = pd.read_csv(
            input_path, dtype=str, keep_default_na=False, na_filter=False, chunksize=ROWS_PER_PART
        )
    for k, chunk in enumerate(chunks):
        chunk.to_parquet(f"{work.rstrip('/')}/part-{k:05d}.parquet", index=False)


def _score_on_dask(input_path, output_path, files, address, bands, finish, per_customer, work):
    import dask
    import dask.dataframe as dd
    import fsspec

    from training.dask_train import dask_client

    if not input_path.exists():
        raise BatchScoreError(f"{input_path}: no such file")
    ready = input_path.is_dir()  # a folder of Parquet parts is read where it is
    if not ready:
        base = (work or str(input_path.parent)).rstrip("/")
        # a folder of this run's own: never mixed with another run's parts
        work = f"{base}/{input_path.name}{PARTS_SUFFIX}-{uuid.uuid4().hex[:12]}"
        fs, root = fsspec.core.url_to_fs(work)
        fs.makedirs(root, exist_ok=True)
    try:
        with dask_client(address):
            if not ready:
                write_parts(input_path, work)
            frame = dd.read_parquet(str(input_path) if ready else work)
            if per_customer:  # each customer's rows in one partition
                frame = frame.shuffle("customer_id")
            payload = dask.delayed(_payload(files), pure=True)  # sent once, not per partition
            meta = score_rows(frame._meta, files, bands, finish)
            scored = frame.map_partitions(
                _score_partition, payload, bands, finish, per_customer, meta=meta
            )
            if output_path.suffix.lower() in PARQUET_SUFFIXES:
                written = scored.to_parquet(str(output_path), write_index=False, compute=False)
            else:
                output_path.parent.mkdir(parents=True, exist_ok=True)
                written = scored.to_csv(
                    str(output_path), single_file=True, index=False, encoding="utf-8", compute=False
                )
            with warnings.catch_warnings():  # the CSV writer is a delayed task: one graph
                warnings.filterwarnings("ignore", "Computing mixed collections", UserWarning)
                _, rows = dask.compute(written, scored.map_partitions(len).sum())
            return int(rows)
    finally:
        if not ready:
            fs.rm(root, recursive=True)
