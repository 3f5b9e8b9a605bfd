"""Capacity chosen on the data being trained on: a small, bounded hyper-parameter search.

Each contact centre's data is different: seven leaves suited the project's own two
worlds and extrapolated badly on one it had never seen (rarely tried activities). So the
tree shape, leaf size, learning rate, feature sampling and L2 penalty are chosen on the
time-ordered validation part (the later rows, as the model will be used), each candidate
early-stopped on it, by validation log loss.

Bounded and reproducible: the candidates come in an order fixed by SEED, the first is
the generic default (so the search can only pick something that did better on the same
rows), and the search stops after MAX_CANDIDATES or once the time budget is spent —
a faster machine only gets further down the same list. The table of every candidate is
returned for the MLflow run and the printed summary.
"""

import time
from dataclasses import dataclass, field

import numpy as np

from training.train import FitResult, fit_booster, min_leaf_rows

SEED = 20261202
MAX_CANDIDATES = 10
BUDGET_SECONDS = 15.0
# Patience while searching: enough to rank candidates, and a quarter cheaper than the
# final fit's (training.train.EARLY_STOPPING_ROUNDS) so more candidates fit the budget.
SEARCH_EARLY_STOPPING = 50
SPACE = {
    "num_leaves": (7, 15, 31, 63),
    "min_data_in_leaf": (20, 50, 100, 200, 400),
    "learning_rate": (0.05, 0.1),
    "feature_fraction": (0.6, 0.8, 1.0),
    "lambda_l2": (0.0, 1.0, 10.0, 30.0),
}
SEARCHED = tuple(SPACE)


@dataclass
class SearchResult:
    best: FitResult  # the chosen candidate, fitted on train, early-stopped on valid
    params: dict  # the chosen values of SEARCHED
    table: list[dict] = field(default_factory=list)  # one row per candidate, in order tried
    seconds: float = 0.0
    stopped_by: str = "candidates"  # "candidates" | "budget"


def candidates(n_train: int, count: int = MAX_CANDIDATES, seed: int = SEED) -> list[dict]:
    """The default first, then distinct draws from SPACE in a seeded order."""
    rng = np.random.default_rng(seed)
    first = {
        "num_leaves": 7,
        "min_data_in_leaf": min_leaf_rows(n_train),
        "learning_rate": 0.05,
        "feature_fraction": 0.8,
        "lambda_l2": 10.0,
    }
    out, seen = [first], {tuple(first.values())}
    for _ in range(200 * count):
        if len(out) >= count:
            break
        draw = {name: values[rng.integers(len(values))] for name, values in SPACE.items()}
        draw = {k: (float(v) if isinstance(v, float) else int(v)) for k, v in draw.items()}
        key = tuple(draw.values())
        if key not in seen:
            seen.add(key)
            out.append(draw)
    return out


def validation_log_loss(fit: FitResult) -> float:
    """The validation log loss at the early-stopped iteration."""
    curve = fit.curve.get("binary_logloss") or []
    return float(curve[fit.best_iteration - 1]) if curve else float("nan")


def search_capacity(
    X_train,
    y_train,
    X_valid,
    y_valid,
    base_params: dict | None = None,
    budget_seconds: float = BUDGET_SECONDS,
    max_candidates: int = MAX_CANDIDATES,
) -> SearchResult:
    """Try candidates in order until the budget is spent; keep the best by valid log loss."""
    started = time.perf_counter()
    best, best_loss, best_params, best_k, table = None, np.inf, {}, -1, []
    stopped_by = "candidates"
    for k, params in enumerate(candidates(len(y_train), max_candidates)):
        if k >= 2 and time.perf_counter() - started > budget_seconds:
            stopped_by = "budget"
            break
        tried = time.perf_counter()
        fit = fit_booster(
            X_train,
            y_train,
            X_valid,
            y_valid,
            {**(base_params or {}), **params},
            early_stopping_rounds=SEARCH_EARLY_STOPPING,
        )
        loss = validation_log_loss(fit)
        table.append(
            {
                "candidate": k,
                **params,
                "trees": fit.best_iteration,
                "valid_log_loss": loss,
                "seconds": time.perf_counter() - tried,
            }
        )
        if loss < best_loss:
            best, best_loss, best_params, best_k = fit, loss, params, k
    for row in table:
        row["chosen"] = row["candidate"] == best_k
    return SearchResult(best, best_params, table, time.perf_counter() - started, stopped_by)


def table_lines(result: SearchResult) -> list[str]:
    """The search table as printed by `value-assist train`."""
    lines = [
        f"capacity search: {len(result.table)} candidates in {result.seconds:.1f} s "
        f"(stopped by {result.stopped_by}); chosen: "
        + ", ".join(f"{k}={v}" for k, v in result.params.items())
    ]
    header = "   ".join(f"{name:>16}" for name in SEARCHED)
    lines.append(f"  {'#':>2} {header}  trees  valid log loss")
    for row in result.table:
        values = "   ".join(f"{row[name]:>16}" for name in SEARCHED)
        mark = " <- chosen" if row["chosen"] else ""
        loss = row["valid_log_loss"]
        lines.append(f"  {row['candidate']:>2} {values}  {row['trees']:>5}  {loss:.5f}{mark}")
    return lines
