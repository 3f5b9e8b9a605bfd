"""MLServer with its LightGBM runtime, serving the registered model's booster: the fastest
bare-score peer the benchmark knows of.

MLServer pins its own versions of FastAPI, uvicorn, pydantic and numpy, so it lives in a
virtual environment of its own, made once by the benchmark (`python -m venv` + pip) under
the repository's `data/` folder and reused by later runs. It serves with
`parallel_workers=0` (the model in the server process, no inference pool hop), the booster
file from the run's `fast_path/`, and answers the V2 inference protocol:
`POST /v2/models/ve-openness/infer` with one row of already-encoded features.
"""

import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_VENV = ROOT / "data" / "bench-peers" / "mlserver-venv"
REQUIREMENTS = ("mlserver>=1.7,<1.8", "mlserver-lightgbm>=1.7,<1.8")
MODEL_NAME = "ve-openness"
INFER_PATH = f"/v2/models/{MODEL_NAME}/infer"
READY_PATH = f"/v2/models/{MODEL_NAME}/ready"


def ensure_venv(folder: Path = DEFAULT_VENV, echo=print) -> Path:
    """The `mlserver` executable of the peer's environment, made first if needed."""
    executable = folder / "bin" / "mlserver"
    if executable.exists():
        return executable
    echo(f"making MLServer's own environment in {folder} (once; a few minutes)")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(folder)], check=True)
    pip = [str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, *REQUIREMENTS], check=True)
    return executable


def write_repository(
    folder: Path, booster_file: Path, http_port: int, grpc_port: int, metrics_port: int
) -> Path:
    """A model repository folder for `mlserver start`: server and model settings."""
    folder.mkdir(parents=True, exist_ok=True)
    server = {
        "host": "127.0.0.1",
        "http_port": http_port,
        "grpc_port": grpc_port,
        "metrics_port": metrics_port,
        "parallel_workers": 0,
        "debug": False,
    }
    model = {
        "name": MODEL_NAME,
        "implementation": "mlserver_lightgbm.LightGBMModel",
        "parameters": {"uri": str(Path(booster_file).resolve()), "version": "1"},
    }
    (folder / "settings.json").write_text(json.dumps(server, indent=2))
    (folder / "model-settings.json").write_text(json.dumps(model, indent=2))
    return folder


def start_command(executable: Path, repository: Path) -> list[str]:
    return [str(executable), "start", str(repository)]


def infer_body(row) -> dict:
    """A V2 inference request for one encoded feature row.

    JSON has no NaN, so a missing value cannot travel as LightGBM's NaN; it is sent as
    0.0 instead. The peer's answer is then a score of a slightly different row, which
    changes nothing about how long it takes.
    """
    values = [0.0 if math.isnan(v) else float(v) for v in row]
    tensor = {"name": "features", "shape": [1, len(values)], "datatype": "FP64", "data": values}
    return {"inputs": [tensor]}
