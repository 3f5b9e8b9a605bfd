"""The feature spec stored with a model, and the room's import boundaries."""

import ast
import json
from pathlib import Path

import pytest

from features import (
    CATEGORICAL_INDICES,
    FEATURE_NAMES,
    FEATURE_SPEC_VERSION,
    FEATURES,
    check_spec,
    spec_as_dict,
)
from features.vocabulary import ACTIVITIES, CONTACT_REASONS, PERSONAS

FEATURES_DIR = Path(__file__).resolve().parents[2] / "features"
OUR_PACKAGES = {"assist_api", "models", "training", "prompts_playbooks"}
FORBIDDEN = OUR_PACKAGES | {"flask", "mlflow", "sqlalchemy"}
# The real-time path's modules must not even import pandas.
ROW_PATH = (
    "row.py",
    "encode.py",
    "contact_reason.py",
    "contact_reason_lexicon.py",
    "text.py",
    "spec.py",
)


def stored_spec() -> dict:
    """The spec as a model run would store and reload it."""
    return json.loads(json.dumps(spec_as_dict()))


def test_activity_is_the_first_feature_over_the_activities():
    assert FEATURES[0].name == "activity"
    assert FEATURES[0].kind == "categorical"
    assert FEATURES[0].categories == ACTIVITIES


def test_names_are_unique_and_categorical_indices_match_kinds():
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)
    assert CATEGORICAL_INDICES == tuple(
        i for i, f in enumerate(FEATURES) if f.kind == "categorical"
    )
    assert all(f.kind in ("numeric", "categorical") for f in FEATURES)
    assert all(f.categories for f in FEATURES if f.kind == "categorical")
    assert all(not f.categories for f in FEATURES if f.kind == "numeric")


def test_vocabulary_features_use_the_contract_values():
    by_name = {f.name: f for f in FEATURES}
    assert by_name["persona"].categories == PERSONAS
    assert by_name["contact_reason"].categories == CONTACT_REASONS


def test_spec_round_trips_through_json():
    spec = stored_spec()
    assert spec["version"] == FEATURE_SPEC_VERSION
    assert [f["name"] for f in spec["features"]] == list(FEATURE_NAMES)
    check_spec(spec)


def test_descriptions_may_differ():
    spec = stored_spec()
    spec["features"][3]["description"] = "reworded"
    check_spec(spec)


def _changed(change) -> dict:
    spec = stored_spec()
    change(spec)
    return spec


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.update(version="0"), "version"),
        (lambda s: s["features"].pop(), "features"),
        (lambda s: s["features"].reverse(), "feature 0"),
        (lambda s: s["features"][1].update(name="days"), "'days'"),
        (lambda s: s["features"][1].update(kind="categorical"), "days_since_purchase"),
        (lambda s: s["features"][0]["categories"].append("upsell"), "activity"),
        (lambda s: s["features"][7].update(categories=["novice"]), "persona"),
        (lambda s: s.pop("features"), "'features'"),
    ],
)
def test_incompatible_specs_are_refused_naming_the_mismatch(change, message):
    with pytest.raises(ValueError, match=message):
        check_spec(_changed(change))


def test_check_spec_refuses_non_dicts():
    with pytest.raises(ValueError):
        check_spec(["not", "a", "spec"])


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted(FEATURES_DIR.glob("*.py")), ids=lambda p: p.name)
def test_features_imports_nothing_else_of_ours_nor_flask_or_mlflow(path):
    assert not _imports(path) & FORBIDDEN


@pytest.mark.parametrize("name", ROW_PATH)
def test_the_real_time_path_does_not_import_pandas(name):
    assert "pandas" not in _imports(FEATURES_DIR / name)
