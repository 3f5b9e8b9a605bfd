"""Champion / challenger: the pre-declared rule, applied on the same test rows.

The rule is declared here, before any comparison, and logged with every run (RULE).
On the candidate's test rows, each row's log-loss difference d_i = loss(champion) -
loss(candidate) is positive where the candidate does better. The candidate is promoted
only when the 95 % interval of the mean difference, from resampling test *customers* (a
customer's contacts are not independent), lies above zero. A fixed minimum gain (the
rule before: >= 0.001 with an AUC guard) promoted an equally good candidate about 40 %
of the time on a few thousand test rows, where the paired difference's noise is several
times that gain; `bench/promotion_draws.py` measures both rules on repeated draws.
Where off-policy estimates exist (logged decisions), the candidate must also not be
worse beyond its interval: its DR interval's upper end may not fall below the champion's
DR value. A champion whose feature spec differs cannot be compared on these rows at all:
replacing it takes `value-assist promote VERSION --force`.
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
from training.bootstrap import cluster_sums, interval, ratio_bootstrap
from training.evaluate import overall_metrics

EPS = 1e-15
DRAWS = 2000
RULE = (
    "promote when the 95 % paired-bootstrap interval (over test customers) of the champion's "
    "minus the candidate's test log loss lies above 0, and, where logged decisions exist, the "
    "candidate's off-policy DR interval does not lie wholly below the champion's DR value; a "
    "changed feature spec needs `promote --force`"
)


@dataclass(frozen=True)
class Verdict:
    promote: bool
    reason: str
    gain: float  # mean log-loss improvement of the candidate (positive = better)
    ci95: list[float]
    off_policy: dict | None = None  # what judge() was given (values, or {"refused": why})

    def metrics(self) -> dict[str, float]:
        """The numbers recorded on the run."""
        out = {
            "promotion_log_loss_gain": self.gain,
            "promotion_log_loss_gain_low": self.ci95[0],
            "promotion_log_loss_gain_high": self.ci95[1],
        }
        if self.off_policy and "refused" not in self.off_policy:
            for who in ("candidate", "champion"):
                estimate = self.off_policy[who]
                out[f"promotion_off_policy_dr_{who}"] = estimate["value"]
                if "ci95" in estimate:
                    out[f"promotion_off_policy_dr_{who}_low"] = estimate["ci95"][0]
                    out[f"promotion_off_policy_dr_{who}_high"] = estimate["ci95"][1]
            if "ess" in self.off_policy:
                out["promotion_off_policy_ess"] = self.off_policy["ess"]
        return out

    def off_policy_tag(self) -> str:
        """The run's `promotion.off_policy` tag: applied with its numbers, refused, or none."""
        if not self.off_policy:
            return "none: no logged decisions with outcomes"
        if "refused" in self.off_policy:
            return f"not applied: {self.off_policy['refused']}"
        candidate, champion = self.off_policy["candidate"], self.off_policy["champion"]
        low, high = candidate.get("ci95", [float("nan")] * 2)
        return (
            f"DR candidate {candidate['value']:.4f} (95 % CI {low:.4f}-{high:.4f}) vs "
            f"champion {champion['value']:.4f}"
        )


@dataclass
class Comparison:
    """What the champion scored on the candidate's test rows, and the rule's verdict."""

    better: bool
    reason: str
    champion_version: str | None = None
    champion_metrics: dict = field(default_factory=dict)
    verdict: Verdict | None = None


def row_log_loss(y, p) -> np.ndarray:
    y = np.asarray(y, float)
    p = np.clip(np.asarray(p, float), EPS, 1 - EPS)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def paired_gain(customer, y, p_champion, p_candidate, draws: int = DRAWS, seed: int = 0):
    """(mean gain, 95 % interval) of the candidate's log-loss improvement, by customer."""
    d = row_log_loss(y, p_champion) - row_log_loss(y, p_candidate)
    sums, counts = cluster_sums(customer, d, np.ones(len(d)))
    boot = ratio_bootstrap({"gain": sums}, {"gain": counts}, draws=draws, seed=seed)
    return float(d.mean()), interval(boot["gain"])


def judge(customer, y, p_champion, p_candidate, *, off_policy=None, draws=DRAWS, seed=0) -> Verdict:
    """Apply the rule. `off_policy`: {"candidate": {value, ci95}, "champion": {value, ...}}
    (DR estimates on the same logged decisions), {"refused": why} when they exist but
    cannot be valued (thin support), or None when there are none."""
    gain, ci = paired_gain(customer, y, p_champion, p_candidate, draws=draws, seed=seed)
    numbers = f"log loss gain {gain:+.4f} (95 % CI {ci[0]:+.4f} to {ci[1]:+.4f})"
    if not ci[0] > 0:
        return Verdict(False, f"not better beyond noise: {numbers}", gain, ci, off_policy)
    if off_policy is not None and "refused" not in off_policy:
        candidate, champion = off_policy["candidate"], off_policy["champion"]
        if candidate["ci95"][1] < champion["value"]:
            return Verdict(
                False,
                f"{numbers}, but the off-policy value {candidate['value']:.4f} "
                f"(95 % CI to {candidate['ci95'][1]:.4f}) is below the champion's "
                f"{champion['value']:.4f}",
                gain,
                ci,
                off_policy,
            )
        numbers += f"; off-policy DR {candidate['value']:.4f} vs {champion['value']:.4f}"
    elif off_policy is not None:
        numbers += f"; off-policy check not applied ({off_policy['refused']})"
    return Verdict(True, f"better beyond noise: {numbers}", gain, ci, off_policy)


def champion_files(client, name: str, alias: str):
    """(version info, fast-path files) of the current champion, or (None, None)."""
    info = registry.champion(client, name, alias)
    if info is None:
        return None, None
    with tempfile.TemporaryDirectory() as folder:
        files = load_fast_path(registry.download_fast_path(client, info, Path(folder)))
    return info, files


def compare_with_champion(
    test_rows,
    y_test: np.ndarray,
    customers: np.ndarray,
    p_candidate: np.ndarray,
    info,
    files: ModelFiles | None,
    off_policy: dict | None = None,
) -> Comparison:
    """Re-score the champion on the candidate's test rows and apply the rule.

    The champion's feature rows are built with its own text model (or the lexicon), as
    it would see these interactions in service; `p_candidate` are the candidate's
    calibrated probabilities on the same rows and `customers` their customer ids.
    """
    if info is None or files is None:
        return Comparison(True, "no champion yet")
    try:
        check_spec(files.spec)
    except ValueError as exc:
        return Comparison(
            False,
            f"champion v{info.version} cannot score rows built by this code ({exc}): "
            "a feature-spec change is promoted only by `value-assist promote VERSION --force`",
            info.version,
        )
    p_champion = score_matrix(files, build_frame(test_rows, text_model=files.text_model))
    verdict = judge(customers, y_test, p_champion, p_candidate, off_policy=off_policy)
    champion = overall_metrics(y_test, p_champion)
    return Comparison(verdict.promote, verdict.reason, info.version, champion, verdict)
