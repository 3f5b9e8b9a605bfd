"""`value-assist models evaluate-policy`: one model's top-card policy, valued off-policy.

Uses the service's logged decisions when there are any in the period (logged
propensities); otherwise the imported history with estimated propensities. The report is
a plain dict (CONTRACT.md keys: `policy`, `logged`, `estimates`, `ess`, `n_decisions`,
`propensities`), with the champion's estimate beside it when another model is evaluated.
"""

from collections.abc import Callable
from datetime import datetime

from assist_api.services.learning.estimated import evaluate_imported
from assist_api.services.learning.evaluation import POLICIES, evaluate_policy
from assist_api.services.learning.logged import logged_decisions
from assist_api.services.outcomes.training_data import load_import_frames
from assist_api.store.store import Store
from models.artifacts import ModelFiles
from models.pyfunc import score_activities, score_matrix

LOGGED, ESTIMATED = "logged", "estimated"


def _matrix_scorer(files: ModelFiles) -> Callable:
    return lambda matrix: score_matrix(files, matrix)


def _value(store, files, policy_name, start, end, min_ess, decisions) -> dict:
    policy = POLICIES[policy_name]
    if decisions:
        result = evaluate_policy(decisions, policy, _matrix_scorer(files), min_ess=min_ess)
        result["propensities"] = LOGGED
        return result
    interactions, outcomes = load_import_frames(store)
    if start is not None or end is not None:
        times = interactions["started_at"]
        keep = (times >= start if start else True) & (times < end if end else True)
        interactions = interactions[keep]
    result = evaluate_imported(
        interactions,
        outcomes,
        policy,
        lambda rows: score_activities(files, rows),
        min_ess=min_ess,
    )
    result["propensities"] = ESTIMATED
    return result


def evaluate_model_policy(
    store: Store,
    model: tuple[ModelFiles, str],
    champion: tuple[ModelFiles, str] | None,
    *,
    policy_name: str = "greedy",
    start: datetime | None = None,
    end: datetime | None = None,
    min_ess: float = 30.0,
) -> dict:
    """The report for `model` = (files, label); raises ope.ThinSupport when support is thin."""
    decisions = logged_decisions(store, start=start, end=end)
    files, label = model
    report = _value(store, files, policy_name, start, end, min_ess, decisions)
    report["policy"] = {"name": policy_name, "model": label}
    if champion is not None and champion[1] != label:
        other = _value(store, champion[0], policy_name, start, end, min_ess, decisions)
        report["champion"] = {"model": champion[1], "estimates": other["estimates"]}
    return report


def render_text(report: dict) -> list[str]:
    logged = report["logged"]
    lines = [
        f"policy: {report['policy']['name']} top card of {report['policy']['model']}",
        f"decisions: {report['n_decisions']} (propensities {report['propensities']}), "
        f"effective sample size {report['ess']:.0f}",
        f"logged policy's VE success: {logged['value']:.4f} "
        f"(95 % CI {logged['ci95'][0]:.4f}-{logged['ci95'][1]:.4f})",
    ]
    for name, estimate in report["estimates"].items():
        low, high = estimate["ci95"]
        line = f"  {name:<5} {estimate['value']:.4f} (95 % CI {low:.4f}-{high:.4f})"
        if "champion" in report:
            line += f"   champion {report['champion']['estimates'][name]['value']:.4f}"
        lines.append(line)
    return lines
