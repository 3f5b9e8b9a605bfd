"""A trained candidate's way into the registry: compare with the champion, log, register,
promote if asked (the MLflow pieces are in register.py; the pipeline calls this last)."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from features.spec import spec_as_dict
from models.artifacts import ModelFiles
from training import register
from training.candidate import Candidate
from training.evaluate import flat_metrics
from training.model_card import render
from training.plots import all_figures, close
from training.promote import RULE, Comparison, champion_files, compare_with_champion
from training.run_facts import reference_metrics, run_description, run_name, text_metrics
from training.train import labels, predict_raw


@dataclass
class TrainConfig:
    tracking_uri: str
    artifact_root: Path | None = None  # experiment artifacts (local stores only)
    model_name: str = "ve-openness"
    alias: str = "champion"
    experiment: str = register.EXPERIMENT
    promote: bool = False
    band_thresholds: tuple[float, float] = (0.35, 0.55)
    dask: str | None = None  # None: this machine; "local": a LocalCluster; else an address
    # (candidate files, champion files) -> {"candidate": {value, ci95}, "champion": {...}}
    # off-policy DR values on the service's logged decisions, {"refused": why}, or None
    # when there are none (assist_api.services.learning.promotion_ope builds it)
    off_policy: Callable[[ModelFiles, ModelFiles], dict | None] | None = None
    params: dict = field(default_factory=dict)  # LightGBM overrides (tests, experiments)


@dataclass
class TrainResult:
    run_id: str
    version: str
    model_uri: str
    candidate: Candidate
    comparison: Comparison
    promoted: bool
    decision: str


def log_candidate(candidate: Candidate, config: TrainConfig, source: str) -> TrainResult:
    """Compare with the champion on the same rows, log and register, promote if asked."""
    from models.registry import connect, set_alias

    started = time.perf_counter()
    experiment_id = register.ensure_experiment(
        config.tracking_uri,
        config.experiment,
        config.artifact_root if register.local_store(config.tracking_uri) else None,
    )
    client = connect(config.tracking_uri)
    info, files = champion_files(client, config.model_name, config.alias)
    candidate_files = ModelFiles(
        candidate.fit.booster, spec_as_dict(), candidate.calibrator, candidate.text_model
    )
    off_policy = config.off_policy(candidate_files, files) if config.off_policy and files else None
    comparison = compare_with_champion(
        candidate.test_rows,
        labels(candidate.test_rows),
        candidate.test_rows["customer_id"].to_numpy(str),
        candidate.calibrator.apply(predict_raw(candidate.fit.booster, candidate.X_test)),
        info,
        files,
        off_policy,
    )
    metrics = flat_metrics(candidate.report)
    metrics.update({f"seconds_{k}": v for k, v in candidate.seconds.items()})
    metrics["best_iteration"] = candidate.fit.best_iteration
    metrics["trees"] = candidate.fit.rounds
    metrics.update(text_metrics(candidate.text_model))
    metrics.update(reference_metrics(candidate.references))
    metrics.update(
        {
            f"champion_test_{k}": v
            for k, v in comparison.champion_metrics.items()
            if k in ("roc_auc", "log_loss", "brier", "ece") and v is not None
        }
    )
    params = {
        **{f"lgbm_{k}": v for k, v in candidate.fit.params.items() if k != "metric"},
        "calibration": candidate.calibrator.method,
        "dataset_fingerprint": candidate.dataset["fingerprint"],
        "dataset_source": source,
        "trainer": "dask" if config.dask else "single_machine",
        **{f"rows_{s}": candidate.dataset[s]["rows"] for s in ("train", "valid", "test")},
        "data_from": candidate.dataset["train"]["from"],
        "data_to": candidate.dataset["test"]["to"],
        "text_model": "learned" if candidate.text_model is not None else "lexicon",
        "capacity": "searched" if candidate.search else "given",
        **{
            f"chosen_{k}": v
            for k, v in (candidate.search.params if candidate.search else {}).items()
        },
    }
    extra = {"references.json": candidate.references}
    if candidate.search is not None:
        extra["capacity_search.json"] = {
            "table": candidate.search.table,
            "stopped_by": candidate.search.stopped_by,
            "seconds": candidate.search.seconds,
        }
    if candidate.text_model is not None:
        extra["text_models.json"] = candidate.text_model.facts
    card = render(
        config.model_name,
        candidate.dataset,
        candidate.report,
        {
            "best_iteration": candidate.fit.best_iteration,
            "rounds": candidate.fit.rounds,
            "params": candidate.fit.params,
        },
        candidate.calibration,
        candidate.text_model.facts if candidate.text_model is not None else None,
        candidate.search.params if candidate.search is not None else None,
    )
    figures = all_figures(candidate.report)
    try:
        registered = register.log_and_register(
            tracking_uri=config.tracking_uri,
            experiment_id=experiment_id,
            model_name=config.model_name,
            fit=candidate.fit,
            calibrator=candidate.calibrator,
            calibration_evidence=candidate.calibration,
            report=candidate.report,
            metrics=metrics,
            params=params,
            tags={
                "dataset_fingerprint": candidate.dataset["fingerprint"],
                "champion_version_compared": comparison.champion_version or "none",
            },
            dataset_summary=candidate.dataset,
            model_card=card,
            figures=figures,
            example_rows=candidate.test_rows,
            dataset_source=source,
            text_model=candidate.text_model,
            extra_dicts=extra,
            run_name=run_name(candidate, source),
        )
    finally:
        close(figures)
    promoted = config.promote and comparison.better
    if promoted:
        set_alias(client, config.model_name, registered.version, config.alias)
        decision = "promoted"
    else:
        decision = "kept champion" if config.promote else "not requested"
    register.record_decision(
        config.tracking_uri,
        registered.run_id,
        {
            "promotion.decision": decision,
            "promotion.reason": comparison.reason,
            "promotion.rule": RULE,
            "promotion.requested": str(config.promote).lower(),
            "promotion.off_policy": comparison.verdict.off_policy_tag()
            if comparison.verdict
            else "none: no comparable champion",
            # the run's description in the MLflow UI
            "mlflow.note.content": f"{run_description(candidate, source)} Promotion: "
            f"{decision} ({comparison.reason}).",
        },
        {
            "seconds_log_register": time.perf_counter() - started,
            **(comparison.verdict.metrics() if comparison.verdict else {}),
        },
    )
    return TrainResult(
        registered.run_id,
        registered.version,
        registered.model_uri,
        candidate,
        comparison,
        promoted,
        decision,
    )
