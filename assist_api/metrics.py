"""Prometheus metrics. Under gunicorn every worker writes to PROMETHEUS_MULTIPROC_DIR and
`/metrics` aggregates them (set by `value-assist serve`); a single process uses its own."""

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

LATENCY_BUCKETS = (0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)

REQUEST_SECONDS = Histogram(
    "value_assist_request_seconds",
    "HTTP request latency by route and method",
    ["route", "method", "status"],
    buckets=LATENCY_BUCKETS,
)
DECISIONS = Counter(
    "value_assist_decisions_total", "Assist decisions by openness band and pool", ["band", "pool"]
)
DEGRADED = Counter(
    "value_assist_degraded_answers_total",
    "Assist answers that had to do without something",
    ["reason"],
)
MODEL_VERSION = Gauge(
    "value_assist_model_version",
    "The live model version in this worker (0: none)",
    multiprocess_mode="liveall",
)


def exposition() -> tuple[bytes, str]:
    """The metrics text for GET /metrics."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def observe_model(version: str | None) -> None:
    MODEL_VERSION.set(float(version) if version and version.isdigit() else 0)


def observe_assist(answer: dict) -> None:
    """Count one /v1/assist answer (called after every successful answer)."""
    band, pool, degraded = answer["openness"]["band"], answer["route"]["pool"], answer["degraded"]
    observe_model(answer["model"]["version"])
    DECISIONS.labels(band or "none", pool).inc()
    for reason in degraded:
        DEGRADED.labels(reason).inc()
