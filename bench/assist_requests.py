"""What the benchmark sends to /v1/assist, and where its time goes inside the app."""

import io
import json
import statistics
import sys
import time

import pandas as pd

from features.columns import CUSTOMER_COLUMN_NAMES


def assist_body(row: dict) -> dict:
    body = {
        "interaction_id": f"bench-{row['interaction_id']}",
        "customer": {name: row[name] for name in CUSTOMER_COLUMN_NAMES},
        "channel": row["channel"],
        "language": row["language"],
        "transcript": [line for line in str(row["transcript"] or "").split("\n") if line],
        "elapsed_seconds": float(row["elapsed_seconds"]),
    }
    if row["contact_reason"]:
        body["contact_reason"] = row["contact_reason"]
    if pd.notna(row["customer_sentiment"]) and row["customer_sentiment"] != "":
        body["customer_sentiment"] = float(row["customer_sentiment"])
    for name in ("days_since_purchase", "products_owned", "prior_contacts_90d"):
        body["customer"][name] = int(body["customer"][name])
    for name in ("feature_adoption", "clv"):
        body["customer"][name] = float(body["customer"][name])
    return body


def whole_app_micros(app, payloads: list[bytes], key: str, count: int) -> float:
    """Median microseconds of the whole Flask app answering /v1/assist, without HTTP:
    what gunicorn, TCP and the client add is the served p50 minus this."""

    def call(payload: bytes) -> float:
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/v1/assist",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(payload),
            "wsgi.errors": sys.stderr,
            "CONTENT_LENGTH": str(len(payload)),
            "CONTENT_TYPE": "application/json",
            "HTTP_AUTHORIZATION": f"Bearer {key}",
        }
        statuses = []
        started = time.perf_counter()
        b"".join(app.wsgi_app(environ, lambda status, headers: statuses.append(status)))
        elapsed = time.perf_counter() - started
        if not statuses[0].startswith("200"):
            raise RuntimeError(f"/v1/assist answered {statuses[0]} in process")
        return elapsed

    return statistics.median(call(payloads[i % len(payloads)]) for i in range(count)) * 1e6


def stage_breakdown(
    settings, bodies: list[dict], key: str, count: int
) -> tuple[dict[str, float], float]:
    """Median in-process microseconds of each stage of /v1/assist, and of the whole app."""
    from assist_api import create_app
    from assist_api.schemas.assist import AssistRequestSchema
    from assist_api.services.assist.pipeline import assist
    from assist_api.services.assist.stage_timer import StageTimer

    app = create_app(settings.with_overrides(model_check_seconds=0.0))
    deps = app.extensions["assist_dependencies"]
    request_schema = AssistRequestSchema()
    samples: dict[str, list[float]] = {}
    with app.app_context():  # the serialize stage builds the route's Response
        for i in range(count):
            body = dict(bodies[i % len(bodies)], interaction_id=f"stage-{i}")
            raw = json.dumps(body)
            timer = StageTimer()
            with timer.stage("validate"):
                data = request_schema.load(json.loads(raw))
            answer = assist(data, deps, timer)
            with timer.stage("serialize"):
                app.json.response(answer)  # what the route sends
            for stage, seconds in timer.seconds.items():
                samples.setdefault(stage, []).append(seconds)
    payloads = [
        json.dumps(dict(body, interaction_id=f"app-{i}")).encode() for i, body in enumerate(bodies)
    ]
    whole = whole_app_micros(app, payloads, key, count)
    app.extensions["scorer"].stop()
    order = (
        "validate",
        "profile",
        "features",
        "predict",
        "explain",
        "cards",
        "route",
        "log",
        "serialize",
    )
    stages = {s: statistics.median(samples[s]) * 1e6 for s in order if s in samples}
    return stages, whole
