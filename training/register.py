"""Log a trained model to MLflow and register it: one run holds everything about it.

The run stores parameters, metrics, plots, the feature spec, the model card, the
evaluation report, the dataset fingerprint, the `fast_path/` files the service loads,
and the pyfunc model (registered as `ve-openness`) that `mlflow models serve` and Spark
use on raw records. Nothing here needs the network beyond the tracking URI itself: pip
requirements are pinned from the installed versions, and our own packages travel with
the model as `code_paths`.
"""

import shutil
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import mlflow
import pandas as pd
from mlflow.models import ModelSignature
from mlflow.types.schema import AnyType, ColSpec, Schema

import features
import models
from features.columns import INTERACTION_COLUMNS
from features.encode import DIRECT_CATEGORICAL, DIRECT_NUMERIC
from features.spec import FEATURE_SPEC_VERSION, spec_as_dict
from models.artifacts import FAST_PATH_DIR, save_fast_path
from models.pyfunc import ACTIVITY_COLUMN, FAST_PATH_ARTIFACT
from training.mlflow_scope import mlflow_uris
from training.promote import RULE

EXPERIMENT = "value-assist"
MODEL_ARTIFACT = "model"
PINNED = ("mlflow", "lightgbm", "numpy", "pandas", "scipy", "cloudpickle")
# The import-format columns the features read; others in a record are ignored.
INPUT_COLUMNS = (*DIRECT_NUMERIC, *DIRECT_CATEGORICAL, "language", "contact_reason", "transcript")
_COLUMNS = {c.name: c for c in INTERACTION_COLUMNS}


@dataclass
class Registered:
    run_id: str
    experiment_id: str
    version: str
    model_uri: str


def local_store(tracking_uri: str) -> bool:
    """True for a tracking store on this machine (SQLite or files), not a server."""
    return not tracking_uri.startswith(("http://", "https://", "databricks"))


def ensure_experiment(tracking_uri: str, name: str = EXPERIMENT, artifact_root=None) -> str:
    """The experiment's id; created with its artifacts under `artifact_root` if given."""
    client = mlflow.MlflowClient(tracking_uri=tracking_uri)
    found = client.get_experiment_by_name(name)
    if found is not None:
        return found.experiment_id
    location = None
    if artifact_root is not None:
        Path(artifact_root).mkdir(parents=True, exist_ok=True)
        location = Path(artifact_root).resolve().as_uri()
    return client.create_experiment(name, artifact_location=location)


def signature() -> ModelSignature:
    """The raw columns the model reads, each optional, typed loosely on purpose.

    MLflow's own type check refuses int64 for a `double` column and float64 NaN for an
    all-empty `string` one — exactly what `pd.read_csv` gives for whole numbers and empty
    optional text. So the columns are `Any` here and models/pyfunc_input.py checks and
    converts them, naming a bad column without quoting the data. `activity` is optional:
    without it the model answers openness, best_activity and p_<activity>.
    """
    inputs = [ColSpec(AnyType(), name, required=False) for name in INPUT_COLUMNS]
    inputs.append(ColSpec(AnyType(), ACTIVITY_COLUMN, required=False))
    return ModelSignature(inputs=Schema(inputs))


def signature_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """Typed import-format rows as `pd.read_csv` would give them (e.g. for `predict`).

    Whole-number columns int64, other numbers float64, text plain objects with None for
    missing: the input example stored with the model.
    """
    frame = rows[[*INPUT_COLUMNS, ACTIVITY_COLUMN]].astype(object)
    frame = frame.where(frame.notna(), None)
    for name in DIRECT_NUMERIC:
        values = pd.to_numeric(frame[name], errors="coerce")
        whole = _COLUMNS[name].kind == "int" and values.notna().all()
        frame[name] = values.astype("int64" if whole else "float64")
    return frame


# The model's input example is stored with the model and shown to anyone who can read
# the registry, so it is made up, never two real customers' rows (with transcripts).
SYNTHETIC_EXAMPLE = (
    {
        "days_since_purchase": 12,
        "feature_adoption": 0.35,
        "products_owned": 2,
        "prior_contacts_90d": 1,
        "clv": 1200.0,
        "customer_sentiment": 0.2,
        "elapsed_seconds": 95.0,
        "plan_tier": "standard",
        "persona": "novice",
        "switching_effort": "high",
        "channel": "phone",
        "language": "ja",
        "contact_reason": "how_to",
        "transcript": "お世話になっております。設定方法を教えてください。",
        ACTIVITY_COLUMN: "educate_usage",
    },
    {
        "days_since_purchase": 200,
        "feature_adoption": 0.8,
        "products_owned": 3,
        "prior_contacts_90d": 0,
        "clv": 5400.0,
        "customer_sentiment": None,
        "elapsed_seconds": 30.0,
        "plan_tier": "premium",
        "persona": "professional",
        "switching_effort": "low",
        "channel": "chat",
        "language": "en",
        "contact_reason": None,
        "transcript": "Hi, is there a way to share my calendar with my team?",
        ACTIVITY_COLUMN: "advise_new_features",
    },
)


def input_example() -> pd.DataFrame:
    """Made-up rows in the signature's columns and types (see SYNTHETIC_EXAMPLE)."""
    return signature_frame(pd.DataFrame(list(SYNTHETIC_EXAMPLE)))


def pip_requirements() -> list[str]:
    return [f"{package}=={version(package)}" for package in PINNED]


def pyfunc_entry_file() -> str:
    """The model-from-code file (no pickle: the model is rebuilt from our code on load)."""
    return str(Path(models.__file__).parent / "pyfunc_entry.py")


def _code_copy(folder: Path) -> list[str]:
    """Clean copies of our packages (no caches) for the model's `code/` folder."""
    paths = []
    for package in (features, models):
        source = Path(package.__file__).parent
        target = folder / source.name
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        paths.append(str(target))
    return paths


def log_and_register(
    *,
    tracking_uri: str,
    experiment_id: str,
    model_name: str,
    fit,
    calibrator,
    calibration_evidence: dict,
    report: dict,
    metrics: dict,
    params: dict,
    tags: dict,
    dataset_summary: dict,
    model_card: str,
    figures: dict,
    example_rows: pd.DataFrame,
    dataset_source: str,
    text_model=None,
    extra_dicts: dict | None = None,
    run_name: str | None = None,
) -> Registered:
    """One run: parameters, metrics, files, fast path and the registered pyfunc model."""
    with (
        mlflow_uris(tracking_uri),
        mlflow.start_run(experiment_id=experiment_id, run_name=run_name) as run,
        tempfile.TemporaryDirectory() as tmp,
    ):
        mlflow.log_params({**params, "promotion_rule": RULE})
        mlflow.log_metrics(metrics)
        mlflow.set_tags({**tags, "feature_spec_version": FEATURE_SPEC_VERSION})
        preview = example_rows.head(0).astype({"label": "float64"}, errors="ignore")
        mlflow.log_input(
            mlflow.data.from_pandas(
                preview, name="labelled-interactions", digest=dataset_summary["fingerprint"]
            ),
            context="training",
            tags={"source": dataset_source[:250]},
        )
        mlflow.log_dict(spec_as_dict(), "feature_spec.json")
        mlflow.log_dict(report, "evaluation.json")
        mlflow.log_dict(dataset_summary, "dataset.json")
        mlflow.log_dict(calibration_evidence, "calibration_choice.json")
        for file_name, content in (extra_dicts or {}).items():
            mlflow.log_dict(content, file_name)
        mlflow.log_text(model_card, "model_card.md")
        for file_name, figure in figures.items():
            mlflow.log_figure(figure, f"plots/{file_name}")
        fast_path = save_fast_path(
            Path(tmp) / FAST_PATH_DIR, fit.booster, spec_as_dict(), calibrator, text_model
        )
        mlflow.log_artifacts(str(fast_path), FAST_PATH_DIR)
        code = Path(tmp) / "code"
        code.mkdir()
        info = mlflow.pyfunc.log_model(
            name=MODEL_ARTIFACT,
            python_model=str(Path(pyfunc_entry_file())),
            artifacts={FAST_PATH_ARTIFACT: str(fast_path)},
            code_paths=_code_copy(code),
            signature=signature(),
            input_example=input_example(),
            pip_requirements=pip_requirements(),
            registered_model_name=model_name,
            metadata={"feature_spec_version": FEATURE_SPEC_VERSION},
        )
        version_number = str(info.registered_model_version)
        client = mlflow.MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
        client.update_model_version(
            model_name, version_number, description=_description(metrics, dataset_summary)
        )
        for key in ("test_roc_auc", "test_log_loss", "test_ece"):
            if key in metrics:
                client.set_model_version_tag(model_name, version_number, key, f"{metrics[key]:.5f}")
        mlflow.set_tag("registered_version", version_number)
        return Registered(run.info.run_id, experiment_id, version_number, info.model_uri)


def record_decision(tracking_uri: str, run_id: str, tags: dict, metrics: dict) -> None:
    """Add the promotion decision (and the champion's scores) to a finished run."""
    client = mlflow.MlflowClient(tracking_uri=tracking_uri)
    for key, value in tags.items():
        client.set_tag(run_id, key, str(value))
    for key, value in metrics.items():
        client.log_metric(run_id, key, float(value))


def _description(metrics: dict, dataset_summary: dict) -> str:
    shown = ", ".join(
        f"{label} {metrics[key]:.4f}"
        for key, label in (
            ("test_roc_auc", "ROC AUC"),
            ("test_log_loss", "log loss"),
            ("test_ece", "ECE"),
        )
        if key in metrics
    )
    return (
        f"P(VE success | interaction, activity). Test {shown} on "
        f"{dataset_summary['test']['rows']} later interactions; dataset "
        f"{dataset_summary['fingerprint']}. See the run's model_card.md."
    )
