"""Read and write import-format tables as CSV (UTF-8, header row) or Parquet, by extension."""

from pathlib import Path

import pandas as pd

PARQUET_SUFFIXES = (".parquet", ".pq")


class TableFormatError(ValueError):
    """The file cannot be read as a table at all (not a row-level problem)."""


def read_table(path: Path | str) -> pd.DataFrame:
    """The file's cells as strings (empty string for an empty cell), types checked later.

    Reading everything as text keeps transcripts byte-for-byte (no NA guessing on "NA"
    or "null") and lets validation name the row and column of every bad value.
    """
    path = Path(path)
    if not path.is_file():
        raise TableFormatError(f"{path}: no such file")
    try:
        if path.suffix.lower() in PARQUET_SUFFIXES:
            frame = pd.read_parquet(path)
            return frame.astype("string").fillna("")
        return pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8", na_filter=False
        )
    except (UnicodeDecodeError, pd.errors.ParserError, OSError, ValueError) as exc:
        raise TableFormatError(f"{path}: cannot be read as a table ({exc})") from exc


def write_table(frame: pd.DataFrame, path: Path | str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() in PARQUET_SUFFIXES:
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False, encoding="utf-8")
    return path
