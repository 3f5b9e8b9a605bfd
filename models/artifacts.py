"""The layout of a trained model's files: what training writes and the service loads.

A training run stores, besides the MLflow pyfunc model, a `fast_path/` folder with the raw
LightGBM booster, the feature spec it was trained with, its calibration map and, when the
data had labelled transcripts, the text models learned from them (versioned with the
booster whose features they make: features/text_model.py). The
service scores from these with numpy only — no pyfunc, no pandas on the request path.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import lightgbm as lgb

from features.text_model import TextModel, has_text_model, load_text_model
from models.calibration import Calibrator

FAST_PATH_DIR = "fast_path"
BOOSTER_FILE = "booster.txt"
SPEC_FILE = "feature_spec.json"
CALIBRATION_FILE = "calibration.json"
MODEL_INFO_FILE = "model_info.json"  # name, version, run id, metrics: written by the loader


@dataclass
class ModelFiles:
    booster: lgb.Booster
    spec: dict
    calibrator: Calibrator
    text_model: TextModel | None = None  # None: the lexicon alone (cold start)


def save_fast_path(
    folder: Path,
    booster: lgb.Booster,
    spec: dict,
    calibrator: Calibrator,
    text_model: TextModel | None = None,
) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if text_model is not None:
        text_model.save(folder)
    booster.save_model(str(folder / BOOSTER_FILE))
    (folder / SPEC_FILE).write_text(json.dumps(spec, indent=2, ensure_ascii=False), "utf-8")
    (folder / CALIBRATION_FILE).write_text(json.dumps(calibrator.to_dict(), indent=2), "utf-8")
    return folder


def load_fast_path(folder: Path) -> ModelFiles:
    folder = Path(folder)
    booster = lgb.Booster(model_file=str(folder / BOOSTER_FILE))
    spec = json.loads((folder / SPEC_FILE).read_text("utf-8"))
    calibrator = Calibrator.from_dict(json.loads((folder / CALIBRATION_FILE).read_text("utf-8")))
    text_model = load_text_model(folder) if has_text_model(folder) else None
    return ModelFiles(booster, spec, calibrator, text_model)
