"""Liveness, readiness and Prometheus metrics — open, no key needed.

Open means anyone on the network may read them, so /readyz says *that* a model load
failed, never the error's text: it can hold registry URLs, hosts and file paths. The
text is in the service log and in the authenticated `GET /v1/models/current`.
"""

from flask import Blueprint, Response, current_app, jsonify

from assist_api.metrics import exposition, observe_model

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz():
    return jsonify(status="ok")


PUBLIC_MODEL_FIELDS = ("ready", "name", "source", "version", "loaded_at", "last_check_at")
PUBLIC_ERRORS = {
    "last_error": "the last model load failed (details in the service log)",
    "cache_error": "the model's disk cache failed (details in the service log)",
}


def public_model_status(status: dict) -> dict:
    """The scorer's status without the text of its errors."""
    body = {name: status.get(name) for name in PUBLIC_MODEL_FIELDS}
    body.update({name: text if status.get(name) else None for name, text in PUBLIC_ERRORS.items()})
    return body


@blp.get("/readyz")
def readyz():
    store_ok = current_app.extensions["store"].ping()
    model = public_model_status(current_app.extensions["scorer"].status())
    ready = store_ok and model["ready"]
    body = {"ready": ready, "store": "ok" if store_ok else "unreachable", "model": model}
    return jsonify(body), 200 if ready else 503


@blp.get("/metrics")
def metrics():
    model = current_app.extensions["scorer"].current
    observe_model(model.version if model else None)
    payload, content_type = exposition()
    return Response(payload, content_type=content_type)
