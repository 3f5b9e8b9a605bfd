"""One candidate model, fitted and judged on a TrainingSet, before anything is logged.

Shared by the single-machine pipeline (training/pipeline.py), the bench and the tests;
the Dask path (training/dask_train.py) builds its own fit and then finishes it here.
"""

import time
from dataclasses import dataclass, field

import pandas as pd

from features.spec import spec_as_dict
from models.artifacts import ModelFiles
from models.pyfunc import score_activities
from training.calibrate import choose_calibrator
from training.dataset import TrainingSet
from training.evaluate import evaluate
from training.references import PLAIN, PRODUCT, plain_reference, reference_rows
from training.search import SearchResult, search_capacity
from training.text_models import fit_text_models
from training.train import FitResult, feature_matrix, fit_booster, labels, predict_raw, refit


@dataclass
class Candidate:
    """A fitted, calibrated and evaluated model that is not logged anywhere yet."""

    fit: FitResult
    calibrator: object
    calibration: dict
    report: dict
    dataset: dict
    test_rows: pd.DataFrame
    X_test: object
    seconds: dict = field(default_factory=dict)
    text_model: object = None  # features.text_model.TextModel, or None (lexicon only)
    search: SearchResult | None = None  # None: fixed parameters were given
    references: list = field(default_factory=list)  # training.references.reference_rows


def finish_candidate(
    fit, calibrator, evidence, test, dataset, truth, bands, seconds, text_model=None
):
    """Evaluate the shipped (refitted, calibrated) model on the test part."""
    started = time.perf_counter()
    X_test = feature_matrix(test, text_model=text_model)
    p_raw = predict_raw(fit.booster, X_test)
    files = ModelFiles(fit.booster, spec_as_dict(), calibrator, text_model)
    report = evaluate(
        test,
        p_raw,
        calibrator.apply(p_raw),
        score_activities(files, test),
        fit.booster,
        X_test,
        truth,
        bands,
    )
    seconds = {**seconds, "evaluate": time.perf_counter() - started}
    return Candidate(
        fit, calibrator, evidence, report, dataset, test, X_test, seconds, text_model=text_model
    )


def fit_candidate(
    ts: TrainingSet,
    truth=None,
    bands=(0.35, 0.55),
    params=None,
    interactions: pd.DataFrame | None = None,
    references: bool = True,
) -> Candidate:
    """Single-machine training on a TrainingSet (no MLflow): the bench and tests use it.

    Text models first (from `interactions`, all of the import's rows, else the labelled
    ones), learned on rows before the test cut-off. Then capacity: given `params` are
    used as they are; otherwise the bounded search (training/search.py) chooses on the
    validation part. Early stopping and calibration use the train-only model's
    validation predictions; the shipped model is then refitted on train + validation
    (training.train.refit). Last, the references on the same test rows.
    """
    started = time.perf_counter()
    text_model = fit_text_models(ts.rows if interactions is None else interactions, ts.cutoffs[1])
    text_seconds = time.perf_counter() - started
    train, valid, test = ts.part("train"), ts.part("valid"), ts.part("test")
    X_train = feature_matrix(train, text_model=text_model)
    X_valid = feature_matrix(valid, text_model=text_model)
    y_train, y_valid = labels(train), labels(valid)
    features_seconds = time.perf_counter() - started - text_seconds
    search = None
    if not params:  # no overrides (None or {}): choose capacity on the data
        search = search_capacity(X_train, y_train, X_valid, y_valid)
        selection = search.best
    else:
        selection = fit_booster(X_train, y_train, X_valid, y_valid, params)
    calibrator, evidence = choose_calibrator(predict_raw(selection.booster, X_valid), y_valid)
    fit = refit(selection, X_train, y_train, X_valid, y_valid)
    seconds = {"text_models": text_seconds, "features": features_seconds, "fit": fit.seconds}
    if search is not None:
        seconds["fit"] = search.seconds + fit.seconds - selection.seconds
    candidate = finish_candidate(
        fit, calibrator, evidence, test, ts.summary(), truth, bands, seconds, text_model
    )
    candidate.search = search
    if references:
        reference_started = time.perf_counter()
        plain = plain_reference(pd.concat([train, valid], ignore_index=True), test)
        files = ModelFiles(fit.booster, spec_as_dict(), calibrator, text_model)
        product = score_activities(files, test)
        candidate.references = reference_rows(test, {PRODUCT: product, PLAIN: plain}, truth)
        candidate.seconds["references"] = time.perf_counter() - reference_started
    return candidate
