"""Champion / challenger: the pre-declared rule, applied on the same test rows.

The rule is declared here, before any comparison, and logged with every run:

    promote the candidate when its test log loss is lower than the champion's by at least
    LOG_LOSS_MIN_GAIN and its test ROC AUC is not lower than the champion's by more than
    AUC_MAX_DROP — both measured on the candidate's test rows, the champion re-scored
    from its own fast-path files (booster + calibration).

Log loss leads because the product uses the probabilities themselves (openness bands,
card scores), not just their order; the AUC guard stops a model that is better
calibrated but worse at ranking. Retraining on the same data gives the same model, whose
gain is 0, so it is never promoted.
"""

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from features.frame import build_frame
from features.spec import check_spec
from models import registry
from models.artifacts import ModelFiles, load_fast_path
from models.pyfunc import score_matrix
from training.evaluate import overall_metrics

LOG_LOSS_MIN_GAIN = 0.001
AUC_MAX_DROP = 0.005
RULE = (
    f"promote when test log loss is lower than the champion's by >= {LOG_LOSS_MIN_GAIN} "
    f"and test ROC AUC is not lower by more than {AUC_MAX_DROP}, on the same test rows"
)


@dataclass
class Comparison:
    """What the champion scored on the candidate's test rows, and the rule's verdict."""

    better: bool
    reason: str
    champion_version: str | None = None
    champion_metrics: dict = field(default_factory=dict)


def judge(candidate: dict, champion: dict) -> tuple[bool, str]:
    """Apply the rule to two `overall` metric dicts computed on the same rows."""
    gain = champion["log_loss"] - candidate["log_loss"]
    drop = (champion["roc_auc"] or 0.0) - (candidate["roc_auc"] or 0.0)
    numbers = (
        f"log loss {candidate['log_loss']:.4f} vs champion {champion['log_loss']:.4f} "
        f"(gain {gain:+.4f}), ROC AUC {candidate['roc_auc']:.4f} vs {champion['roc_auc']:.4f}"
    )
    if gain < LOG_LOSS_MIN_GAIN:
        return False, f"not better: {numbers}; log loss gain below {LOG_LOSS_MIN_GAIN}"
    if drop > AUC_MAX_DROP:
        return False, f"not better: {numbers}; AUC drops by more than {AUC_MAX_DROP}"
    return True, f"better: {numbers}"


def champion_files(client, name: str, alias: str):
    """(version info, fast-path files) of the current champion, or (None, None)."""
    info = registry.champion(client, name, alias)
    if info is None:
        return None, None
    with tempfile.TemporaryDirectory() as folder:
        files = load_fast_path(registry.download_fast_path(client, info, Path(folder)))
    return info, files


def compare_with_champion(
    candidate: dict, test_rows, y_test: np.ndarray, info, files: ModelFiles | None
) -> Comparison:
    """Re-score the champion on the candidate's test rows and apply the rule.

    The champion's feature rows are built with its own text model (or the lexicon), as
    it would see these interactions in service.
    """
    if info is None or files is None:
        return Comparison(True, "no champion yet")
    try:
        check_spec(files.spec)
    except ValueError as exc:
        return Comparison(
            True,
            f"champion v{info.version} cannot score rows built by this code ({exc})",
            info.version,
        )
    X_test = build_frame(test_rows, text_model=files.text_model)
    champion = overall_metrics(y_test, score_matrix(files, X_test))
    better, reason = judge(candidate, champion)
    return Comparison(better, reason, info.version, champion)
