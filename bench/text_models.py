"""The learned text models on a world: held-out rows, held-out hand-written examples, speed.

Usage:  .venv/bin/python bench/text_models.py --from D [--from D2 ...]

For each world folder D (import-format files; truth.csv beside them is used for the
sentiment MAE against the simulator's truth), fits the contact-reason and sentiment
models exactly as `value-assist train` does (rows before the test cut-off), then prints:
per-language accuracy and macro-F1 on the world's later labelled rows, for the model and
the lexicon; accuracy on the hand-written held-out examples (tests/features/
heldout_reasons.py, written before the model and not tuned on); sentiment MAE against
the given and the true sentiment; and the time to vectorise and score one transcript.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from features.text import parse_transcript  # noqa: E402
from features.text_model import lexicon_scores  # noqa: E402
from features.vocabulary import CONTACT_REASONS  # noqa: E402
from tests.features.heldout_reasons import EN_HELDOUT, JA_HELDOUT  # noqa: E402
from training.dataset import build_training_set, read_import_dir, read_truth  # noqa: E402
from training.text_models import fit_text_models  # noqa: E402

TIMING_TEXTS = (
    "お世話になっております。先週注文した商品がまだ届いておりません。確認していただけますか。",
    "Hi, I was charged twice this month and I want a refund. This is the third time I call.",
)


def handwritten(model) -> dict:
    out = {}
    for lang, cases in (("en", EN_HELDOUT), ("ja", JA_HELDOUT)):
        right = lexicon = 0
        for reason, text in cases:
            parsed = parse_transcript(text)
            scores = lexicon_scores(parsed, lang)
            p = model.reason_distribution(*model.vector(parsed, scores))
            right += CONTACT_REASONS[int(np.argmax(p))] == reason
            lexicon += CONTACT_REASONS[int(np.argmax(scores))] == reason
        out[lang] = (len(cases), right / len(cases), lexicon / len(cases))
    return out


def per_transcript_us(model, repeats: int = 2000) -> float:
    """Median over the timing texts of parse + lexicon + vector + reason + sentiment."""
    times = []
    for text in TIMING_TEXTS:
        started = time.perf_counter()
        for _ in range(repeats):
            parsed = parse_transcript(text)
            vector = model.vector(parsed, lexicon_scores(parsed, None))
            model.reason_distribution(*vector)
            model.sentiment(*vector)
        times.append((time.perf_counter() - started) / repeats * 1e6)
    return float(np.median(times))


def true_sentiment_mae(model, interactions, truth, test_from) -> float | None:
    """MAE of the estimate vs the simulator's sentiment on later rows with it empty."""
    if truth is None or "true_customer_sentiment" not in truth:
        return None
    rows = interactions.merge(truth[["interaction_id", "true_customer_sentiment"]])
    rows = rows[(rows["started_at"] >= test_from) & rows["customer_sentiment"].isna()]
    rows = rows[rows["transcript"].notna()].head(3000)
    errors = []
    for text, language, true in zip(
        rows["transcript"], rows["language"], rows["true_customer_sentiment"], strict=True
    ):
        parsed = parse_transcript(text)
        estimate = model.sentiment(*model.vector(parsed, lexicon_scores(parsed, language)))
        errors.append(abs(estimate - true))
    return float(np.mean(errors)) if errors else None


def report(folder: Path) -> None:
    interactions, outcomes, _ = read_import_dir(folder)
    ts = build_training_set(interactions, outcomes)
    model = fit_text_models(interactions, ts.cutoffs[1])
    print(f"== {folder}")
    if model is None:
        print("  no labelled rows with transcripts: the lexicon stays (cold start)")
        return
    facts = model.facts
    print(
        f"  fitted on {facts['reason_rows']} labelled rows ({facts['reason_distinct_texts']} "
        f"distinct texts), vocabulary {facts['vocabulary']}, temperature "
        f"{facts['temperature']:.2f}, in {facts['seconds']:.1f} s"
    )
    for source in ("reason_model", "reason_lexicon"):
        scores = facts.get(source, {})
        shown = ", ".join(
            f"{lang} acc {s['accuracy']:.3f} F1 {s['macro_f1']:.3f} (n={s['n']})"
            for lang, s in scores.items()
        )
        print(f"  later labelled rows, {source.split('_')[1]:<7}: {shown}")
    for lang, (n, right, lexicon) in handwritten(model).items():
        print(f"  hand-written held-out {lang} (n={n}): model {right:.3f}, lexicon {lexicon:.3f}")
    if model.has_sentiment:
        true_mae = true_sentiment_mae(model, interactions, read_truth(folder), ts.cutoffs[1])
        print(
            f"  sentiment MAE on later rows: model {facts['sentiment_mae']:.3f} vs a constant "
            f"{facts['sentiment_mae_constant']:.3f}; vs the simulator's truth where the "
            f"import left it empty: {'n/a' if true_mae is None else f'{true_mae:.3f}'}"
        )
    cost = per_transcript_us(model)
    print(f"  one transcript (parse, lexicon, vector, reason, sentiment): {cost:.0f} µs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--from", dest="folders", type=Path, action="append", required=True)
    for folder in parser.parse_args().folders:
        report(folder)


if __name__ == "__main__":
    main()
