"""The demo's model: simulate -> train -> register -> champion, in one call."""

from models import registry
from training.pipeline import simulate_train_register


def test_simulate_train_register_makes_a_champion_that_beats_the_agents(tmp_path, train_config):
    lines = []
    result = simulate_train_register(
        tmp_path / "world", train_config, interactions=30_000, seed=5, echo=lines.append
    )
    assert (tmp_path / "world" / "truth.csv").is_file()
    assert result.promoted and result.version == "1"
    client = registry.connect(train_config.tracking_uri)
    assert registry.champion(client, "ve-openness").run_id == result.run_id
    truth = result.candidate.report["truth"]
    assert truth["rows"] == result.candidate.report["overall"]["rows"]
    assert truth["regret_model"] < truth["regret_agents"] / 2
    assert any(line.startswith("promotion: promoted") for line in lines)
