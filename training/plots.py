"""Figures drawn from an evaluation report (the dict from training.evaluate), nothing else.

Each function takes the report and returns a matplotlib Figure; `all_figures` maps the
file names the MLflow run stores them under. The Agg backend is used so training works
on servers without a display.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

TOP_FEATURES = 15


def reliability(report: dict):
    """Observed success rate against mean predicted probability, before/after calibration."""
    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label="perfect")
    for name, style in (("before", "o--"), ("after", "o-")):
        rows = [r for r in report["reliability"][name] if r["rows"]]
        ax.plot(
            [r["mean_predicted"] for r in rows],
            [r["observed_rate"] for r in rows],
            style,
            label=f"{name} calibration",
        )
    overall = report["overall"]
    ax.set_title(
        f"Reliability (ECE {overall['ece_before_calibration']:.3f} -> {overall['ece']:.3f})"
    )
    ax.set_xlabel("mean predicted P(success)")
    ax.set_ylabel("observed success rate")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


def lift_gain(report: dict):
    """Lift per score decile and the cumulative gain curve."""
    table = report["lift"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    groups = [r["group"] for r in table]
    left.bar(groups, [r["lift"] for r in table], color="tab:blue")
    left.axhline(1.0, color="grey", linestyle="--", linewidth=1)
    left.set_xlabel("score decile (1 = highest)")
    left.set_ylabel("lift over the average success rate")
    left.set_title("Lift")
    shares = [0.0] + [g / len(table) for g in groups]
    right.plot(shares, [0.0] + [r["cumulative_gain"] for r in table], "o-", label="model")
    right.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label="random")
    right.set_xlabel("share of interactions (by falling score)")
    right.set_ylabel("share of successes captured")
    right.set_title("Cumulative gain")
    right.legend(loc="lower right")
    fig.tight_layout()
    return fig


def feature_importance(report: dict):
    """Gain share and mean |contribution| (log-odds) of the top features."""
    gain = report["importance"]["gain_share"]
    contribution = report["importance"]["mean_abs_contribution"]
    names = list(gain)[:TOP_FEATURES][::-1]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 0.35 * len(names) + 1.5))
    left.barh(names, [gain[n] for n in names], color="tab:green")
    left.set_title("share of split gain")
    right.barh(names, [contribution[n] for n in names], color="tab:orange")
    right.set_title("mean |contribution| (log-odds)")
    right.set_yticks([])
    fig.tight_layout()
    return fig


def slice_auc(report: dict):
    """ROC AUC per channel, contact reason and language, with the overall AUC marked."""
    slices = report["per_slice"]
    fig, axes = plt.subplots(1, len(slices), figsize=(4.5 * len(slices), 4))
    overall = report["overall"]["roc_auc"]
    for ax, (column, values) in zip(axes, slices.items(), strict=True):
        names = [v for v, s in values.items() if s["roc_auc"] is not None]
        ax.barh(names, [values[n]["roc_auc"] for n in names], color="tab:purple")
        if overall is not None:
            ax.axvline(overall, color="black", linestyle="--", linewidth=1)
        ax.set_xlim(0.4, 1.0)
        ax.set_title(f"ROC AUC by {column}")
    fig.tight_layout()
    return fig


def openness_bands(report: dict):
    """Share of test interactions and observed success rate per openness band."""
    bands = report["bands"]
    names = ["low", "medium", "high"]
    fig, ax = plt.subplots(figsize=(5.5, 4))
    ax.bar(names, [bands[n]["share"] for n in names], color="tab:cyan", label="share")
    ax.plot(names, [bands[n]["success_rate"] or 0.0 for n in names], "ko-", label="success rate")
    low, high = bands["thresholds"]
    ax.set_title(f"Openness bands (medium >= {low:.2f}, high >= {high:.2f})")
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


FIGURES = {
    "reliability.png": reliability,
    "lift_gain.png": lift_gain,
    "feature_importance.png": feature_importance,
    "slice_auc.png": slice_auc,
    "openness_bands.png": openness_bands,
}


def all_figures(report: dict) -> dict:
    return {name: draw(report) for name, draw in FIGURES.items()}


def close(figures: dict) -> None:
    for fig in figures.values():
        plt.close(fig)
