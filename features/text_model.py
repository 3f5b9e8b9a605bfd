"""Text models learned from a contact centre's own rows: contact reason and sentiment.

Training (training/text_models.py) fits them on the import's labelled rows; this module
only applies them, with numpy and plain dicts, so the real-time path needs no
scikit-learn and no pickle. Both models read the same features: TF-IDF weights of the
character n-grams of the customer's "match text" (features/text.py), which works for
Japanese and English alike without a tokenizer, plus the lexicon's per-reason scores, so
what the hand lexicon knows is one more signal the data can weigh.

The reason model is a multinomial logistic regression whose logits are divided by a
temperature fitted on later rows (calibration); the sentiment model is a ridge
regression clipped to [-1, 1]. A model is saved as one .npz (arrays) beside a .json
(vocabulary and facts), inside the model version's `fast_path/` folder.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from features.contact_reason import ReasonGuess, guess_reason
from features.text import ParsedTranscript
from features.vocabulary import CONTACT_REASONS

NGRAM_SIZES = (1, 2, 3, 4)
MAX_NGRAMS = 4000  # per transcript: bounds the cost of a pathological input
ARRAYS_FILE = "text_model.npz"
INFO_FILE = "text_model.json"
FORMAT = 1


_REASON_INDEX = {r: i for i, r in enumerate(CONTACT_REASONS)}


def guess_scores(guess: ReasonGuess) -> np.ndarray:
    """The lexicon's guess as features: its confidence at the reason it names, else 0."""
    scores = np.zeros(len(CONTACT_REASONS))
    scores[_REASON_INDEX[guess.reason]] = guess.confidence
    return scores


def lexicon_scores(parsed: ParsedTranscript | None, language: object) -> np.ndarray:
    """guess_scores of the lexicon's guess for a parsed transcript."""
    return guess_scores(guess_reason(parsed, language))


def char_ngrams(match_text: str) -> list[str]:
    """The character n-grams of a match text (spaces kept: they mark word edges)."""
    text = match_text[: MAX_NGRAMS // len(NGRAM_SIZES)]
    return [text[i : i + n] for n in NGRAM_SIZES for i in range(len(text) - n + 1)]


@dataclass(frozen=True, eq=False)
class TextModel:
    vocabulary: dict[str, int] = field(repr=False)
    idf: np.ndarray = field(repr=False)
    reason_coef: np.ndarray = field(repr=False)  # (n_features, len(CONTACT_REASONS))
    reason_intercept: np.ndarray = field(repr=False)
    temperature: float = 1.0
    sentiment_coef: np.ndarray | None = field(default=None, repr=False)  # (n_features,)
    sentiment_intercept: float = 0.0
    facts: dict = field(default_factory=dict)  # rows, held-out scores (for the model card)

    @property
    def has_sentiment(self) -> bool:
        return self.sentiment_coef is not None

    def vector(self, parsed: ParsedTranscript, lexicon_scores: np.ndarray):
        """(indices, values): the sparse TF-IDF row, L2-normalised, then the lexicon scores."""
        # Counter keeps first-seen order, as the former dict loop did (same float sums)
        counts = Counter(map(self.vocabulary.get, char_ngrams(parsed.match_text)))
        counts.pop(None, None)
        indices = np.fromiter(counts, dtype=np.int64, count=len(counts))
        values = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        values *= self.idf[indices]
        norm = np.sqrt(values @ values)
        if norm > 0:
            values /= norm
        n_text = len(self.idf)
        lexicon = np.arange(n_text, n_text + len(lexicon_scores))
        return np.concatenate([indices, lexicon]), np.concatenate([values, lexicon_scores])

    def reason_distribution(self, indices, values) -> np.ndarray:
        """Calibrated P(reason), CONTACT_REASONS order."""
        logits = (values @ self.reason_coef[indices] + self.reason_intercept) / self.temperature
        logits -= logits.max()
        p = np.exp(logits)
        return p / p.sum()

    def sentiment(self, indices, values) -> float:
        """Estimated sentiment in [-1, 1] (NaN when the model has none)."""
        if self.sentiment_coef is None:
            return float("nan")
        estimate = values @ self.sentiment_coef[indices] + self.sentiment_intercept
        return float(min(1.0, max(-1.0, estimate)))

    def save(self, folder: Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        arrays = {
            "idf": self.idf,
            "reason_coef": self.reason_coef,
            "reason_intercept": self.reason_intercept,
        }
        if self.sentiment_coef is not None:
            arrays["sentiment_coef"] = self.sentiment_coef
        np.savez_compressed(folder / ARRAYS_FILE, **arrays)
        grams = sorted(self.vocabulary, key=self.vocabulary.get)
        info = {
            "format": FORMAT,
            "ngram_sizes": list(NGRAM_SIZES),
            "reasons": list(CONTACT_REASONS),
            "vocabulary": grams,
            "temperature": self.temperature,
            "sentiment_intercept": self.sentiment_intercept,
            "facts": self.facts,
        }
        (folder / INFO_FILE).write_text(json.dumps(info, ensure_ascii=False), "utf-8")


def has_text_model(folder: Path) -> bool:
    return (Path(folder) / INFO_FILE).is_file() and (Path(folder) / ARRAYS_FILE).is_file()


def load_text_model(folder: Path) -> TextModel:
    """Read a saved model, refusing one written for other n-grams or another reason list."""
    folder = Path(folder)
    info = json.loads((folder / INFO_FILE).read_text("utf-8"))
    if info.get("format") != FORMAT or tuple(info.get("ngram_sizes", ())) != NGRAM_SIZES:
        raise ValueError("text model was saved by an incompatible version of this code")
    if tuple(info.get("reasons", ())) != CONTACT_REASONS:
        raise ValueError(f"text model reasons {info.get('reasons')} differ from this code's")
    with np.load(folder / ARRAYS_FILE) as arrays:
        sentiment = arrays["sentiment_coef"] if "sentiment_coef" in arrays else None
        return TextModel(
            vocabulary={gram: i for i, gram in enumerate(info["vocabulary"])},
            idf=arrays["idf"],
            reason_coef=arrays["reason_coef"],
            reason_intercept=arrays["reason_intercept"],
            temperature=float(info["temperature"]),
            sentiment_coef=sentiment,
            sentiment_intercept=float(info["sentiment_intercept"]),
            facts=info.get("facts", {}),
        )
