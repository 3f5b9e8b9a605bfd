"""`value-assist models shadow-report`: how often the challenger agrees with the champion,
and what its top-card policy would have been worth where it did not.

Agreement compares greedy top cards over the same eligible cards (the champion's from its
logged probabilities, the challenger's from its shadow scores), so exploration and the
agent-skill adjustment do not count as disagreement. On the decisions where they differ
and an outcome is known (learning.logged: one per interaction, test traffic left out),
both deterministic policies are valued off-policy with the evaluate-policy estimators
(IPS, SNIPS, DR, 95 % intervals over customers) on the same decisions. There the logged
policy showed the challenger's card only when it explored, so support is thin by nature:
below `min_ess` the estimate is refused with the reason and the agreement still shown.
"""

from collections.abc import Sequence
from datetime import datetime

import numpy as np

from assist_api.services.learning.evaluation import LoggedDecision, reward_model, target_arrays
from assist_api.services.learning.logged import logged_decisions
from assist_api.services.learning.ope import ThinSupport, estimate, observed
from assist_api.services.learning.shadow_store import shadow_rows, shadow_version
from assist_api.store.store import Store


def _one_hot(card_id: str):
    def target(_d: LoggedDecision, cards: list) -> np.ndarray:
        out = np.zeros(len(cards))
        out[[c for c, _w in cards].index(card_id)] = 1.0
        return out

    return target


def _valued(decisions, top_of, q_hat, min_ess, draws, seed) -> dict:
    def target(d, cards):
        return _one_hot(top_of[d.decision_id])(d, cards)

    result = estimate(
        target_arrays(decisions, target, q_hat), min_ess=min_ess, draws=draws, seed=seed
    )
    return {k: result[k] for k in ("estimates", "ess", "n_decisions", "matched")}


def summarize(
    rows: Sequence,
    decisions: Sequence[LoggedDecision],
    version: str | None,
    *,
    min_ess: float = 30.0,
    draws: int = 1000,
    seed: int = 0,
) -> dict:
    """The report from shadow rows (attributes as in ShadowDecision) and logged decisions
    with outcomes; pure, so a hand-built case checks its figures."""
    rows = [r for r in rows if version is None or r.challenger_version == version]
    agreed = sum(r.top_card_id == r.champion_top_card_id for r in rows)
    by_decision = {r.decision_id: r for r in rows}
    scored = [d for d in decisions if d.decision_id in by_decision]
    differed = [
        d
        for d in scored
        if by_decision[d.decision_id].top_card_id != by_decision[d.decision_id].champion_top_card_id
    ]
    report = {
        "challenger": version,
        "champion_versions": sorted({r.champion_version for r in rows if r.champion_version}),
        "shadowed": len(rows),
        "agreed": agreed,
        "agreement": agreed / len(rows) if rows else None,
        "with_outcomes": len(scored),
        "differed": {"n_decisions": len(differed)},
    }
    if not differed:
        report["differed"]["refused"] = "no decision with an outcome where the two differed"
        return report
    q_hat = reward_model(scored)  # fitted on every shadowed decision with an outcome
    challenger = {d.decision_id: by_decision[d.decision_id].top_card_id for d in differed}
    champion = {d.decision_id: by_decision[d.decision_id].champion_top_card_id for d in differed}
    customers = np.array([d.customer_id for d in differed], dtype=object)
    rewards = np.array([d.reward for d in differed], float)
    report["differed"]["logged"] = observed(customers, rewards, draws=draws, seed=seed)
    try:
        report["differed"]["challenger"] = _valued(
            differed, challenger, q_hat, min_ess, draws, seed
        )
        report["differed"]["champion"] = _valued(differed, champion, q_hat, min_ess, draws, seed)
    except ThinSupport as exc:
        report["differed"]["refused"] = str(exc)
    return report


def shadow_report(
    store: Store,
    model_name: str,
    version: str | None = None,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    min_ess: float = 30.0,
) -> dict:
    """The report for `version` (default: the challenger now, else the last one shadowed)."""
    rows = shadow_rows(store, version, start=start, end=end)
    if version is None:
        version = shadow_version(store, model_name) or (
            rows[-1].challenger_version if rows else None
        )
    decisions = logged_decisions(store, start=start, end=end)
    return summarize(rows, decisions, version, min_ess=min_ess)


def _interval(estimate: dict) -> str:
    low, high = estimate["ci95"]
    return f"{estimate['value']:.4f} (95 % CI {low:.4f}-{high:.4f})"


def render_text(report: dict) -> list[str]:
    if report["challenger"] is None:
        return ["no shadow challenger yet: `value-assist models shadow VERSION` starts one"]
    champions = ", ".join(f"v{v}" for v in report["champion_versions"]) or "-"
    lines = [f"challenger v{report['challenger']} beside champion {champions}"]
    if not report["shadowed"]:
        return [*lines, "no decisions shadowed yet"]
    lines.append(
        f"shadowed decisions: {report['shadowed']}; same top card: {report['agreed']} "
        f"(agreement {report['agreement']:.1%})"
    )
    differed = report["differed"]
    lines.append(
        f"with outcomes: {report['with_outcomes']}; of those, differed: {differed['n_decisions']}"
    )
    if "logged" in differed:
        lines.append(f"  logged policy's VE success there: {_interval(differed['logged'])}")
    if "refused" in differed:
        return [*lines, f"  off-policy estimate refused: {differed['refused']}"]
    lines.append(
        f"  off-policy on those decisions (ESS challenger {differed['challenger']['ess']:.0f}, "
        f"champion {differed['champion']['ess']:.0f}):"
    )
    for name in differed["challenger"]["estimates"]:
        lines.append(
            f"    {name:<5} challenger {_interval(differed['challenger']['estimates'][name])}"
            f"   champion {_interval(differed['champion']['estimates'][name])}"
        )
    return lines
