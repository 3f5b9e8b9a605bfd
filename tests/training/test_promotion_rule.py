"""The pre-declared champion/challenger rule."""

import pytest

from training.promote import AUC_MAX_DROP, LOG_LOSS_MIN_GAIN, judge

CHAMPION = {"log_loss": 0.6000, "roc_auc": 0.7200}


@pytest.mark.parametrize(
    ("candidate", "better", "why"),
    [
        ({"log_loss": 0.6000, "roc_auc": 0.7200}, False, "gain below"),  # the same model
        ({"log_loss": 0.6000 - LOG_LOSS_MIN_GAIN / 2, "roc_auc": 0.73}, False, "gain below"),
        ({"log_loss": 0.6010, "roc_auc": 0.7300}, False, "gain below"),  # ranks, worse probs
        ({"log_loss": 0.5950, "roc_auc": 0.7200 - 2 * AUC_MAX_DROP}, False, "AUC drops"),
        ({"log_loss": 0.5950, "roc_auc": 0.7200 - AUC_MAX_DROP / 2}, True, "better"),
        ({"log_loss": 0.5900, "roc_auc": 0.7300}, True, "better"),
    ],
)
def test_rule(candidate, better, why):
    verdict, reason = judge(candidate, CHAMPION)
    assert verdict is better
    assert why in reason
