"""Liveness, readiness and Prometheus metrics — open, no key needed."""

from flask import Blueprint, Response, current_app, jsonify

from assist_api.metrics import exposition, observe_model

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@blp.get("/readyz")
def readyz():
    store_ok = current_app.extensions["store"].ping()
    model = current_app.extensions["scorer"].status()
    ready = store_ok and model["ready"]
    body = {"ready": ready, "store": "ok" if store_ok else "unreachable", "model": model}
    return jsonify(body), 200 if ready else 503


@blp.get("/metrics")
def metrics():
    model = current_app.extensions["scorer"].current
    observe_model(model.version if model else None)
    payload, content_type = exposition()
    return Response(payload, content_type=content_type)
