"""What a training run records beside its metrics: text-model and reference-model
numbers, and the run's name and description in the MLflow UI."""

from pathlib import Path

from training.candidate import Candidate


def text_metrics(text_model) -> dict[str, float]:
    """Held-out accuracy / macro-F1 per language and sentiment MAE of the text models."""
    if text_model is None:
        return {}
    facts, out = text_model.facts, {}
    for source in ("reason_model", "reason_lexicon"):
        for lang, scores in facts.get(source, {}).items():
            for key in ("accuracy", "macro_f1"):
                out[f"text_{source}_{lang}_{key}"] = scores[key]
    for key in ("sentiment_mae", "sentiment_mae_constant"):
        if key in facts:
            out[f"text_{key}"] = facts[key]
    return out


def reference_metrics(rows: list[dict]) -> dict[str, float]:
    names = {"plain LGBMClassifier()": "plain", "observable oracle": "observable_oracle"}
    out = {}
    for row in rows:
        name = names.get(row["model"], row["model"].replace(" ", "_"))
        for key in ("roc_auc", "log_loss", "regret", "regret_to_agents"):
            if row.get(key) is not None:
                out[f"reference_{name}_{key}"] = row[key]
    return out


def run_name(candidate: Candidate, source: str) -> str:
    """What a data scientist looks for in the MLflow UI: data, size and window."""
    data = candidate.dataset
    return (
        f"{Path(source).name or source} | {data['rows']} rows | to {str(data['test']['to'])[:10]}"
    )


def run_description(candidate: Candidate, source: str) -> str:
    data, overall = candidate.dataset, candidate.report["overall"]
    return (
        f"Trained on {source}: {data['rows']} labelled interactions from "
        f"{data['train']['from']} to {data['test']['to']} (train/valid/test "
        f"{data['train']['rows']}/{data['valid']['rows']}/{data['test']['rows']}). "
        f"Test ROC AUC {overall['roc_auc']:.4f}, log loss {overall['log_loss']:.4f}. "
    )
