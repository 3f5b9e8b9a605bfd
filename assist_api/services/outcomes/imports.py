"""`value-assist import`: validate interaction, outcome and customer files, then load them.

By default the load is all-or-nothing: one bad row anywhere means nothing is written and
every problem is reported. With `skip_invalid`, good rows load and the rejects are written
beside the input with their reasons. Re-importing an interaction updates it in place.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import select

from assist_api.privacy.redact import redact
from assist_api.services.customers.profile_import import profile_records, upsert_profiles
from assist_api.services.outcomes.events import apply_outcome_events
from assist_api.store.bulk import bulk_insert, bulk_update
from assist_api.store.store import Store
from assist_api.store.tables import Interaction
from features.columns import INTERACTION_COLUMN_NAMES, OUTCOME_FIELDS
from training.table_io import read_table, write_table
from training.validation import (
    RowProblem,
    ValidationResult,
    validate_customers,
    validate_interactions,
)
from training.validation import validate_outcomes as validate_outcome_rows

CHUNK = 500


@dataclass
class FileReport:
    path: str
    rows: int
    loaded: int = 0
    inserted: int = 0
    updated: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    rejects_path: str | None = None


@dataclass
class ImportReport:
    interactions: FileReport | None
    outcomes: FileReport | None
    committed: bool
    customers: FileReport | None = None

    @property
    def files(self) -> tuple[FileReport, ...]:
        return tuple(r for r in (self.interactions, self.outcomes, self.customers) if r)

    @property
    def problems(self) -> list[tuple[str, RowProblem]]:
        return [
            (report.path, problem) for report in self.files if report for problem in report.problems
        ]


def import_files(
    store: Store,
    interactions_path: Path | None,
    outcomes_path: Path | None = None,
    *,
    skip_invalid: bool = False,
    customers_path: Path | None = None,
) -> ImportReport:
    """Validate every file completely, then load them in one transaction (or not at all).

    `customers_path`: CRM profiles (customer_id, as_of and the customer columns), kept
    as point-in-time versions (assist_api.services.customers.profile_import)."""
    now = datetime.now(UTC)
    inter_report = inter_result = out_report = out_result = cust_report = cust_result = None
    if interactions_path is not None:
        raw = read_table(interactions_path)
        inter_result = validate_interactions(raw)
        inter_report = FileReport(str(interactions_path), len(raw), problems=inter_result.problems)
    if customers_path is not None:
        raw_customers = read_table(customers_path)
        cust_result = validate_customers(raw_customers)
        cust_report = FileReport(
            str(customers_path), len(raw_customers), problems=cust_result.problems
        )
    with store.uow() as uow:
        if outcomes_path is not None:
            raw_outcomes = read_table(outcomes_path)
            out_result = validate_outcome_rows(raw_outcomes)
            _flag_unknown_interactions(uow.session, out_result, inter_result)
            out_report = FileReport(
                str(outcomes_path), len(raw_outcomes), problems=out_result.problems
            )
        results = [r for r in (inter_result, out_result, cust_result) if r is not None]
        blocking = any(r.file_problems for r in results) or (
            not skip_invalid and any(r.problems for r in results)
        )
        if blocking:
            return ImportReport(inter_report, out_report, committed=False, customers=cust_report)
        if cust_result is not None:
            records = profile_records(cust_result.rows)
            cust_report.inserted, cust_report.updated = upsert_profiles(uow.session, records, now)
            cust_report.loaded = len(records)
        if inter_result is not None:
            inter_report.inserted, inter_report.updated = _upsert_interactions(
                uow.session, inter_result.rows, now
            )
            inter_report.loaded = len(inter_result.rows)
        if out_result is not None:
            events = _outcome_events(out_result.rows)
            apply_outcome_events(uow.session, events, source="import", now=now)
            out_report.loaded = len(out_result.rows)
        uow.commit()
    if skip_invalid:
        _write_rejects(interactions_path, inter_report)
        _write_rejects(outcomes_path, out_report)
        _write_rejects(customers_path, cust_report)
    return ImportReport(inter_report, out_report, committed=True, customers=cust_report)


def _flag_unknown_interactions(session, outcomes: ValidationResult, interactions) -> None:
    """An outcome must belong to an interaction in the store or in the same import."""
    if outcomes.rows.empty:
        return
    wanted = set(outcomes.rows["interaction_id"])
    if interactions is not None:
        wanted -= set(interactions.rows["interaction_id"])
    missing = wanted - _existing_ids(session, sorted(wanted))
    unknown = outcomes.rows[outcomes.rows["interaction_id"].isin(missing)]
    outcomes.reject(
        "interaction_id",
        {
            int(row): f"no interaction {interaction_id!r} is known"
            for row, interaction_id in zip(unknown["_row"], unknown["interaction_id"], strict=True)
        },
    )


def _existing_ids(session, ids: list[str]) -> set[str]:
    found = set()
    for start in range(0, len(ids), CHUNK):
        found.update(
            session.scalars(
                select(Interaction.interaction_id).where(
                    Interaction.interaction_id.in_(ids[start : start + CHUNK])
                )
            )
        )
    return found


def _upsert_interactions(session, rows: pd.DataFrame, now: datetime) -> tuple[int, int]:
    records = _records(rows[list(INTERACTION_COLUMN_NAMES)])
    for record in records:
        record["transcript"] = redact(record["transcript"])  # personal data is never stored
        record["updated_at"] = now
    existing = _existing_ids(session, [r["interaction_id"] for r in records])
    inserts = [r for r in records if r["interaction_id"] not in existing]
    updates = [r for r in records if r["interaction_id"] in existing]
    bulk_insert(session, Interaction, inserts)
    bulk_update(session, Interaction, updates, key="interaction_id")
    return len(inserts), len(updates)


def _outcome_events(rows: pd.DataFrame) -> list[dict]:
    present = [c for c in ("interaction_id", *OUTCOME_FIELDS) if c in rows.columns]
    return [
        {k: v for k, v in record.items() if v is not None} for record in _records(rows[present])
    ]


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain Python values, with None for missing (pandas NA/NaT)."""
    cleaned = frame.astype(object).where(frame.notna(), None)
    records = cleaned.to_dict("records")
    for record in records:
        for key, value in record.items():
            if isinstance(value, pd.Timestamp):
                record[key] = value.to_pydatetime()
    return records


def _write_rejects(source: Path | None, report: FileReport | None) -> None:
    if source is None or report is None or not report.problems:
        return
    raw = read_table(source)
    reasons: dict[int, list[str]] = {}
    for problem in report.problems:
        reasons.setdefault(problem.row, []).append(f"{problem.column}: {problem.reason}")
    rows = sorted(reasons)
    rejected = raw.iloc[[row - 1 for row in rows]].copy()
    rejected.insert(0, "_row", rows)
    rejected.insert(1, "_problems", ["; ".join(reasons[row]) for row in rows])
    target = Path(source).with_name(Path(source).stem + ".rejects.csv")
    report.rejects_path = str(write_table(rejected, target))
