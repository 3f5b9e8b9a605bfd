"""bench/oracle_ceiling.py: properties its figures must have on any simulated world."""

import importlib.util
from pathlib import Path

from training.simulator.world import simulate_world, write_world

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "oracle_ceiling.py"
FAST = {"learning_rate": 0.3}  # a small world: few trees are enough
TOLERANCE = 0.01  # AUC noise between two fits scored on the same ~280 test rows


def load_script():
    spec = importlib.util.spec_from_file_location("oracle_ceiling", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hidden_inputs_lift_the_ceiling_and_every_auc_is_sensible(tmp_path):
    script = load_script()
    write_world(simulate_world(6000, seed=5), tmp_path)

    result = script.measure(tmp_path, params=FAST)

    auc = result["auc"]
    latent, observable = (auc[c.label] for c in script.CEILINGS[:2])
    assert set(auc) == {script.PRODUCT, *(c.label for c in script.CEILINGS)}
    assert latent >= observable - TOLERANCE, auc
    for value in [result["oracle"], *auc.values()]:
        assert 0.5 < value <= 1.0, auc
