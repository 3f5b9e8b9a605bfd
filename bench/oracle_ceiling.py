"""Oracle ceiling: how close to the simulator's oracle AUC could any learner get?

Usage:  .venv/bin/python bench/oracle_ceiling.py --from D    (D: `value-assist simulate --out D`)

A criterion such as "test AUC within 0.015 of the oracle AUC" compares the model with the
simulator's true probabilities (D/truth.csv). Those use inputs the import files never
show: the handling agent's hidden skill and the true contact reason and sentiment (the
files hold the given or inferred reason and an observed, sometimes missing sentiment).
Whether such a criterion is reachable is a property of the rows, not of the model, so this
measures the best any learner could do on them: it trains the product's model with the
product's code, then fits logistic regressions of the simulator's exact functional form on
the same train + validation rows — with the true hidden inputs, with only what is
observable, and with observable inputs plus the true skill or the agent's identity — and
scores every one on the same test rows. Prints one table.

It reads the simulator's formulas (training/simulator/response.py), so it is an evaluation tool
and never part of the product.
"""

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

from features.spec import CATEGORY_CODES, FEATURE_NAMES  # noqa: E402
from features.vocabulary import ACTIVITIES, CONTACT_REASONS  # noqa: E402
from training.dataset import SPLITS, build_training_set, read_import_dir, read_truth  # noqa: E402
from training.pipeline import fit_candidate  # noqa: E402
from training.simulator.agents import channel_mode  # noqa: E402
from training.simulator.observable import with_observable_oracle  # noqa: E402
from training.simulator.response import MODE_EFFECT, PRIOR_CONTACT_CAP, bump, sigmoid  # noqa: E402
from training.train import feature_matrix, labels  # noqa: E402

TOLERANCE = 0.015  # issue 3: the model's test AUC within this of the oracle AUC
REASON_COLUMN = FEATURE_NAMES.index("contact_reason")
REASON_OF_CODE = {code: reason for reason, code in CATEGORY_CODES["contact_reason"].items()}
NO_REASON = "missing"
PRODUCT = "product model (fit_candidate)"


@dataclass(frozen=True)
class Ceiling:
    label: str
    latent: bool  # true reason and sentiment (truth.csv) instead of the observed ones
    skill: bool  # the handling agent's true skill, per activity as the simulator uses it
    agents: bool = False  # a one-hot column per handling agent seen in training
    C: float = 1e4  # inverse penalty: practically none, the form is exact


CEILINGS = (
    Ceiling("(a) exact form: true reason, sentiment, skill", latent=True, skill=True),
    Ceiling("(b) exact form: observable inputs only", latent=False, skill=False),
    Ceiling("(c) exact form: observable + true skill", latent=False, skill=True),
    Ceiling("(d) exact form: observable + agent one-hot", False, False, agents=True, C=0.1),
)


def observed_reason(X: np.ndarray) -> np.ndarray:
    """The reason the product uses: given, else inferred from the transcript (features)."""
    return np.array([REASON_OF_CODE.get(code, NO_REASON) for code in X[:, REASON_COLUMN]])


def openness_columns(rows: pd.DataFrame, reason: np.ndarray, sentiment: np.ndarray) -> list:
    """The inputs of simulator.response.openness_logit, each with a free weight."""
    missing = np.isnan(sentiment)
    mode = channel_mode(rows["channel"].to_numpy(str))
    prior = np.clip(rows["prior_contacts_90d"].to_numpy(float) - 1, 0, PRIOR_CONTACT_CAP)
    reasons, modes = (reason == r for r in CONTACT_REASONS), (mode == m for m in MODE_EFFECT)
    return [*reasons, np.where(missing, 0.0, sentiment), missing, *modes, prior]


def activity_basis(rows: pd.DataFrame, reason: np.ndarray) -> dict[str, list]:
    """Per activity, the shapes summed in simulator.response.activity_fit (weights left free).

    The thresholds, bump centres and widths are literals inside activity_fit and are
    mirrored here: keep the two in step if the simulator changes.
    """
    days = rows["days_since_purchase"].to_numpy(float)
    adoption = rows["feature_adoption"].to_numpy(float)
    products = rows["products_owned"].to_numpy(float)
    persona, tier = rows["persona"].to_numpy(str), rows["plan_tier"].to_numpy(str)
    novice = persona == "novice"
    return {
        "validate_purchase": [
            sigmoid((30 - days) / 6),
            novice,
            persona == "pragmatist",
            np.minimum(days, 720) / 720,
        ],
        "anticipate_needs": [products - 1, bump(np.log1p(days), np.log(120), 0.6)],
        "achieve_goals": [
            np.isin(persona, ["pragmatist", "professional"]),
            np.isin(reason, ["inquiry", "how_to"]),
            bump(adoption, 0.45, 0.18),
        ],
        "educate_usage": [
            (1 - adoption) ** 2,
            novice,
            np.isin(reason, ["how_to", "technical_issue"]),
        ],
        "advise_new_features": [
            sigmoid((adoption - 0.6) / 0.07),
            np.isin(persona, ["enthusiast", "professional"]),
            np.isin(tier, ["premium", "enterprise"]),
        ],
    }


def design(rows, X, truth, ceiling: Ceiling, agents: list[str]) -> np.ndarray:
    """The exact-form design matrix of one ceiling (truth: aligned with rows)."""
    if ceiling.latent:
        reason = truth["true_contact_reason"].to_numpy(str)
        sentiment = truth["true_customer_sentiment"].to_numpy(float)
    else:
        reason, sentiment = observed_reason(X), rows["customer_sentiment"].to_numpy(float)
    activity = rows["activity"].to_numpy(str)
    is_activity = {a: (activity == a).astype(float) for a in ACTIVITIES}
    columns = [*openness_columns(rows, reason, sentiment), *is_activity.values()]
    for a, shapes in activity_basis(rows, reason).items():
        columns += [is_activity[a] * np.asarray(shape, float) for shape in shapes]
    if ceiling.skill:  # simulator.response.success_logits: skill x a per-activity loading
        columns += [is_activity[a] * truth["agent_skill"].to_numpy(float) for a in ACTIVITIES]
    if ceiling.agents:
        handled_by = rows["agent_id"].fillna("none").to_numpy(str)
        columns += [handled_by == agent for agent in agents]
    return np.column_stack(columns).astype(float)


def regret_ratio(test: pd.DataFrame, truth: pd.DataFrame, P: np.ndarray) -> float:
    """Card-choice regret of argmax P as a share of the logged agents' (truth aligned)."""
    true_p = truth[[f"p_{a}" for a in ACTIVITIES]].to_numpy(float)
    n, chosen = np.arange(len(test)), test["activity"].map(ACTIVITIES.index).to_numpy()
    agents = np.mean(true_p.max(1) - true_p[n, chosen])
    return float(np.mean(true_p.max(1) - true_p[n, P.argmax(1)]) / agents)


def ceiling_auc(ceiling: Ceiling, parts: dict, matrices: dict, truths: dict):
    """Fit on train + valid rows; (test AUC, card-choice regret / the logged agents')."""
    agents = sorted(set(parts["train"]["agent_id"].dropna()))
    A = {s: design(parts[s], matrices[s], truths[s], ceiling, agents) for s in SPLITS}
    model = LogisticRegression(C=ceiling.C, max_iter=5000).fit(
        np.vstack([A["train"], A["valid"]]),
        np.concatenate([labels(parts["train"]), labels(parts["valid"])]),
    )
    test, X_test, truth = parts["test"], matrices["test"], truths["test"]
    P = np.column_stack(
        [
            model.predict_proba(design(test.assign(activity=a), X_test, truth, ceiling, agents))[
                :, 1
            ]
            for a in ACTIVITIES
        ]
    )
    auc = float(roc_auc_score(labels(test), model.predict_proba(A["test"])[:, 1]))
    return auc, regret_ratio(test, truth, P)


def measure(folder: Path, params: dict | None = None) -> dict:
    """{"oracle": oracle test AUC, "test_rows": n, "auc": {row label: test AUC}}."""
    truth = read_truth(folder)
    if truth is not None:
        truth = with_observable_oracle(folder, truth)
    if truth is None:
        raise SystemExit(f"{folder}: no truth.csv (make the world with `value-assist simulate`)")
    ts = build_training_set(*read_import_dir(folder))
    candidate = fit_candidate(ts, truth=truth, params=params)
    parts = {s: ts.part(s) for s in SPLITS}
    # the reason the product sees: given, else inferred by its own text model
    text_model = candidate.text_model
    matrices = {s: feature_matrix(p, text_model=text_model) for s, p in parts.items()}
    by_id = truth.set_index("interaction_id")
    truths = {s: by_id.loc[p["interaction_id"]].reset_index() for s, p in parts.items()}
    found = candidate.report["truth"]
    auc = {PRODUCT: candidate.report["overall"]["roc_auc"]}
    regret = {PRODUCT: found["regret_ratio_to_agents"]}
    for c in CEILINGS:
        auc[c.label], regret[c.label] = ceiling_auc(c, parts, matrices, truths)
    return {
        "oracle": found["oracle_roc_auc"],
        "observable_oracle": found.get("observable_oracle_roc_auc"),
        "test_rows": len(parts["test"]),
        "auc": auc,
        "regret": regret,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--from", dest="folder", type=Path, required=True, metavar="D")
    args = parser.parse_args()
    result = measure(args.folder)
    oracle = result["oracle"]
    print(f"oracle AUC (truth.csv, {result['test_rows']:,} test rows): {oracle:.4f}")
    if result["observable_oracle"] is not None:
        print(f"observable-oracle AUC (same rows): {result['observable_oracle']:.4f}")
    print(f"\n{'':<48} {'test AUC':>8} {'gap':>7}  within {TOLERANCE}  regret / agents")
    for label, auc in result["auc"].items():
        gap = oracle - auc
        print(
            f"{label:<48} {auc:>8.4f} {gap:>7.4f}  {'yes' if gap <= TOLERANCE else 'no ':<10}"
            f"{result['regret'][label]:>8.3f}"
        )
    print(
        "\ngap: oracle AUC minus test AUC. Ceilings are logistic regressions of the "
        "simulator's exact form,\nfitted on train + valid rows; (b): the simulator's own form "
        "on only the inputs the product sees."
    )


if __name__ == "__main__":
    main()
