"""The Flask floor: the least a Flask app under our gunicorn setup can do to answer a score.

`POST /predict` with `{"features": [...]}` (one encoded feature row, `null` for a missing
value): JSON -> numpy -> `Booster.predict` -> JSON. It runs under exactly the options
`value-assist serve` uses (`assist_api.serve.gunicorn_options`: worker class, workers,
threads, keep-alive), so the difference between it and `/v1/assist` is what the product
does per request beyond a bare score: validation, five activities, reasons, cards,
routing and the durable decision write.

Usage:  python bench/floor_server.py --port P --booster booster.txt [--workers 2]
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assist_api.serve import DEFAULT_WORKERS, GunicornServer, gunicorn_options  # noqa: E402

PREDICT_PATH = "/predict"


def create_floor_app(booster_file: str):
    import lightgbm as lgb
    import numpy as np
    from flask import Flask, jsonify, request

    app = Flask("floor")
    booster = lgb.Booster(model_file=booster_file)

    @app.get("/healthz")
    def healthz():
        return jsonify(ok=True)

    @app.post(PREDICT_PATH)
    def predict():
        features = request.get_json()["features"]
        row = np.array([np.nan if v is None else v for v in features], dtype=np.float64)
        return jsonify(probability=float(booster.predict(row[None, :])[0]))

    return app


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--booster", required=True)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    args = parser.parse_args()
    options = gunicorn_options("127.0.0.1", args.port, args.workers)
    options.pop("child_exit")  # no Prometheus here
    GunicornServer(options, app_factory=lambda: create_floor_app(args.booster)).run()


if __name__ == "__main__":
    main()
