"""The segments report: which customers are most open to value enhancement (step 1).

For each segment — time since purchase, persona, contact reason, channel, and each pair
of them — it shows how often VE succeeds when offered vs in the holdout (the lift, with
its interval), how often it succeeds when an agent actually tries (observed openness),
the model's mean openness score where the service scored the contacts, and the
opportunity: segment size x lift, the extra VE successes offering cards there brings.
Lifts are per contact with customer-clustered intervals (reports.clustered). With ~300
segments, raw point estimates would rank noise: segments are ranked by the opportunity of
their *shrunk* lift (empirical Bayes towards the average lift, reports.multiplicity), each
with a Benjamini-Hochberg q-value over all ranked segments, so "distinguishable from zero"
holds at a 5 % false discovery rate. A segment needs enough survey answers in both groups
to be ranked at all (the minimum sample is shown), and a segment defined by a missing
value ("unknown" contact reason) is shown but not ranked.
"""

from datetime import UTC, datetime
from itertools import combinations

import numpy as np
import pandas as pd

from assist_api.reports.clustered import METHOD as CLUSTERED
from assist_api.reports.clustered import clustered_effect
from assist_api.reports.data import ReportQuery, load_frame, period_of
from assist_api.reports.effects import proportion
from assist_api.reports.multiplicity import BH, SHRINKAGE, benjamini_hochberg, shrink
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
    "Ranked by the shrunk lift's opportunity: each lift pulled towards the average in "
    "proportion to its noise; q-values are Benjamini-Hochberg over the ranked segments.",
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
    ranked = sorted(_shrunk(rankable), key=lambda row: row["shrunk_opportunity"], reverse=True)
    return {
        "report": "segments",
        "generated_at": now.astimezone(UTC).isoformat(),
        "period": period_of(frame, query),
        "filters": dict(query.filters),
        "interactions": int(len(frame)),
        "by": tables,
        "ranked": ranked[:RANKED_SHOWN],
        "min_respondents_per_group": MIN_RESPONDENTS_PER_GROUP,
        "ranked_of": len(rankable),
        "methods": {"lift": CLUSTERED, "ranking": SHRINKAGE, "multiplicity": BH},
        "notes": list(NOTES),
    }


def _shrunk(rows: list[dict]) -> list[dict]:
    """Rows with shrunk lift, its interval, shrunk opportunity and BH q-value added."""
    lifts = np.array([row["ve_success"]["lift"] for row in rows], float)
    ses = np.array([row["ve_success"]["se"] or np.nan for row in rows], float)
    pooled = shrink(lifts, ses)
    q_values = benjamini_hochberg([row["ve_success"]["p_value"] for row in rows])
    out = []
    columns = (rows, pooled["shrunk"], pooled["shrunk_sd"], q_values)
    for row, value, sd, q in zip(*columns, strict=True):
        value = float(value) if np.isfinite(value) else float(row["ve_success"]["lift"])
        sd = float(sd) if np.isfinite(sd) else 0.0
        out.append(
            {
                **row,
                "shrunk_lift": round(value, 4),
                "shrunk_ci95": [round(value - 1.959964 * sd, 4), round(value + 1.959964 * sd, 4)],
                "shrunk_opportunity": round(row["n"] * value, 1),
                "q_value": None if q is None else round(q, 6),
                "distinguishable": q is not None and q < 0.05,
            }
        )
    return out


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
    customers = rows["customer_id"].to_numpy()
    lift = clustered_effect(
        success[~holdout], customers[~holdout], success[holdout], customers[holdout], "higher"
    )
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
