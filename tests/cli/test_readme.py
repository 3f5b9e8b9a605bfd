"""The README's promises that a command can check."""

from pathlib import Path

from click.testing import CliRunner

from assist_api.cli import main

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_starts_with_the_two_setup_commands():
    first_block = README.read_text("utf-8").split("```")[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()[1:] if line]
    assert commands == ["make demo", "make test"]


def test_readme_settings_table_is_what_the_settings_command_prints():
    text = README.read_text("utf-8")
    table = text.split("<!-- settings-table -->\n")[1].split("<!-- /settings-table -->")[0]
    printed = CliRunner().invoke(main, ["settings"]).output
    assert table.strip() == printed.strip()


def _pyfunc_snippet() -> str:
    text = README.read_text("utf-8")
    block = text.split("<!-- pyfunc-example -->\n")[1].split("<!-- /pyfunc-example -->")[0]
    return block.split("```sh\n")[1].split("```")[0]


def test_the_readme_pyfunc_example_runs_unchanged(tmp_path):
    """The snippet, as printed, against a real registry laid out as `make demo` leaves it."""
    import os
    import shutil
    import subprocess
    import sys

    from training.pipeline import TrainConfig, train_from_dir
    from training.simulator.family import write_family_world

    world = write_family_world("interactions", tmp_path / "data" / "demo_world", 3000)
    data = tmp_path / "data"
    config = TrainConfig(
        tracking_uri=f"sqlite:///{data / 'mlflow.db'}",
        artifact_root=data / "mlartifacts",
        promote=True,
        params={"learning_rate": 0.2},
    )
    train_from_dir(world, config)
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parents[1])  # this venv
    env = {k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"}
    done = subprocess.run(
        [shutil.which("bash"), "-euc", _pyfunc_snippet()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "openness" in done.stdout and "best_activity" in done.stdout
    assert "probability" in done.stdout
