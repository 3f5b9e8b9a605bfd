"""A loaded model: the booster, its spec and calibration, and where it came from.

Immutable on purpose: the scorer swaps whole LoadedModel objects, so a request that
grabbed one keeps a consistent booster + calibrator + version even while a reload runs.
Every predict call uses one thread: a request is one interaction (five rows), where
OpenMP's thread start-up costs more than it saves, and gunicorn workers already fill
the cores. Scoring goes through LightGBM's single-row API (models.fast_predict).
"""

import ctypes
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

import lightgbm as lgb
import numpy as np

from features.spec import FEATURE_NAMES, check_spec
from features.text_model import TextModel
from models.artifacts import load_fast_path
from models.calibration import Calibrator
from models.fast_predict import FastPredictor

SOURCES = ("registry", "cache")
_DEFAULT_NAME_PREFIX = "Column_"  # what LightGBM calls unnamed features


class IncompatibleModel(ValueError):
    """The model was trained on rows laid out differently from this code's features."""


@dataclass(frozen=True, eq=False)
class LoadedModel:
    name: str
    version: str
    run_id: str
    booster: lgb.Booster = field(repr=False)
    spec: Mapping = field(repr=False)
    calibrator: Calibrator
    metrics: Mapping[str, float]
    loaded_at: datetime
    source: str  # "registry" | "cache"
    text_model: TextModel | None = field(default=None, repr=False)  # None: lexicon only
    predictor: FastPredictor = field(init=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "predictor", FastPredictor(self.booster))

    def score(self, matrix: np.ndarray) -> np.ndarray:
        """Calibrated P(success) for each row (the five activity rows)."""
        return self.calibrator.apply(self.predictor.probabilities(matrix))

    def contributions(self, row: np.ndarray) -> np.ndarray:
        """Per-feature contributions of one row in raw log-odds, bias last (n_features + 1)."""
        return self.predictor.contributions(row)

    @property
    def spec_version(self) -> str:
        return str(self.spec.get("version", ""))

    def describe(self) -> dict:
        """Plain, JSON-ready facts about the model (for /v1/models/current and logs)."""
        return {
            "name": self.name,
            "version": self.version,
            "run_id": self.run_id,
            "metrics": dict(self.metrics),
            "feature_spec_version": self.spec_version,
            "loaded_at": self.loaded_at.isoformat(),
            "source": self.source,
            "text_model": "learned" if self.text_model is not None else "lexicon",
        }


def check_compatible(spec: dict, booster: lgb.Booster, label: str) -> None:
    """Refuse a model whose stored spec or booster columns differ from this code's."""
    try:
        check_spec(spec)
    except ValueError as exc:
        raise IncompatibleModel(f"{label} refused: {exc}") from exc
    if booster.num_feature() != len(FEATURE_NAMES):
        raise IncompatibleModel(
            f"{label} refused: booster has {booster.num_feature()} features, "
            f"this code has {len(FEATURE_NAMES)}"
        )
    names = tuple(booster.feature_name())
    named = not all(n.startswith(_DEFAULT_NAME_PREFIX) for n in names)
    if named and names != FEATURE_NAMES:
        raise IncompatibleModel(
            f"{label} refused: booster columns {list(names)} differ from the spec's order"
        )


def load_model(
    folder: Path,
    *,
    name: str,
    version: str,
    run_id: str,
    metrics: Mapping[str, float] | None = None,
    source: str = "registry",
) -> LoadedModel:
    """Load a fast_path folder, refusing it (IncompatibleModel) if its spec differs."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
    with _single_threaded_lightgbm():
        files = load_fast_path(folder)
    check_compatible(files.spec, files.booster, f"model {name} version {version}")
    return LoadedModel(
        name=name,
        version=str(version),
        run_id=run_id,
        booster=files.booster,
        spec=MappingProxyType(files.spec),
        calibrator=files.calibrator,
        metrics=MappingProxyType({k: float(v) for k, v in (metrics or {}).items()}),
        loaded_at=datetime.now(UTC),
        source=source,
        text_model=files.text_model,
    )


@contextmanager
def _single_threaded_lightgbm() -> Iterator[None]:
    """Parse the model file on one thread (LightGBM's process-wide limit, then restored).

    Parsing is as fast on one thread, and it keeps loading fork-safe: a gunicorn worker
    forked from a process that already ran OpenMP on several threads (e.g. `demo`, which
    trains before serving) hangs in its first multi-threaded OpenMP region.
    """
    lib = getattr(lgb.basic, "_LIB", None)
    previous = ctypes.c_int(-1)
    try:
        lib.LGBM_GetMaxThreads(ctypes.byref(previous))
        lib.LGBM_SetMaxThreads(ctypes.c_int(1))
    except AttributeError:  # a LightGBM without the thread limit API (< 4.1)
        yield
        return
    try:
        yield
    finally:
        lib.LGBM_SetMaxThreads(previous)
