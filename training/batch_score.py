"""Score a customer base for proactive outreach: openness and the best activity per row.

The rows are import-format interaction columns (a proactive contact has no transcript
yet; missing columns count as missing values, as in serving). The output is the input's
rows and columns unchanged, plus `openness` (the best of the five probabilities), its
band, `best_activity` (the card type to open with) and `p_<activity>` for each activity.
On Dask, each partition is scored by the same function with the model sent once.
"""

import hashlib
import tempfile
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


def score_rows(frame: pd.DataFrame, files: ModelFiles, bands=(0.35, 0.55)) -> pd.DataFrame:
    """The rows with the output columns added (the input columns are left as they are).

    The same code as the registered pyfunc's answer without an `activity` column
    (models.pyfunc.openness_frame), after the same input checks.
    """
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
    return out


def _payload(files: ModelFiles) -> tuple[str, dict, dict, object]:
    return files.booster.model_to_string(), files.spec, files.calibrator.to_dict(), files.text_model


def _score_partition(frame: pd.DataFrame, payload, bands) -> pd.DataFrame:
    """Rebuild the model once per worker process (keyed by its text), then score."""
    model_text, spec, calibration, text_model = payload
    key = hashlib.sha256(model_text.encode()).hexdigest()
    if key not in _WORKER_MODELS:
        _WORKER_MODELS[key] = ModelFiles(
            lgb.Booster(model_str=model_text), spec, Calibrator.from_dict(calibration), text_model
        )
    return score_rows(frame, _WORKER_MODELS[key], bands)


def score_file(
    input_path: Path,
    output_path: Path,
    files: ModelFiles,
    dask: str | None = None,
    bands=(0.35, 0.55),
) -> int:
    """Score a CSV/Parquet file into another (by extension); returns the rows scored."""
    input_path, output_path = Path(input_path), Path(output_path)
    if not dask:
        try:
            frame = read_table(input_path)
        except TableFormatError as exc:
            raise BatchScoreError(str(exc)) from exc
        write_table(score_rows(frame, files, bands), output_path)
        return len(frame)
    return _score_on_dask(input_path, output_path, files, dask, bands)


def _score_on_dask(input_path, output_path, files, address, bands) -> int:
    import dask.dataframe as dd
    from dask import delayed

    from training.dask_train import ROWS_PER_PART, dask_client

    if not input_path.exists():
        raise BatchScoreError(f"{input_path}: no such file")
    with tempfile.TemporaryDirectory(prefix="va-score-") as work, dask_client(address):
        if input_path.is_dir() or input_path.suffix.lower() in PARQUET_SUFFIXES:
            frame = dd.read_parquet(str(input_path))
        else:  # quoted transcripts span lines, so split the CSV by rows, not by bytes
            for k, chunk in enumerate(
                pd.read_csv(
                    input_path,
                    dtype=str,
                    keep_default_na=False,
                    na_filter=False,
                    chunksize=ROWS_PER_PART,
                )
            ):
                chunk.to_parquet(Path(work) / f"part-{k:05d}.parquet", index=False)
            frame = dd.read_parquet(work)
        payload = delayed(_payload(files), pure=True)  # one task: sent once, not per partition
        meta = score_rows(frame._meta, files, bands)
        scored = frame.map_partitions(_score_partition, payload, bands, meta=meta)
        if output_path.suffix.lower() in PARQUET_SUFFIXES:
            scored.to_parquet(str(output_path), write_index=False)
        else:
            output_path.parent.mkdir(parents=True, exist_ok=True)
            scored.to_csv(str(output_path), single_file=True, index=False, encoding="utf-8")
        return int(frame.map_partitions(len).sum().compute())
