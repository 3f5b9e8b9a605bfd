"""Cluster bootstrap of ratios of sums: the intervals of off-policy values and promotion.

Customers are the randomised unit and a customer's contacts are not independent, so
intervals resample customers: per-customer sums are computed once, and each bootstrap
draw weights them by how often the customer was drawn (multinomial counts), in chunks so
memory stays at CHUNK x customers.
"""

import numpy as np

BOOTSTRAP_DRAWS = 1000
CHUNK = 50


def cluster_sums(cluster, *columns) -> tuple[np.ndarray, ...]:
    """Per-cluster sums of each column."""
    _, inverse = np.unique(np.asarray(cluster, object).astype(str), return_inverse=True)
    return tuple(np.bincount(inverse, weights=np.asarray(c, float)) for c in columns)


def ratio_bootstrap(
    numerators: dict[str, np.ndarray],
    denominators: dict[str, np.ndarray],
    draws: int = BOOTSTRAP_DRAWS,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """Bootstrap draws of sum(num) / sum(den) over clusters (per-cluster sums given)."""
    n_clusters = len(next(iter(numerators.values())))
    rng = np.random.default_rng(seed)
    out = {name: [] for name in numerators}
    uniform = np.full(n_clusters, 1.0 / n_clusters)
    for start in range(0, draws, CHUNK):
        counts = rng.multinomial(n_clusters, uniform, size=min(CHUNK, draws - start))
        counts = counts.astype(float)
        for name, num in numerators.items():
            with np.errstate(invalid="ignore", divide="ignore"):
                out[name].append((counts @ num) / (counts @ denominators[name]))
    return {name: np.concatenate(values) for name, values in out.items()}


def interval(values: np.ndarray) -> list[float]:
    """The 95 % percentile interval of bootstrap draws (NaN draws left out)."""
    finite = values[np.isfinite(values)]
    if not len(finite):
        return [float("nan"), float("nan")]
    low, high = np.quantile(finite, [0.025, 0.975])
    return [float(low), float(high)]
