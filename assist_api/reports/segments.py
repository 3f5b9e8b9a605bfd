"""The segments report: which customers are most open to value enhancement (step 1).

For each segment — time since purchase, persona, contact reason, channel, and each pair
of them — it shows how often VE succeeds when offered vs in the holdout (the lift, with
its interval), how often it succeeds when an agent actually tries (observed openness),
the model's mean openness score where the service scored the contacts, and the
opportunity: segment size x lift, the extra VE successes offering cards there brings.
Segments are ranked by that opportunity; a segment needs enough survey answers in both
groups to be ranked at all, so a tiny segment's lucky lift never tops the list, and a
segment defined by a missing value ("unknown" contact reason) is shown but not ranked.
"""

from datetime import UTC, datetime
from itertools import combinations

import numpy as np
import pandas as pd

from assist_api.reports.data import ReportQuery, load_frame
from assist_api.reports.effects import MEASURES, effect, proportion
from assist_api.reports.roi import SPLITS
from assist_api.store.store import Store
from features.segments import UNKNOWN

# Report name -> frame column, in the order DOMAIN.md lists the traits.
DIMENSIONS = {
    "days_since_purchase": "days_band",
    "persona": "persona",
    "contact_reason": "contact_reason",
    "channel": "channel",
}
MIN_RESPONDENTS_PER_GROUP = 20  # survey answers in each group before a segment is ranked
RANKED_SHOWN = 25
NOTES = (
    "Lift is offered vs holdout VE success among survey respondents; opportunity = "
    "contacts in the segment x lift, i.e. the extra VE successes if all were offered.",
    "Openness is the VE success rate of offered contacts where an agent attempted VE; "
    "score is the model's mean openness where the service scored the contacts.",
)


def segments_report(store: Store, query: ReportQuery, *, now: datetime) -> dict:
    return build_segments(load_frame(store, query), query, now=now)


def build_segments(frame: pd.DataFrame, query: ReportQuery, *, now: datetime) -> dict:
    tables = {name: _table(frame, [name]) for name in DIMENSIONS}
    pairs = [row for a, b in combinations(DIMENSIONS, 2) for row in _table(frame, [a, b])]
    singles = [row for rows in tables.values() for row in rows]
    rankable = [
        row
        for row in singles + pairs
        if row["rankable"] and UNKNOWN not in row["dimensions"].values()
    ]
    ranked = sorted(rankable, key=lambda row: row["opportunity"]["value"], reverse=True)
    return {
        "report": "segments",
        "generated_at": now.astimezone(UTC).isoformat(),
        "period": {
            "from": query.start.isoformat() if query.start else None,
            "to": query.end.isoformat() if query.end else None,
        },
        "filters": dict(query.filters),
        "interactions": int(len(frame)),
        "by": tables,
        "ranked": ranked[:RANKED_SHOWN],
        "min_respondents_per_group": MIN_RESPONDENTS_PER_GROUP,
        "notes": list(NOTES),
    }


def _order(name: str, frame: pd.DataFrame, column: str) -> list:
    """Bands in their own order (as the ROI report shows them), others largest first."""
    order = SPLITS.get(name, (None, None))[1]
    present = frame[column].value_counts().index
    return [v for v in order if v in set(present)] if order else list(present)


def _table(frame: pd.DataFrame, names: list[str]) -> list[dict]:
    columns = [DIMENSIONS[name] for name in names]
    groups = frame.groupby(columns, sort=False) if len(frame) else []
    rows = [
        _segment(dict(zip(names, key if isinstance(key, tuple) else (key,), strict=True)), g)
        for key, g in groups
    ]
    if len(names) == 1:
        position = {v: i for i, v in enumerate(_order(names[0], frame, columns[0]))}
        rows.sort(key=lambda row: position.get(row["dimensions"][names[0]], len(position)))
    return rows


def _segment(dimensions: dict, rows: pd.DataFrame) -> dict:
    holdout = rows["holdout"].to_numpy(bool)
    success = rows["ve_success"].to_numpy(float)
    lift = effect(success[~holdout], success[holdout], MEASURES["ve_success"])
    attempted = ~holdout & rows["activity"].notna().to_numpy()
    scores = rows["score"].to_numpy(float)
    n = int(len(rows))
    interval = lift["ci95"]
    return {
        "dimensions": {name: str(value) for name, value in dimensions.items()},
        "label": " & ".join(f"{name}={value}" for name, value in dimensions.items()),
        "n": n,
        "ve_success": lift,
        "openness": proportion(success[attempted]),
        "score_mean": None if np.isnan(scores).all() else round(float(np.nanmean(scores)), 4),
        "opportunity": {
            "value": None if lift["lift"] is None else round(n * lift["lift"], 1),
            "ci95": None if interval is None else [round(n * bound, 1) for bound in interval],
        },
        "rankable": min(lift["n_offered"], lift["n_holdout"]) >= MIN_RESPONDENTS_PER_GROUP,
    }
