"""Render a training result as the lines `value-assist train` prints (plain text)."""

from training.references import reference_lines
from training.search import table_lines

TOP_FEATURES = 8
WEAK_SLICE_AUC = 0.55  # a slice ranked this badly is flagged: the model barely helps there


def _f(value, digits: int = 4) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _slices(per_slice: dict) -> list[str]:
    lines, weak = [], []
    for column, values in per_slice.items():
        shown = ", ".join(
            f"{value} {_f(stats['roc_auc'], 3)} (n={stats['rows']})"
            for value, stats in values.items()
            if stats["roc_auc"] is not None
        )
        lines.append(f"  ROC AUC by {column}: {shown or 'n/a'}")
        weak += [
            f"{column}={value} ({stats['roc_auc']:.3f}, n={stats['rows']})"
            for value, stats in values.items()
            if stats["roc_auc"] is not None and stats["roc_auc"] < WEAK_SLICE_AUC
        ]
    if weak:
        lines.append(
            f"  WEAK SLICES (ROC AUC below {WEAK_SLICE_AUC}: scores barely rank these "
            f"interactions): {', '.join(weak)}"
        )
    return lines


def _observable(truth: dict, overall: dict) -> list[str]:
    """The observable oracle: the target (what request-time inputs allow), when known."""
    auc = truth.get("observable_oracle_roc_auc")
    if auc is None or overall["roc_auc"] is None:
        return []
    return [
        f"  observable-oracle ROC AUC (hidden agent skill and missing sentiment integrated "
        f"out) {_f(auc)}  (model is {_f(auc - overall['roc_auc'])} below)"
    ]


def metric_lines(report: dict) -> list[str]:
    """The evaluation part of the summary (also used by the bench)."""
    overall = report["overall"]
    lines = [
        "test metrics:",
        f"  ROC AUC   {_f(overall['roc_auc'])}",
        f"  PR AUC    {_f(overall['pr_auc'])}",
        f"  log loss  {_f(overall['log_loss'])}",
        f"  Brier     {_f(overall['brier'])}",
        f"  ECE       {_f(overall['ece_before_calibration'])} before calibration, "
        f"{_f(overall['ece'])} after (a perfectly calibrated model would show "
        f"{_f(overall['ece_noise_floor'])} on this many rows)",
    ]
    truth = report.get("truth")
    if truth and truth.get("rows"):
        gap = None
        if truth["oracle_roc_auc"] is not None and overall["roc_auc"] is not None:
            gap = truth["oracle_roc_auc"] - overall["roc_auc"]
        ratio = truth["regret_ratio_to_agents"]
        lines += [
            f"  oracle ROC AUC (truth.csv, same {truth['rows']} rows) "
            f"{_f(truth['oracle_roc_auc'])}  (model is {_f(gap)} below)",
            *_observable(truth, overall),
            f"  card-choice regret: model {_f(truth['regret_model'])} | logged agents "
            f"{_f(truth['regret_agents'])} | random {_f(truth['regret_random'])}  "
            f"(model / agents = {_f(ratio, 3)})",
        ]
    lines += _slices(report["per_slice"])
    gain = report["importance"]["gain_share"]
    contribution = report["importance"]["mean_abs_contribution"]
    top = ", ".join(
        f"{name} {gain[name]:.3f}|{contribution[name]:.3f}" for name in list(gain)[:TOP_FEATURES]
    )
    lines.append(f"  top features (gain share|mean |contribution|): {top}")
    bands = report["bands"]
    lines.append(
        "  openness bands (test interactions): "
        + ", ".join(
            f"{b} {100 * bands[b]['share']:.0f} % (success {_f(bands[b]['success_rate'], 2)})"
            for b in ("low", "medium", "high")
        )
    )
    return lines


def render_summary(result) -> list[str]:
    candidate = result.candidate
    data = candidate.dataset
    lines = [
        f"run {result.run_id}: registered model version {result.version} ({result.model_uri})",
        f"data: {data['rows']} labelled interactions, fingerprint {data['fingerprint']}; "
        + " | ".join(
            f"{s} {data[s]['rows']} ({data[s]['from']} .. {data[s]['to']})"
            for s in ("train", "valid", "test")
        ),
        f"model: early stopping chose {candidate.fit.best_iteration} trees; refitted on "
        f"train + valid with {candidate.fit.rounds}; calibration {candidate.calibrator.method} "
        f"({candidate.calibration['reason']})",
    ]
    lines += text_model_lines(candidate.text_model)
    if candidate.search is not None:
        lines += table_lines(candidate.search)
    lines += metric_lines(candidate.report)
    if candidate.references:
        lines += reference_lines(candidate.references)
    comparison = result.comparison
    if comparison.champion_version:
        lines.append(
            f"champion v{comparison.champion_version} on the same test rows: {comparison.reason}"
        )
    else:
        lines.append(f"champion: {comparison.reason}")
    lines.append(f"promotion: {result.decision}")
    lines.append("time: " + ", ".join(f"{k} {v:.1f} s" for k, v in candidate.seconds.items()))
    return lines


def text_model_lines(text_model) -> list[str]:
    """How well the learned text models did on later rows they never saw."""
    if text_model is None:
        return ["text: no labelled transcripts, contact reasons come from the lexicon (cold start)"]
    facts = text_model.facts
    lines = [
        f"text models: learned from {facts['reason_rows']} labelled rows before the test "
        f"period (vocabulary {facts['vocabulary']}), in {facts['seconds']:.1f} s"
    ]
    for source, label in (("reason_model", "learned"), ("reason_lexicon", "lexicon")):
        shown = ", ".join(
            f"{lang} accuracy {s['accuracy']:.3f} macro-F1 {s['macro_f1']:.3f} (n={s['n']})"
            for lang, s in facts.get(source, {}).items()
            if lang != "all"
        )
        lines.append(f"  contact reason on later labelled rows, {label}: {shown or 'n/a'}")
    if "sentiment_mae" in facts:
        lines.append(
            f"  sentiment MAE on later rows {facts['sentiment_mae']:.3f} "
            f"(a constant would be {facts['sentiment_mae_constant']:.3f})"
        )
    else:
        lines.append("  sentiment: not in the data, so not learned (the model does without)")
    return lines
