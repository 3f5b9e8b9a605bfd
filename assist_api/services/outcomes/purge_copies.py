"""The copies a purge must reach besides the store's rows.

Deleting a transcript's row is not the end of it: the same text can sit in SQLite's
write-ahead log and free pages, in the Parquet export `train --dask` wrote for its
cluster, and in the spool's set-aside records. `forget_copies` takes each of those out
after the purge's transaction has committed. (The MLflow input example no longer holds
real rows at all: training.register.SYNTHETIC_EXAMPLE.)
"""

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from assist_api.services.decisions.spool import Spool

# `value-assist train --dask` exports the store's rows here for the cluster's workers.
EXPORT_PREFIX = "training_export"


@dataclass
class CopiesReport:
    exports_deleted: int
    rejected_files_deleted: int
    sqlite_compacted: bool


def forget_copies(
    engine: Engine, data_dir: Path, spool: Spool, cutoff: datetime, *, vacuum: bool = False
) -> CopiesReport:
    """Delete leftover training exports and set-aside spool records from before `cutoff`,
    and make SQLite drop deleted text from its log (and, with `vacuum`, rebuild the file)."""
    exports = [p for p in Path(data_dir).glob(f"{EXPORT_PREFIX}*") if p.is_dir()]
    for folder in exports:
        shutil.rmtree(folder, ignore_errors=True)
    rejected = spool.purge_rejected(cutoff.date())
    compacted = False
    if engine.dialect.name == "sqlite":
        # secure_delete already zeroed the freed pages in the database file; the log still
        # holds the pages as they were until a checkpoint copies them back and truncates it
        with engine.connect() as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            if vacuum:
                connection.exec_driver_sql("VACUUM")
                connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        compacted = True
    return CopiesReport(len(exports), rejected, compacted)
