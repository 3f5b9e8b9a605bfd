"""A gunicorn worker forked after multi-threaded training (as `demo` does) can load a model.

GNU OpenMP hangs in a forked child's first multi-threaded region if the parent already
ran one; the loader parses on one thread so it never starts such a region.
"""

import os
import sys
import time

import lightgbm as lgb
import numpy as np
import pytest

from features.spec import spec_as_dict
from models.artifacts import save_fast_path
from models.calibration import Calibrator
from models.loaded import load_model
from tests.helpers.tiny_model import train_tiny_booster

CHILD_SECONDS = 60


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_loads_and_scores_after_parallel_training(tmp_path):
    booster, matrix = train_tiny_booster()
    folder = save_fast_path(tmp_path / "fp", booster, spec_as_dict(), Calibrator())
    rng = np.random.default_rng(0)
    X = rng.normal(size=(4000, 20))
    lgb.train(  # leaves this process's OpenMP pool multi-threaded, like a demo's training
        {"objective": "binary", "num_threads": 2, "verbose": -1},
        lgb.Dataset(X, (X[:, 0] > 0).astype(int)),
        num_boost_round=20,
    )

    pid = os.fork()
    if pid == 0:  # the "worker"
        code = 1
        try:
            model = load_model(folder, name="ve-openness", version="1", run_id="r")
            code = 0 if model.score(matrix[:5]).shape == (5,) else 1
        finally:
            sys.stdout.flush()
            os._exit(code)
    deadline = time.monotonic() + CHILD_SECONDS
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0
            return
        time.sleep(0.05)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    pytest.fail(f"the forked child hung loading the model for {CHILD_SECONDS}s")
