"""Learn the text models (features/text_model.py) from the import's own labelled rows.

A typical export has the contact reason filled on most rows and the customer's words on
nearly all: those rows teach the reason classifier for the rows where the reason is
empty, in whatever words this centre's customers use (a hand lexicon cannot know them).
Sentiment likewise, where the import carries it.

Honest evaluation: the models learn only from rows before the training set's test
cut-off (earlier 80 % to fit, later 20 % to fit the temperature), and are scored on
rows after it. The rows a model is applied to when building the openness model's
features are the ones *without* a reason (or sentiment), never its own training rows.
Identical (text, label) pairs are fitted once with a weight, which keeps training to a
few seconds on 100k interactions.
"""

import time
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import f1_score
from sklearn.preprocessing import normalize

from features.text import parse_transcript
from features.text_model import TextModel, char_ngrams, lexicon_scores
from features.vocabulary import CONTACT_REASONS, primary_language

MIN_ROWS = 200  # fewer labelled rows than this: keep the lexicon (cold start)
MAX_ROWS = 15_000  # the most recent labelled rows are plenty for a linear text model
MAX_EVAL_ROWS = 6_000  # held-out rows scored (the first after the cut-off)
MIN_DF = 2
MAX_FEATURES = 8_000
MAX_ITER = 100
REASON_C = 4.0
SENTIMENT_ALPHA = 1.0
CALIBRATION_SHARE = 0.2  # the latest share of the fitting rows, for the temperature
TEMPERATURES = np.exp(np.linspace(np.log(0.3), np.log(5.0), 41))
_REASON_INDEX = {r: i for i, r in enumerate(CONTACT_REASONS)}


@dataclass
class TextRows:
    """Parsed transcripts with what the lexicon saw in them, in time order."""

    match_text: np.ndarray  # object
    lexicon: np.ndarray  # (n, len(CONTACT_REASONS))
    language: np.ndarray  # "ja" | "en" | "other"
    reason: np.ndarray  # given reason index, -1 when empty
    sentiment: np.ndarray  # given sentiment, NaN when empty
    before: np.ndarray  # bool: earlier than the test cut-off (may be learned from)


def chosen_rows(interactions: pd.DataFrame, test_from) -> pd.DataFrame:
    """The rows the text models use: with a transcript, the latest MAX_ROWS labelled ones
    (reason or sentiment) before the cut-off and the first MAX_EVAL_ROWS after it."""
    frame = interactions[["transcript", "language", "contact_reason", "customer_sentiment"]]
    has_text = frame["transcript"].map(lambda t: isinstance(t, str) and bool(t.strip()))
    before = _utc_naive(interactions["started_at"]) < _utc_naive([test_from])[0]
    has_reason = frame["contact_reason"].isin(CONTACT_REASONS).to_numpy(bool)
    has_sentiment = pd.to_numeric(frame["customer_sentiment"], errors="coerce").notna()
    has_text, has_sentiment = has_text.to_numpy(bool), has_sentiment.to_numpy(bool)
    keep = np.zeros(len(frame), bool)
    for labelled in (has_reason, has_sentiment):
        keep[np.flatnonzero(has_text & before & labelled)[-MAX_ROWS:]] = True
    keep[np.flatnonzero(has_text & ~before)[:MAX_EVAL_ROWS]] = True
    return frame[keep].assign(before=before[keep])


def text_rows(frame: pd.DataFrame) -> TextRows:
    """Each distinct (transcript, language) parsed once; frame from chosen_rows."""
    cache: dict = {}
    texts, lexicon = [], []
    for key in zip(frame["transcript"], frame["language"].fillna(""), strict=True):
        if key not in cache:
            parsed = parse_transcript(key[0])
            cache[key] = (parsed.match_text, lexicon_scores(parsed, key[1] or None))
        texts.append(cache[key][0])
        lexicon.append(cache[key][1])
    return TextRows(
        match_text=np.array(texts, dtype=object),
        lexicon=np.array(lexicon, dtype=float).reshape(len(texts), len(CONTACT_REASONS)),
        language=np.array([_lang(v) for v in frame["language"]], dtype=object),
        reason=np.array([_REASON_INDEX.get(r, -1) for r in frame["contact_reason"]], int),
        sentiment=pd.to_numeric(frame["customer_sentiment"], errors="coerce").to_numpy(float),
        before=frame["before"].to_numpy(bool),
    )


def _utc_naive(values) -> np.ndarray:
    """Times as naive UTC datetime64 (comparable whatever the reader's time zone)."""
    return pd.to_datetime(pd.Series(values), utc=True).dt.tz_convert(None).to_numpy("M8[ns]")


def _lang(tag) -> str:
    if not isinstance(tag, str) or not tag.strip():
        return "other"
    lang = primary_language(tag.strip().lower())
    return lang if lang in ("ja", "en") else "other"


class Vectors:
    """TF-IDF rows (+ the lexicon's scores) of every distinct text, counted once.

    The vocabulary and IDF come from `fit_on` rows only (before the cut-off), exactly
    as sklearn's TfidfVectorizer defines them (smooth IDF, raw counts, L2 norm), so
    features.text_model.TextModel.vector reproduces a row at serving time.
    """

    def __init__(self, rows: TextRows, fit_on: np.ndarray, vocabulary=None, idf=None):
        codes, uniques = pd.factorize(rows.match_text)
        self._codes, self._lexicon = codes, rows.lexicon
        counts = [Counter(char_ngrams(text)) for text in uniques]
        if vocabulary is None:
            fit_texts = np.unique(codes[fit_on])
            df = Counter(gram for k in fit_texts for gram in counts[k])
            kept = [g for g, n in df.most_common(MAX_FEATURES) if n >= MIN_DF]
            vocabulary = {g: i for i, g in enumerate(sorted(kept))}
            n_docs = len(fit_texts)
            df_kept = np.array([df[g] for g in sorted(kept)], float)
            idf = np.log((1 + n_docs) / (1 + df_kept)) + 1.0
        self.vocabulary, self.idf = vocabulary, idf
        grams = [gram for counter in counts for gram in counter]
        n = np.fromiter((v for counter in counts for v in counter.values()), float, len(grams))
        columns = pd.Index(list(vocabulary)).get_indexer(grams)  # -1: not in the vocabulary
        row = np.repeat(np.arange(len(counts)), [len(c) for c in counts])
        known = columns >= 0
        order = np.fromiter(vocabulary.values(), int, len(vocabulary))
        matrix = sp.csr_matrix(
            (n[known], (row[known], order[columns[known]])), (len(uniques), len(vocabulary))
        )
        self._tfidf = normalize(matrix @ sp.diags(idf))

    def __call__(self, index: np.ndarray):
        tfidf = self._tfidf[self._codes[index]]
        return sp.hstack([tfidf, sp.csr_matrix(self._lexicon[index])], format="csr")


def _unique(rows: TextRows, index: np.ndarray, target: np.ndarray, mean: bool = False):
    """Distinct texts among `index` (with their target) and how often each occurs.

    Classes: one row per distinct (text, reason). Regression (`mean`): one row per text
    with the mean target, which leaves the squared-error fit unchanged.
    """
    frame = pd.DataFrame({"t": rows.match_text[index], "y": target, "i": index})
    keys = ["t"] if mean else ["t", "y"]
    grouped = frame.groupby(keys, sort=False).agg(
        i=("i", "first"), y=("y", "mean"), n=("i", "size")
    )
    return grouped["i"].to_numpy(), grouped["y"].to_numpy(), grouped["n"].to_numpy(float)


def _temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature that minimises log loss on later rows (a 1-D grid is enough)."""
    best, best_loss = 1.0, np.inf
    for t in TEMPERATURES:
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        loss = -log_p[np.arange(len(y)), y].mean()
        if loss < best_loss:
            best, best_loss = float(t), loss
    return best


def reason_scores(truth: np.ndarray, predicted: np.ndarray, language: np.ndarray) -> dict:
    """Accuracy and macro-F1 overall and per language (a plain dict for the report)."""
    out = {}
    for name, mask in (("all", np.ones(len(truth), bool)), *_languages(language)):
        if mask.sum() == 0:
            continue
        out[name] = {
            "n": int(mask.sum()),
            "accuracy": float(np.mean(truth[mask] == predicted[mask])),
            "macro_f1": float(f1_score(truth[mask], predicted[mask], average="macro")),
        }
    return out


def _languages(language):
    return [(lang, language == lang) for lang in ("ja", "en", "other")]


def fit_text_models(interactions: pd.DataFrame, test_from) -> TextModel | None:
    """Reason (and sentiment) models from rows before `test_from`; None when too few rows."""
    started = time.perf_counter()
    rows = text_rows(chosen_rows(interactions, test_from))
    labelled = np.flatnonzero(rows.before & (rows.reason >= 0))
    if len(labelled) < MIN_ROWS or len(set(rows.reason[labelled])) < 2:
        return None
    design = Vectors(rows, labelled)
    cut = int(len(labelled) * (1 - CALIBRATION_SHARE))
    fit_rows, calibration_rows = labelled[:cut], labelled[cut:]
    first, y, weight = _unique(rows, fit_rows, rows.reason[fit_rows])
    classifier = LogisticRegression(C=REASON_C, max_iter=MAX_ITER, tol=1e-3)
    classifier.fit(design(first), y.astype(int), sample_weight=weight)
    coef, intercept = _full_coef(classifier)
    logits = design(calibration_rows) @ coef + intercept
    temperature = _temperature(logits, rows.reason[calibration_rows])
    with_sentiment = np.flatnonzero(rows.before & ~np.isnan(rows.sentiment))
    sentiment_coef, sentiment_intercept, sentiment_facts = _fit_sentiment(
        design, rows, with_sentiment
    )
    model = TextModel(
        vocabulary=design.vocabulary,
        idf=design.idf,
        reason_coef=coef,
        reason_intercept=intercept,
        temperature=temperature,
        sentiment_coef=sentiment_coef,
        sentiment_intercept=sentiment_intercept,
    )
    facts = {
        "reason_rows": int(len(labelled)),
        "reason_distinct_texts": int(len(first)),
        "vocabulary": int(len(design.vocabulary)),
        "temperature": temperature,
        **sentiment_facts,
        **evaluate_text_model(model, rows, np.flatnonzero(~rows.before), design),
        "seconds": time.perf_counter() - started,
    }
    return TextModel(**{**model.__dict__, "facts": facts})


def _full_coef(classifier) -> tuple[np.ndarray, np.ndarray]:
    """(n_features, 8) weights and (8,) intercepts, zero logits for reasons never seen."""
    n_features = classifier.coef_.shape[1]
    coef = np.zeros((n_features, len(CONTACT_REASONS)))
    intercept = np.full(len(CONTACT_REASONS), -30.0)
    classes = classifier.classes_
    if len(classes) == 2:  # sklearn keeps one weight vector for two classes
        coef[:, classes[1]], intercept[classes[1]] = classifier.coef_[0], classifier.intercept_[0]
        intercept[classes[0]] = 0.0
    else:
        coef[:, classes] = classifier.coef_.T
        intercept[classes] = classifier.intercept_
    return coef, intercept


def _fit_sentiment(design: Vectors, rows: TextRows, present: np.ndarray):
    if len(present) < MIN_ROWS:
        return None, 0.0, {"sentiment_rows": int(len(present))}
    first, y, weight = _unique(rows, present, rows.sentiment[present], mean=True)
    regression = Ridge(alpha=SENTIMENT_ALPHA, solver="lsqr").fit(
        design(first), y, sample_weight=weight
    )
    return (
        regression.coef_.astype(np.float64),
        float(regression.intercept_),
        {"sentiment_rows": int(len(present))},
    )


def predict_rows(model: TextModel, rows: TextRows, index: np.ndarray, design=None):
    """(P(reason) (n, 8), sentiment (n,)) for rows[index], as serving computes them."""
    if design is None:
        design = Vectors(rows, index, model.vocabulary, model.idf)
    X = design(index)
    logits = (X @ model.reason_coef + model.reason_intercept) / model.temperature
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    sentiment = (
        np.clip(X @ model.sentiment_coef + model.sentiment_intercept, -1, 1)
        if model.has_sentiment
        else np.full(len(index), np.nan)
    )
    return p, sentiment


def evaluate_text_model(model: TextModel, rows: TextRows, held_out: np.ndarray, design) -> dict:
    """Per-language accuracy / macro-F1 (model and lexicon) and sentiment MAE, held out."""
    out: dict = {}
    index = held_out[rows.reason[held_out] >= 0]
    if len(index):
        p, _ = predict_rows(model, rows, index, design)
        truth, language = rows.reason[index], rows.language[index]
        out["reason_model"] = reason_scores(truth, p.argmax(axis=1), language)
        out["reason_lexicon"] = reason_scores(truth, rows.lexicon[index].argmax(axis=1), language)
    index = held_out[~np.isnan(rows.sentiment[held_out])]
    if model.has_sentiment and len(index):
        _, estimate = predict_rows(model, rows, index, design)
        out["sentiment_mae"] = float(np.mean(np.abs(estimate - rows.sentiment[index])))
        out["sentiment_mae_constant"] = float(
            np.mean(np.abs(np.nanmedian(rows.sentiment[rows.before]) - rows.sentiment[index]))
        )
    return out
