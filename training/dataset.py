"""The training set: labelled interactions, split by time, with a fingerprint.

A row is an interaction on which an agent attempted a value-enhancement activity and the
customer answered both VES items; its label is VE success (both items >= 5). The split is
by time — the model is trained on the past and judged on the future, as it will be used —
with cut-offs on `started_at` so the single-machine and the Dask paths split identically.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from features.columns import INTERACTION_COLUMNS, OUTCOME_COLUMNS
from features.vocabulary import ACTIVITIES, VES_SUCCESS_THRESHOLD
from training.table_io import PARQUET_SUFFIXES, read_table
from training.validation import validate_interactions, validate_outcomes

SPLIT_FRACTIONS = (0.6, 0.2, 0.2)  # train, validation, test — in time order
SPLITS = ("train", "valid", "test")
LABEL = "label"
ACTIVITY = "activity"
LABEL_OUTCOME_COLUMNS = ("interaction_id", "card_id_used", "ves_confidence", "ves_ability")
_KINDS = {c.name: c.kind for c in (*INTERACTION_COLUMNS, *OUTCOME_COLUMNS)}


class DatasetError(ValueError):
    """The data cannot make a training set (no labelled rows, missing files...)."""


@dataclass
class TrainingSet:
    """Labelled rows in time order, the split of each row, and what identifies the data."""

    rows: pd.DataFrame  # import-format interaction columns + activity + label + split
    cutoffs: tuple[pd.Timestamp, pd.Timestamp]  # first valid time, first test time
    fingerprint: str
    skipped_rows: int = 0  # invalid input rows left out

    def part(self, split: str) -> pd.DataFrame:
        return self.rows[self.rows["split"] == split].reset_index(drop=True)

    def summary(self) -> dict:
        """Row counts, success rates and the time window of each split (for the model card)."""
        out = {"fingerprint": self.fingerprint, "rows": len(self.rows)}
        for split in SPLITS:
            part = self.rows[self.rows["split"] == split]
            out[split] = {
                "rows": int(len(part)),
                "success_rate": float(part[LABEL].mean()) if len(part) else float("nan"),
                "from": str(part["started_at"].min()) if len(part) else None,
                "to": str(part["started_at"].max()) if len(part) else None,
            }
        return out


def normalise_types(frame: pd.DataFrame) -> pd.DataFrame:
    """Plain numpy dtypes: numbers float64 (NaN missing), text object (None missing).

    Validated frames use pandas' nullable types; features and LightGBM want plain ones,
    and the fingerprint must not depend on which reader produced the frame.
    """
    out = {}
    for name in frame.columns:
        kind = _KINDS.get(name)
        series = frame[name]
        if kind in ("int", "float"):
            out[name] = pd.to_numeric(series, errors="coerce").astype("float64")
        elif kind == "bool":
            out[name] = series.astype("boolean").fillna(False).astype(bool)
        elif kind == "datetime":
            out[name] = pd.to_datetime(series, utc=True, format="ISO8601")
        elif kind in ("str", "enum"):
            values = series.astype(object)
            out[name] = values.where(series.notna() & (series.astype(object) != ""), None)
        else:
            out[name] = series
    return pd.DataFrame(out, index=frame.index)


def read_import_dir(folder: Path | str) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """(interactions, outcomes, invalid rows skipped) from import-format files in `folder`."""
    folder = Path(folder)
    frames, skipped = [], 0
    for stem, validate in (
        ("interactions", validate_interactions),
        ("outcomes", validate_outcomes),
    ):
        path = find_table(folder, stem)
        result = validate(read_table(path))
        if result.file_problems:
            raise DatasetError(f"{path}: {'; '.join(map(str, result.file_problems))}")
        skipped += len({p.row for p in result.problems})
        frames.append(normalise_types(result.rows.drop(columns="_row")))
    return frames[0], frames[1], skipped


def find_table(folder: Path, stem: str) -> Path:
    for suffix in (".csv", *PARQUET_SUFFIXES):
        if (folder / f"{stem}{suffix}").is_file():
            return folder / f"{stem}{suffix}"
    raise DatasetError(f"{folder}: no {stem}.csv or {stem}.parquet")


def read_truth(folder: Path | str) -> pd.DataFrame | None:
    """The simulator's truth beside the data, if any (evaluation only, never training)."""
    path = Path(folder) / "truth.csv"
    return pd.read_csv(path) if path.is_file() else None


def attempted_activity(activity_attempted: pd.Series, card_id_used: pd.Series) -> pd.Series:
    """The activity attempted: the logged one, else the prefix of the card used (`a.slug`)."""
    from_card = card_id_used.astype(object).where(card_id_used.notna(), None)
    from_card = from_card.map(lambda c: c.split(".", 1)[0] if isinstance(c, str) else None)
    chosen = activity_attempted.astype(object).where(activity_attempted.notna(), from_card)
    return chosen.where(chosen.isin(ACTIVITIES), None)


def attach_labels(merged: pd.DataFrame) -> pd.DataFrame:
    """Interactions joined to their outcomes -> labelled rows (works on any partition).

    Keeps rows with an attempted activity and both VES items answered; adds `activity` and
    `label` and drops the outcome columns so a row is exactly what serving would see.
    """
    activity = attempted_activity(merged["activity_attempted"], merged["card_id_used"])
    confidence = pd.to_numeric(merged["ves_confidence"], errors="coerce")
    ability = pd.to_numeric(merged["ves_ability"], errors="coerce")
    keep = activity.notna() & confidence.notna() & ability.notna()
    rows = merged.loc[keep].drop(columns=[c for c in LABEL_OUTCOME_COLUMNS[1:] if c in merged])
    rows[ACTIVITY] = activity[keep].astype(object)
    success = (confidence[keep] >= VES_SUCCESS_THRESHOLD) & (ability[keep] >= VES_SUCCESS_THRESHOLD)
    rows[LABEL] = success.astype("int8")
    return rows


def join_outcomes(interactions: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    present = [c for c in LABEL_OUTCOME_COLUMNS if c in outcomes.columns]
    merged = interactions.merge(outcomes[present], on="interaction_id", how="left")
    for column in LABEL_OUTCOME_COLUMNS[1:]:
        if column not in merged:
            merged[column] = None if column == "card_id_used" else np.nan
    return merged


def time_cutoffs(started_at, fractions=SPLIT_FRACTIONS) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first `started_at` of the validation part and of the test part."""
    times = pd.to_datetime(pd.Series(started_at), utc=True).sort_values(ignore_index=True)
    if len(times) < 10:
        raise DatasetError(f"only {len(times)} labelled interactions; need at least 10")
    first_valid = times.iloc[int(len(times) * fractions[0])]
    first_test = times.iloc[int(len(times) * (fractions[0] + fractions[1]))]
    if first_test <= first_valid:
        raise DatasetError("the data spans too little time to split into train/valid/test")
    return pd.Timestamp(first_valid), pd.Timestamp(first_test)


def assign_split(started_at: pd.Series, cutoffs) -> np.ndarray:
    values = pd.to_datetime(started_at, utc=True)
    return np.where(
        values < cutoffs[0], "train", np.where(values < cutoffs[1], "valid", "test")
    ).astype(object)


def row_hashes(rows: pd.DataFrame) -> np.ndarray:
    """One uint64 per row over what the model learns from: inputs, activity and label.

    `activity_attempted` is left out (it is folded into `activity`, which the store may
    fill from the card used), and text is hashed as plain objects whatever its dtype.
    """
    columns = sorted(
        c
        for c in rows.columns
        if (c in _KINDS and c != "activity_attempted") or c in (ACTIVITY, LABEL)
    )
    view = rows[columns].copy()
    for name in columns:
        if name == "started_at":
            view[name] = view[name].dt.as_unit("us").astype("int64")
        elif _KINDS.get(name) in ("str", "enum") or name == ACTIVITY:
            view[name] = view[name].astype(object).where(view[name].notna(), None)
    return pd.util.hash_pandas_object(view, index=False).to_numpy()


def fingerprint(hashes: np.ndarray) -> str:
    """sha256 of the sorted row hashes: the same data gives the same print in any order."""
    return hashlib.sha256(np.sort(np.asarray(hashes, np.uint64)).tobytes()).hexdigest()[:16]


def build_training_set(
    interactions: pd.DataFrame, outcomes: pd.DataFrame, skipped_rows: int = 0
) -> TrainingSet:
    """Label, order by time, split and fingerprint (typed import-format frames in)."""
    labelled = attach_labels(join_outcomes(interactions, outcomes))
    if labelled.empty:
        raise DatasetError(
            "no labelled interactions: need an attempted activity and both VES answers"
        )
    labelled = labelled.sort_values(["started_at", "interaction_id"], kind="stable")
    labelled = labelled.reset_index(drop=True)
    cutoffs = time_cutoffs(labelled["started_at"])
    labelled["split"] = assign_split(labelled["started_at"], cutoffs)
    return TrainingSet(labelled, cutoffs, fingerprint(row_hashes(labelled)), skipped_rows)
