"""The on-disk model cache: complete folders only, an atomic `current` pointer, pruning."""

import json
import os
import time

import pytest

from features.spec import spec_as_dict
from models import model_cache
from models.artifacts import MODEL_INFO_FILE, save_fast_path
from models.calibration import Calibrator
from models.loaded import load_model
from tests.helpers.tiny_model import train_tiny_booster

NAME = "ve-openness"


@pytest.fixture(scope="module")
def booster():
    return train_tiny_booster()[0]


def downloaded(cache_dir, booster):
    """A fast_path folder as a download leaves it: inside a scratch folder of the cache."""
    scratch = model_cache.scratch_dir(cache_dir, NAME)
    return save_fast_path(scratch / "fast_path", booster, spec_as_dict(), Calibrator())


def test_store_then_point_makes_a_loadable_current_version(tmp_path, booster):
    folder = model_cache.store(tmp_path, NAME, "4", downloaded(tmp_path, booster), {"run_id": "r4"})
    assert model_cache.current_version(tmp_path, NAME) is None  # stored, not yet current

    model_cache.point_to(tmp_path, NAME, "4")

    assert model_cache.current_version(tmp_path, NAME) == "4"
    info = json.loads((folder / MODEL_INFO_FILE).read_text("utf-8"))
    assert info["run_id"] == "r4" and "cached_at" in info
    assert load_model(folder, name=NAME, version="4", run_id="r4", source="cache").version == "4"
    root = model_cache.model_root(tmp_path, NAME)
    assert sorted(p.name for p in root.iterdir() if not p.name.startswith(".incoming")) == [
        "4",
        "current",
    ]


def test_a_second_writer_of_the_same_version_reuses_the_first(tmp_path, booster):
    first = model_cache.store(tmp_path, NAME, "4", downloaded(tmp_path, booster), {"run_id": "a"})
    second_download = downloaded(tmp_path, booster)
    second = model_cache.store(tmp_path, NAME, "4", second_download, {"run_id": "b"})
    assert first == second and not second_download.exists()
    assert model_cache.read_info(first)["run_id"] == "a"


def test_pointer_to_an_incomplete_version_is_refused_and_ignored(tmp_path):
    (model_cache.version_dir(tmp_path, NAME, "5")).mkdir(parents=True)
    with pytest.raises(FileNotFoundError):
        model_cache.point_to(tmp_path, NAME, "5")
    (model_cache.model_root(tmp_path, NAME) / model_cache.POINTER_FILE).write_text("5")
    assert model_cache.current_version(tmp_path, NAME) is None


@pytest.mark.parametrize("bad", ["../x", "", "a/b", ".hidden"])
def test_unsafe_names_never_become_paths(tmp_path, bad):
    with pytest.raises(ValueError):
        model_cache.version_dir(tmp_path, NAME, bad)


def test_prune_keeps_the_current_and_the_newest(tmp_path, booster):
    for i, version in enumerate(["1", "2", "3", "4", "5"]):
        folder = model_cache.store(tmp_path, NAME, version, downloaded(tmp_path, booster), {})
        os.utime(folder, (time.time() - 100 + i, time.time() - 100 + i))
    model_cache.point_to(tmp_path, NAME, "1")

    deleted = model_cache.prune(tmp_path, NAME, keep=2)

    assert sorted(deleted) == ["2", "3"]
    assert model_cache.current_version(tmp_path, NAME) == "1"
