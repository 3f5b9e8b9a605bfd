"""Render a training result as the lines `value-assist train` prints (plain text)."""

TOP_FEATURES = 8


def _f(value, digits: int = 4) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _slices(per_slice: dict) -> list[str]:
    lines = []
    for column, values in per_slice.items():
        shown = ", ".join(
            f"{value} {_f(stats['roc_auc'], 3)} (n={stats['rows']})"
            for value, stats in values.items()
            if stats["roc_auc"] is not None
        )
        lines.append(f"  ROC AUC by {column}: {shown or 'n/a'}")
    return lines


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
    lines += metric_lines(candidate.report)
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
