"""What GET /v1/models/current says about the live model."""

from assist_api.config import Settings


def describe_current(scorer, settings: Settings) -> dict:
    model = scorer.current
    status = scorer.status()
    return {
        "name": model.name if model else settings.model_name,
        "version": model.version if model else None,
        "run_id": model.run_id if model else None,
        "source": model.source if model else None,
        "loaded_at": model.loaded_at if model else None,
        "metrics": dict(model.metrics) if model else {},
        "band_thresholds": {"medium": settings.band_medium, "high": settings.band_high},
        "ready": bool(status.get("ready")),
        "last_error": status.get("last_error"),
    }
