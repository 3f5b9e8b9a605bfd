"""A plan judged as declared: its primary measure, on its population, over its period.

A plan declares, before its period starts, one primary measure with the minimum effect
worth detecting, the population (filters fixed before the offer only — never `activity`,
which the offer itself changes), the period, and optional secondary targets. The verdict:

- is computed only on the declared population and period, read separately from whatever
  the viewer filtered (so a "met" can never come from a non-randomised subset);
- is withheld until the period has ended (so re-running until "met" gains nothing);
- judges the primary measure by its 95 % interval: an effect is claimed only if the whole
  interval lies on the better side of zero;
- judges secondary targets by one-sided tests against each target, Holm-corrected over the
  secondaries (reports.multiplicity), so five secondaries do not give five chances.

Every other view of the data is labelled exploratory.
"""

from datetime import date, datetime

from scipy.stats import norm

from assist_api.reports import stats
from assist_api.reports.multiplicity import HOLM, holm

POST_TREATMENT = ("activity",)
PRE_TREATMENT = (
    "channel",
    "contact_reason",
    "switching_effort",
    "pool",
    "persona",
    "plan_tier",
    "language",
)
EFFECT, HARM, NONE = "effect_detected", "harm_detected", "not_distinguishable_from_zero"
WITHHELD = "period_not_ended"
MET, NOT_MET, UNDECIDABLE = "met", "not_met", "undecidable"
MONEY = ("financial_return", "incremental_retained")


def is_declared_view(plan: dict, start: date | None, end: date | None, filters: dict) -> bool:
    """Whether a report's period and filters are exactly the plan's declared ones."""
    period = plan.get("period") or {}
    return (
        bool(period)
        and (start, end) == (day(period.get("from")), day(period.get("to")))
        and {k: v for k, v in filters.items() if v} == dict(plan.get("population") or {})
    )


def day(value) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    return date.fromisoformat(str(value)[:10])


def _figure(report: dict, measure: str) -> tuple[float | None, list | None, float | None]:
    """(estimate, ci95, standard error) of a plan measure in a built report."""
    if measure in MONEY:
        key = "return" if measure == "financial_return" else "incremental_retained"
        amount = report["financial"].get(key) or {}
        interval = amount.get("ci95")
        se = None if interval is None else (interval[1] - interval[0]) / (2 * stats.Z)
        return amount.get("value"), interval, se
    figure = report["effects"][measure]
    return figure["lift"], figure["ci95"], figure.get("se")


def _better_is_higher(measure: str, report: dict) -> bool:
    if measure in MONEY:
        return True
    return report["effects"][measure]["better"] == "higher"


def judge_primary(primary: dict, report: dict) -> dict:
    measure = primary["measure"]
    estimate, interval, _se = _figure(report, measure)
    verdict = {**primary, "estimate": estimate, "ci95": interval}
    if interval is None:
        return {**verdict, "status": NONE, "reason": "no_interval"}
    higher = _better_is_higher(measure, report)
    low, high = interval
    if (low > 0) if higher else (high < 0):
        return {**verdict, "status": EFFECT, "reason": "interval_on_better_side"}
    if (high < 0) if higher else (low > 0):
        return {**verdict, "status": HARM, "reason": "interval_on_worse_side"}
    return {**verdict, "status": NONE, "reason": "interval_includes_zero"}


def judge_secondaries(targets: list[dict], report: dict) -> list[dict]:
    """Each target: one-sided p-values for 'clears' and 'misses', Holm over the targets."""
    rows, clears, misses = [], [], []
    for target in targets:
        measure, goal = target["measure"], target["target"]
        direction = target.get("direction") or (
            "at_least" if _better_is_higher(measure, report) else "at_most"
        )
        estimate, interval, se = _figure(report, measure)
        rows.append({**target, "direction": direction, "estimate": estimate, "ci95": interval})
        if estimate is None or not se:
            clears.append(None)
            misses.append(None)
            continue
        z = (estimate - goal) / se if direction == "at_least" else (goal - estimate) / se
        clears.append(float(norm.sf(z)))
        misses.append(float(norm.cdf(z)))
    clears, misses = holm(clears), holm(misses)
    for row, p_clear, p_miss in zip(rows, clears, misses, strict=True):
        row["p_clears_holm"] = None if p_clear is None else round(p_clear, 6)
        row["p_misses_holm"] = None if p_miss is None else round(p_miss, 6)
        if p_clear is None:
            row["status"], row["reason"] = UNDECIDABLE, "no_interval"
        elif p_clear < 1 - stats.CONFIDENCE:
            row["status"], row["reason"] = MET, "clears_target_holm"
        elif p_miss < 1 - stats.CONFIDENCE:
            row["status"], row["reason"] = NOT_MET, "misses_target_holm"
        else:
            row["status"], row["reason"] = UNDECIDABLE, "not_distinguishable_from_target"
    return rows


def judge_declared(plan: dict, report: dict, now: datetime) -> dict:
    """The declared plan's verdict from `report`, built on its population and period."""
    period_end = day((plan.get("period") or {}).get("to"))
    customers = report.get("counts", {}).get("customers", 0)
    needed = (plan.get("power") or {}).get("customers_needed")
    base = {
        "primary": plan.get("primary"),
        "population": plan.get("population") or {},
        "period": plan.get("period"),
        "customers": customers,
        "customers_needed": needed,
        "sample_reached": None if needed is None else customers >= needed,
        "multiplicity": HOLM,
    }
    if period_end is None or now.date() <= period_end:
        return {**base, "status": WITHHELD, "secondary": []}
    primary = judge_primary(plan["primary"], report)
    return {
        **base,
        "status": primary["status"],
        "primary": primary,
        "secondary": judge_secondaries(plan.get("targets") or [], report),
    }
