"""The model card: what the model is for, what it was trained on, how good it is, its limits.

Rendered as Markdown from the training set summary, the evaluation report and the fit
details, and stored in the MLflow run beside the model (`model_card.md`).
"""

from features.spec import FEATURE_SPEC_VERSION
from training.promote import RULE

INTENDED_USE = (
    "Scores a live customer-service interaction for each of the five value-enhancement "
    "activities: P(VE success | interaction, activity), where VE success means both VES "
    "items (confidence in the purchase, ability to use it) are 5 or more. Openness is the "
    "best of the five; cards are ranked by probability x the card's business weight. Also "
    "used in batch to pick customers and cards for proactive outreach."
)
LIMITS = (
    "Learned from interactions where an agent chose to attempt VE, so activities agents "
    "rarely chose for a kind of customer are estimated from few rows.",
    "Success is a survey answer: customers who answer surveys may differ from those who do not.",
    "The agent who will handle the contact is not a feature; their skill moves the real "
    "success rate around the score.",
    "Trained on the data window above; contact mix, products and playbooks drift, so "
    "retrain and compare with the champion regularly.",
    "Not for decisions about individual customers beyond which conversation to offer "
    "(no pricing, eligibility or credit decisions).",
)


HOW_TO_CALL = (
    "```python",
    "import mlflow, pandas as pd  # MLFLOW_TRACKING_URI: this run's tracking store",
    "model = mlflow.pyfunc.load_model('models:/ve-openness@champion')",
    "rows = pd.read_csv('interactions.csv')  # the import format, as read_csv gives it",
    "model.predict(rows)  # openness, best_activity, p_<activity> per row",
    "model.predict(rows.assign(activity='educate_usage'))  # P(success) of that activity",
    "```",
    "Extra columns are ignored; a missing optional column counts as empty. A bad value "
    "is an error naming the column and rows, never the value.",
)


def _pct(value) -> str:
    return "n/a" if value is None else f"{100 * value:.1f} %"


def _num(value, digits: int = 4) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def render(
    model_name: str,
    dataset: dict,
    report: dict,
    fit: dict,
    calibration: dict,
    text_facts: dict | None = None,
    search: dict | None = None,
) -> str:
    overall = report["overall"]
    lines = [
        f"# Model card: {model_name}",
        "",
        "## Intended use",
        INTENDED_USE,
        "",
        "## Data",
        f"Dataset fingerprint `{dataset['fingerprint']}`; feature spec v{FEATURE_SPEC_VERSION}.",
        "Rows are interactions with an attempted activity and both VES answers, split by time.",
        "",
        "| part | rows | success rate | from | to |",
        "| --- | --- | --- | --- | --- |",
    ]
    for split in ("train", "valid", "test"):
        part = dataset[split]
        lines.append(
            f"| {split} | {part['rows']} | {_pct(part['success_rate'])} "
            f"| {part['from']} | {part['to']} |"
        )
    lines += [
        "",
        "## Model",
        f"LightGBM binary classifier with native categoricals: early stopping on the "
        f"validation part chose {fit['best_iteration']} trees; the shipped model was refitted "
        f"on train + validation with {fit['rounds']} trees; learning rate "
        f"{fit['params'].get('learning_rate')}, "
        f"{fit['params'].get('num_leaves')} leaves. Calibration: **{calibration['chosen']}** "
        f"({calibration['reason']}).",
        "Capacity: "
        + (
            "chosen on the validation part by the bounded search (capacity_search.json): "
            + ", ".join(f"{k} {v}" for k, v in search.items())
            if search
            else "parameters given by the caller (no search)."
        ),
        "",
        "## Text models",
        *_text_lines(text_facts),
        "",
        "## How to call it",
        *HOW_TO_CALL,
        "",
        "## Test metrics",
        "| metric | value |",
        "| --- | --- |",
        f"| ROC AUC | {_num(overall['roc_auc'])} |",
        f"| PR AUC | {_num(overall['pr_auc'])} |",
        f"| log loss | {_num(overall['log_loss'])} |",
        f"| Brier score | {_num(overall['brier'])} |",
        f"| ECE (before -> after calibration) | {_num(overall['ece_before_calibration'])} -> "
        f"{_num(overall['ece'])} |",
    ]
    truth = report.get("truth")
    if truth and truth.get("rows"):
        lines += [
            f"| oracle ROC AUC (simulator's truth) | {_num(truth['oracle_roc_auc'])} |",
            f"| card-choice regret: model / agents / random | {_num(truth['regret_model'])} / "
            f"{_num(truth['regret_agents'])} / {_num(truth['regret_random'])} |",
        ]
    lines += ["", "## ROC AUC by slice"]
    for column, values in report["per_slice"].items():
        shown = ", ".join(
            f"{v} {_num(s['roc_auc'], 3)} ({s['rows']})"
            for v, s in values.items()
            if s["roc_auc"] is not None
        )
        lines.append(f"- **{column}**: {shown or 'n/a'}")
    lines += ["", "## Promotion rule", RULE, "", "## Limits"]
    lines += [f"- {limit}" for limit in LIMITS]
    return "\n".join(lines) + "\n"


def _text_lines(facts: dict | None) -> list[str]:
    if not facts:
        return ["None learned (no labelled transcripts): contact reasons come from the lexicon."]
    lines = [
        f"Contact reason (character n-gram TF-IDF + the lexicon's scores, calibrated "
        f"logistic regression) and sentiment (ridge) learned from {facts['reason_rows']} "
        "labelled rows before the test period; scored on later rows:",
    ]
    for lang, s in facts.get("reason_model", {}).items():
        lexicon = facts.get("reason_lexicon", {}).get(lang, {})
        lines.append(
            f"- reason, {lang}: accuracy {s['accuracy']:.3f}, macro-F1 {s['macro_f1']:.3f} "
            f"(lexicon {lexicon.get('accuracy', float('nan')):.3f}; n={s['n']})"
        )
    if "sentiment_mae" in facts:
        lines.append(
            f"- sentiment MAE {facts['sentiment_mae']:.3f} (a constant: "
            f"{facts['sentiment_mae_constant']:.3f})"
        )
    return lines
