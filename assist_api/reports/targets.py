"""Judging a period against the ROI plan's targets: met, not met, or not yet decidable.

A target is met only when the whole 95 % interval clears it, and missed only when the
whole interval falls short; anything in between — or a group smaller than the plan's
minimum sample — is "undecidable", so a lucky or unlucky week is never declared a result.
"""

from assist_api.reports.effects import MEASURES

MET, NOT_MET, UNDECIDABLE = "met", "not_met", "undecidable"
# Targets on money and customers (from the financial section) besides the lift measures.
FINANCIAL_MEASURES = ("financial_return", "incremental_retained")
PLAN_MEASURES = (*MEASURES, *FINANCIAL_MEASURES)
DIRECTIONS = ("at_least", "at_most")


def default_direction(measure: str) -> str:
    """at_least for what should rise; at_most for what should fall (effort, handle time)."""
    known = MEASURES.get(measure)
    return "at_most" if known and known.better == "lower" else "at_least"


def _figure(report: dict, measure: str) -> tuple[float | None, list | None, int]:
    """(estimate, ci95, smaller group's n) for a plan measure from a built report."""
    retention = report["effects"]["retained_60d"]
    smaller = min(retention["n_offered"], retention["n_holdout"])
    if measure == "financial_return":
        amount = report["financial"]["return"]
        return amount["value"], amount["ci95"], smaller
    if measure == "incremental_retained":
        amount = report["financial"]["incremental_retained"] or {}
        return amount.get("value"), amount.get("ci95"), smaller
    figure = report["effects"][measure]
    return figure["lift"], figure["ci95"], min(figure["n_offered"], figure["n_holdout"])


def judge(target: dict, report: dict, min_sample_per_arm: int) -> dict:
    measure, goal = target["measure"], target["target"]
    direction = target.get("direction") or default_direction(measure)
    estimate, interval, n = _figure(report, measure)
    verdict = {
        "measure": measure,
        "direction": direction,
        "target": goal,
        "estimate": estimate,
        "ci95": interval,
        "n_per_group": n,
        "min_sample_per_arm": min_sample_per_arm,
    }
    if n < min_sample_per_arm:
        return {**verdict, "status": UNDECIDABLE, "reason": "sample_too_small"}
    if estimate is None or interval is None:
        return {**verdict, "status": UNDECIDABLE, "reason": "no_interval"}
    low, high = interval
    clears = low >= goal if direction == "at_least" else high <= goal
    misses = high < goal if direction == "at_least" else low > goal
    if clears:
        return {**verdict, "status": MET, "reason": "interval_clears_target"}
    if misses:
        return {**verdict, "status": NOT_MET, "reason": "interval_misses_target"}
    return {**verdict, "status": UNDECIDABLE, "reason": "interval_straddles_target"}


def judge_plan(plan: dict | None, report: dict) -> dict | None:
    """The plan in force with each of its targets judged, or None without a plan."""
    if plan is None:
        return None
    minimum = plan.get("min_sample_per_arm") or 0
    return {
        **plan,
        "targets": [judge(target, report, minimum) for target in plan.get("targets") or ()],
    }
