"""A plain summary of interactions + outcomes: the figures a VE programme is judged by.

Works from the import-format files alone (no simulator truth), so it describes real
imported data as well as a demo world. Accepts typed frames (as `simulate_world` returns)
or all-text frames (as `training.table_io.read_table` returns, "" for empty cells).
"""

import numpy as np
import pandas as pd

from features.vocabulary import SWITCHING_EFFORTS, VES_SUCCESS_THRESHOLD

MISSING_LABEL = "(empty)"
NO_ATTEMPT_LABEL = "(none)"
TRUE_WORDS = frozenset({"true", "1", "yes", "t", "y"})


def _present(series: pd.Series) -> pd.Series:
    """True where a cell holds a value (not NA, not an empty or blank string)."""
    return series.notna() & (series.astype("string").str.strip() != "").fillna(False)


def _as_bool(series: pd.Series) -> pd.Series:
    """Booleans from bool columns or from text such as true/false/1/0; unknown -> NA."""
    text = series.astype("string").str.strip().str.lower()
    return text.isin(TRUE_WORDS).astype("boolean").mask(~_present(series))


def _labels(series: pd.Series, empty: str) -> pd.Series:
    return series.astype("string").str.strip().where(_present(series), empty)


def ve_success(frame: pd.DataFrame) -> pd.Series:
    """Vectorised `features.vocabulary.is_ve_success`: NA until both VES items are known."""
    confidence = pd.to_numeric(frame["ves_confidence"], errors="coerce")
    ability = pd.to_numeric(frame["ves_ability"], errors="coerce")
    success = (confidence >= VES_SUCCESS_THRESHOLD) & (ability >= VES_SUCCESS_THRESHOLD)
    return success.astype("boolean").mask(confidence.isna() | ability.isna())


def _rate(flags: pd.Series) -> dict:
    """{"rate": share of True among known values, "n": how many were known}."""
    known = flags.dropna()
    return {"rate": float(known.mean()) if len(known) else None, "n": int(len(known))}


def _rates_by(flags: pd.Series, groups: pd.Series) -> dict:
    return {str(key): _rate(flags[groups == key]) for key in sorted(groups.unique())}


def _where(flags: pd.Series, value: bool) -> pd.Series:
    """Plain bool mask: rows whose NA-aware flag is known and equals `value`."""
    return (flags if value else ~flags).fillna(False).astype(bool)


def _customers(frame: pd.DataFrame, success: pd.Series) -> pd.DataFrame:
    """Retention is a customer fact: one row per customer with their latest recorded
    retention, their switching effort, and VE success on any contact — known only when
    every one of their contacts answered the survey (else a success may be unseen)."""
    rows = pd.DataFrame(
        {
            "customer_id": frame["customer_id"].astype(str),
            "retained": _as_bool(frame["retained_60d"]).astype("float"),
            "success": success.astype("float"),
            "effort": _labels(frame["switching_effort"], MISSING_LABEL),
        }
    )
    groups = rows.groupby("customer_id", sort=False)
    answered_all = groups["success"].count() == groups.size()
    return pd.DataFrame(
        {
            "retained": groups["retained"].last().astype("boolean"),
            "success": groups["success"].max().astype("boolean").mask(~answered_all),
            "effort": groups["effort"].first(),
        }
    )


def _retention(retained: pd.Series, success: pd.Series, effort: pd.Series) -> dict:
    """Per switching effort: retention with and without VE success, and the gap."""
    table = {}
    for level in SWITCHING_EFFORTS:
        at_level = effort == level
        with_ve = _rate(retained[at_level & _where(success, True)])
        without = _rate(retained[at_level & _where(success, False)])
        lift = (
            None
            if with_ve["rate"] is None or without["rate"] is None
            else with_ve["rate"] - without["rate"]
        )
        table[level] = {"ve_success": with_ve, "no_success": without, "lift": lift}
    return table


def summarize_world(interactions: pd.DataFrame, outcomes: pd.DataFrame) -> dict:
    """Retention by switching effort x VE success, attempt shares, success by segment."""
    frame = interactions.merge(outcomes, on="interaction_id", how="left", suffixes=("", "_outcome"))
    success = ve_success(frame)
    holdout = _as_bool(frame["holdout"])
    attempted = _present(frame["activity_attempted"])
    by_arm = {"non_holdout": _where(holdout, False), "holdout": _where(holdout, True)}
    return {
        "interactions": int(len(frame)),
        "customers": int(frame["customer_id"].nunique()),
        "holdout_share": _rate(holdout)["rate"],
        "attempted_share": {arm: _rate(attempted[rows]) for arm, rows in by_arm.items()},
        "survey_response": float(success.notna().mean()) if len(frame) else None,
        "ve_success": {arm: _rate(success[rows]) for arm, rows in by_arm.items()},
        "retention": _retention(*_customer_columns(_customers(frame, success))),
        "success_by_activity": _rates_by(
            success, _labels(frame["activity_attempted"], NO_ATTEMPT_LABEL)
        ),
        "success_by_contact_reason": _rates_by(
            success, _labels(frame["contact_reason"], MISSING_LABEL)
        ),
        "channels": _counts(frame["channel"]),
        "languages": _counts(frame["language"]),
    }


def _customer_columns(customers: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    return customers["retained"], customers["success"], customers["effort"]


def _counts(series: pd.Series) -> dict:
    return {str(k): int(v) for k, v in _labels(series, MISSING_LABEL).value_counts().items()}


def _pct(value: float | None) -> str:
    return "   n/a" if value is None or np.isnan(value) else f"{100 * value:5.1f}%"


def _rate_lines(title: str, rates: dict) -> list[str]:
    lines = [title]
    lines += [f"  {key:<22}{_pct(r['rate'])}  (n={r['n']:,})" for key, r in rates.items()]
    return lines


def format_summary(summary: dict) -> str:
    """The summary as a short plain-text report (what `value-assist simulate --summary` prints)."""
    attempted, success = summary["attempted_share"], summary["ve_success"]
    lines = [
        f"interactions {summary['interactions']:,}  customers {summary['customers']:,}  "
        f"holdout {_pct(summary['holdout_share']).strip()}  "
        f"survey response {_pct(summary['survey_response']).strip()}",
        f"VE attempted: non-holdout {_pct(attempted['non_holdout']['rate']).strip()}, "
        f"holdout {_pct(attempted['holdout']['rate']).strip()}",
        f"VE success (surveyed): non-holdout {_pct(success['non_holdout']['rate']).strip()}, "
        f"holdout {_pct(success['holdout']['rate']).strip()}",
        "",
        "60-day retention per customer by switching effort (VE success on any contact, "
        "customers who answered every survey)",
        f"  {'effort':<8}{'VE success':>22}{'no success':>22}{'lift':>9}",
    ]
    for level, row in summary["retention"].items():
        cells = [
            f"{_pct(row[k]['rate'])} (n={row[k]['n']:,})" for k in ("ve_success", "no_success")
        ]
        lift = "n/a" if row["lift"] is None else f"{100 * row['lift']:+.1f} pt"
        lines.append(f"  {level:<8}{cells[0]:>22}{cells[1]:>22}{lift:>9}")
    lines += ["", *_rate_lines("VE success by activity attempted", summary["success_by_activity"])]
    lines += [
        "",
        *_rate_lines("VE success by contact reason", summary["success_by_contact_reason"]),
    ]
    for title in ("channels", "languages"):
        counts = "  ".join(f"{k} {v:,}" for k, v in summary[title].items())
        lines += ["", f"{title}: {counts}"]
    return "\n".join(lines)
