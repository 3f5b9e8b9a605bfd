"""A bad setting stops the service at start with the setting's name and the reason."""

import pytest

from assist_api.config import load_settings


@pytest.mark.parametrize(
    ("variable", "raw", "named"),
    [
        ("VALUE_ASSIST_HOLDOUT_RATE", "1.0", "holdout_rate must be in [0, 1)"),
        ("VALUE_ASSIST_ROUTING_HOLDOUT_RATE", "-0.1", "routing_holdout_rate must be in [0, 1)"),
        ("VALUE_ASSIST_ROUTING_MIN_OPENNESS", "1.5", "routing_min_openness must be in [0, 1]"),
        ("VALUE_ASSIST_ROUTING_MEMORY", "19", "routing_memory must be at least 20"),
        ("VALUE_ASSIST_SKILL_MIN_ATTEMPTS", "0", "skill_min_attempts must be at least 1"),
        ("VALUE_ASSIST_COST_PER_AGENT_MINUTE", "-1", "cost_per_agent_minute must be at least 0"),
        ("VALUE_ASSIST_ROUTING_MEMORY", "many", "VALUE_ASSIST_ROUTING_MEMORY must be int"),
        ("VALUE_ASSIST_TWO_PERSON_PUBLISH", "maybe", "must be true or false"),
    ],
)
def test_a_bad_setting_is_refused_by_name(tmp_path, variable, raw, named):
    environ = {"VALUE_ASSIST_DATA_DIR": str(tmp_path), variable: raw}
    with pytest.raises(ValueError) as refused:
        load_settings(environ)
    assert named in str(refused.value)


def test_the_smallest_routing_memory_is_accepted(tmp_path):
    environ = {"VALUE_ASSIST_DATA_DIR": str(tmp_path), "VALUE_ASSIST_ROUTING_MEMORY": "20"}
    assert load_settings(environ).routing_memory == 20
