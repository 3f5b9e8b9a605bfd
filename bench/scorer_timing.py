"""Benchmark: the serving runtime's per-request costs, in process, one thread.

Usage:  .venv/bin/python bench/scorer_timing.py [--number 2000]

For four model sizes trained on real feature rows (tiny; the shape the trainer makes,
seven leaves; typical; large), times:
  score    LoadedModel.score on the five activity rows (LightGBM's single-row API +
           calibration), next to the peer: Booster.predict on the same rows
  contrib  LoadedModel.contributions on the best row, next to Booster.predict(pred_contrib)
  explain  the mapping from contributions to three sentences (no predict)
plus features.row.prepare + activity_matrix for context. Best of 5 repeats, per call.
"""

import argparse
import sys
import tempfile
import timeit
from pathlib import Path

import lightgbm as lgb
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from features.frame import build_frame, expand_activities  # noqa: E402
from features.row import activity_matrix, prepare  # noqa: E402
from features.spec import CATEGORICAL_INDICES, FEATURE_NAMES, spec_as_dict  # noqa: E402
from models.artifacts import save_fast_path  # noqa: E402
from models.calibration import Calibrator  # noqa: E402
from models.explain import reasons_from_contributions  # noqa: E402
from models.loaded import load_model  # noqa: E402
from tests.helpers.records import interaction  # noqa: E402
from tests.helpers.tiny_model import synthetic_records  # noqa: E402

# rounds, leaves; "trained" is about what training.train makes of the demo world
SIZES = {"tiny": (20, 7), "trained": (270, 7), "typical": (300, 31), "large": (1000, 63)}
CALIBRATOR = Calibrator(method="isotonic", x=(0.0, 0.3, 0.6, 1.0), y=(0.0, 0.25, 0.65, 1.0))


def best_of(function, number: int) -> float:
    return min(timeit.repeat(function, number=number, repeat=5)) / number


def time_model(model, prepared, rows, number: int, contrib_number: int) -> dict[str, float]:
    best = int(np.argmax(model.score(rows)))
    row = rows[best]
    contributions = model.contributions(row)
    booster = model.booster
    return {
        "score": best_of(lambda: model.score(rows), number),
        "score_peer": best_of(lambda: booster.predict(rows, num_threads=1), number),
        "contrib": best_of(lambda: model.contributions(row), contrib_number),
        "contrib_peer": best_of(
            lambda: booster.predict(row[None, :], pred_contrib=True, num_threads=1),
            contrib_number,
        ),
        "explain": best_of(
            lambda: reasons_from_contributions(contributions, prepared, row, "ja", 3), number
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--number", type=int, default=2000)
    args = parser.parse_args()

    records = synthetic_records(n=2000, seed=3)
    matrix = build_frame(expand_activities(records))
    rng = np.random.default_rng(3)
    labels = (rng.uniform(size=len(matrix)) < 0.3 + 0.4 * (matrix[:, 1] < 60)).astype(int)
    record = interaction(1, days_since_purchase=12, contact_reason="", customer_sentiment=-0.4)
    prepared = prepare(record)
    rows = activity_matrix(prepared)

    t_prepare = best_of(lambda: activity_matrix(prepare(record)), args.number)
    print(f"prepare + activity_matrix: {t_prepare * 1e6:8.1f} µs")
    for size, (rounds, leaves) in SIZES.items():
        booster = lgb.train(
            {"objective": "binary", "num_leaves": leaves, "verbose": -1, "min_data_in_leaf": 5},
            lgb.Dataset(matrix, labels, feature_name=list(FEATURE_NAMES),
                        categorical_feature=list(CATEGORICAL_INDICES)),
            num_boost_round=rounds,
        )  # fmt: skip
        with tempfile.TemporaryDirectory() as folder:
            save_fast_path(Path(folder), booster, spec_as_dict(), CALIBRATOR)
            model = load_model(Path(folder), name="bench", version="1", run_id="-")
        number = max(50, args.number // (rounds // 20 or 1))
        t = {k: v * 1e6 for k, v in time_model(model, prepared, rows, args.number, number).items()}
        print(
            f"{size:8s} ({booster.num_trees():4d} trees, {leaves:2d} leaves): "
            f"score {t['score']:6.1f} µs (Booster.predict {t['score_peer']:6.1f})  "
            f"contrib {t['contrib']:7.1f} µs (Booster.predict {t['contrib_peer']:7.1f})  "
            f"explain {t['explain']:5.1f} µs"
        )


if __name__ == "__main__":
    main()
